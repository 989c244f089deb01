"""Whether a messaging channel is switched on: all its settings are there.

Each messaging channel is listed in credentials.yml with settings read from
the environment with empty defaults (``"${TWILIO_AUTH_TOKEN:-}"``); a setting
that expands to nothing is left out (``assistant/stores/environment.py``). A
channel whose class names ``REQUIRED_SETTINGS`` is served only when each of
them is a non-empty string (``assistant/channels/credentials.py``), so setting
its variables is all it takes to switch it on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_switched_on(
    settings: Mapping[str, Any] | None, required: tuple[str, ...]
) -> bool:
    """True when every required setting is a non-empty string."""
    settings = settings or {}
    return all(
        isinstance(settings.get(name), str) and settings[name] for name in required
    )

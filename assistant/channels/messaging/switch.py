"""Whether a messaging channel is switched on: all its settings are set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_switched_on(
    settings: Mapping[str, Any] | None, required: tuple[str, ...]
) -> bool:
    """True when every required setting is a non-empty string."""
    if not settings:
        return False
    return all(
        isinstance(settings.get(name), str) and settings[name] != ""
        for name in required
    )

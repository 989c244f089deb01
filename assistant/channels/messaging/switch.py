"""Whether a messaging channel is switched on: all its settings are there.

Each messaging channel is listed in credentials.yml with settings read from
the environment with empty defaults (``"${TWILIO_AUTH_TOKEN:-}"``); a setting
that expands to nothing is left out (``assistant/config/environment.py``). A
channel whose class names ``REQUIRED_SETTINGS`` is served only when each of
them is a non-empty string (``assistant/config/credentials.py``), so setting
its variables is all it takes to switch it on.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint

from assistant.config.credentials import is_switched_on
from assistant.config.environment import expand_settings


def settings_when_on(
    credentials: Mapping[str, Any] | None, required: tuple[str, ...]
) -> dict[str, Any] | None:
    """The channel's settings read with the environment, or None when it is off.

    The launcher reads credentials.yml with the environment already; Rasa's
    own ``rasa run`` leaves ``"${TELEGRAM_TOKEN:-}"`` as written, and would
    build every listed channel from those words (Telegram's client then
    refuses the "token" and the server does not start). Read here too, the
    channel is on or off by the same rule on both paths.
    """
    settings = expand_settings(dict(credentials or {}), os.environ)
    return settings if is_switched_on(settings, required) else None


class SwitchedOff(InputChannel):
    """A listed messaging channel whose variables are not set: no route at all."""

    def __init__(self, channel_name: str) -> None:
        """Stands in for the channel named ``channel_name``."""
        self.channel_name = channel_name

    def name(self) -> str:
        """The stood-in channel's name (its URL prefix)."""
        return self.channel_name

    def blueprint(self, on_new_message: Callable[..., Awaitable[Any]]) -> Blueprint:
        """A blueprint without routes: every URL of the channel is 404."""
        return Blueprint(f"{self.channel_name}_switched_off")

"""credentials.yml read with the environment, as endpoints.yml is.

Rasa reads credentials.yml with its own YAML loader: an unquoted ``${NAME}``
is expanded (no default; an unset ``NAME`` stops it) and the quoted
``"${NAME:-default}"`` is left as written. Here every channel's settings are
read with ``assistant/config/endpoints.py``'s plain loader and expanded by the
same rules (``assistant/config/environment.py``), so a channel's setting can
come from the environment with a default: the callback channel's receiver is
``"${CALLBACK_URL:-http://127.0.0.1:5034/bot}"``.

``create_http_input_channels`` takes the place of Rasa's function of that name
(``rasa.core.run``), installed by the launcher (``assistant/server/launch.py``,
through ``rasa_patches.install_credentials_reader``); ``read_credentials`` is
what the launcher checks before start.

A channel whose class names ``REQUIRED_SETTINGS`` (a messaging platform's) is
left out unless each of those settings is set
(``is_switched_on``; ``assistant/channels/messaging/switch.py`` builds such
a channel): the log says, once, which
environment variables it waits for, by name.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any

from assistant.config.endpoints import EndpointsError, read_file
from assistant.config.environment import SettingError, expand_settings

logger = logging.getLogger(__name__)

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def is_switched_on(
    settings: Mapping[str, Any] | None, required: tuple[str, ...]
) -> bool:
    """True when every required setting is a non-empty string."""
    settings = settings or {}
    return all(
        isinstance(settings.get(name), str) and settings[name] for name in required
    )


def read_credentials(
    path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any] | None]:
    """Each channel's settings, expanded; ``EndpointsError`` names a bad one."""
    environ = os.environ if environ is None else environ
    channels: dict[str, dict[str, Any] | None] = {}
    for channel, settings in read_file(path).items():
        if settings is not None and not isinstance(settings, dict):
            raise EndpointsError(f"{path}, {channel}: expected settings")
        try:
            channels[channel] = (
                None if settings is None else expand_settings(settings, environ)
            )
        except SettingError as error:
            raise EndpointsError(f"{path}, {channel}.{error}") from None
    return channels


def create_http_input_channels(
    channel: str | None, credentials_file: str | None
) -> list[Any]:
    """Rasa's ``create_http_input_channels``, reading with ``read_credentials``.

    A channel that is switched off (``REQUIRED_SETTINGS`` not all set) is left
    out, with one line in the log naming the variables it needs.
    """
    from rasa.core.run import _create_single_channel

    credentials = read_credentials(credentials_file) if credentials_file else {}
    written = read_file(credentials_file) if credentials_file else {}
    names = [channel] if channel else list(credentials)
    channels = []
    for name in names:
        settings = credentials.get(name)
        missing = missing_settings(name, settings)
        if missing:
            variables = ", ".join(
                variable_names(written.get(name), missing) or sorted(missing)
            )
            shown = channel_class(name).name()
            logger.info(f"The {shown} channel is off: set {variables} to switch it on.")
            continue
        channels.append(_create_single_channel(name, settings))
    return channels


def channel_class(name: str) -> Any:
    """The class Rasa creates for a credentials.yml entry, or None if unknown."""
    from rasa.core.channels import BUILTIN_CHANNELS
    from rasa.shared.utils.common import class_from_module_path

    if name in BUILTIN_CHANNELS:
        return BUILTIN_CHANNELS[name]
    try:
        return class_from_module_path(name)
    except (AttributeError, ImportError):
        return None  # Rasa's own error names it when it creates the channel


def missing_settings(name: str, settings: Mapping[str, Any] | None) -> list[str]:
    """The required settings of a channel that are not set (none if on)."""
    required: tuple[str, ...] = getattr(channel_class(name), "REQUIRED_SETTINGS", ())
    if is_switched_on(settings, required):
        return []
    return [key for key in required if not is_switched_on(settings, (key,))]


def variable_names(written: Any, keys: list[str]) -> list[str]:
    """The environment variables that the settings ``keys`` are read from."""
    if not isinstance(written, Mapping):
        return []
    return sorted(
        {
            variable
            for key in keys
            for variable in _VARIABLE.findall(str(written.get(key) or ""))
        }
    )

"""credentials.yml read with the environment, as endpoints.yml is.

Rasa reads credentials.yml with its own YAML loader: an unquoted ``${NAME}``
is expanded (no default; an unset ``NAME`` stops it) and the quoted
``"${NAME:-default}"`` is left as written. Here every channel's settings are
read with ``assistant/stores/endpoints.py``'s plain loader and expanded by the
same rules (``assistant/stores/environment.py``), so a channel's setting can
come from the environment with a default: the callback channel's receiver is
``"${CALLBACK_URL:-http://127.0.0.1:5034/bot}"``.

A messaging channel (a class with ``REQUIRED_SETTINGS``) whose settings are
not all set is left out, with one INFO line naming the channel and the
settings it lacks (never their values): it is listed in credentials.yml with
empty defaults, so it is switched on by setting its environment variables
(``assistant/channels/messaging/switch.py``).

``create_http_input_channels`` takes the place of Rasa's function of that name
(``rasa.core.run``), installed by the launcher (``assistant/server/launch.py``,
through ``rasa_patches.install_credentials_reader``); ``read_credentials`` is
what the launcher checks before start.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any

from assistant.channels.messaging.switch import is_switched_on
from assistant.stores.endpoints import EndpointsError, read_file
from assistant.stores.environment import SettingError, expand_settings

logger = logging.getLogger(__name__)


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
    """Rasa's ``create_http_input_channels``, reading with ``read_credentials``."""
    from rasa.core.run import _create_single_channel

    credentials = read_credentials(credentials_file) if credentials_file else {}
    if channel:
        return [_create_single_channel(channel, credentials.get(channel))]
    written = read_file(credentials_file) if credentials_file else {}
    return [
        _create_single_channel(name, kwargs)
        for name, kwargs in credentials.items()
        if _is_wanted(name, kwargs, written.get(name))
    ]


def _is_wanted(
    name: str, settings: Mapping[str, Any] | None, written: Any = None
) -> bool:
    """False for a messaging channel whose settings are not all set (logged).

    The log names the environment variables the file reads them from.
    """
    from rasa.core.channels import BUILTIN_CHANNELS
    from rasa.shared.utils.common import class_from_module_path

    try:
        channel_class = BUILTIN_CHANNELS.get(name) or class_from_module_path(name)
    except (ImportError, AttributeError):
        return True  # Rasa's own function says what is wrong with the name
    required: tuple[str, ...] | None = getattr(channel_class, "REQUIRED_SETTINGS", None)
    if required is None or is_switched_on(settings, required):
        return True
    written = written if isinstance(written, dict) else {}
    missing = [
        _variable_of(written.get(key)) or key
        for key in required
        if not (settings or {}).get(key)
    ]
    logger.info(
        "Channel %s is off: %s not set.", channel_class.name(), ", ".join(missing)
    )
    return False


def _variable_of(written: Any) -> str | None:
    """``NAME`` in a setting written as ``"${NAME:-}"``."""
    found = re.search(r"\$\{(\w+)", written) if isinstance(written, str) else None
    return found.group(1) if found else None

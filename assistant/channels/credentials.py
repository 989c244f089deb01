"""credentials.yml read with the environment, as endpoints.yml is.

Rasa reads credentials.yml with its own YAML loader: an unquoted ``${NAME}``
is expanded (no default; an unset ``NAME`` stops it) and the quoted
``"${NAME:-default}"`` is left as written. Here every channel's settings are
read with ``assistant/stores/endpoints.py``'s plain loader and expanded by the
same rules (``assistant/stores/environment.py``), so a channel's setting can
come from the environment with a default: the callback channel's receiver is
``"${CALLBACK_URL:-http://127.0.0.1:5034/bot}"``.

``create_http_input_channels`` takes the place of Rasa's function of that name
(``rasa.core.run``), installed by the launcher (``assistant/server/launch.py``,
through ``rasa_patches.install_credentials_reader``); ``read_credentials`` is
what the launcher checks before start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from assistant.stores.endpoints import EndpointsError, read_file
from assistant.stores.environment import SettingError, expand_settings


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
    return [
        _create_single_channel(name, kwargs) for name, kwargs in credentials.items()
    ]

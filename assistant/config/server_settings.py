"""How the Rasa server is started: which web pages may call it, and the API.

One pure function, ``rasa_run_arguments``, turns the settings (environment
variables) into the options of ``rasa run``. The launcher
(``assistant/server/launch.py``) adds them inside its own process, which
`make run`, `make shell`, the test harness and the containers all start, so
the tests run the server the way it is deployed, and the API token is never
on a command line.

- ``ALLOWED_ORIGINS``: the web pages (origins, separated by spaces or commas)
  whose scripts may call the bot from a browser: the widget on your site. By
  default only the server's own pages (the demo page). Never ``*``: Rasa's
  CORS then answers every origin, with credentials.
- ``RASA_ENABLE_API=1``: turn on Rasa's HTTP API (``/model``,
  ``/conversations``, ...), only together with ``RASA_AUTH_TOKEN`` (every
  request then needs ``?token=...``). Off by default: the widget and the
  channels need none of it, and an open API lets any page in a browser on the
  machine replace the model (``PUT /model``) or read any conversation. A
  token shorter than 32 characters is refused whenever it is set, API on or
  not (the container entrypoint, ``deploy/rasa-entrypoint.sh``, starts the
  launcher, so it refuses both ``*`` and a short token with exit code 2).
- ``MAX_QUEUED_MESSAGES``: how many messages may wait for a place to be
  worked on (``admission.py``) before the next is refused with HTTP 503 and
  ``Retry-After`` (default 100, a few seconds of work; 0 refuses every
  message that finds no free place). ``queued_messages_bound`` reads it; the
  launcher checks it at start.
- ``MAX_CONCURRENT_MESSAGES``: how many messages are worked on at once
  (``admission.py``; default 2, 0 = no limit), and
  ``ACTION_SERVER_TIMEOUT_SECONDS``: how long a custom action may take before
  she gets the apology with the general advice (``action_safety_net.py``;
  default 4). ``run_time_settings`` reads the three settings of the message
  path; ``rasa_patches.install_at_start`` installs the patches with them when
  the server starts, so changing one needs a restart, never a retraining.
- Request bodies are at most ``MAX_REQUEST_BYTES`` (64 KB): Sanic's
  ``REQUEST_MAX_SIZE`` (default 100 MB), set by the launcher through Sanic's
  own ``SANIC_REQUEST_MAX_SIZE`` (``sanic_environment``) so every worker and
  every route, socket.io's too, refuses a larger body with HTTP 413 before
  reading it; and a websocket frame larger than that is refused by Sanic
  (``SANIC_WEBSOCKET_MAX_SIZE``, default 1 MiB) before it is held in memory
  for engine.io, which refuses it at the same size.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ORIGINS_VARIABLE = "ALLOWED_ORIGINS"
ENABLE_API_VARIABLE = "RASA_ENABLE_API"
AUTH_TOKEN_VARIABLE = "RASA_AUTH_TOKEN"
MIN_TOKEN_CHARACTERS = 32
QUEUE_VARIABLE = "MAX_QUEUED_MESSAGES"
DEFAULT_QUEUED_MESSAGES = 100
CONCURRENT_VARIABLE = "MAX_CONCURRENT_MESSAGES"
DEFAULT_CONCURRENT_MESSAGES = 2
ACTION_TIMEOUT_VARIABLE = "ACTION_SERVER_TIMEOUT_SECONDS"
DEFAULT_ACTION_TIMEOUT_SECONDS = 4.0
MAX_REQUEST_BYTES = 64 * 1024
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+")


class SettingError(ValueError):
    """A setting that would leave the server open, or that makes no sense."""


def own_origins(port: int) -> list[str]:
    """The origins of the server's own pages on this machine."""
    return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]


def allowed_origins(environment: Mapping[str, str], port: int) -> list[str]:
    """The origins from ``ALLOWED_ORIGINS``, else the server's own."""
    configured = environment.get(ORIGINS_VARIABLE, "").replace(",", " ").split()
    if not configured:
        return own_origins(port)
    for origin in configured:
        if origin == "*":
            raise SettingError(
                f"{ORIGINS_VARIABLE} may not be '*': name the sites that embed "
                "the widget, e.g. https://www.example.dk"
            )
        if not _ORIGIN.fullmatch(origin):
            raise SettingError(
                f"{ORIGINS_VARIABLE}: {origin!r} is not an origin like "
                "https://www.example.dk (scheme and host, no path)"
            )
    return configured


def same_page_or_allowed(
    environment: Mapping[str, str],
) -> Callable[[str | None, Mapping[str, Any]], bool]:
    """socket.io's origin check: the server's own pages and ``ALLOWED_ORIGINS``.

    The same pages as the HTTP CORS; the own origin is the request's host, as
    the socket.io server does not know its public address.
    """
    configured = set(environment.get(ORIGINS_VARIABLE, "").replace(",", " ").split())
    configured.discard("*")

    def allowed(origin: str | None, request: Mapping[str, Any]) -> bool:
        if not origin:
            return False
        scheme = request.get("wsgi.url_scheme", "http")
        own = f"{scheme}://{request.get('HTTP_HOST', '')}"
        return origin == own or origin in configured

    return allowed


def api_arguments(environment: Mapping[str, str]) -> list[str]:
    """``--enable-api --auth-token ...`` if asked for (with a token), else none."""
    token = environment.get(AUTH_TOKEN_VARIABLE, "").strip()
    if token and len(token) < MIN_TOKEN_CHARACTERS:
        raise SettingError(
            f"{AUTH_TOKEN_VARIABLE} has {len(token)} characters: it needs at least "
            f"{MIN_TOKEN_CHARACTERS} (e.g. `openssl rand -hex 24`)."
        )
    if environment.get(ENABLE_API_VARIABLE, "").strip() not in ("1", "true", "yes"):
        return []
    if not token:
        raise SettingError(
            f"{ENABLE_API_VARIABLE}=1 needs {AUTH_TOKEN_VARIABLE} (at least "
            f"{MIN_TOKEN_CHARACTERS} characters, e.g. `openssl rand -hex 24`)."
        )
    return ["--enable-api", "--auth-token", token]


def rasa_run_arguments(environment: Mapping[str, str], port: int) -> list[str]:
    """The ``rasa run`` options for these settings."""
    return ["--cors", *allowed_origins(environment, port), *api_arguments(environment)]


def _whole_number(environment: Mapping[str, str], name: str, default: int) -> int:
    text = environment.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise SettingError(f"{name}={text!r}: a whole number of messages (at least 0).")
    return int(text)


def queued_messages_bound(environment: Mapping[str, str]) -> int:
    """``MAX_QUEUED_MESSAGES``: a whole number of at least 0 (default 100)."""
    return _whole_number(environment, QUEUE_VARIABLE, DEFAULT_QUEUED_MESSAGES)


def concurrent_messages_limit(environment: Mapping[str, str]) -> int:
    """``MAX_CONCURRENT_MESSAGES``: a whole number, 0 = no limit (default 2)."""
    return _whole_number(environment, CONCURRENT_VARIABLE, DEFAULT_CONCURRENT_MESSAGES)


def action_timeout_seconds(environment: Mapping[str, str]) -> float:
    """``ACTION_SERVER_TIMEOUT_SECONDS``: more than 0 and at most 300 (default 4).

    300 s is how long Rasa itself waits for the action server.
    """
    text = environment.get(ACTION_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_ACTION_TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= 300:  # NaN fails it too
        raise SettingError(
            f"{ACTION_TIMEOUT_VARIABLE}={text!r}: seconds, more than 0 and at "
            "most 300 (e.g. 4 or 2.5)."
        )
    return seconds


@dataclass(frozen=True)
class RunTimeSettings:
    """The settings of the message path, read when the server starts."""

    concurrent_messages: int
    queued_messages: int
    action_timeout_seconds: float


def run_time_settings(environment: Mapping[str, str]) -> RunTimeSettings:
    """The message path's settings from the environment (``SettingError`` if bad)."""
    return RunTimeSettings(
        concurrent_messages=concurrent_messages_limit(environment),
        queued_messages=queued_messages_bound(environment),
        action_timeout_seconds=action_timeout_seconds(environment),
    )


# Rasa sets Sanic's loggers, the access log's too, to this level (default ERROR)
LIBRARY_LOG_LEVEL_VARIABLE = "LOG_LEVEL_LIBRARIES"
DEFAULT_LIBRARY_LOG_LEVEL = "ERROR"
ACCESS_LOG_VARIABLE = "SANIC_ACCESS_LOG"


def access_log_written(environment: Mapping[str, str]) -> bool:
    """Whether Sanic's access log lines would be written at all.

    Rasa sets Sanic's access logger to ``LOG_LEVEL_LIBRARIES`` (ERROR unless
    set), and an access line is logged at INFO: below INFO or DEBUG none is
    written, but Sanic still built each one (the request's URL, its host and
    the forwarded headers parsed: 1.2 % of the server's CPU under ten
    conversations, py-spy).
    """
    level = environment.get(LIBRARY_LOG_LEVEL_VARIABLE) or DEFAULT_LIBRARY_LOG_LEVEL
    return level.strip().upper() in ("DEBUG", "INFO")


def sanic_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """Sanic's settings for its own environment variables (unless set there).

    Bodies and websocket frames limited to ``MAX_REQUEST_BYTES``; the access
    log on only where its lines are written (``access_log_written``).
    """
    settings = {
        name: environment.get(name, str(MAX_REQUEST_BYTES))
        for name in ("SANIC_REQUEST_MAX_SIZE", "SANIC_WEBSOCKET_MAX_SIZE")
    }
    settings[ACCESS_LOG_VARIABLE] = environment.get(
        ACCESS_LOG_VARIABLE, str(access_log_written(environment))
    )
    return settings

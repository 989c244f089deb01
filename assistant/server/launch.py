"""Start Rasa's own command line in this process, the project's way.

    python -m assistant.server.launch run [rasa run options]
    python -m assistant.server.launch shell [rasa shell options]
    python -m assistant.server.launch test core [rasa test options]

`make run`, `make shell` (``scripts/run.sh``), `make test-stories`, the test
harness (``harness/servers.py``) and the containers start Rasa this way.
Before handing over to Rasa (``rasa.__main__.main()`` with ``sys.argv`` set):

1. **One reader of endpoints.yml.** Rasa's ``read_endpoint_config`` is
   replaced by the project's (``assistant/config/endpoints.py``, registered in
   ``rasa_patches.py``), so every section may use ``"${NAME:-default}"`` as
   well as Rasa's ``${NAME}``: the shipped endpoints.yml serves every
   deployment, with ``ACTION_SERVER_URL``, ``DB_*`` and ``REDIS_*`` from the
   environment, and nothing writes an endpoints file of its own. credentials.yml
   is read the same way (``assistant/config/credentials.py``), e.g. the
   callback channel's ``"${CALLBACK_URL:-...}"``.
2. **The files are checked first** (``--endpoints``, default endpoints.yml,
   and for ``run`` ``--credentials``, default credentials.yml):
   an unset ``${NAME}`` without a default or a malformed port stops the start
   with one line naming the setting and the variable, exit code 2, no
   traceback. So does a ``RETENTION_DAYS`` that is not a whole number of
   days of at least 1.
3. **The options that come from the environment** are added
   (``server_settings.py``): CORS for ``ALLOWED_ORIGINS`` (else the server's
   own pages) and, with ``RASA_ENABLE_API=1``, the HTTP API with
   ``RASA_AUTH_TOKEN``. They are added to this process's ``sys.argv`` only:
   the token is read from the environment here and never appears on a
   command line (``ps`` shows what the process was started with).
4. **Limits**: ``MAX_CONCURRENT_MESSAGES``, ``MAX_QUEUED_MESSAGES`` and
   ``ACTION_SERVER_TIMEOUT_SECONDS`` are checked (a bad one stops the start
   with its message, exit code 2), and request bodies are limited to 64 KB
   (Sanic's ``SANIC_REQUEST_MAX_SIZE``, set in this process's environment
   before Sanic reads it).
5. **Every patch of Rasa is installed** (``rasa_patches.install_at_start``),
   with those settings, before Rasa reads a file or loads a model.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

from assistant.config.server_settings import (
    SettingError,
    rasa_run_arguments,
    run_time_settings,
    sanic_environment,
)

COMMANDS = ("run", "shell", "test")
SERVING_COMMANDS = ("run", "shell")  # those that start Rasa's web server
DEFAULT_PORT = 5005
DEFAULT_CREDENTIALS = "credentials.yml"
USAGE = "usage: python -m assistant.server.launch {run,shell,test} [rasa options]"


def option_value(arguments: Sequence[str], *names: str) -> str | None:
    """The value of the last ``--name value`` / ``--name=value`` given, if any."""
    found = None
    for index, argument in enumerate(arguments):
        for name in names:
            if argument == name and index + 1 < len(arguments):
                found = arguments[index + 1]
            elif argument.startswith(name + "="):
                found = argument[len(name) + 1 :]
    return found


def rasa_argv(
    command: str, arguments: Sequence[str], environ: Mapping[str, str]
) -> list[str]:
    """Rasa's ``sys.argv`` for ``command`` with the options from ``environ``.

    ``SettingError`` if a setting would leave the server open (see
    ``server_settings.py``); a port that is not a number is one too.
    """
    if command not in COMMANDS:
        raise SettingError(USAGE)
    if command not in SERVING_COMMANDS:
        return ["rasa", command, *arguments]
    port_text = option_value(arguments, "--port", "-p") or str(DEFAULT_PORT)
    if not port_text.isdigit():
        raise SettingError(f"--port {port_text!r} is not a port number.")
    settings = rasa_run_arguments(environ, int(port_text))
    return ["rasa", command, *arguments, *settings]


def endpoints_file(arguments: Sequence[str]) -> str:
    """The endpoints file Rasa will read (``--endpoints``, else endpoints.yml)."""
    from assistant.config.endpoints import DEFAULT_ENDPOINTS

    return option_value(arguments, "--endpoints") or DEFAULT_ENDPOINTS


def main(argv: Sequence[str] | None = None) -> int:
    """Check the settings and endpoints.yml, then run Rasa's command line."""
    import os

    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        print(USAGE, file=sys.stderr)
        return 2
    command, options = arguments[0], arguments[1:]
    try:
        rasa_arguments = rasa_argv(command, options, os.environ)
        run_time_settings(os.environ)
    except SettingError as error:
        print(error, file=sys.stderr)
        return 2

    from assistant.config.credentials import read_credentials
    from assistant.config.endpoints import EndpointsError, read_all_sections

    endpoints = endpoints_file(options)
    credentials = option_value(options, "--credentials") or DEFAULT_CREDENTIALS
    try:
        if os.path.exists(endpoints):  # none at all: Rasa's message and defaults
            read_all_sections(endpoints)
        if command == "run" and os.path.exists(credentials):
            read_credentials(credentials)
    except EndpointsError as error:
        print(error, file=sys.stderr)
        return 2

    from assistant.config.retention_setting import (
        RetentionSettingError,
        retention_days,
    )

    try:
        retention_days()  # the tracker store checks it too, for a plain `rasa run`
    except RetentionSettingError as error:
        print(error, file=sys.stderr)
        return 2

    from assistant.server import rasa_patches  # loads Rasa's core: after the check

    rasa_patches.install_at_start(os.environ)

    import rasa.__main__

    os.environ.update(sanic_environment(os.environ))
    sys.argv = rasa_arguments
    rasa.__main__.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())

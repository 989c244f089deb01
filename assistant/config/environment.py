"""Settings in endpoints.yml that come from the environment, with defaults.

Rasa expands an unquoted ``${NAME}`` in endpoints.yml itself, but has no
default: when ``NAME`` is not set, the server refuses to start. The tracker
store and lock store must work with nothing set (SQLite and in-memory locks,
so `make run` needs no configuration) and switch to PostgreSQL and Redis when
the variables are there. Their settings are therefore written *quoted*, in
the shell's form ``"${NAME:-default}"``, and expanded here:

- ``${NAME}``: the variable's value; an error naming it if it is not set;
- ``${NAME:-default}``: the value, or ``default`` if it is unset or empty;
- anything else is kept as written.

A setting that expands to nothing is left out, so Rasa's own default applies
(an empty ``"${REDIS_PORT:-}"`` is Redis's 6379, not port ""). A ``port`` must
be a whole number from 1 to 65535.

Secrets (database and Redis passwords) are therefore only ever in the
environment, never in a file. ``assistant/config/endpoints.py`` reads a
section of endpoints.yml with these rules; every reader of the file uses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_REFERENCE = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}"
)
HIGHEST_PORT = 65_535


class SettingError(ValueError):
    """An endpoints.yml setting that cannot be used; the message says why."""


class MissingSetting(SettingError):
    """An endpoints.yml setting names an environment variable that is not set."""


def expand(value: str, environ: Mapping[str, str]) -> str:
    """``value`` with every ``${NAME}`` / ``${NAME:-default}`` replaced."""

    def replace(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        found = environ.get(name)
        if default is not None:
            return found if found else default
        if found is None:
            raise MissingSetting(
                f"needs the environment variable {name}; set it, "
                f"or write ${{{name}:-default}} to give it a default."
            )
        return found

    return _REFERENCE.sub(replace, value)


def _expand_nested(value: Any, environ: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return expand(value, environ)
    if isinstance(value, Mapping):
        return {key: _expand_nested(item, environ) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand_nested(item, environ) for item in value]
    return value


def port_number(value: Any) -> int:
    """A port setting as a number; ``SettingError`` if it is none."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise SettingError(f"{value!r} is not a port number (1-{HIGHEST_PORT}).")
    number = int(text)
    if not 1 <= number <= HIGHEST_PORT:
        raise SettingError(f"{number} is not a port number (1-{HIGHEST_PORT}).")
    return number


def expand_settings(
    settings: Mapping[str, Any], environ: Mapping[str, str]
) -> dict[str, Any]:
    """Every string expanded (also inside mappings and lists).

    A top-level setting that expands to nothing is left out (unset); a
    ``port`` becomes a number. Errors say which setting, and why.
    """
    expanded: dict[str, Any] = {}
    for key, written in settings.items():
        try:
            value = _expand_nested(written, environ)
            if value == "" and isinstance(written, str):
                continue
            if key == "port" and value is not None:
                value = port_number(value)
        except SettingError as error:
            shown = f" ({written!r})" if isinstance(written, str) else ""
            raise type(error)(f"{key}{shown}: {error}") from None
        expanded[key] = value
    return expanded

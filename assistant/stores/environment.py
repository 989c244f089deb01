"""Settings in endpoints.yml that come from the environment, with defaults.

Rasa expands an unquoted ``${NAME}`` in endpoints.yml itself, but has no
default: when ``NAME`` is not set, the server refuses to start. The tracker
store and lock store must work with nothing set (SQLite and in-memory locks,
so `make run` needs no configuration) and switch to PostgreSQL and Redis when
the variables are there. Their settings are therefore written *quoted*, which
Rasa leaves alone, in the shell's form ``"${NAME:-default}"``, and expanded
here when the store is created:

- ``${NAME}``: the variable's value; an error naming it if it is not set;
- ``${NAME:-default}``: the value, or ``default`` if it is unset or empty;
- anything else is kept as written.

Secrets (database and Redis passwords) are therefore only ever in the
environment, never in a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_REFERENCE = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}"
)


class MissingSetting(ValueError):
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
                f"endpoints.yml needs the environment variable {name}; set it, "
                f"or write ${{{name}:-default}} to give it a default."
            )
        return found

    return _REFERENCE.sub(replace, value)


def expand_settings(
    settings: Mapping[str, Any], environ: Mapping[str, str]
) -> dict[str, Any]:
    """Every string setting expanded; an empty result becomes ``None`` (unset)."""
    expanded: dict[str, Any] = {}
    for key, value in settings.items():
        if isinstance(value, str):
            value = expand(value, environ) or None
        expanded[key] = value
    return expanded

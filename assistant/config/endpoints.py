"""The one reader of endpoints.yml: a section as Rasa's ``EndpointConfig``.

Rasa reads endpoints.yml with its own YAML loader, which expands an unquoted
``${NAME}`` (no default; an unset ``NAME`` stops it) and leaves the quoted
``"${NAME:-default}"`` this project writes as it is. Code that read the file
that way got ``"${DB_HOST:-}"`` as a host name (``make forget`` crashed with
"Port could not be cast to integer value as '-}'"). Here both forms are
expanded, with the rules of ``assistant/config/environment.py``, in the url,
the port and every other setting of the section; a setting that expands to
nothing is unset.

Everything that reads endpoints.yml goes through ``read_section``:

- the Rasa server, for every section (``action_endpoint``, ``tracker_store``,
  ``lock_store``, ...): ``assistant/server/launch.py`` installs
  ``read_endpoint_config`` in place of Rasa's (``rasa_patches.py``), so
  ``action_endpoint`` may be ``"${ACTION_SERVER_URL:-http://...}"``;
- the operator commands ``make forget`` / ``make purge``
  (``assistant/stores/retention.py``) and ``make feedback-report``
  (``scripts/feedback_report.py``), through ``database_url``;
- the tracker and lock stores, through ``settings_from_environment``: when
  Rasa read the file with this reader the settings are expanded already (and
  are not expanded twice, so a password may contain ``${``); otherwise (plain
  ``rasa run``, or a test that uses Rasa's reader) the store expands them.

A setting that cannot be used raises ``EndpointsError`` naming the file, the
setting and the variable; ``exit_on_error`` turns it into a message and exit
code 2 for the command line.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import structlog
import yaml
from rasa.utils.endpoints import EndpointConfig

from assistant.config.environment import SettingError, expand_settings

DEFAULT_ENDPOINTS = "endpoints.yml"
SECTIONS = (
    "action_endpoint",
    "tracker_store",
    "lock_store",
    "event_broker",
    "nlg",
    "nlu",
    "models",
)
T = TypeVar("T")
logger = structlog.get_logger()


class EndpointsError(SettingError):
    """endpoints.yml cannot be used as it stands; the message says where."""


class _PlainLoader(yaml.SafeLoader):
    """YAML's safe loader, untouched by anyone's ``${...}`` resolver."""


def read_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The sections of an endpoints file as written (nothing expanded)."""
    try:
        content = yaml.load(Path(path).read_text("utf-8"), Loader=_PlainLoader)
    except yaml.YAMLError as error:
        raise EndpointsError(f"{path} is not valid YAML: {error}") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise EndpointsError(f"{path} must be a mapping of sections to settings.")
    return content


def read_section(
    path: str | os.PathLike[str],
    section: str,
    environ: Mapping[str, str] | None = None,
) -> EndpointConfig | None:
    """One section of an endpoints file, expanded; None if it is not there.

    ``FileNotFoundError`` if there is no such file; ``EndpointsError`` if a
    setting cannot be used.
    """
    written = read_file(path).get(section)
    if written is None:
        return None
    if not isinstance(written, dict):
        raise EndpointsError(f"{path}, {section}: expected settings, not {written!r}")
    try:
        settings = expand_settings(written, os.environ if environ is None else environ)
    except SettingError as error:
        raise EndpointsError(f"{path}, {section}.{error}") from None
    return EndpointConfig.from_dict(settings)


def read_all_sections(
    path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> dict[str, EndpointConfig | None]:
    """Every section Rasa reads, expanded: checks the whole file at once."""
    return {section: read_section(path, section, environ) for section in SECTIONS}


def read_endpoint_config(filename: str, endpoint_type: str) -> EndpointConfig | None:
    """Rasa's ``read_endpoint_config``, with ``read_section``'s expansion.

    Same contract as Rasa's: no file name, or no such file (logged), is None.
    """
    if not filename:
        return None
    try:
        return read_section(filename, endpoint_type)
    except FileNotFoundError:
        logger.error(
            "endpoint.read.failed_no_such_file",
            filename=os.path.abspath(filename),
            event_info="Failed to read endpoint configuration file - "
            "the file was not found.",
        )
        return None


def reader_installed() -> bool:
    """True if Rasa reads endpoint files with ``read_endpoint_config``."""
    import rasa.core.utils

    return rasa.core.utils.read_endpoint_config is read_endpoint_config


def settings_from_environment(
    settings: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A store's settings, expanded exactly once (see the module docstring)."""
    if reader_installed():
        return dict(settings)
    return expand_settings(settings, os.environ if environ is None else environ)


def database_url(path: str | os.PathLike[str] = DEFAULT_ENDPOINTS) -> Any:
    """The SQLAlchemy URL of the SQL tracker store configured in ``path``.

    ``EndpointsError`` if the file configures no SQL tracker store.
    """
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    try:
        config = read_section(path, "tracker_store")
    except FileNotFoundError:
        raise EndpointsError(f"There is no endpoints file {path}.") from None
    if config is None or not (
        "dialect" in config.kwargs or str(config.type).lower() == "sql"
    ):
        raise EndpointsError(f"{path} configures no SQL tracker store.")
    settings = config.kwargs
    with warnings.catch_warnings():  # Rasa 3.6 builds the URL the old way
        warnings.simplefilter("ignore", sa.exc.SADeprecationWarning)
        return SQLTrackerStore.get_db_url(
            settings.get("dialect") or "sqlite",
            config.url or settings.get("host"),
            settings.get("port"),
            settings.get("db") or "rasa.db",
            settings.get("username") or settings.get("login"),
            settings.get("password"),
            query=settings.get("query"),
        )


def exit_on_error(read: Callable[[], T]) -> T:
    """``read()``, or its ``EndpointsError`` printed and exit code 2."""
    try:
        return read()
    except EndpointsError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None

"""How long conversations are kept: ``RETENTION_DAYS`` (default 30).

Read by the Rasa server at start (a bad value stops it with this message), by
the widget's privacy note, and by ``make purge`` (``--days``); the deletion
itself is ``assistant/stores/retention.py``.
"""

from __future__ import annotations

import os

from rasa.shared.exceptions import RasaException

RETENTION_ENVIRONMENT_VARIABLE = "RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30


class RetentionSettingError(RasaException, ValueError):
    """``RETENTION_DAYS`` (or ``--days``) is not a whole number of days >= 1."""


def retention_days(value: str | None = None) -> int:
    """The retention period in days: ``value`` or ``RETENTION_DAYS``, else 30.

    Anything that is not a whole number of at least one day is refused with
    ``RetentionSettingError`` (a ``ValueError``) saying what was wrong: a typo
    must not delete every conversation. The Rasa server checks it at start.
    """
    raw = value if value is not None else os.environ.get(RETENTION_ENVIRONMENT_VARIABLE)
    if raw is None or not str(raw).strip():
        return DEFAULT_RETENTION_DAYS
    text = str(raw).strip()
    try:
        days = int(text)
    except ValueError:
        days = 0
    if days < 1:
        raise RetentionSettingError(
            f"{RETENTION_ENVIRONMENT_VARIABLE} must be a whole number of days, "
            f"at least 1 (conversations are deleted that long after their last "
            f"message; default {DEFAULT_RETENTION_DAYS}), not {text!r}."
        )
    return days

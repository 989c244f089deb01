"""Rasa's deep copies for debug logs, made only when debug logs are written.

Three of Rasa's modules on the message path deep-copy what they hand to a
debug log: the events an action returned, the slots, her parsed message, the
form's slot candidates and the states RulePolicy looked up
(``structlogger.debug(..., rasa_events=copy.deepcopy(events))``). Python
evaluates the arguments before the call, so the copies are made on every
message whether or not the debug record is written, and with the server at
its usual log level it never is: timed in-process over the bench
conversation's referral check turns, the copies were some 60,000 calls of
``copy.deepcopy`` per 160 turns.

In these modules (``DEBUG_LOG_ONLY``) every use of ``copy`` is such a debug
log argument (``tests/unit/test_debug_log_copies.py`` reads Rasa's source and
fails the day another use appears). ``install`` gives each module, in place
of the ``copy`` module, a ``CopyForDebugLog`` whose ``deepcopy`` copies
exactly when the module's logger writes debug records (``rasa --debug``, or
``LOG_LEVEL=DEBUG``): structlog's ``filter_by_level`` drops a record its
standard library logger is not enabled for, and then the value is only read,
never kept or changed, so it is handed over as it is.
"""

from __future__ import annotations

import copy
import importlib
import logging
from typing import Any

DEBUG_LOG_ONLY = (
    "rasa.core.processor",
    "rasa.core.actions.forms",
    "rasa.core.policies.rule_policy",
)


class CopyForDebugLog:
    """Stands for the ``copy`` module in a module that copies only to log."""

    def __init__(self, logger_name: str) -> None:
        self.logger = logging.getLogger(logger_name)

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        """A deep copy if the debug record is written; else ``value`` itself."""
        if self.logger.isEnabledFor(logging.DEBUG):
            return copy.deepcopy(value, memo)
        return value


def install() -> None:
    """Give each module of ``DEBUG_LOG_ONLY`` its ``CopyForDebugLog``."""
    for name in DEBUG_LOG_ONLY:
        module = importlib.import_module(name)
        if not isinstance(module.copy, CopyForDebugLog):
            module.copy = CopyForDebugLog(name)  # type: ignore[attr-defined]

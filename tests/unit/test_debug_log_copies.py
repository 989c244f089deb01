"""Rasa's deep copies for debug logs are made only when they are written.

assistant/server/debug_log_copies.py hands the value itself to a debug log
that is not written. That is right only while every use of ``copy`` in the
modules it changes is such a log argument: the first test reads Rasa's
installed source and fails the day another use appears.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import logging

import pytest

from assistant.server import debug_log_copies
from assistant.server.debug_log_copies import DEBUG_LOG_ONLY, CopyForDebugLog


def _uses_of_copy(tree: ast.AST) -> tuple[list[ast.AST], list[ast.AST]]:
    """(uses inside a ``structlogger.debug(...)`` keyword argument, all uses)."""
    in_debug_logs: list[ast.AST] = []
    for call in ast.walk(tree):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "debug"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "structlogger"
        ):
            for keyword in call.keywords:
                value = keyword.value
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "deepcopy"
                    and isinstance(value.func.value, ast.Name)
                    and value.func.value.id == "copy"
                ):
                    in_debug_logs.append(value.func.value)
    every: list[ast.AST] = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "copy"
    ]
    return in_debug_logs, every


@pytest.mark.parametrize("name", DEBUG_LOG_ONLY)
def test_every_use_of_copy_in_the_module_is_a_debug_log_argument(name):
    tree = ast.parse(inspect.getsource(importlib.import_module(name)))
    in_debug_logs, every = _uses_of_copy(tree)
    assert in_debug_logs, f"{name} no longer copies for its debug logs"
    assert {id(node) for node in every} == {id(node) for node in in_debug_logs}, (
        f"{name} uses copy for something else than a debug log: "
        "debug_log_copies must not replace it"
    )


def test_the_check_finds_a_use_that_is_not_a_log_argument():
    source = (
        "import copy\n"
        "structlogger.debug('x', events=copy.deepcopy(events))\n"
        "kept = copy.deepcopy(events)\n"
    )
    in_debug_logs, every = _uses_of_copy(ast.parse(source))
    assert len(in_debug_logs) == 1 and len(every) == 2  # (an import is no Name)
    assert {id(n) for n in every} != {id(n) for n in in_debug_logs}


def test_a_value_is_copied_exactly_when_the_debug_record_is_written():
    logger_name = "tests.debug_log_copies"
    logger = logging.getLogger(logger_name)
    copier = CopyForDebugLog(logger_name)
    value = {"events": [{"event": "slot", "value": [1, 2]}]}
    try:
        logger.setLevel(logging.INFO)
        assert copier.deepcopy(value) is value
        logger.setLevel(logging.DEBUG)
        copied = copier.deepcopy(value)
        assert copied == value and copied is not value
        assert copied["events"][0]["value"] is not value["events"][0]["value"]
    finally:
        logger.setLevel(logging.NOTSET)


def test_installed_in_each_module_once():
    debug_log_copies.install()
    debug_log_copies.install()
    for name in DEBUG_LOG_ONLY:
        module = importlib.import_module(name)
        assert isinstance(module.copy, CopyForDebugLog)
        assert module.copy.logger.name == name

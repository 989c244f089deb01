"""The compiled response checks give jsonschema's verdict, event type by type.

For every branch of Rasa's action response schema that compiles (all but the
``user`` event's), on events built from the branch itself with every
property given a value of every JSON type, with each required property left
out, and on Rasa's own events: the compiled check and jsonschema's
Draft 2020-12 validator must agree on every one.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
)

from assistant.server import schema_check
from assistant.server.schema_check import compile_schema

SCHEMA = RemoteAction.action_response_format_spec()
VALIDATOR = validator_for(SCHEMA)
ITEMS = {
    k: v for k, v in SCHEMA["properties"]["events"]["items"].items() if k != "oneOf"
}
BRANCHES = {
    branch["properties"]["event"]["const"]: {**ITEMS, "allOf": [branch]}
    for branch in SCHEMA["properties"]["events"]["items"]["oneOf"]
}
VALUES: list[Any] = [
    "x",
    "",
    0,
    2,
    -3,
    1.5,
    2.0,
    True,
    False,
    None,
    {},
    {"a": 1},
    [],
    [1, "a"],
]


def _sample(schema: dict[str, Any]) -> Any:
    """A value the schema accepts (the first type named)."""
    if "const" in schema:
        return schema["const"]
    named = schema.get("type")
    first = named[0] if isinstance(named, list) else named
    value: Any = {
        "string": "x",
        "number": 1.5,
        "integer": 2,
        "array": [],
        "boolean": True,
        "null": None,
        "object": {},
        None: "anything",
    }[first]
    if first == "object" or (first is None and "properties" in schema):
        properties = _properties(schema)
        value = {
            name: _sample(properties.get(name, {}))
            for part in [schema, *schema.get("allOf", [])]
            for name in part.get("required", [])
        }
    return value


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    """The properties named anywhere in the schema, a ``const`` one first."""
    merged: dict[str, Any] = {}
    for part in [schema, *schema.get("allOf", [])]:
        for name, subschema in part.get("properties", {}).items():
            if name not in merged or "const" in subschema:
                merged[name] = subschema
    return merged


def _instances(schema: dict[str, Any]) -> list[Any]:
    base = _sample(schema)
    properties = _properties(schema)
    found = [base, "not an event", None, [base], {}]
    for name, value in itertools.product(properties, VALUES):
        changed = copy.deepcopy(base)
        changed[name] = value
        found.append(changed)
    for name in list(base):
        found.append({k: v for k, v in base.items() if k != name})
    return found


COMPILED = {name: compile_schema(branch) for name, branch in BRANCHES.items()}


def test_every_branch_but_the_user_events_compiles():
    assert [name for name, check in COMPILED.items() if check is None] == ["user"]
    assert len(COMPILED) == 23


@pytest.mark.parametrize("event_type", [n for n, c in COMPILED.items() if c])
def test_a_compiled_branch_gives_jsonschemas_verdict(event_type):
    branch = BRANCHES[event_type]
    check = COMPILED[event_type]
    assert check is not None
    validator = VALIDATOR(branch)
    instances = _instances(branch)
    disagree = [i for i in instances if check(i) != validator.is_valid(i)]
    assert disagree == []
    verdicts = [check(i) for i in instances]
    assert any(verdicts) and not all(verdicts)  # both verdicts were reached


@pytest.mark.parametrize(
    "event",
    [
        SlotSet("pain_level", [7, 8]),
        SlotSet("language", None),
        BotUttered("hej", {"buttons": [{"title": "Ja", "payload": "/affirm"}]}),
        ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0),
        ActiveLoop("referral_form"),
        ActiveLoop(None),
        FollowupAction("action_listen"),
        AllSlotsReset(),
        Restarted(),
        SessionStarted(),
    ],
    ids=str,
)
def test_rasas_own_events_are_valid_both_ways(event):
    data = event.as_dict()
    check = COMPILED[data["event"]]
    assert check is not None
    assert check(data) is True
    assert VALIDATOR(BRANCHES[data["event"]]).is_valid(data)


@pytest.mark.parametrize("value", VALUES + [1e300, float("nan"), 10**30])
@pytest.mark.parametrize("name", list(schema_check.TYPES))
def test_the_types_are_jsonschemas(name, value):
    assert schema_check.TYPES[name](value) is VALIDATOR.TYPE_CHECKER.is_type(
        value, name
    )


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{"type": "string"}]},
        {"patternProperties": {"^a": {"type": "string"}}},
        {"const": 1},
        {"items": [{"type": "string"}]},
        {"type": "decimal"},
        {"properties": {"a": {"minLength": 1}}},
    ],
)
def test_anything_else_is_left_to_jsonschema(schema):
    assert compile_schema(schema) is None

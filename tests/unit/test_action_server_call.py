"""The action server's check of a call: what Rasa sends passes, the rest is named.

``scripts/action_server.py``'s ``read_call`` checks the call's shape with a
JSON schema and each of the conversation's events with a loop of its own;
its answers must be the ones the schema gave with the events in it.
"""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from scripts.action_server import ACTION_CALL_SCHEMA, read_call

# the schema as it was, with the events' items in it: the reference
WHOLE_SCHEMA = copy.deepcopy(ACTION_CALL_SCHEMA)
WHOLE_SCHEMA["properties"]["tracker"]["properties"]["events"]["items"] = {
    "type": "object"
}


def reference(call: object) -> str | None:
    error = best_match(Draft7Validator(WHOLE_SCHEMA).iter_errors(call))
    if error is None:
        return None
    where = ".".join(str(part) for part in error.absolute_path) or "the body"
    expected = f"{error.validator} {error.validator_value!r}"
    return f"Not an action call: {where}: expected {expected}."


def call(events: object, **tracker: object) -> dict:
    return {
        "next_action": "validate_referral_form",
        "tracker": {"sender_id": "her", "events": events, **tracker},
    }


@pytest.mark.parametrize(
    "sent",
    [
        call([]),
        call([{"event": "action", "name": "action_listen"}] * 50),
        call([{"event": "user"}, "restart"]),
        call([None]),
        call([{}, {}, 7, []]),
        call({}),
        call("events"),
        call([{"event": "user"}], slots=[]),  # the schema's error comes first
        call(["x"], sender_id=""),
        {"next_action": "x", "tracker": {"sender_id": "her"}},  # no events
        {"tracker": {"sender_id": "her", "events": ["x"]}},
    ],
)
def test_the_same_verdict_and_message_as_the_whole_schema(sent):
    read, error = read_call(json.dumps(sent).encode(), None)
    assert read == sent
    assert error == reference(sent)


def test_the_first_event_that_is_not_an_object_is_named():
    _, error = read_call(json.dumps(call([{}, {}, "restart", 1])).encode(), None)
    assert error == "Not an action call: tracker.events.2: expected type 'object'."

"""The action response check built once gives Rasa's verdicts and messages."""

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from assistant.server import action_response_check
from assistant.server.action_response_check import INVALID_RESPONSE_HINT

SCHEMA = RemoteAction.action_response_format_spec()

VALID = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "pain_level", "value": 5, "timestamp": None},
            {"event": "active_loop", "name": "referral_form"},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"text": "Hej", "buttons": [{"title": "Ja", "payload": "/a"}]}],
    },
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"name": "no event type"}]},
    {"events": [{"event": "no_such_event"}]},
    {"responses": ["not an object"]},
    {"events": [{"event": "slot", "name": 5}]},
    {"events": [{"event": "slot", "name": "a"}, {"event": "action"}]},
    {"events": [{"event": "user", "text": "hej", "parse_data": "not an object"}]},
    {"events": ["not an object"]},
    {"events": [None]},
    {"events": [{"event": ["not", "a", "name"]}]},
    {"events": [{"event": "slot", "name": "a", "timestamp": "not a number"}]},
    {"events": [{"event": "slot", "name": "a", "value": 1}, 5]},
]


@pytest.mark.parametrize("response", VALID)
def test_valid_responses_pass_as_with_jsonschema_validate(response):
    validate(response, SCHEMA)
    assert action_response_check.validate_action_result(None, response) is True


@pytest.mark.parametrize("response", VALID)
def test_valid_responses_pass_the_quick_check(response):
    assert action_response_check.quickly_valid(response)


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_never_pass_the_quick_check(response):
    assert not action_response_check.quickly_valid(response)


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_fail_as_with_jsonschema_validate(response):
    with pytest.raises(ValidationError) as rasas:
        validate(response, SCHEMA)
    with pytest.raises(ValidationError) as ours:
        action_response_check.validate_action_result(None, response)
    assert ours.value.message == rasas.value.message + INVALID_RESPONSE_HINT

"""Check action server responses with a schema validator built once.

Rasa 3.6 checks every custom action's response with ``jsonschema.validate``,
which first checks Rasa's (constant) response schema against the JSON Schema
meta-schema, on every call. Profiled with py-spy during `make bench`, that
meta-schema check took nearly half of the Rasa server's CPU time in a
conversation with the referral form. ``validate_action_result`` replaces
``RemoteAction._validate_action_result`` (``assistant/server/rasa_patches.py``)
with the same check against a validator built once: the same schema, the
same errors, the same message.

A valid response, the usual case, is recognised faster still: each event is
checked against the one branch of the schema's ``oneOf`` for its own event
type, not against all 23 (``quickly_valid``); anything that does not pass
that way goes through the full check, so errors read exactly as Rasa's.
Each of those checks is plain Python where the branch allows
(``assistant/server/schema_check.py``), else jsonschema's.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from assistant.server.schema_check import Check, compile_schema

INVALID_RESPONSE_HINT = (
    ". Failed to validate Action server response from API, "
    "make sure your response from the Action endpoint is valid. "
    f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
)


@functools.lru_cache(maxsize=1)
def response_validator() -> Validator:
    """A validator for Rasa's action response schema, checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@functools.lru_cache(maxsize=1)
def event_validators() -> tuple[Check, dict[str, Check]] | None:
    """Validators for the quick check: the response, then each event's type.

    The first is the response schema without what it says of each event;
    then one validator per event type: what the schema says of every event,
    with that type's branch of the ``oneOf``. Every
    branch names its event type as a ``const``, so an event matches exactly
    one branch if and only if it matches the branch of its own type: checking
    that one instead of all 23 gives the same verdict. None if the schema is
    not shaped so (then there is only the full check).
    """
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    validator_class = validator_for(schema)
    # each event is checked against its type's validator, which has all of
    # ``items`` but the ``oneOf``: the response's own check leaves them out
    items = schema["properties"]["events"].pop("items")
    branches = items.pop("oneOf", [])
    by_type: dict[str, Check] = {}
    for branch in branches:
        event_type = branch.get("properties", {}).get("event", {}).get("const")
        if not isinstance(event_type, str) or event_type in by_type:
            return None
        by_type[event_type] = _fastest_check(
            validator_class, {**items, "allOf": [branch]}
        )
    return _fastest_check(validator_class, schema), by_type


def _fastest_check(validator_class: Any, schema: dict[str, Any]) -> Check:
    """The schema as plain Python (``schema_check.py``), else jsonschema's check."""
    compiled = compile_schema(schema)
    if compiled is not None:
        return compiled
    return validator_class(schema).is_valid


def quickly_valid(result: dict[str, Any]) -> bool:
    """True only if the response is valid; False means "check it in full"."""
    validators = event_validators()
    if validators is None:
        return False
    response, by_type = validators
    if not response(result):
        return False
    for event in result.get("events") or []:
        event_type = event.get("event") if isinstance(event, dict) else None
        branch = by_type.get(event_type) if isinstance(event_type, str) else None
        if branch is None or not branch(event):
            return False
    return True


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """True for a valid response; raises ``ValidationError`` as Rasa does."""
    if quickly_valid(result):
        return True
    error: ValidationError | None = best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += INVALID_RESPONSE_HINT
        raise error
    return True

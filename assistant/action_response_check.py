"""Check action server responses with a schema validator built once.

Rasa 3.6 checks every custom action's response with ``jsonschema.validate``,
which first checks Rasa's (constant) response schema against the JSON Schema
meta-schema, on every call. Profiled with py-spy during `make bench`, that
meta-schema check took nearly half of the Rasa server's CPU time in a
conversation with the referral form. ``install`` replaces
``RemoteAction._validate_action_result`` with the same check against a
validator built once: the same schema, the same errors, the same message.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

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


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """True for a valid response; raises ``ValidationError`` as Rasa does."""
    error: ValidationError | None = best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += INVALID_RESPONSE_HINT
        raise error
    return True


def install() -> None:
    """Use the validator built once for every custom action (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result

"""Rasa's action response schema as plain Python checks, for the usual valid case.

Every custom action's response is checked against Rasa's JSON schema
(``assistant/server/action_response_check.py``): each event against the
schema's branch for its own type. jsonschema walks a branch keyword by
keyword, with a validator object evolved for every subschema and its types
looked up in persistent maps: under ten conversations that was 4 % of the
Rasa server's CPU (py-spy), for the seven slot events of a reset and the
slots of each validation.

``compile_schema`` turns a schema into one Python function that answers
``is_valid`` with the same verdict, for the keywords these branches use:
``type``, ``properties``, ``required``, ``allOf``, ``items`` (one schema for
every element) and a ``const`` string. A schema with any other keyword is
not compiled (None), and its check stays with jsonschema. The types are
jsonschema's own for Draft 2020-12 (the draft it picks for Rasa's schema):
``number`` and ``integer`` are never a bool, an ``integer`` may be a float
with no fraction. A unit test holds every compiled branch to jsonschema's
verdict on Rasa's own events and on broken ones.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

SUPPORTED = frozenset({"type", "properties", "required", "allOf", "items", "const"})


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "number": _is_number,
    "integer": _is_integer,
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def compile_schema(schema: Any) -> Check | None:
    """A function with jsonschema's verdict on ``schema``; None if not supported."""
    if schema is True or schema == {}:
        return lambda value: True
    if not isinstance(schema, Mapping) or not set(schema) <= SUPPORTED:
        return None
    checks: list[Check] = []
    if "type" in schema:
        named = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not all(isinstance(name, str) and name in TYPES for name in named):
            return None
        type_checks = [TYPES[name] for name in named]
        checks.append(lambda value: any(check(value) for check in type_checks))
    if "const" in schema:
        constant = schema["const"]
        if not isinstance(constant, str):
            return None
        checks.append(lambda value: isinstance(value, str) and value == constant)
    if "required" in schema:
        required = list(schema["required"])
        if not all(isinstance(name, str) for name in required):
            return None
        checks.append(
            lambda value: (
                not isinstance(value, dict) or all(name in value for name in required)
            )
        )
    if "properties" in schema:
        properties: dict[str, Check] = {}
        for name, subschema in schema["properties"].items():
            check = compile_schema(subschema)
            if check is None:
                return None
            properties[name] = check
        checks.append(
            lambda value: (
                not isinstance(value, dict)
                or all(
                    check(value[name])
                    for name, check in properties.items()
                    if name in value
                )
            )
        )
    if "items" in schema:
        item_check = compile_schema(schema["items"])
        if item_check is None:
            return None
        checks.append(
            lambda value: (
                not isinstance(value, list) or all(item_check(item) for item in value)
            )
        )
    if "allOf" in schema:
        parts = [compile_schema(part) for part in schema["allOf"]]
        if any(part is None for part in parts):
            return None
        all_of = [part for part in parts if part is not None]
        checks.append(lambda value: all(part(value) for part in all_of))
    return lambda value: all(check(value) for check in checks)

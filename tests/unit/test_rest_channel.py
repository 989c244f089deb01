"""Which REST request bodies are refused, and why."""

import json

import pytest

from assistant.channels.rest import rest_request_problem


def _body(**fields):
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    "body",
    [
        _body(sender="anna", message="Gør det ondt?"),
        _body(sender="anna", message=""),
        _body(sender="anna", message="/faq/recurrence", metadata={"language": "en"}),
        _body(sender="anna", message="x" * 5_000),
        _body(sender="anna", message="ø" * 5_000),  # characters, not bytes
        _body(
            sender="anna", message="👍", metadata={"feedback_for": {"response": "r"}}
        ),
        _body(sender="anna", message="hej", metadata={"language": "d" * 2000}),
    ],
)
def test_valid_requests_pass(body):
    assert rest_request_problem(body) is None


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"", "JSON"),
        (b"not json", "JSON"),
        (b"\xff\xfe", "JSON"),
        (b"[]", "JSON object"),
        (b'"hello"', "JSON object"),
        (_body(message="hej"), '"sender"'),
        (_body(sender="", message="hej"), '"sender"'),
        (_body(sender=42, message="hej"), '"sender"'),
        (_body(sender="s" * 257, message="hej"), "at most 256"),
        (_body(sender="anna"), '"message" must be a string'),
        (_body(sender="anna", message=42), '"message" must be a string'),
        (_body(sender="anna", message=None), '"message" must be a string'),
        (_body(sender="anna", message="x" * 5_001), "at most 5000 characters"),
        (_body(sender="anna", message="hej", metadata="en"), '"metadata"'),
        (
            _body(sender="anna", message="hej", metadata={"token": "x"}),
            '"metadata" may hold only "feedback_for", "language", not "token"',
        ),
        (
            _body(sender="anna", message="hej", metadata={"language": "d" * 2100}),
            "at most 2048 bytes",
        ),
        (
            _body(
                sender="a", message="h", metadata={"feedback_for": {"r": "ø" * 1100}}
            ),
            "at most 2048 bytes",
        ),
    ],
)
def test_malformed_requests_are_named(body, says):
    problem = rest_request_problem(body)
    assert problem is not None and says in problem

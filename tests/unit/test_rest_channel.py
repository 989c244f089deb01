"""Which REST request bodies are refused, and why; a body is parsed once."""

import asyncio
import json

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.request import Request

from assistant.channels.rest import ValidatedRestInput, rest_request_problem


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
        # a NUL stopped a Rasa server on PostgreSQL (security/test_unstorable_ids.py)
        (_body(sender="a\x00b", message="hej"), "control characters"),
        (_body(sender="two\nlines", message="hej"), "control characters"),
        (b'{"sender": "\\ud800", "message": "hej"}', "unpaired surrogates"),
    ],
)
def test_malformed_requests_are_named(body, says):
    problem = rest_request_problem(body)
    assert problem is not None and says in problem


async def _post_in_process(app: Sanic, body: bytes) -> list[dict]:
    """POST ``body`` to the app's REST webhook through its ASGI interface."""
    started: asyncio.Queue = asyncio.Queue()
    await started.put({"type": "lifespan.startup"})
    lifespan = asyncio.ensure_future(
        app({"type": "lifespan"}, started.get, lambda event: asyncio.sleep(0))
    )
    while app.state.is_started is False:
        await asyncio.sleep(0.01)
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(event: dict) -> None:
        sent.append(event)

    path = "/webhooks/rest/webhook"
    await app(
        {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        },
        receive,
        send,
    )
    lifespan.cancel()
    return sent


def test_the_webhook_parses_the_body_once(monkeypatch):
    # the check's parse is the one Rasa's handler reads (request.json)
    body = _body(sender="anna", message="Gør det ondt?", metadata={"language": "da"})
    parses: list[str] = []
    loads, load_json = json.loads, Request.load_json

    def counting_loads(text, *args, **kwargs):
        if text in (body, body.decode()):
            parses.append("json.loads")
        return loads(text, *args, **kwargs)

    def counting_load_json(request, *args, **kwargs):
        parses.append("Request.load_json")
        return load_json(request, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting_loads)
    monkeypatch.setattr(Request, "load_json", counting_load_json)
    taken: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        taken.append(message)
        await message.output_channel.send_text_message(message.sender_id, "svar")

    app = Sanic("parse_once")
    app.blueprint(
        ValidatedRestInput().blueprint(on_new_message), url_prefix="/webhooks/rest"
    )
    try:
        sent = asyncio.run(_post_in_process(app, body))
    finally:
        # a started app left in Sanic's registry passes for the running Rasa
        # server in later tests (retention_schedule.running_server)
        Sanic._app_registry.pop(app.name, None)
    assert sent[0]["status"] == 200 and b"svar" in sent[-1]["body"]
    [message] = taken
    assert (message.sender_id, message.text) == ("anna", "Gør det ondt?")
    assert message.metadata == {"language": "da"}
    assert parses == ["json.loads"]

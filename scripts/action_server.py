"""The action server: rasa-sdk's, on 127.0.0.1, checking a shared secret and its input.

``rasa run actions`` listens on every interface (0.0.0.0), answers anyone,
and answers a malformed call with HTTP 500 and the request's body echoed
back. This starts the same rasa-sdk application (same routes, same actions)
with three changes:

- it listens on ``ACTION_SERVER_HOST`` (``--host``), by default 127.0.0.1
  only; a cluster on several machines sets its address; the port is
  ``--port``, else ``ACTIONS_PORT``, else 5055;
- when ``ACTION_SERVER_SECRET`` is set, ``/webhook`` and ``/actions`` need it
  in the ``X-Action-Secret`` header (HTTP 403 otherwise); the Rasa server
  sends it (``assistant/server/action_secret.py``, the same header name);
- every route is served on its own path only: Sanic's router also takes
  ``/webhook/`` and ``/webhook//`` for ``/webhook``, so such a variant gets
  HTTP 404 naming the path, before anything else is looked at (other
  spellings, ``//webhook``, ``/WEBHOOK``, ``/webhook%2F``, are not routed and
  get 404 from Sanic);
- a call that is not what Rasa sends (not JSON, no ``next_action``, a tracker
  of the wrong shape) gets HTTP 400 with the reason; an error inside an
  action gets HTTP 500 with no details, and the log names only its type.

``python -m scripts.action_server [--host H] [--port P] [--actions actions]``
(``make actions``, ``make run``).
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import os
import zlib
from collections.abc import Sequence
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from rasa_sdk import utils
from rasa_sdk.endpoint import create_app as create_sdk_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from knowledge.action_secret import ENVIRONMENT_VARIABLE, HEADER


def secret_matches(sent: str | None, secret: str) -> bool:
    """True if no secret is set, or ``sent`` is exactly it (constant time)."""
    if not secret:
        return True
    return sent is not None and hmac.compare_digest(
        sent.encode("utf-8", "surrogatepass"), secret.encode("utf-8")
    )


logger = logging.getLogger(__name__)

HOST_VARIABLE = "ACTION_SERVER_HOST"
PORT_VARIABLE = "ACTIONS_PORT"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5055
PROTECTED_PATHS = ("/webhook", "/actions")


def served_path(request: Request) -> str:
    """The path of the route Sanic chose for ``request`` (its own if none)."""
    route = getattr(request, "route", None)
    if route is None or route.params:  # rasa-sdk's routes have no parameters
        return request.path
    return "/" + route.path.strip("/")


_TEXT_OR_NULL = {"type": ["string", "null"]}
ACTION_CALL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["next_action", "tracker"],
    "properties": {
        "next_action": {"type": "string", "minLength": 1, "maxLength": 200},
        "sender_id": {"type": "string"},
        "version": {"type": "string", "maxLength": 50},
        "domain": {"type": "object"},
        "tracker": {
            "type": "object",
            "required": ["sender_id"],
            "properties": {
                "sender_id": {"type": "string", "minLength": 1},
                "slots": {"type": "object"},
                "latest_message": {
                    "type": "object",
                    "properties": {
                        "text": _TEXT_OR_NULL,
                        "intent": {"type": "object"},
                        "intent_ranking": {
                            "type": "array",
                            "items": {"type": "object"},
                        },
                        "entities": {"type": "array", "items": {"type": "object"}},
                        "response_selector": {
                            "type": "object",
                            "additionalProperties": {
                                "type": ["object", "array"],
                                "properties": {
                                    "ranking": {
                                        "type": "array",
                                        "items": {"type": "object"},
                                    },
                                },
                            },
                        },
                    },
                },
                # each event an object: checked by ``read_call`` itself
                "events": {"type": "array"},
                "active_loop": {"type": ["object", "null"]},
                "followup_action": _TEXT_OR_NULL,
                "paused": {"type": "boolean"},
                "latest_event_time": {"type": ["number", "null"]},
                "latest_action_name": _TEXT_OR_NULL,
            },
        },
    },
}
_VALIDATOR = Draft7Validator(ACTION_CALL_SCHEMA)


def read_call(body: bytes, content_encoding: str | None) -> tuple[Any, str | None]:
    """The ``/webhook`` call read from its body, and what is wrong with it (or None)."""
    try:
        raw = zlib.decompress(body) if content_encoding == "deflate" else body
        call = json.loads(raw or b"")
    except (ValueError, zlib.error, RecursionError):
        return None, "The body must be JSON: the action call Rasa sends."
    error = best_match(_VALIDATOR.iter_errors(call))
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "the body"
        expected = f"{error.validator} {error.validator_value!r}"
        return call, f"Not an action call: {where}: expected {expected}."
    not_an_object = first_event_not_an_object(call["tracker"].get("events") or [])
    if not_an_object is not None:
        return call, (
            f"Not an action call: tracker.events.{not_an_object}: "
            "expected type 'object'."
        )
    return call, None


def first_event_not_an_object(events: list[Any]) -> int | None:
    """The index of the first event that is not a JSON object, or None.

    The conversation's events are most of a call (all of them, every turn);
    jsonschema's walk through them, one validator step per event, took a
    third of the action server's CPU, a loop takes a tenth of that.
    """
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            return index
    return None


def create_app(actions: str, secret: str) -> Sanic:
    """rasa-sdk's action server application with the checks above."""
    app = create_sdk_app(actions, cors_origins=None)

    @app.middleware("request")
    async def check(request: Request) -> HTTPResponse | None:
        # Sanic routes "/webhook/" and "/webhook//" to "/webhook" too: each
        # route is served on its own path exactly, so no check is walked around.
        path = served_path(request)
        if request.path != path:
            return response.json(
                {"error": f"Not found: the path is {path}, exactly."}, status=404
            )
        if path in PROTECTED_PATHS and not secret_matches(
            request.headers.get(HEADER), secret
        ):
            return response.json(
                {"error": f"This action server needs the {HEADER} header."},
                status=403,
            )
        if path == "/webhook" and request.method == "POST":
            encoding = request.headers.get("Content-Encoding")
            call, problem = read_call(request.body, encoding)
            if problem:
                return response.json({"error": problem}, status=400)
            if encoding != "deflate":
                # rasa-sdk reads request.json: the call is parsed once, not twice
                request.parsed_json = call
        return None

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            return response.json(
                {"error": str(exception)}, status=exception.status_code
            )
        logger.error("An action failed (%s).", type(exception).__name__)
        logger.debug("The action's error:", exc_info=exception)
        return response.json({"error": "The action failed."}, status=500)

    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Start the action server."""
    parser = argparse.ArgumentParser(prog="python -m scripts.action_server")
    parser.add_argument("--host", default=os.environ.get(HOST_VARIABLE) or DEFAULT_HOST)
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get(PORT_VARIABLE) or DEFAULT_PORT)
    )
    parser.add_argument("--actions", default="actions")
    parser.add_argument("--debug", action="store_true")
    arguments = parser.parse_args(argv)
    utils.configure_colored_logging(logging.DEBUG if arguments.debug else logging.INFO)
    utils.update_sanic_log_level()
    app = create_app(arguments.actions, os.environ.get(ENVIRONMENT_VARIABLE, ""))
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    logger.info(
        "Action server on http://%s:%d (%s).",
        arguments.host,
        arguments.port,
        "shared secret checked"
        if os.environ.get(ENVIRONMENT_VARIABLE)
        else "no shared secret",
    )
    app.run(
        arguments.host,
        arguments.port,
        workers=utils.number_of_sanic_workers(),
        access_log=False,
    )


if __name__ == "__main__":
    main()

"""Serves the chat widget, its demo page, and a conversation's history.

A Rasa input channel is a Sanic blueprint, so the widget is served by the Rasa
server itself, under /webhooks/widget/:

- ``widget.js``, ``widget.css``: the widget (``widget/`` in the repository);
- ``demo``: a page about the topic with the widget on it;
- ``session`` (POST): a new conversation for a widget: an id nobody can guess
  and the token proving it owns it (``assistant/channels/widget_auth.py``);
- ``history`` (GET, ``Authorization: Bearer <token>``): what she and the bot
  said, for showing the conversation again after a reload;
- ``conversation`` (DELETE, same token): deletes every stored event of the
  conversation (``erasure.py``), her right to erasure;
- ``operator/forget`` and ``operator/purge``: what ``make forget`` and
  ``make purge`` ask a running server (``widget_operator.py``). The widget's
  signing key never leaves the server.

Each concern has its module: the tokens ``widget_auth.py``, the transcript
``history`` shows ``widget_transcript.py``, erasure ``erasure.py``, the
operator's routes ``widget_operator.py``; this one serves the files and puts
the routes together.

Without a valid token ``history`` and ``conversation`` answer 403 and nothing
else, whatever id is named. Which web pages may call these routes from a
browser is Rasa's CORS setting (``--cors``, from ``ALLOWED_ORIGINS`` in
``scripts/run.sh``; none but the server's own pages by default).

Old conversations are deleted by the server whatever its channels
(``assistant/stores/retention_schedule.py``); ``session`` tells the widget
for how long they are kept (``RETENTION_DAYS``).

The widget sends messages to the REST channel (/webhooks/rest/webhook) with
the token, which it needs for a widget conversation
(``assistant/channels/rest.py``). No route needs the conversation id in its
URL: each takes it from the token (a ``?sender=`` naming another one is
refused), so the id reaches no access log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels import widget_auth
from assistant.channels.erasure import NOT_ERASED, erase
from assistant.channels.exact_paths import path_problem
from assistant.channels.widget_operator import add_operator_routes
from assistant.channels.widget_transcript import transcript
from assistant.config import retention_setting, secrets

WIDGET_DIRECTORY = Path(__file__).resolve().parents[2] / "widget"
FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.html": "text/html; charset=utf-8",
}
NOT_YOURS = (
    "This needs the token the server gave this conversation "
    '("Authorization: Bearer <token>", from POST /webhooks/widget/session).'
)


class WebWidgetInput(InputChannel):
    """The web chat widget's files and history endpoint."""

    @classmethod
    def name(cls) -> str:
        """URL prefix: /webhooks/widget/."""
        return "widget"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Routes for the widget's files, the demo page and the history."""
        widget = Blueprint("web_widget", __name__)

        @widget.middleware("request")
        async def exact_path(request: Request) -> HTTPResponse | None:
            # "/webhooks/widget/history/" is not "/webhooks/widget/history"
            return path_problem(request, f"/webhooks/{self.name()}")

        @widget.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @widget.route("/<name:(widget\\.js|widget\\.css|demo)>", methods=["GET"])
        async def file(_: Request, name: str) -> HTTPResponse:
            filename = "demo.html" if name == "demo" else name
            body = (WIDGET_DIRECTORY / filename).read_text("utf-8")
            return response.text(
                body,
                content_type=FILES[filename],
                headers={"Cache-Control": "no-cache"},
            )

        secret = secrets.load_secret()
        try:
            operator_token: str | None = secrets.load_operator_token()
        except OSError:  # no OPERATOR_TOKEN and a read-only file system: closed
            operator_token = None
        days = retention_setting.retention_days()

        def owned_conversation(request: Request) -> str | None:
            token = widget_auth.bearer_token(request.headers.get("authorization"))
            conversation = widget_auth.conversation_of(secret, token)
            named = request.args.get("sender")
            if conversation is None or (named is not None and named != conversation):
                return None
            return conversation

        @widget.route("/session", methods=["POST"])
        async def session(_: Request) -> HTTPResponse:
            conversation = widget_auth.new_conversation_id()
            return response.json(
                {
                    "sender": conversation,
                    "token": widget_auth.token_for(secret, conversation),
                    "retention_days": days,
                },
                headers={"Cache-Control": "no-store"},
            )

        @widget.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            sender = owned_conversation(request)
            if sender is None:
                return response.json({"error": NOT_YOURS}, status=403)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            events = [event.as_dict() for event in tracker.events] if tracker else []
            return response.json(
                {"sender": sender, "messages": transcript(events)},
                headers={"Cache-Control": "no-store"},
            )

        @widget.route("/conversation", methods=["DELETE"])
        async def delete_conversation(request: Request) -> HTTPResponse:
            sender = owned_conversation(request)
            if sender is None:
                return response.json({"error": NOT_YOURS}, status=403)
            deleted = await erase(request.app.ctx.agent, sender)
            if deleted is None:
                return response.json({"error": NOT_ERASED}, status=500)
            return response.json({"deleted": True, "deleted_events": deleted})

        add_operator_routes(widget, operator_token)

        return widget

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
  conversation (``assistant/stores/retention.py``), her right to erasure;
- ``operator/forget`` and ``operator/purge`` (POST, ``OPERATOR_TOKEN`` as the
  bearer token, from 127.0.0.1 or ::1 only and with no proxy's forwarding
  header; HAProxy denies them too): what ``make forget`` and ``make purge``
  ask a running server. The widget's signing key never leaves the server.

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

import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels import widget_auth
from assistant.channels.exact_paths import path_problem
from assistant.channels.reply_metadata import RESPONSE, is_faq_answer, reply_metadata
from assistant.server.user_input import is_allowed_payload
from assistant.stores import retention

logger = logging.getLogger(__name__)

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
NOT_ERASED = (
    "This server cannot erase conversations (see its log): nothing was deleted."
)

OPERATOR_ONLY = (
    "Operator requests need OPERATOR_TOKEN as the bearer token and are taken "
    "from this machine only (make forget, make purge)."
)
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


class OperatorRequestRefused(Exception):
    """An operator request that is refused, with its HTTP status and message."""

    def __init__(self, message: str, status: int = 400) -> None:
        """403 for who is asking, 400 (the default) for what was sent."""
        super().__init__(message)
        self.message = message
        self.status = status

    def response(self) -> HTTPResponse:
        """The JSON error the operator commands print."""
        return response.json({"error": self.message}, status=self.status)


FEEDBACK_PAYLOADS = {"/feedback_helpful": "helpful", "/feedback_unhelpful": "unhelpful"}


def transcript(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages a chat window shows, from a tracker's events.

    A button payload ("/faq/recurrence") is shown as the button's title, as it
    was when she clicked it; payloads the widget sent by itself ("/greet" on
    opening, a 👍/👎) are not shown; anything else she typed, "/restart" too, is
    shown. Bot messages keep their metadata (urgent, which response) and, once
    she rated one, ``feedback``; a quick reply she used is ``answered``, so its
    buttons stay disabled after a reload.
    """
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in events:
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            titles = {b.get("payload"): b.get("title") for b in buttons}
            message: dict[str, Any] = {
                "from": "bot",
                "text": event.get("text") or "",
                "buttons": buttons,
                "time": event.get("timestamp"),
            }
            metadata = reply_metadata(event.get("metadata") or {})
            if metadata:
                message["metadata"] = metadata
            messages.append(message)
        elif event.get("event") == "user":
            text = event.get("text") or ""
            if text in FEEDBACK_PAYLOADS:
                _mark_feedback(messages, event, FEEDBACK_PAYLOADS[text])
                continue
            for earlier in reversed(messages):  # her message spends the offers
                if earlier["from"] == "user":
                    break
                if earlier["buttons"]:
                    earlier["answered"] = True
            if text in titles:
                text = titles[text]
            elif is_allowed_payload(text):
                continue
            messages.append(
                {"from": "user", "text": text, "time": event.get("timestamp")}
            )
    return messages


def _mark_feedback(
    messages: list[dict[str, Any]], event: dict[str, Any], rating: str
) -> None:
    """Mark the FAQ answer a 👍/👎 was for (the latest with that response)."""
    rated = ((event.get("metadata") or {}).get("feedback_for") or {}).get("response")
    for message in reversed(messages):
        metadata = message.get("metadata") or {}
        if is_faq_answer(metadata) and rated in (None, metadata.get(RESPONSE)):
            message["feedback"] = rating
            return


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

        secret = widget_auth.load_secret()
        try:
            operator_token: str | None = widget_auth.load_operator_token()
        except OSError:  # no OPERATOR_TOKEN and a read-only file system: closed
            operator_token = None
        days = retention.retention_days()

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

        async def forget(request: Request, sender: str) -> int | None:
            """Rows deleted; None if this server cannot erase (logged)."""
            try:
                return await retention.forget_in_store(request.app.ctx.agent, sender)
            except retention.ErasureUnsupported:
                logger.exception("A conversation could not be erased.")
                return None

        @widget.route("/conversation", methods=["DELETE"])
        async def delete_conversation(request: Request) -> HTTPResponse:
            sender = owned_conversation(request)
            if sender is None:
                return response.json({"error": NOT_YOURS}, status=403)
            deleted = await forget(request, sender)
            if deleted is None:
                return response.json({"error": NOT_ERASED}, status=500)
            return response.json({"deleted": True, "deleted_events": deleted})

        def operator_request(request: Request) -> dict[str, Any]:
            """The body of an operator request; ``OperatorRequestRefused`` if not."""
            # from this machine only, and not through a proxy on it
            forwarded = any(h in request.headers for h in FORWARDING_HEADERS)
            if forwarded or not widget_auth.is_loopback(request.ip):
                raise OperatorRequestRefused(OPERATOR_ONLY, status=403)
            token = widget_auth.bearer_token(request.headers.get("authorization"))
            if not operator_token or not widget_auth.is_operator(operator_token, token):
                raise OperatorRequestRefused(OPERATOR_ONLY, status=403)
            try:
                body = json.loads(request.body or b"{}")
            except (ValueError, RecursionError):
                raise OperatorRequestRefused("The body must be JSON.") from None
            if not isinstance(body, dict):
                raise OperatorRequestRefused("The body must be a JSON object.")
            return body

        @widget.route("/operator/forget", methods=["POST"])
        async def operator_forget(request: Request) -> HTTPResponse:
            try:
                body = operator_request(request)
            except OperatorRequestRefused as refused:
                return refused.response()
            sender = body.get("sender")
            if not isinstance(sender, str) or not sender.strip():
                return response.json(
                    {"error": '"sender" must name the conversation.'}, status=400
                )
            deleted = await forget(request, sender)
            if deleted is None:
                return response.json({"error": NOT_ERASED}, status=500)
            return response.json({"deleted_events": deleted})

        @widget.route("/operator/purge", methods=["POST"])
        async def operator_purge(request: Request) -> HTTPResponse:
            try:
                body = operator_request(request)
            except OperatorRequestRefused as refused:
                return refused.response()
            try:
                purge_days = retention.retention_days(
                    None if body.get("days") is None else str(body["days"])
                )
            except ValueError:
                return response.json(
                    {"error": '"days" must be a whole number of at least 1.'},
                    status=400,
                )
            deleted = await retention.purge_in_store(request.app.ctx.agent, purge_days)
            return response.json({"deleted_conversations": deleted})

        return widget

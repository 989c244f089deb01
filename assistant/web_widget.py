"""Serves the chat widget, its demo page, and a conversation's history.

A Rasa input channel is a Sanic blueprint, so the widget is served by the Rasa
server itself, under /webhooks/widget/:

- ``widget.js``, ``widget.css``: the widget (``widget/`` in the repository);
- ``demo``: a page about the topic with the widget on it;
- ``history?sender=<id>``: what she and the bot said, for showing the
  conversation again after a reload.

The widget sends messages to the REST channel (/webhooks/rest/webhook).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.reply_metadata import RESPONSE, is_faq_answer, reply_metadata

WIDGET_DIRECTORY = Path(__file__).resolve().parent.parent / "widget"
FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.html": "text/html; charset=utf-8",
}
MAX_SENDER_CHARACTERS = 256


FEEDBACK_PAYLOADS = {"/feedback_helpful": "helpful", "/feedback_unhelpful": "unhelpful"}


def transcript(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages a chat window shows, from a tracker's events.

    A button payload ("/faq/recurrence") is shown as the button's title, as it
    was when she clicked it; payloads the widget sent by itself ("/greet" on
    opening, a 👍/👎) are not shown. Bot messages keep their metadata (urgent,
    which response) and, once she rated one, ``feedback``; a quick reply
    she used is ``answered``, so its buttons stay disabled after a reload.
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
            if text.startswith("/"):
                if text not in titles:
                    continue
                text = titles[text]
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

        @widget.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            sender = request.args.get("sender") or ""
            if not sender.strip() or len(sender) > MAX_SENDER_CHARACTERS:
                return response.json(
                    {"error": '"sender" must be a conversation id (1-256 characters).'},
                    status=400,
                )
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
            events = [event.as_dict() for event in tracker.events] if tracker else []
            return response.json({"sender": sender, "messages": transcript(events)})

        return widget

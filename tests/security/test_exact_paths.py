"""Every check sees every request: a path spelled another way is refused, not served.

Sanic's router serves ``/webhook/`` and ``/webhook//`` for ``/webhook``; the
checks keyed on the path (the action server's secret and call check, the REST
channel's sender and length checks) let such a request through unchecked.
Each variant is sent as it is (``http.client``, no client-side clean-up) to
the real action server and the real Rasa server, with the right secret and a
body each check would refuse: it must get a 4xx with a JSON error, and the
Rasa server must store nothing of it (the conversation read back).
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from harness.servers import ActionServer, RasaServer

ACTION_SERVER_VARIANTS = [
    "/webhook/",
    "/webhook//",
    "//webhook",
    "/webhook%2F",
    "/webhook%2f",
    "/%77ebhook",
    "/WEBHOOK",
    "/Webhook/",
    "/actions/",
    "//actions",
    "/ACTIONS",
]
REST_VARIANTS = [
    "/webhooks/rest/webhook/",
    "/webhooks/rest/webhook//",
    "//webhooks/rest/webhook",
    "/webhooks//rest/webhook",
    "/webhooks/rest/webhook%2F",
    "/webhooks/rest%2Fwebhook",
    "/webhooks/rest/%77ebhook",
    "/WEBHOOKS/REST/WEBHOOK",
    "/webhooks/rest/Webhook",
    "/webhooks/REST/webhook",
]
WIDGET_VARIANTS = [
    "/webhooks/widget/history/",
    "/webhooks/widget/session/",
    "/webhooks/widget/conversation/",
    "/WEBHOOKS/widget/history",
]


def raw(
    base: str,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict]:
    """Send ``path`` exactly as written; (status, JSON body or {})."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(
        address.hostname or "127.0.0.1", address.port, timeout=60
    )
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        answer = connection.getresponse()
        text = answer.read()
    finally:
        connection.close()
    try:
        return answer.status, json.loads(text)
    except ValueError:
        return answer.status, {}


def refusal(body: dict) -> str:
    """The reason a refusal gives: the project's "error", else Sanic's "message"."""
    return str(body.get("error") or body.get("message") or "")


def _call(sender: str) -> bytes:
    # no tracker: the call check would refuse it with 400 on /webhook
    return json.dumps(
        {"next_action": "action_suggest_topics", "sender": sender}
    ).encode()


@pytest.mark.parametrize("path", ACTION_SERVER_VARIANTS)
def test_the_action_server_refuses_path_variants(action_server: ActionServer, path):
    secret = {"X-Action-Secret": action_server.secret}
    method = "GET" if "ctions" in path.lower() else "POST"
    status, body = raw(action_server.url, method, path, _call("x"), secret)
    assert status == 404, (path, status, body)
    assert "not found" in refusal(body).lower()


def test_the_action_server_serves_the_exact_paths(action_server: ActionServer):
    secret = {"X-Action-Secret": action_server.secret}
    status, body = raw(action_server.url, "POST", "/webhook", _call("x"), secret)
    assert status == 400 and "tracker" in body["error"]  # checked, not run
    status, body = raw(action_server.url, "GET", "/actions", b"", secret)
    assert status == 200 and body


def _stored_user_texts(bot: RasaServer, sender: str) -> list[str]:
    events = bot.tracker(sender).get("events") or []
    return [event.get("text") for event in events if event.get("event") == "user"]


@pytest.mark.parametrize("path", REST_VARIANTS)
def test_the_rest_channel_refuses_path_variants_and_stores_nothing(
    bot: RasaServer, sender, path
):
    no_sender = json.dumps({"message": "variant without a sender"}).encode()
    status, body = raw(bot.url, "POST", path, no_sender)
    assert 400 <= status < 500 and refusal(body), (path, status, body)
    too_long = json.dumps({"sender": sender, "message": "x" * 300_000}).encode()
    status, body = raw(bot.url, "POST", path, too_long)
    assert 400 <= status < 500 and refusal(body), (path, status, body)
    assert _stored_user_texts(bot, sender) == []
    assert "variant without a sender" not in _stored_user_texts(bot, "default")


def test_the_rest_channel_serves_the_exact_path(bot: RasaServer, sender):
    status, body = raw(bot.url, "POST", "/webhooks/rest/webhook", b'{"message": "x"}')
    assert status == 400 and '"sender"' in body["error"]  # checked
    message = json.dumps({"sender": sender, "message": "hej"}).encode()
    status, replies = raw(bot.url, "POST", "/webhooks/rest/webhook", message)
    assert status == 200 and replies
    assert _stored_user_texts(bot, sender) == ["hej"]


@pytest.mark.parametrize("path", WIDGET_VARIANTS)
def test_the_widget_routes_refuse_path_variants(bot: RasaServer, path):
    method = {"session": "POST", "conversation": "DELETE"}.get(
        path.rstrip("/").rsplit("/", 1)[-1], "GET"
    )
    status, body = raw(bot.url, method, path)
    assert status == 404 and "not found" in refusal(body).lower(), (path, body)


@pytest.mark.parametrize("path", ["/webhooks/rest/", "/webhooks/widget/"])
def test_the_channels_health_checks_answer_as_documented(bot: RasaServer, path):
    assert raw(bot.url, "GET", path)[0] == 200
    assert raw(bot.url, "GET", path.rstrip("/"))[0] == 200

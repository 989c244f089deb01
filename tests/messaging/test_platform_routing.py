"""The load balancer keeps one Telegram, Messenger or Slack conversation on one server.

HAProxy (deploy/haproxy.cfg, the shipped file) runs in front of two stand-in
servers that answer every request, so only the routing is under test: each
of a platform's posts for one chat or user must reach the same server, as a
REST message's ``sender`` does. Without the routing rules HAProxy has no
conversation to hash and spreads a conversation's messages over both.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
import requests

from harness.services import LoadBalancer


class Answering(BaseHTTPRequestHandler):
    def _ok(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _ok

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def balancer(tmp_path) -> Iterator[LoadBalancer]:
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Answering) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = (servers[0].server_address[1], servers[1].server_address[1])
    lb = LoadBalancer(tmp_path, ports, limits={"RATE_LIMIT_CLIENT_REQUESTS": "10000"})
    lb.start().wait_for_servers({"rasa1", "rasa2"})
    yield lb
    lb.stop()
    for server in servers:
        server.shutdown()
        server.server_close()


def telegram_message(user: int, turn: int) -> tuple[bytes, str]:
    chat = {"id": user, "type": "private", "first_name": "Test"}
    message = {"message_id": turn, "date": 1, "chat": chat, "text": f"besked {turn}"}
    return json.dumps({"update_id": turn, "message": message}).encode(), "json"


def telegram_button(user: int, turn: int) -> tuple[bytes, str]:
    chat = {"id": user, "type": "private", "first_name": "Test"}
    message = {"message_id": turn, "date": 1, "chat": chat, "text": "Vælg"}
    query = {"id": str(turn), "from": chat, "message": message, "data": "/faq/x"}
    return json.dumps({"update_id": turn, "callback_query": query}).encode(), "json"


def messenger_message(user: int, turn: int) -> tuple[bytes, str]:
    event = {"sender": {"id": str(user)}, "recipient": {"id": "1"}, "timestamp": 1}
    event["message"] = {"mid": f"m_{turn}", "text": f"besked {turn}"}
    body = {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [event]}]}
    return json.dumps(body).encode(), "json"


def slack_message(user: int, turn: int) -> tuple[bytes, str]:
    event = {"type": "message", "channel": f"D{user}", "user": f"U{user}"}
    event |= {"text": f"besked {turn}", "ts": f"{turn}.0", "channel_type": "im"}
    body = {"type": "event_callback", "team_id": "T1", "event": event}
    return json.dumps(body).encode(), "json"


def slack_button(user: int, turn: int) -> tuple[bytes, str]:
    payload = {
        "type": "block_actions",
        "user": {"id": f"U{user}", "username": "test", "team_id": "T1"},
        "channel": {"id": f"D{user}", "name": "directmessage"},
        "actions": [{"type": "button", "value": "/faq/x", "action_id": str(turn)}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode(), "form"


CONTENT_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
}


@pytest.mark.parametrize(
    ("path", "posts"),
    [
        ("telegram", (telegram_message, telegram_button)),
        ("facebook", (messenger_message,)),
        ("slack", (slack_message, slack_button)),
    ],
)
def test_each_conversations_posts_reach_one_server(
    balancer,
    path: str,
    posts: tuple[Callable[[int, int], tuple[bytes, str]], ...],
):
    seen: dict[int, set[str]] = {}
    for turn in range(6):
        for user in range(700_000_100, 700_000_112):
            body, kind = posts[turn % len(posts)](user, turn)
            answer = requests.post(
                f"{balancer.url}/webhooks/{path}/webhook",
                data=body,
                headers={"Content-Type": CONTENT_TYPES[kind]},
                timeout=10,
            )
            assert answer.status_code == 200
            seen.setdefault(user, set()).add(answer.headers["X-Served-By"])
    assert all(len(servers) == 1 for servers in seen.values()), seen
    # and the conversations are spread over both servers
    assert set().union(*seen.values()) == {"rasa1", "rasa2"}

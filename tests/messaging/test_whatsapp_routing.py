"""The load balancer keeps one WhatsApp conversation on one server.

HAProxy (deploy/haproxy.cfg, the shipped file) runs in front of two stand-in
servers that answer every request, so only the routing is under test: each
of Twilio's posts for one ``From`` must reach the same server, as a REST
message's ``sender`` does. Without the routing rule HAProxy has no
conversation to hash and spreads a conversation's messages over both.
"""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from harness.fake_twilio import whatsapp_message
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


def test_each_conversations_messages_reach_one_server(balancer):
    seen: dict[str, set[str]] = {}
    for turn in range(6):
        for number in range(12):
            phone = f"+45300000{number:02d}"
            form = whatsapp_message("AC" + "0" * 32, phone, f"besked {turn}")
            answer = requests.post(
                f"{balancer.url}/webhooks/twilio/webhook", data=form, timeout=10
            )
            assert answer.status_code == 200
            seen.setdefault(phone, set()).add(answer.headers["X-Served-By"])
    assert all(len(servers) == 1 for servers in seen.values()), seen
    # and the conversations are spread over both servers
    assert set().union(*seen.values()) == {"rasa1", "rasa2"}

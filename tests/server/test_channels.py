"""The socket.io and callback channels, with real clients on 127.0.0.1."""

import http.server
import json
import queue
import threading

import pytest
import requests
import socketio

from harness.servers import RasaServer, free_port


def _socketio_turn(url: str, session_id: str | None, message: str) -> tuple[dict, str]:
    """Connect, join the session, send one message: the first reply, the token."""
    client = socketio.Client(reconnection=False)
    confirmed: queue.Queue[str] = queue.Queue()
    replies: queue.Queue[dict] = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", replies.put)
    # long-polling: the websocket transport of this python-engineio client needs
    # a newer aiohttp than Rasa 3.6 allows; the server side is the same.
    client.connect(
        url, socketio_path="/socket.io", transports=["polling"], wait_timeout=10
    )
    try:
        client.emit("session_request", {"session_id": session_id})
        token = confirmed.get(timeout=10)
        client.emit("user_uttered", {"message": message, "session_id": token})
        return replies.get(timeout=30), token
    finally:
        client.disconnect()


def test_socketio_delivers_replies_and_keeps_the_session_across_reconnect(bot):
    first, token = _socketio_turn(bot.url, None, "Hvad er bækkenløsning?")
    assert first["text"].startswith("Bækkenløsning, eller bækkensmerter, er smerter")
    # a new connection (a reload, a dropped network) with the confirmed session id
    second, again = _socketio_turn(bot.url, token, "/faq/posture")
    assert again == token
    assert second["text"].startswith("Ifølge artiklen er det vigtigt")
    conversation = token.split(".")[1]  # the id inside the token
    said = [
        e["text"] for e in bot.tracker(conversation)["events"] if e["event"] == "user"
    ]
    assert said == ["Hvad er bækkenløsning?", "/faq/posture"]


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: "queue.Queue[dict]" = queue.Queue()

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", 0))
        self.received.put(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot", _Receiver.received
    server.shutdown()


def test_callback_channel_delivers_replies_to_the_receiver(
    tmp_path, action_server, receiver
):
    url, received = receiver
    bot = RasaServer(  # the shipped credentials.yml, its callback at CALLBACK_URL
        tmp_path,
        tmp_path / "callback.db",
        action_server.url,
        extra_env={"CALLBACK_URL": url},
    ).start()
    try:
        response = requests.post(
            f"{bot.url}/webhooks/callback/webhook",
            json={"sender": "cb-anna", "message": "Will the pain go away after birth?"},
            timeout=30,
        )
        assert response.status_code == 200
        reply = received.get(timeout=30)
        assert reply["recipient_id"] == "cb-anna"
        assert "most women find that the pain eases" in reply["text"]
        # a widget conversation only with its token: 403, nothing stored
        session = requests.post(f"{bot.url}/webhooks/widget/session", timeout=30)
        widget_id = session.json()["sender"]
        refused = requests.post(
            f"{bot.url}/webhooks/callback/webhook",
            json={"sender": widget_id, "message": "Will the pain go away after birth?"},
            timeout=30,
        )
        assert refused.status_code == 403 and "token" in refused.json()["error"]
        history = requests.get(
            f"{bot.url}/webhooks/widget/history",
            headers={"Authorization": f"Bearer {session.json()['token']}"},
            timeout=30,
        )
        assert history.json()["messages"] == []
    finally:
        bot.stop()

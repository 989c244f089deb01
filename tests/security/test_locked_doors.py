"""Locked doors: API, origins, action server, failures, stuck receivers, pickles.

Most run against one Rasa server started as `make run` starts it by default
(no HTTP API) except for the settings under test: one allowed foreign origin,
a callback receiver that never answers, and a fake action server that fails
in the way a test asks for.
"""

from __future__ import annotations

import http.server
import json
import tarfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from assistant.nlu.linear_model import LinearModel
from harness.servers import MODEL, RasaServer, free_port
from tests.pickles import is_pickle

APOLOGY_DA = "Undskyld, den del af mig virker ikke lige nu."
SHOP = "https://shop.example"
SECRET_WORDS = "Ingrid-Hemmelig-Bækkensmerte-4711"


class _FailingActions(http.server.BaseHTTPRequestHandler):
    """An action server answering every call the way ``mode`` says."""

    mode = "invalid response"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        said = body["tracker"]["latest_message"].get("text") or ""
        status, payload = {
            # events of the wrong shape, quoting her words (Rasa's error would)
            "invalid response": (200, {"events": [{"event": "slot", "value": said}]}),
            "400 not JSON": (400, "<html>Bad Request</html>"),
            "400 without action name": (400, {"error": said}),
            "500 page": (500, "<html>Internal Server Error</html>"),
            "not JSON": (200, "this is not json"),
            "unknown event": (200, {"events": [{"event": "teleport"}]}),
            "wrong type": (200, {"events": "all of them", "responses": 7}),
        }[self.mode]
        data = (
            payload.encode()
            if isinstance(payload, str)
            else json.dumps(payload).encode()
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class _NeverAnswers(http.server.BaseHTTPRequestHandler):
    """A callback receiver that takes the request and never answers (until told)."""

    release = threading.Event()
    received = 0

    def do_POST(self):  # noqa: N802
        type(self).received += 1
        self.release.wait(timeout=600)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def _serve(handler) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def locked(tmp_path_factory) -> Iterator[RasaServer]:
    work = tmp_path_factory.mktemp("locked")
    actions = _serve(_FailingActions)
    receiver = _serve(_NeverAnswers)
    bot = RasaServer(  # the shipped credentials.yml, its callback at CALLBACK_URL
        work,
        work / "locked.db",
        f"http://127.0.0.1:{actions.server_address[1]}",
        enable_api=False,  # the default of `make run`
        extra_env={
            "ALLOWED_ORIGINS": SHOP,
            "CALLBACK_URL": f"http://127.0.0.1:{receiver.server_address[1]}/bot",
        },
    ).start()
    try:
        yield bot
    finally:
        _NeverAnswers.release.set()  # let the stuck callbacks end before stopping
        bot.stop()
        actions.shutdown()
        receiver.shutdown()


def test_the_http_api_is_off_by_default(locked):
    for method, path in (
        ("GET", "/conversations/anna/tracker"),
        ("POST", "/conversations/anna/tracker/events"),
        ("PUT", "/model"),
        ("POST", "/model/parse"),
        ("GET", "/status"),
    ):
        response = requests.request(
            method,
            f"{locked.url}{path}",
            json={"model_server": {"url": "x"}},
            timeout=30,
        )
        assert response.status_code in (404, 405), (path, response.status_code)


def test_the_http_api_when_on_refuses_requests_without_the_token(bot):
    for method, path, body in (
        ("GET", "/conversations/anna/tracker", None),
        ("POST", "/conversations/anna/tracker/events", {"event": "restart"}),
        ("PUT", "/model", {"model_server": {"url": "http://127.0.0.1:9/model.tar.gz"}}),
        ("POST", "/model/parse", {"text": "hej"}),
    ):
        for token in (None, "wrong-token"):
            response = requests.request(
                method,
                f"{bot.url}{path}",
                params={"token": token} if token else None,
                json=body,
                timeout=30,
            )
            assert response.status_code == 401, (path, token, response.status_code)
    assert requests.post(
        f"{bot.url}/model/parse",
        params={"token": bot.auth_token},
        json={"text": "hej"},
        timeout=30,
    ).ok


def test_the_api_token_is_on_no_command_line(bot):
    # what `ps` shows: the arguments the server was started with
    assert bot.process is not None
    command_line = Path(f"/proc/{bot.process.pid}/cmdline").read_bytes().split(b"\0")
    assert bot.auth_token.encode() not in b" ".join(command_line)
    assert b"--auth-token" not in command_line
    assert b"assistant.server.launch" in command_line  # the server itself
    # and yet the API is on, behind that token
    assert requests.get(
        f"{bot.url}/status", params={"token": bot.auth_token}, timeout=30
    ).ok


def test_only_the_configured_origin_gets_cors_approval(locked):
    def approval(origin: str) -> tuple[str | None, str | None]:
        response = requests.options(
            f"{locked.url}/webhooks/rest/webhook",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
            timeout=30,
        )
        return (
            response.headers.get("Access-Control-Allow-Origin"),
            response.headers.get("Access-Control-Allow-Credentials"),
        )

    assert approval(SHOP)[0] == SHOP
    for foreign in ("http://evil.example", "https://shop.example.evil", "null"):
        assert approval(foreign) == (None, None)


@pytest.mark.parametrize(
    "mode",
    [
        "invalid response",
        "400 not JSON",
        "400 without action name",
        "500 page",
        "not JSON",
        "unknown event",
        "wrong type",
    ],
)
def test_every_custom_action_failure_gets_the_fallback_reply(locked, mode):
    _FailingActions.mode = mode
    sender = f"failing-{mode.replace(' ', '-')}"
    started = time.monotonic()
    texts = [r.get("text", "") for r in locked.send(sender, "Hvem skal jeg kontakte?")]
    assert any(text.startswith(APOLOGY_DA) for text in texts), (mode, texts)
    assert time.monotonic() - started < 10
    # and the conversation goes on: FAQ answers need no action server
    [answer] = locked.texts(sender, "Hvad er bækkenløsning?")
    assert answer.startswith("Bækkenløsning, eller bækkensmerter")


def test_a_failing_action_does_not_put_her_words_in_the_log(locked):
    _FailingActions.mode = "invalid response"  # Rasa's error text quotes the response
    locked.send("log-check", f"Hvem skal jeg kontakte? {SECRET_WORDS}")
    log = locked.log.read_text(encoding="utf-8", errors="replace")
    assert "Custom action" in log  # the failure is logged ...
    assert SECRET_WORDS not in log  # ... without what she wrote


def test_stuck_callback_receivers_do_not_stall_other_conversations(locked):
    # more stuck receivers than messages admitted at once (2)
    before = _NeverAnswers.received

    def callback(index: int) -> None:
        try:
            requests.post(
                f"{locked.url}/webhooks/callback/webhook",
                json={"sender": f"stuck-{index}", "message": "Hvad er bækkenløsning?"},
                timeout=20,
            )
        except requests.RequestException:
            pass  # it waits for its own receiver; that is fine

    with ThreadPoolExecutor(3) as pool:
        for index in range(3):
            pool.submit(callback, index)
        deadline = time.monotonic() + 30
        while _NeverAnswers.received < before + 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _NeverAnswers.received >= before + 3  # all three are stuck now
        started = time.monotonic()
        [answer] = locked.texts("not-stuck", "Will it come back in my next pregnancy?")
        elapsed = time.monotonic() - started
        assert elapsed < 3, f"REST waited {elapsed:.1f} s behind stuck callbacks"
        assert answer.startswith("According to the article")
        _NeverAnswers.release.set()


def test_the_action_server_only_takes_calls_with_the_shared_secret(action_server):
    call = {
        "next_action": "action_suggest_topics",
        "tracker": {"sender_id": "x", "slots": {}, "latest_message": {"text": "hi"}},
        "domain": {},
    }
    for headers in ({}, {"X-Action-Secret": "wrong"}):
        response = requests.post(
            f"{action_server.url}/webhook", json=call, headers=headers, timeout=30
        )
        assert response.status_code == 403
    # "/webhook/" and "/actions/" are refused whatever the header
    # (tests/security/test_exact_paths.py)
    response = requests.get(f"{action_server.url}/actions", timeout=30)
    assert response.status_code == 403
    right = {"X-Action-Secret": action_server.secret}
    response = requests.post(
        f"{action_server.url}/webhook", json=call, headers=right, timeout=30
    )
    assert response.status_code == 200 and response.json()["responses"]


def test_the_action_server_listens_on_loopback_only(action_server):
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    port = f"{action_server.port:04X}"
    addresses = {
        line.split()[1].split(":")[0]
        for line in listening
        if line.split()[1].endswith(":" + port) and line.split()[3] == "0A"
    }
    assert addresses == {"0100007F"}  # 127.0.0.1, not 0.0.0.0


def test_the_trained_model_holds_no_pickle_and_loads(tmp_path):
    with tarfile.open(MODEL) as archive:
        archive.extractall(tmp_path)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files
    pickles = [str(p.relative_to(tmp_path)) for p in files if is_pickle(p.read_bytes())]
    assert pickles == []
    [classifier] = [p for p in tmp_path.rglob("linear_model.json")]
    model = LinearModel.load(classifier.parent)
    assert "faq/recurrence" in model.labels

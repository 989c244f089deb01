"""When the action server is down or slow, every message still gets a reply."""

import http.server
import threading
import time

import pytest

from harness.servers import ActionServer, RasaServer, free_port

APOLOGY_DA = "Undskyld, den del af mig virker ikke lige nu."
APOLOGY_EN = "Sorry, that part of me isn't working right now."


def _texts(replies):
    return [reply.get("text", "") for reply in replies]


def test_stopping_the_action_server_mid_check_still_gets_replies(tmp_path):
    actions = ActionServer(tmp_path).start()
    bot = RasaServer(tmp_path, tmp_path / "down.db", actions.url).start()
    try:
        first = _texts(bot.send("anna", "Hvem skal jeg kontakte?"))
        assert first[-1] == (
            "Er du gravid, har du født, eller planlægger du at blive gravid?"
        )

        actions.stop()
        started = time.monotonic()
        replies = _texts(bot.send("anna", "gravid"))
        assert time.monotonic() - started < 10
        assert len(replies) == 2 and replies[0].startswith(APOLOGY_DA)
        assert "fødegangen" in replies[0] and "Ring 112 nu" in replies[0]
        assert "70 15 03 00" in replies[0]  # lægevagten in all five regions
        assert replies[1].startswith("Disse tegn skal altid vurderes")
        assert bot.tracker("anna")["active_loop"].get("name") is None

        # FAQ answers need no action server and go on working
        [answer] = _texts(bot.send("anna", "Hvad er bækkenløsning?"))
        assert answer.startswith("Bækkenløsning, eller bækkensmerter, er smerter")
        # and a new referral question gets the general advice, not silence
        again = _texts(bot.send("anna", "Who should I contact?"))
        assert again[-2].startswith(APOLOGY_EN)
    finally:
        bot.stop()
        actions.stop()


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        time.sleep(20)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"events": [], "responses": []}')

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_action_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _SlowHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_slow_action_server_gets_the_apology_within_seconds(
    tmp_path, slow_action_server
):
    bot = RasaServer(tmp_path, tmp_path / "slow.db", slow_action_server).start()
    try:
        started = time.monotonic()
        replies = _texts(bot.send("ben", "Who should I contact about my pelvic pain?"))
        elapsed = time.monotonic() - started
        assert elapsed < 10, f"took {elapsed:.1f} s"
        assert replies[-2].startswith(APOLOGY_EN)
        assert "doctor, midwife or a physiotherapist" in replies[-2]
    finally:
        bot.stop()


def test_a_slow_action_server_does_not_hold_up_other_conversations(
    tmp_path, slow_action_server
):
    # one message at a time: the waiting one must give its place up
    bot = RasaServer(
        tmp_path,
        tmp_path / "slow.db",
        slow_action_server,
        extra_env={"MAX_CONCURRENT_MESSAGES": "1"},
    ).start()
    waiting: dict = {}

    def ask_whom_to_contact():
        waiting["replies"] = _texts(bot.send("cara", "Who should I contact?"))

    try:
        referral = threading.Thread(target=ask_whom_to_contact)
        referral.start()
        time.sleep(1.0)  # her referral check now waits on the action server
        started = time.monotonic()
        [answer] = _texts(bot.send("dina", "Will it come back in my next pregnancy?"))
        elapsed = time.monotonic() - started
        referral.join(timeout=30)
        assert elapsed < 2, f"the FAQ answer waited {elapsed:.1f} s"
        assert answer.startswith(
            "According to the article, there is some evidence that pelvic pain"
        )
        assert waiting["replies"][-2].startswith(APOLOGY_EN)
    finally:
        bot.stop()

"""Every error path forced on a real server: no text and no sender id in any log.

The bot runs as deployed (PostgreSQL and Redis from Debian's packages on
127.0.0.1, the project's action server behind a stub that can stall or
answer nonsense). Each failure is forced while a phone-number conversation
sends a message with a marker in it: the database refusing the INSERT, the
database down, Redis down, the action server too slow, the action server
answering a bad response, the client giving up while the action server is
slow. Then every log the Rasa server and the action
server wrote, and PostgreSQL's own log (started with the settings of
deploy/postgres-entrypoint.sh), is searched for the marker and the sender id.
The failures are logged under the conversation's keyed reference, which
``make log-reference SENDER=<id>`` prints with the server's secret.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from harness.servers import ActionServer, RasaServer, free_port
from harness.services import Postgres, Redis, postgres_binaries
from tests.operator import make

SENDER = "+4587654321"
WORDS = "Ingrid-Zyxwv-ondt-i-venstre-hofte"
APOLOGY = "Undskyld, den del af mig virker ikke lige nu."
REFERRAL = ["Hvem skal jeg kontakte?", "gravid", "nej", "uge 30"]


class ActionStub:
    """Between the bot and the action server: passes calls on, or fails them."""

    def __init__(self, action_server: ActionServer) -> None:
        self.mode = "pass"
        self.calls = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.calls += 1
                if stub.mode == "slow":
                    time.sleep(3)
                if stub.mode == "bad":
                    # nonsense quoting her: a logged validation error would show it
                    status, answer = 200, json.dumps({"events": f"{WORDS} {SENDER}"})
                else:
                    headers = {
                        key: value
                        for key, value in self.headers.items()
                        if key.lower() not in ("host", "content-length")
                    }
                    passed = requests.post(
                        f"{action_server.url}{self.path}",
                        data=body,
                        headers=headers,
                        timeout=30,
                    )
                    status, answer = passed.status_code, passed.text
                payload = answer.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot stopped waiting

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[dict]:
    try:
        postgres_binaries()
    except Exception as error:  # noqa: BLE001 (the reason is shown)
        pytest.skip(f"PostgreSQL (Debian's package) is not installed: {error}")
    if not Path("/usr/bin/redis-server").exists():
        pytest.skip("Redis (Debian's redis-server package) is not installed")
    postgres = Postgres().start()
    redis_server = Redis(tmp_path_factory.mktemp("redis")).start()
    actions = ActionServer(tmp_path_factory.mktemp("actions"), secret="s" * 32).start()
    stub = ActionStub(actions)
    workdir = tmp_path_factory.mktemp("rasa")
    bot = RasaServer(
        workdir,
        workdir / "unused.db",
        stub.url,
        action_secret=actions.secret,
        extra_env={
            **postgres.environment(),
            **redis_server.environment(),
            "ACTION_SERVER_TIMEOUT_SECONDS": "1",
        },
    )
    try:
        bot.start()
        yield {
            "postgres": postgres,
            "redis": redis_server,
            "actions": actions,
            "stub": stub,
            "bot": bot,
        }
    finally:
        bot.stop()
        stub.stop()
        actions.stop()
        redis_server.stop()
        postgres.remove()


def _post(bot: RasaServer, message: str) -> requests.Response:
    return requests.post(
        f"{bot.url}/webhooks/rest/webhook",
        json={"sender": SENDER, "message": f"{message} {WORDS}"},
        timeout=60,
    )


def _sql(postgres: Postgres, statement: str) -> None:
    """A statement as the superuser, in the bot's database."""
    subprocess.run(
        postgres._as_postgres
        + [str(postgres_binaries() / "psql"), "-h", str(postgres.folder)]
        + ["-p", str(postgres.port), "-U", "postgres", "-d", postgres.database]
        + ["-v", "ON_ERROR_STOP=1", "-q", "-c", statement],
        check=True,
        capture_output=True,
        timeout=30,
    )


def _referral(bot: RasaServer) -> list[str]:
    """The referral check's questions answered; the texts of every reply."""
    replies: list[str] = []
    for message in REFERRAL:
        response = _post(bot, message)
        assert response.status_code == 200, response.text
        replies += [reply.get("text", "") for reply in response.json()]
    return replies


def _logs(deployment: dict) -> dict[str, str]:
    bot, actions = deployment["bot"], deployment["actions"]
    postgres_log = deployment["postgres"].folder / "postgres.log"
    files = [bot.log, actions.workdir / f"actions-{actions.port}.log", postgres_log]
    files += sorted(bot.workdir.glob("*.log")) + sorted(actions.workdir.glob("*.log"))
    return {
        str(path): path.read_text(encoding="utf-8", errors="replace")
        for path in dict.fromkeys(files)
    }


def test_forcing_each_error_path_leaves_no_text_and_no_sender_in_any_log(
    deployment,
):
    bot, stub = deployment["bot"], deployment["stub"]
    postgres, redis_server = deployment["postgres"], deployment["redis"]
    assert _post(bot, "Hej").status_code == 200  # the conversation exists

    # 1. the database refuses the INSERT (the statement carries her message)
    _sql(
        postgres,
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
    )
    _sql(
        postgres,
        "CREATE TRIGGER refuse BEFORE INSERT ON events "
        "FOR EACH ROW EXECUTE FUNCTION refuse()",
    )
    try:
        assert _post(bot, "Gør det ondt?").status_code == 503
    finally:
        _sql(postgres, "DROP TRIGGER refuse ON events")
    # 2. the database down
    postgres.stop()
    try:
        assert _post(bot, "Er det farligt?").status_code == 503
    finally:
        postgres.restart()
    # 3. the lock store (Redis) down
    redis_server.stop()
    try:
        assert _post(bot, "Hvad kan jeg gøre?").status_code == 503
    finally:
        redis_server.start()
    # 4. the action server too slow, 5. answering nonsense: the apology
    for mode in ("slow", "bad"):
        stub.mode, calls = mode, stub.calls
        replies = _referral(bot)
        assert stub.calls > calls, f"no custom action was called ({mode})"
        assert any(APOLOGY in text for text in replies), replies
    # 6. she gives up while the action server is slow: Rasa's REST channel
    # logs a cancelled message with text=... (the project's wrapper ends it)
    stub.mode = "slow"
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(
            f"{bot.url}/webhooks/rest/webhook",
            json={"sender": SENDER, "message": f"{REFERRAL[0]} {WORDS}"},
            timeout=0.5,
        )
    time.sleep(4)  # the stalled call ends
    stub.mode = "pass"

    logs = _logs(deployment)
    rasa_log = logs[str(bot.log)]
    assert "Rasa server is up and running" in rasa_log  # the right log
    postgres_log = logs[str(postgres.folder / "postgres.log")]
    assert "disk full" in postgres_log  # the refused INSERT was logged, without it
    assert rasa_log.count("a shared service failed") >= 3  # each failure logged
    assert "TimeoutError" in rasa_log and "ValidationError" in rasa_log
    leaks = {
        path: [marker for marker in (WORDS, SENDER, SENDER[1:]) if marker in text]
        for path, text in logs.items()
    }
    assert {path: found for path, found in leaks.items() if found} == {}
    # the operator finds her failures by the id she gives
    printed = make(
        "log-reference",
        f"SENDER={SENDER}",
        WIDGET_SECRET_FILE=str(bot.workdir / "widget-secret"),
    )
    assert printed.returncode == 0, printed.stderr
    reference = printed.stdout.strip()
    assert reference.startswith("c-") and len(reference) == 14, printed.stdout
    failures = [line for line in rasa_log.splitlines() if "service failed" in line]
    assert failures and all(reference in line for line in failures), failures


def test_the_deployed_postgresql_logs_failed_statements_as_the_tested_one():
    root = Path(__file__).resolve().parents[2]
    entrypoint = (root / "deploy" / "postgres-entrypoint.sh").read_text()
    harness = (root / "harness" / "services.py").read_text()
    for setting in ("log_min_error_statement=panic", "log_error_verbosity=terse"):
        assert setting in entrypoint and setting in harness

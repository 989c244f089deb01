"""Only she reads her conversation, she can delete it, and old ones go.

Against the session's real Rasa server (tests/conftest.py), reading its
SQLite database afterwards.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import time
from datetime import datetime

import requests

from assistant.stores.retention_schedule import (
    AGENT_POLL_SECONDS,
    FIRST_PURGE_AFTER_SECONDS,
)
from harness.servers import ROOT
from tests.operator import make, make_command
from tests.security.helpers import (
    bearer,
    history,
    new_widget_conversation,
    stored_events,
)

FOREIGN_ORIGIN = "http://evil.example"


def test_her_history_needs_her_token(bot):
    sender, token = new_widget_conversation(bot)
    bot.send(sender, "Kommer bækkenløsning igen ved næste graviditet?", token=token)
    mine = history(bot, token)
    assert mine.status_code == 200
    [said] = [m["text"] for m in mine.json()["messages"] if m["from"] == "user"]
    assert said == "Kommer bækkenløsning igen ved næste graviditet?"

    # the old way, by id alone, and every way without her token: 403, no data
    for response in (
        history(bot, None, sender=sender),
        history(bot, None),
        history(bot, "v1." + sender + ".forged-signature"),
        history(bot, token[:-2] + "xx"),
    ):
        assert response.status_code == 403
        assert "graviditet" not in response.text
        assert "messages" not in response.json()


def test_another_senders_id_is_never_readable_through_the_widget(bot, sender):
    bot.send(sender, "I have pain in my pelvis at night, week 30")  # REST channel
    _, my_token = new_widget_conversation(bot)
    for response in (
        history(bot, None, sender=sender),  # her id, no token
        history(bot, my_token, sender=sender),  # my token, her id
        history(bot, "v1." + sender + ".AAAA"),  # her id in a made-up token
    ):
        assert response.status_code == 403, response.text
        assert "pelvis" not in response.text
    # my own history holds nothing of hers
    assert history(bot, my_token).json()["messages"] == []


def test_a_foreign_web_page_gets_no_cors_approval(bot):
    _, token = new_widget_conversation(bot)
    for path in ("/webhooks/widget/history", "/webhooks/rest/webhook"):
        preflight = requests.options(
            f"{bot.url}{path}",
            headers={
                "Origin": FOREIGN_ORIGIN,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
            timeout=30,
        )
        assert "Access-Control-Allow-Origin" not in preflight.headers
        assert "Access-Control-Allow-Credentials" not in preflight.headers
    response = requests.get(
        f"{bot.url}/webhooks/widget/history",
        headers={**bearer(token), "Origin": FOREIGN_ORIGIN},
        timeout=30,
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers
    # the server's own pages (the demo page) may
    own = requests.get(
        f"{bot.url}/webhooks/widget/history",
        headers={**bearer(token), "Origin": bot.url},
        timeout=30,
    )
    assert own.headers.get("Access-Control-Allow-Origin") == bot.url


def test_she_deletes_her_conversation_and_nothing_is_left(bot):
    sender, token = new_widget_conversation(bot)
    other, other_token = new_widget_conversation(bot)
    bot.send(sender, "Hvem skal jeg kontakte?", token=token)  # slots, a form
    bot.send(sender, "nej", token=token)
    bot.send(other, "Hvad er bækkenløsning?", token=other_token)
    assert stored_events(bot.database, sender)

    refused = requests.delete(f"{bot.url}/webhooks/widget/conversation", timeout=30)
    assert refused.status_code == 403
    assert stored_events(bot.database, sender)

    deleted = requests.delete(
        f"{bot.url}/webhooks/widget/conversation", headers=bearer(token), timeout=30
    )
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    assert deleted.json()["deleted_events"] > 5
    assert stored_events(bot.database, sender) == []
    assert history(bot, token).json()["messages"] == []
    assert stored_events(bot.database, other)  # hers only
    # the server forgot it too: a new message starts afresh, nothing comes back
    bot.send(sender, "hej", token=token)
    said = [m["text"] for m in history(bot, token).json()["messages"]]
    assert "Hvem skal jeg kontakte?" not in said and said[0] == "hej"


def _retention_command(bot, target: str, *arguments: str, server: str | None = None):
    """``make forget`` / ``make purge`` on the shipped endpoints.yml, as run."""
    done = make(
        target,
        *arguments,
        DB_NAME=str(bot.database),
        RASA_URL=server or bot.url,
        OPERATOR_TOKEN_FILE=str(bot.workdir / "operator-token"),
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done


def test_make_forget_deletes_any_conversation_running_or_not(bot, sender):
    bot.send(sender, "Is it dangerous for the baby?")
    other = sender + "-offline"
    bot.send(other, "Is it dangerous for the baby?")

    rows = len(stored_events(bot.database, sender))
    done = _retention_command(bot, "forget", f"SENDER={sender}")  # asks the server
    assert done.stdout == f"Deleted {rows} events of that conversation.\n"
    assert stored_events(bot.database, sender) == []
    remembered = bot.tracker(sender)["events"]  # not in the server's memory either
    assert not [e for e in remembered if e["event"] in ("user", "bot")]

    # no server answering: straight to the database. The port stays bound (not
    # listening) meanwhile, so nothing else on the machine can take it between
    # choosing and asking (a free port chosen and let go can be)
    with socket.socket() as nobody:
        nobody.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{nobody.getsockname()[1]}"
        rows = len(stored_events(bot.database, other))
        offline = _retention_command(bot, "forget", f"SENDER={other}", server=closed)
    assert offline.stdout == f"Deleted {rows} events of that conversation.\n"
    assert stored_events(bot.database, other) == []


def test_an_operator_command_after_new_requirements_does_not_reinstall_first():
    # requirements.txt newer than the install stamp (a fresh checkout or
    # worktree, a pull that changed it): make reinstalled before `forget`, and
    # pip's warning on stderr failed the first `make forget` of such a run;
    # -W: as if requirements.txt had just changed, -n: shown, not run
    planned = subprocess.run(
        make_command("forget", "SENDER=x") + ["-n", "-W", "requirements.txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "-m assistant.stores.retention forget" in planned.stdout, planned
    assert "pip install" not in planned.stdout


def _after_the_servers_own_first_purge(bot) -> None:
    """Wait, in a server's first seconds only, until its own first purge has run.

    The server purges ``FIRST_PURGE_AFTER_SECONDS`` after it comes up: a
    conversation aged just before that was deleted by the server, and
    ``make purge`` then said "Deleted 0" (this file run first in a session).
    """
    log = bot.log.read_text(encoding="utf-8", errors="replace").splitlines()
    up_lines = [line for line in log if "Rasa server is up and running" in line]
    up = time.time()
    if up_lines:  # "2026-12-03 17:56:29 INFO ...", whole seconds
        up = datetime.strptime(up_lines[0][:19], "%Y-%m-%d %H:%M:%S").timestamp() + 1
    done = up + FIRST_PURGE_AFTER_SECONDS + AGENT_POLL_SECONDS + 1
    time.sleep(max(0.0, done - time.time()))


def test_make_purge_deletes_conversations_older_than_the_retention(bot, sender):
    _after_the_servers_own_first_purge(bot)
    old, recent = sender + "-old", sender + "-recent"
    bot.send(old, "Hvad er bækkenløsning?")
    bot.send(recent, "Hvad er bækkenløsning?")
    forty_days = 40 * 86_400
    with sqlite3.connect(bot.database) as connection:
        connection.execute(
            "UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?",
            (forty_days, old),
        )
    done = _retention_command(bot, "purge")  # RETENTION_DAYS unset: 30 days
    assert done.stdout == "Deleted 1 conversations with nothing new for 30 days.\n"
    assert stored_events(bot.database, old) == []
    assert stored_events(bot.database, recent)
    # the running server forgot it as well: its next message starts afresh
    bot.send(old, "hej")
    said = [e["text"] for e in bot.tracker(old)["events"] if e["event"] == "user"]
    assert said == ["hej"]


def test_operator_routes_need_the_operator_token_from_this_machine(bot, sender):
    bot.send(sender, "hej")
    _, token = new_widget_conversation(bot)
    widget_secret = (bot.workdir / "widget-secret").read_text().strip()
    operator_token = (bot.workdir / "operator-token").read_text().strip()
    assert operator_token != widget_secret
    url = f"{bot.url}/webhooks/widget/operator/forget"
    for headers in (
        {},
        bearer("wrong"),
        bearer(token),
        bearer(widget_secret),  # the signing key is no operator credential
        {**bearer(operator_token), "X-Forwarded-For": "203.0.113.7"},  # via a proxy
        {**bearer(operator_token), "Forwarded": "for=203.0.113.7"},
    ):
        response = requests.post(
            url, json={"sender": sender}, headers=headers, timeout=30
        )
        assert response.status_code == 403, headers
        assert "OPERATOR_TOKEN" in response.json()["error"]
    # the operator, with a body that is no request: 400, saying what is wrong
    for body, says in ((b"{sender", "must be JSON"), (b"[1]", "a JSON object")):
        response = requests.post(
            url, data=body, headers=bearer(operator_token), timeout=30
        )
        assert response.status_code == 400, body
        assert says in response.json()["error"]
    assert stored_events(bot.database, sender)
    done = requests.post(
        url, json={"sender": sender}, headers=bearer(operator_token), timeout=30
    )
    assert done.status_code == 200 and done.json()["deleted_events"] > 0
    assert stored_events(bot.database, sender) == []

"""Floods through HAProxy (the rate-limit contract) and a burst at one Rasa server.

The contract of the rate limits in deploy/haproxy.cfg: the client is the last
X-Forwarded-For address, else the source; more than 100 requests in 10 s from
one client get 429; more than 20 in 10 s naming one conversation get 429; more
than 20 ``POST /webhooks/widget/session`` a minute from one client get 429;
every 429 has a JSON ``{"error": ...}`` body and ``Retry-After``. Each flood
has addresses of its own (198.51.100.x), so it throttles nobody else.

The admission queue (``assistant/server/admission.py``): a burst far above
``MAX_QUEUED_MESSAGES`` (100) straight at one server gets 503 with
``Retry-After`` for the surplus, 200 for the rest (no more than the places
and the queue hold, 102), nothing else, and nothing of a refused message is
stored.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import http.client
import json
import os
import secrets
import signal
import subprocess
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import requests

from assistant.config.server_settings import (
    DEFAULT_CONCURRENT_MESSAGES,
    DEFAULT_QUEUED_MESSAGES,
)
from tests.attack.conftest import Deployment
from tests.attack.corpus import HAPROXY, SERVER, Case, Outcome, bearer

Request = tuple[str, str, dict[str, str], Any]  # method, path, headers, JSON body
PER_CLIENT, PER_CONVERSATION, SESSIONS_PER_MINUTE = 100, 20, 20
# requests past a limit in each flood: HAProxy holds each refusal a second
# (timeout tarpit), and a few show the limit holds as well as many would
SURPLUS = 5


def _flood_address(n: int) -> str:
    return f"198.51.100.{n}"


def _tally(statuses: list[int]) -> str:
    counts = collections.Counter(statuses)
    return ", ".join(f"{status}×{count}" for status, count in sorted(counts.items()))


def _is_good_429(response: requests.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return (
        isinstance(body, dict)
        and bool(body.get("error"))
        and bool(response.headers.get("Retry-After"))
    )


def _flood(
    deployment: Deployment,
    requests_to_send: list[Request],
    limit: int,
) -> Outcome:
    """Send them one after another (as fast as one client can); judge the 429s."""
    statuses: list[int] = []
    bad_429 = 0
    with requests.Session() as http:
        for method, path, headers, body in requests_to_send:
            try:
                answer = http.request(
                    method, f"{deployment.lb}{path}", headers=headers, json=body,
                    timeout=30,
                )  # fmt: skip
            except requests.RequestException:
                statuses.append(0)
                continue
            statuses.append(answer.status_code)
            if answer.status_code == 429 and not _is_good_429(answer):
                bad_429 += 1
    throttled = statuses.count(429)
    got = _tally(statuses)
    if throttled and not bad_429 and all(s != 429 for s in statuses[:limit]):
        verdict = "429 for the surplus"
    elif throttled and bad_429:
        verdict = "429 without JSON error or Retry-After"
    elif throttled:
        verdict = "429 before the limit"
    else:
        verdict = "never throttled"
    five = sum(1 for s in statuses if s >= 500)
    return Outcome(verdict, 503 if five else None, detail=got)


def flood_cases(deployment: Deployment) -> list[Case]:
    socket_victim = deployment.victim("socket.io")
    widget = deployment.victim("widget")
    forged = bearer(f"v1.{socket_victim.sender}.AAAA")
    own = f"flood-{secrets.token_hex(4)}"
    clients, conversations = PER_CLIENT + SURPLUS, PER_CONVERSATION + SURPLUS
    sessions = SESSIONS_PER_MINUTE + SURPLUS
    plans: list[tuple[str, int, Callable[[], list[Request]]]] = [
        (f"{clients} GET /webhooks/rest/ from one client "
         f"(limit {PER_CLIENT}/10 s)", PER_CLIENT,
         lambda: [("GET", "/webhooks/rest/", {"X-Forwarded-For": _flood_address(1)},
                   None)] * clients),
        (f"{clients} GET /webhooks/rest/, first X-Forwarded-For entries varied, "
         "last fixed", PER_CLIENT,
         lambda: [("GET", "/webhooks/rest/",
                   {"X-Forwarded-For": f"10.0.0.{n}, {_flood_address(2)}"},
                   None) for n in range(clients)]),
        (f"{clients} malformed REST messages from one client", PER_CLIENT,
         lambda: [("POST", "/webhooks/rest/webhook",
                   {"X-Forwarded-For": _flood_address(3)},
                   {"message": "no sender"})] * clients),
        (f"{conversations} forged history calls naming one conversation, "
         f"{conversations} clients (limit {PER_CONVERSATION}/10 s)",
         PER_CONVERSATION,
         lambda: [("GET", "/webhooks/widget/history",
                   {**forged, "X-Forwarded-For": _flood_address(10 + n)}, None)
                  for n in range(conversations)]),
        (f"{conversations} tokenless messages to the widget victim from one "
         "client", PER_CONVERSATION,
         lambda: [("POST", "/webhooks/rest/webhook",
                   {"X-Forwarded-For": _flood_address(4)},
                   {"sender": widget.sender, "message": "hi"})] * conversations),
        (f"{conversations} messages to one REST conversation of its own, "
         f"{conversations} clients", PER_CONVERSATION,
         lambda: [("POST", "/webhooks/rest/webhook",
                   {"X-Forwarded-For": _flood_address(50 + n)},
                   {"sender": own, "message": "hej"}) for n in range(conversations)]),
        (f"{sessions} POST /webhooks/widget/session from one client "
         f"(limit {SESSIONS_PER_MINUTE}/min)", SESSIONS_PER_MINUTE,
         lambda: [("POST", "/webhooks/widget/session",
                   {"X-Forwarded-For": _flood_address(5)}, None)] * sessions),
        (f"{sessions} POST /webhooks/widget/session, first X-Forwarded-For "
         "entries varied", SESSIONS_PER_MINUTE,
         lambda: [("POST", "/webhooks/widget/session",
                   {"X-Forwarded-For": f"10.1.0.{n}, {_flood_address(6)}"}, None)
                  for n in range(sessions)]),
    ]  # fmt: skip
    return [
        Case(
            "floods", HAPROXY, label, frozenset({"429 for the surplus"}),
            functools.partial(_flood, deployment, make(), limit),
        )
        for label, limit, make in plans
    ]  # fmt: skip


# --- the admission queue -------------------------------------------------------

BURST = 3 * DEFAULT_QUEUED_MESSAGES
# the messages a server takes of a burst that reaches it at once: those that
# find a place and those that may wait for one
TAKEN = DEFAULT_CONCURRENT_MESSAGES + DEFAULT_QUEUED_MESSAGES


@contextlib.contextmanager
def _paused(process: subprocess.Popen) -> Iterator[None]:
    """The process stopped (SIGSTOP) for the block, and let go on after it."""
    os.kill(process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(process.pid, signal.SIGCONT)


def _burst(
    url: str, process: subprocess.Popen, senders: list[str]
) -> list[tuple[str, int, bool]]:
    """Every message on a connection of its own, all there before any is read.

    "At once" means as close to one turn of the server's event loop as it
    can read them, whatever the speed of the server and of this client:
    each connection is opened and asked a GET first, one after another, so
    the server has taken every one (none waits in the listen backlog, which
    holds 100); then every message is written while the server process is
    stopped, and when it goes on it finds all of them waiting. Sent by
    aiohttp as each connection opened, the messages came in over as long as
    the connections took, and a server fast enough answered them as they
    came: CI saw no 503 of 300, and this machine 0 to 175 in six runs.
    """
    address = urllib.parse.urlsplit(url)
    connections = [
        http.client.HTTPConnection(address.hostname or "", address.port, timeout=180)
        for _ in senders
    ]
    sent: list[bool] = []
    answers: list[tuple[str, int, bool]] = []
    try:
        for connection in connections:  # each one taken and waiting for a message
            connection.request("GET", "/webhooks/rest/")
            connection.getresponse().read()
        with _paused(process):
            for connection, sender in zip(connections, senders, strict=True):
                body = json.dumps({"sender": sender, "message": "hej"})
                try:
                    connection.request(
                        "POST", "/webhooks/rest/webhook", body=body,
                        headers={"Content-Type": "application/json"},
                    )  # fmt: skip
                    sent.append(True)
                except OSError:
                    sent.append(False)
        outgoing = zip(connections, senders, sent, strict=True)
        for connection, sender, was_sent in outgoing:
            answers.append((sender, 0, False))
            if not was_sent:
                continue
            try:
                answer = connection.getresponse()
                answer.read()
            except (OSError, http.client.HTTPException):
                continue
            retry = answer.getheader("Retry-After") is not None
            answers[-1] = (sender, answer.status, retry)
    finally:
        for connection in connections:
            connection.close()
    return answers


def admission_case(deployment: Deployment) -> Case:
    def send() -> Outcome:
        senders = [f"burst-{secrets.token_hex(4)}-{n}" for n in range(BURST)]
        server = deployment.cluster.rasa[0]
        assert server.process is not None
        answers = _burst(server.url, server.process, senders)
        statuses = [status for _, status, _ in answers]
        refused = [s for s, status, _ in answers if status == 503]
        without_retry = sum(1 for _, status, r in answers if status == 503 and not r)
        stored = deployment.count(refused)
        others = [s for s in statuses if s not in (200, 503)]
        if others:
            verdict = f"other statuses: {_tally(others)}"
        elif not refused:
            verdict = "no 503: every message queued"
        elif statuses.count(200) > TAKEN:
            verdict = f"more than {TAKEN} taken"
        elif without_retry:
            verdict = "503 without Retry-After"
        elif stored:
            verdict = f"{stored} rows stored of refused messages"
        else:
            verdict = "503 with Retry-After for the surplus, nothing of it stored"
        five = 503 if any(s >= 500 and s != 503 for s in statuses) else None
        return Outcome(verdict, five, detail=_tally(statuses))

    return Case(
        "admission queue", SERVER,
        f"{BURST} messages at once, each its own conversation "
        f"(queue bound {DEFAULT_QUEUED_MESSAGES})",
        frozenset({"503 with Retry-After for the surplus, nothing of it stored"}),
        send,
    )  # fmt: skip

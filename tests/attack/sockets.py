"""Socket.io attacks: session requests for other conversations, and malformed frames.

Protocol-level cases use python-socketio's client (long-polling, as the
security tests do), one connection per target for the session requests; the
engine.io frames are posted raw to a polling session, so nothing on the
client side cleans them up.
"""

from __future__ import annotations

import functools
import json
import queue
import secrets
import time
from collections.abc import Callable
from typing import Any

import requests
import simple_websocket
import socketio

from assistant.channels import widget_auth
from tests.attack.conftest import Deployment
from tests.attack.corpus import (
    CLOSED,
    HAPROXY,
    SERVER,
    SOCKETIO,
    Case,
    Outcome,
    client_address,
    forged_authorizations,
)

NEW = "new conversation of its own"
REFUSED_EVENT = "refused"
IGNORED = "ignored"
CASES_PER_CLIENT = 10
# how long a message with no answer is waited for before it counts as ignored
# (a refusal comes within milliseconds)
QUIET_SECONDS = 1.5


class Attacker:
    """A socket.io client that records everything it is sent."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.client = socketio.Client(reconnection=False)
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.seen: list[str] = []
        for name in ("session_confirm", "bot_uttered", REFUSED_EVENT):
            self.client.on(name, self._recorder(name))
        self.client.connect(
            url, headers=headers, socketio_path="/socket.io",
            transports=["polling"], wait_timeout=10,
        )  # fmt: skip

    def _recorder(self, name: str) -> Callable[[Any], None]:
        def record(data: Any) -> None:
            self.seen.append(json.dumps(data, ensure_ascii=False))
            self.events.put((name, data))

        return record

    def next_event(self, seconds: float) -> tuple[str, Any] | None:
        try:
            return self.events.get(timeout=seconds)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.client.eio.disconnect(abort=True)


def _url(deployment: Deployment, target: str) -> str:
    return deployment.lb if target == HAPROXY else deployment.server


def _session_outcome(deployment: Deployment, attacker: Attacker) -> Outcome:
    event = attacker.next_event(10)
    if event is None:
        return Outcome("no session_confirm")
    name, data = event
    if name != "session_confirm":
        return Outcome(name, body=json.dumps(data))
    conversation = widget_auth.conversation_of(
        deployment.cluster.widget_secret, data if isinstance(data, str) else None
    )
    victims = {v.sender: v.name for v in deployment.victims}
    if conversation in victims:
        return Outcome(f"joined the {victims[conversation]} victim's", body=str(data))
    return Outcome(NEW if conversation else "confirm without a valid token")


def _message_outcome(attacker: Attacker) -> Outcome:
    event = attacker.next_event(QUIET_SECONDS)
    if event is None:
        return Outcome(IGNORED)
    name, data = event
    return Outcome(name, body=json.dumps(data, ensure_ascii=False))


def socketio_cases(deployment: Deployment) -> tuple[list[Case], Callable[[], str]]:
    """The cases, and a function that closes their clients and says what they saw."""
    widget, socket_victim = deployment.victim("widget"), deployment.victim("socket.io")
    rest = deployment.victim("REST")
    assert widget.token is not None and socket_victim.token is not None
    attackers: dict[str, Attacker] = {}
    uses: dict[str, int] = {}

    def attacker(target: str) -> Attacker:
        # a new client (and address) every few cases: each stays far below the
        # per-client rate limit, as its polling requests count too
        uses[target] = uses.get(target, 0) + 1
        key = f"{target}-{uses[target] // CASES_PER_CLIENT}"
        if key not in attackers:
            attackers[key] = Attacker(
                _url(deployment, target), {"X-Forwarded-For": client_address()}
            )
        return attackers[key]

    def session_request(target: str, data: Any) -> Callable[[], Outcome]:
        def send() -> Outcome:
            client = attacker(target)
            client.client.emit("session_request", data)
            return _session_outcome(deployment, client)

        return send

    def emit(
        target: str, event: str, data: Any, fresh: bool = False
    ) -> Callable[[], Outcome]:
        def send() -> Outcome:
            if fresh:  # a connection that never made a session request
                client = Attacker(
                    _url(deployment, target), {"X-Forwarded-For": client_address()}
                )
                attackers[f"{target}-fresh-{len(attackers)}"] = client
            else:  # after a session of its own
                client = attacker(target)
                client.client.emit("session_request", {})
                client.next_event(10)
            client.client.emit(event, data)
            return _message_outcome(client)

        return send

    sessions: list[tuple[str, Any]] = [
        ("the widget victim's id", {"session_id": widget.sender}),
        ("the socket.io victim's id", {"session_id": socket_victim.sender}),
        ("the REST victim's id", {"session_id": rest.sender}),
        ("no session_id", {}),
        ("a number as session_id", {"session_id": 7}),
        ("a list as data", ["session_id", widget.sender]),
        ("a string as data", widget.sender),
        ("a token minted by another secret",
         {"session_id": widget_auth.token_for(secrets.token_hex(32), widget.sender)}),
    ] + [
        (f"forged token: {label}", {"session_id": header.split(" ", 1)[-1]})
        for label, header in forged_authorizations(socket_victim)
        if header and header.startswith("Bearer ") and len(header) > 7
    ]  # fmt: skip
    messages: list[tuple[str, str, Any, frozenset[str], bool]] = [
        ("user_uttered before session_request, her token", "user_uttered",
         {"message": "hi", "session_id": socket_victim.token},
         frozenset({REFUSED_EVENT}), True),
        ("user_uttered with her token after a session of its own", "user_uttered",
         {"message": "hi", "session_id": socket_victim.token},
         frozenset({REFUSED_EVENT}), False),
        ("user_uttered with her id", "user_uttered",
         {"message": "hi", "session_id": socket_victim.sender},
         frozenset({REFUSED_EVENT}), False),
        ("user_uttered with the widget victim's token", "user_uttered",
         {"message": "hi", "session_id": widget.token},
         frozenset({REFUSED_EVENT}), False),
        ("user_uttered with a forged token", "user_uttered",
         {"message": "hi", "session_id": f"v1.{socket_victim.sender}.AAAA"},
         frozenset({REFUSED_EVENT}), False),
        ("user_uttered without session_id", "user_uttered", {"message": "hi"},
         frozenset({REFUSED_EVENT}), False),
        ("user_uttered, a string as data", "user_uttered", "hi",
         frozenset({IGNORED}), False),
        ("user_uttered, a number as message", "user_uttered",
         {"message": 5, "session_id": socket_victim.token}, frozenset({IGNORED}),
         False),
        ("user_uttered, null data", "user_uttered", None, frozenset({IGNORED}), False),
        ("an unknown event", "evil_event", {"session_id": socket_victim.token},
         frozenset({IGNORED}), False),
        ("bot_uttered sent by the client", "bot_uttered",
         {"text": "fake", "session_id": socket_victim.token},
         frozenset({IGNORED}), False),
    ]  # fmt: skip
    cases = []
    for target in (SERVER, HAPROXY):
        where = f"{SOCKETIO} via {target}"
        for label, data in sessions:
            cases.append(
                Case(
                    "socket.io sessions", where, f"session_request with {label}",
                    frozenset({NEW}), session_request(target, data),
                )
            )  # fmt: skip
        for label, event, data, expected, fresh in messages:
            cases.append(
                Case(
                    "socket.io sessions", where, label, expected,
                    emit(target, event, data, fresh),
                )
            )  # fmt: skip

    def close() -> str:
        seen = " ".join(s for a in attackers.values() for s in a.seen)
        for client in attackers.values():
            client.close()
        return seen

    return cases, close


# --- raw engine.io frames ----------------------------------------------------

FRAMES: list[tuple[str, bytes]] = [
    ("garbage text", b"garbage"),
    ("unknown packet type 9", b"9"),
    ("a bare message packet", b"4"),
    ("unfinished event JSON", b'42["user_uttered",{"message":"x","session_id":'),
    ("an event that is an object, not a list", b'42{"not":"a list"}'),
    ("an event without data", b'42["user_uttered"]'),
    ("an event with an ack id and unknown name", b'421["evil"]'),
    ("user_uttered before session_request", b'42["user_uttered",{"message":"hi"}]'),
    ("invalid UTF-8 in an event", b'42["user_uttered",{"message":"\xff\xfe"}]'),
    ("binary junk", bytes(range(256))),
    ("a connect to an unknown namespace", b"40/admin,"),
    ("an oversize frame (100 KB)",
     b'42["user_uttered",{"message":"' + b"x" * 100_000 + b'"}]'),
    ("many packets in one body", b"\x1e".join([b'42["evil"]'] * 500)),
]  # fmt: skip


def _frame_outcome(deployment: Deployment, target: str, frame: bytes) -> Outcome:
    base = deployment.lb if target == HAPROXY else deployment.server
    http = requests.Session()  # keeps HAProxy's BOT_SERVER cookie
    http.headers["X-Forwarded-For"] = client_address()
    try:
        opened = http.get(
            f"{base}/socket.io/",
            params={"EIO": "4", "transport": "polling"},
            timeout=10,
        )
        sid = json.loads(opened.text[1:])["sid"]
        where = {"EIO": "4", "transport": "polling", "sid": sid}
        http.post(f"{base}/socket.io/", params=where, data=b"40", timeout=10)
        http.get(f"{base}/socket.io/", params=where, timeout=10)  # the connect ack
        answer = http.post(f"{base}/socket.io/", params=where, data=frame, timeout=10)
        return Outcome(
            str(answer.status_code), answer.status_code,
            {k.lower(): v for k, v in answer.headers.items()}, answer.text,
        )  # fmt: skip
    except (requests.RequestException, ValueError, KeyError) as error:
        return Outcome(f"{CLOSED} ({type(error).__name__})")
    finally:
        http.close()


def frame_cases(deployment: Deployment) -> list[Case]:
    cases = websocket_cases(deployment)
    for target in (SERVER, HAPROXY):
        for label, frame in FRAMES:
            cases.append(
                Case(
                    "malformed socket.io frames", f"{SOCKETIO} via {target}",
                    f"polling POST: {label}", frozenset({"200", "400", "413"}),
                    functools.partial(_frame_outcome, deployment, target, frame),
                )
            )  # fmt: skip
    return cases


# --- raw websocket frames --------------------------------------------------------

LONG_MESSAGE_CHARACTERS = 200_000  # a frame over 64 KB: closed unread
TOO_LONG_CHARACTERS = 20_000  # a frame under 64 KB, a message over 5,000
TOO_LONG_REPLY = "too-long reply"
TOKEN = "<token>"  # in a frame: the token the session request confirmed


def _confirmed_token(socket: simple_websocket.Client) -> str:
    """The token ``session_confirm`` brings ("" if none comes within 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        packet = socket.receive(timeout=max(0.1, deadline - time.monotonic()))
        if isinstance(packet, str) and packet.startswith('42["session_confirm"'):
            return str(json.loads(packet[2:])[1])
    return ""


def _websocket_outcome(
    deployment: Deployment, target: str, frames: list[str], wait_for: set[str]
) -> Outcome:
    """Open a websocket session, send ``frames``, wait for an event named ``wait_for``.

    ``got``: the event's name (the too-long reply for a long message), or
    whether the server closed the socket or ignored the frames; and whether
    the server still answers its health check after it.
    """
    base = deployment.lb if target == HAPROXY else deployment.server
    url = base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    headers = {"X-Forwarded-For": client_address()}
    got = IGNORED
    try:
        socket = simple_websocket.Client.connect(url, headers=headers)
    except (ConnectionError, OSError) as error:
        return Outcome(f"{CLOSED} ({type(error).__name__})")
    try:
        socket.receive(timeout=10)  # engine.io's open packet
        socket.send("40")
        socket.receive(timeout=10)  # the namespace's connect
        token = ""
        for frame in frames:
            socket.send(frame.replace(TOKEN, token))
            if frame.startswith('42["session_request"'):
                token = _confirmed_token(socket)
                if not token:
                    return Outcome("no session_confirm")
        deadline = time.monotonic() + (QUIET_SECONDS if "*" in wait_for else 10)
        while time.monotonic() < deadline:
            packet = socket.receive(timeout=max(0.1, deadline - time.monotonic()))
            if packet is None:
                break
            if isinstance(packet, str) and packet.startswith("42"):
                name, *data = json.loads(packet[2:])
                if name in wait_for or "*" in wait_for:
                    text = json.dumps(data, ensure_ascii=False)
                    too_long = name == "bot_uttered" and "5,000" in text
                    got = TOO_LONG_REPLY if too_long else name
                    break
    except simple_websocket.ConnectionClosed:
        got = CLOSED
    except (OSError, ValueError) as error:
        got = f"{CLOSED} ({type(error).__name__})"
    finally:
        try:
            socket.close()
        except simple_websocket.ConnectionClosed:
            got = CLOSED if got == IGNORED else got  # the server closed it
    alive = requests.get(f"{base}/webhooks/rest/", timeout=10).ok
    return Outcome(got, detail="server answers" if alive else "SERVER DOWN")


def _server_still_answers(outcome: Outcome) -> str | None:
    return None if outcome.detail == "server answers" else "the server stopped"


def websocket_cases(deployment: Deployment) -> list[Case]:
    socket_victim = deployment.victim("socket.io")
    session = '42["session_request",{}]'

    def utterance(characters: int) -> str:
        words = "ikke blødning. " * (characters // 15)
        return json.dumps(["user_uttered", {"message": words, "session_id": TOKEN}])

    her_token = json.dumps(
        ["user_uttered", {"message": "hi", "session_id": socket_victim.token}]
    )
    answers = {"bot_uttered", REFUSED_EVENT}
    plans: list[tuple[str, list[str], set[str], frozenset[str]]] = [
        ("a 200,000-character message after a session of its own",
         [session, "42" + utterance(LONG_MESSAGE_CHARACTERS)], answers,
         frozenset({CLOSED})),
        ("a 20,000-character message after a session of its own",
         [session, "42" + utterance(TOO_LONG_CHARACTERS)], answers,
         frozenset({TOO_LONG_REPLY})),
        ("user_uttered with her token, no session_request",
         ["42" + her_token],
         answers, frozenset({REFUSED_EVENT})),
        ("garbage text frames", ["garbage", "9", '42["user_uttered",'], {"*"},
         frozenset({IGNORED, CLOSED})),
        ("a 2 MB frame", ["42" + json.dumps(["evil", "x" * 2_000_000])], {"*"},
         frozenset({IGNORED, CLOSED})),
    ]  # fmt: skip
    return [
        Case(
            "malformed socket.io frames", f"{SOCKETIO} websocket via {target}",
            label, expected,
            functools.partial(_websocket_outcome, deployment, target, frames, wait),
            _server_still_answers,
        )
        for target in (SERVER, HAPROXY)
        for label, frames, wait, expected in plans
    ]  # fmt: skip

"""The real deployment for the attack corpus, and the women it must protect.

One cluster for the session (``harness.cluster.Cluster``): PostgreSQL, Redis,
HAProxy with deploy/haproxy.cfg routing by conversation, two Rasa servers and
the action server (with its shared secret), every limit at its shipped
default. Before any attack, three victims talk to it the way users do: a
widget conversation, a socket.io conversation and a plain REST conversation,
each saying a sentence nobody else says; their stored events are read from
PostgreSQL directly (never through an API, which could start a session).
"""

from __future__ import annotations

import queue
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import socketio
import sqlalchemy as sa

from harness.cluster import Cluster
from harness.services import kill

Rows = list[tuple[int, str, str]]


@dataclass
class Victim:
    """A conversation an attacker must not read, write or delete."""

    name: str
    sender: str
    sentence: str
    token: str | None = None  # None: a plain REST conversation, never signed
    events: Rows = field(default_factory=list)


@dataclass
class Deployment:
    """The running cluster, its database, and the victims."""

    cluster: Cluster
    engine: sa.engine.Engine
    victims: list[Victim]

    @property
    def lb(self) -> str:
        return self.cluster.url

    @property
    def server(self) -> str:
        return self.cluster.rasa[0].url

    @property
    def actions(self) -> str:
        assert self.cluster.actions is not None
        return self.cluster.actions.url

    def victim(self, name: str) -> Victim:
        return next(v for v in self.victims if v.name == name)

    def stored(self, sender: str) -> Rows:
        """Every stored row of a conversation, straight from PostgreSQL."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT id, type_name, data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            )
            return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def count(self, senders: list[str]) -> int:
        """How many rows the conversations named have (0 for none)."""
        if not senders:
            return 0
        with self.engine.connect() as connection:
            query = sa.text(
                "SELECT count(*) FROM events WHERE sender_id IN :senders"
            ).bindparams(sa.bindparam("senders", expanding=True))
            return int(connection.execute(query, {"senders": senders}).scalar() or 0)

    def touched(self) -> list[str]:
        """Victims whose stored events are not what they were before the attack."""
        return [v.name for v in self.victims if self.stored(v.sender) != v.events]


def _user_texts(rows: Rows) -> str:
    return " ".join(data for _, kind, data in rows if kind == "user")


def _wait_until_stored(deployment: Deployment, victim: Victim) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = deployment.stored(victim.sender)
        if victim.sentence in _user_texts(rows):
            time.sleep(1)  # the bot's turn after it
            victim.events = deployment.stored(victim.sender)
            return
        time.sleep(0.2)
    raise AssertionError(f"{victim.name}'s message was never stored")


def _widget_victim(deployment: Deployment) -> Victim:
    url = deployment.lb
    session = requests.post(f"{url}/webhooks/widget/session", timeout=30).json()
    victim = Victim(
        "widget",
        session["sender"],
        "My secret is Sunflower-7391 and I am in week 31 with pain at night",
        session["token"],
    )
    headers = {"Authorization": f"Bearer {victim.token}"}
    for message in ("hello", victim.sentence):
        reply = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": victim.sender, "message": message},
            headers=headers,
            timeout=60,
        )
        assert reply.status_code == 200, reply.text
    _wait_until_stored(deployment, victim)
    return victim


def _socketio_victim(deployment: Deployment) -> Victim:
    client = socketio.Client(reconnection=False)
    confirmed: queue.Queue[Any] = queue.Queue()
    replies: queue.Queue[Any] = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", replies.put)
    client.connect(
        deployment.lb, socketio_path="/socket.io", transports=["polling"],
        wait_timeout=10,
    )  # fmt: skip
    try:
        client.emit("session_request", {})
        token = confirmed.get(timeout=10)
        victim = Victim(
            "socket.io",
            token.split(".")[1],
            "My midwife is Astrid-5528 and my back hurts when I climb stairs",
            token,
        )
        client.emit("user_uttered", {"message": victim.sentence, "session_id": token})
        replies.get(timeout=30)
    finally:
        client.eio.disconnect(abort=True)
    _wait_until_stored(deployment, victim)
    return victim


def _rest_victim(deployment: Deployment) -> Victim:
    victim = Victim(
        "REST",
        f"rest-victim-{secrets.token_hex(6)}",
        "I told nobody that my name is Karoline-2846 and I am due in May",
    )
    reply = requests.post(
        f"{deployment.lb}/webhooks/rest/webhook",
        json={"sender": victim.sender, "message": victim.sentence},
        timeout=60,
    )
    assert reply.status_code == 200, reply.text
    _wait_until_stored(deployment, victim)
    return victim


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/webhooks/rest/", timeout=5).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="session")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    cluster = Cluster(tmp_path_factory.mktemp("attack"))
    try:
        cluster.start()
        assert cluster.postgres is not None
        engine = sa.create_engine(cluster.postgres.url())
        running = Deployment(cluster, engine, [])
        running.victims = [
            _widget_victim(running),
            _socketio_victim(running),
            _rest_victim(running),
        ]
        yield running
        engine.dispose()
    finally:
        for server in cluster.rasa:
            if not _answers(server.url):  # stopped serving (the NUL cases):
                kill(server.process)  # SIGINT would wait 20 s for nothing
        cluster.stop()

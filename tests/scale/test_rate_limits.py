"""HAProxy's limits per client and per conversation, and fairness (issue 19).

One cluster (harness/cluster.py) with the SHIPPED limits of deploy/haproxy.cfg:
real HAProxy, two real Rasa servers, PostgreSQL. Each test speaks as a client
of its own (the last X-Forwarded-For address, as the HTTPS proxy appends it),
so the limits one test reaches do not touch the next. A refused request is a
429 with a JSON sentence and Retry-After, and leaves nothing in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa
from websockets.client import connect as websocket

from harness.cluster import Cluster
from harness.fairness import measure_fairness
from tests.scale.load import stored_events

# the shipped defaults (deploy/haproxy.cfg, "presetenv")
CLIENT_REQUESTS = 100
CONVERSATION_REQUESTS = 20
SESSIONS = 20
CONNECTIONS = 50
FLOOD = 20

_addresses = itertools.count(1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    started = Cluster(tmp_path_factory.mktemp("limits"))  # the shipped limits
    try:
        yield started.start()
    finally:
        started.stop()


def _client() -> str:
    """An address of its own for each client (documentation range: no traffic)."""
    return f"192.0.2.{100 + next(_addresses)}"


def _message(url: str, client: str, sender: str, text: str) -> requests.Response:
    return requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        headers={"X-Forwarded-For": client},
        timeout=30,
    )


def _assert_refused(response: requests.Response, limit: str, seconds: int) -> None:
    """429, one clear sentence naming the limit, nothing stored, Retry-After."""
    assert response.status_code == 429, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == str(seconds)
    assert "X-Served-By" not in response.headers  # no Rasa server saw it
    body = response.json()
    assert list(body) == ["error"]
    sentence = body["error"]
    assert re.fullmatch(r"Too many [^.]+\.", sentence), sentence
    assert limit in sentence, sentence
    assert "nothing was stored" in sentence
    assert sentence.endswith(f"try again in {seconds} seconds."), sentence


def test_a_client_over_its_requests_per_ten_seconds_is_refused_and_nothing_stored(
    cluster,
):
    client = _client()
    with requests.Session() as session:
        for number in range(CLIENT_REQUESTS):
            # what a client writes itself comes first; the proxy's address last
            forged = f"203.0.113.{number % 250}, {client}"
            answered = session.get(
                f"{cluster.url}/webhooks/rest/",
                headers={"X-Forwarded-For": forged},
                timeout=30,
            )
            assert answered.status_code == 200, number
    sender = f"limits-client-{client}"
    refused = _message(cluster.url, client, sender, "Hvad er bækkenløsning?")
    _assert_refused(refused, f"more than {CLIENT_REQUESTS} in 10 seconds", 20)
    assert stored_events(cluster.postgres.url(), sender) == []
    # another client is served meanwhile
    assert _message(cluster.url, _client(), sender + "-other", "Hej").status_code == 200


def test_refused_requests_count_so_a_flooding_client_stays_refused(cluster):
    client = _client()

    def ask() -> int:
        return requests.get(
            f"{cluster.url}/webhooks/rest/",
            headers={"X-Forwarded-For": client},
            timeout=30,
        ).status_code

    answered = [ask() for _ in range(CLIENT_REQUESTS)]
    # refusals are held a second (a tarpit): twenty at once
    with ThreadPoolExecutor(max_workers=FLOOD) as pool:
        refused = list(pool.map(lambda _: ask(), range(FLOOD)))
    assert answered == [200] * CLIENT_REQUESTS and refused == [429] * FLOOD
    # HAProxy counted every one of them, the refused too
    rate = _table_rate(cluster, "per_client", client)
    assert rate >= CLIENT_REQUESTS + FLOOD, rate


def _table_rate(cluster: Cluster, table: str, key: str) -> int:
    assert cluster.lb is not None
    with socket.socket(socket.AF_UNIX) as runtime:
        runtime.connect(str(cluster.lb.socket))
        runtime.sendall(f"show table {table} key ::ffff:{key}\n".encode())
        raw = b""
        while chunk := runtime.recv(65536):
            raw += chunk
    found = re.search(r"http_req_rate\(10000\)=(\d+)", raw.decode())
    assert found, raw
    return int(found.group(1))


def test_a_conversation_over_its_requests_per_ten_seconds_is_refused(cluster):
    client = _client()
    sender = f"limits-conversation-{client}"
    for number in range(CONVERSATION_REQUESTS):
        # the HTTP API's routes name the conversation too (the API is off: 4xx)
        answered = requests.get(
            f"{cluster.url}/conversations/{sender}/tracker",
            headers={"X-Forwarded-For": client},
            timeout=30,
        )
        assert answered.status_code != 429, number
    refused = _message(cluster.url, client, sender, "Hvad er bækkenløsning?")
    _assert_refused(
        refused, f"more than {CONVERSATION_REQUESTS} in 10 seconds", seconds=20
    )
    assert stored_events(cluster.postgres.url(), sender) == []
    # the same client, another conversation: served
    answered = _message(cluster.url, client, sender + "-next", "Hvad er bækkenløsning?")
    assert answered.status_code == 200 and answered.json()


def test_a_refused_conversation_that_waits_what_retry_after_says_is_answered(cluster):
    """Retry-After is true even after a burst of refused requests.

    HAProxy's rate is a sliding average: this period's count plus the last
    period's, weighted by what is left of this one. With "try again in 10
    seconds" the burst below still counted (60 x ~0.6 > 20) and her message
    was refused again; twice the period is always enough.
    """
    client = _client()
    sender = f"limits-retry-{client}"

    def ask_tracker(_: int) -> int:
        return requests.get(
            f"{cluster.url}/conversations/{sender}/tracker",
            headers={"X-Forwarded-For": client},
            timeout=30,
        ).status_code

    for number in range(CONVERSATION_REQUESTS):
        assert ask_tracker(number) != 429, number
    with ThreadPoolExecutor(max_workers=FLOOD * 2) as pool:
        refusals = list(pool.map(ask_tracker, range(FLOOD * 2)))
    assert refusals == [429] * (FLOOD * 2)
    refused = _message(cluster.url, client, sender, "Hvad er bækkenløsning?")
    assert refused.status_code == 429
    time.sleep(int(refused.headers["Retry-After"]))
    answered = _message(cluster.url, client, sender, "Hvad er bækkenløsning?")
    assert answered.status_code == 200, answered.text
    assert "bækken" in answered.json()[0]["text"].lower()


def test_a_client_minting_too_many_sessions_a_minute_is_refused(cluster):
    client = _client()
    for number in range(SESSIONS):
        minted = requests.post(
            f"{cluster.url}/webhooks/widget/session",
            headers={"X-Forwarded-For": client},
            timeout=30,
        )
        assert minted.status_code == 200 and minted.json()["token"], number
    before = _event_rows(cluster)
    refused = requests.post(
        f"{cluster.url}/webhooks/widget/session",
        headers={"X-Forwarded-For": client},
        timeout=30,
    )
    _assert_refused(refused, f"more than {SESSIONS} in a minute", seconds=120)
    assert _event_rows(cluster) == before


def _event_rows(cluster: Cluster) -> int:
    assert cluster.postgres is not None
    engine = sa.create_engine(cluster.postgres.url())
    try:
        with engine.connect() as connection:
            return int(
                connection.exec_driver_sql("SELECT count(*) FROM events").scalar_one()
            )
    finally:
        engine.dispose()


async def test_a_client_with_too_many_requests_open_at_once_is_refused(cluster):
    client = _client()
    url = cluster.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    headers = {"X-Forwarded-For": client}
    sockets = [await websocket(url, extra_headers=headers) for _ in range(CONNECTIONS)]
    try:
        for connection in sockets:  # each one open, through to a Rasa server
            assert str(await connection.recv()).startswith("0")
        sender = f"limits-connections-{client}"
        refused = await asyncio.to_thread(
            _message, cluster.url, client, sender, "Hvad er bækkenløsning?"
        )
        _assert_refused(refused, f"more than {CONNECTIONS}", seconds=10)
        assert "open at once" in refused.json()["error"]
        assert stored_events(cluster.postgres.url(), sender) == []
    finally:
        for connection in sockets:
            await connection.close()
    await asyncio.sleep(0.5)
    answered = await asyncio.to_thread(
        _message, cluster.url, client, f"limits-after-{client}", "Hej"
    )
    assert answered.status_code == 200


def test_a_flooding_client_does_not_double_another_clients_p95(cluster):
    result = measure_fairness(cluster.url, messages=40)
    print(result)
    assert result["victim_failed"] == 0, result
    # the flood was refused, and Rasa saw no more of it than the limit lets by
    assert result["flood_refused"] > 0, result
    windows = result["flood_seconds"] / 10 + 1
    assert result["flood_answered"] <= CLIENT_REQUESTS * windows, result
    assert result["ratio"] <= 2, result

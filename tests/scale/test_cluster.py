"""Two Rasa servers on PostgreSQL and Redis behind HAProxy, under load and failures.

One cluster for the module (harness/cluster.py): PostgreSQL, Redis, the
action server, two Rasa servers with the project's endpoints.yml, and two
HAProxy instances in front of the same servers: one drawing a server at random
for every request (so half of the consecutive messages of a conversation land
on different servers, whatever the timing: the
deployment must be right even when routing does not help) and one routing by
conversation id (the production setting).
"""

import asyncio
import itertools
import json
import time
from collections.abc import Iterator

import aiohttp
import pytest
import requests
import socketio
from websockets.client import connect as websocket

from harness.cluster import Cluster
from harness.services import LOAD_TEST_LIMITS, LoadBalancer
from tests.scale.load import (
    final_slot,
    messages_for,
    run_conversations,
    stored_events,
    stored_turns,
)
from tests.scale.widget_erasure import erase_conversations_through, postgres_row_counter

CONVERSATIONS = 20
# after a message is sent: on its way to the server or being worked on there
# (a reply under this load takes 100 ms or more)
IN_FLIGHT_SECONDS = 0.02
_runs = itertools.count()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    # the load: many conversations from one address, faster than a person
    started = Cluster(
        tmp_path_factory.mktemp("cluster"), routing="random", limits=LOAD_TEST_LIMITS
    )
    try:
        yield started.start()
    finally:
        started.stop()


@pytest.fixture(scope="module")
def routed(cluster) -> Iterator[LoadBalancer]:
    """HAProxy routing by conversation id, in front of the same servers."""
    balancer = LoadBalancer(
        cluster.folder, cluster.rasa_ports, "by_conversation", limits=LOAD_TEST_LIMITS
    )
    balancer.start().wait_for_servers({"rasa1", "rasa2"})
    yield balancer
    balancer.stop()


def _senders(name: str) -> list[str]:
    run = next(_runs)
    return [f"{name}-{run}-{i}" for i in range(CONVERSATIONS)]


def _load(url: str, senders: list[str], on_turn=None, on_send=None):
    return asyncio.run(run_conversations(url, senders, on_turn, on_send))


def _assert_summary(replies: list[str], language: str) -> None:
    """The referral check's summary: form state and language carried over."""
    summary = replies[0]
    if language == "da":
        assert summary.startswith("Du har fortalt mig, at du er gravid"), replies
        assert "5 ud af 10" in summary and "trapper" in summary, replies
    else:
        assert summary.startswith("You told me that you are pregnant"), replies
        assert "5 out of 10" in summary and "stairs" in summary, replies


def test_random_routing_keeps_every_turn_once_in_order_across_servers(cluster):
    senders = _senders("random")
    conversations = _load(cluster.url, senders)
    switches = 0
    for index, sender in enumerate(senders):
        messages, language = messages_for(index)
        turns = conversations[sender]
        assert all(turn.statuses == [200] for turn in turns), sender
        assert all(turn.replies for turn in turns), f"{sender}: a reply was lost"
        switches += sum(a.server != b.server for a, b in itertools.pairwise(turns))
        events = stored_events(cluster.postgres.url(), sender)
        # every turn exactly once, in order, with exactly the replies she got
        assert stored_turns(events) == [(t.message, t.replies) for t in turns]
        _assert_summary(turns[-1].replies, language)
        assert final_slot(events, "language") == language
    # consecutive messages really went to different servers: about half of the
    # 180 pairs (sd 6.7); a third is more than four sd below
    assert switches >= CONVERSATIONS * 9 // 3, switches


def test_routing_keeps_a_conversation_on_one_server_while_it_is_up(cluster, routed):
    senders = _senders("routed")
    conversations = _load(routed.url, senders)
    servers = set()
    for index, sender in enumerate(senders):
        turns = conversations[sender]
        assert {turn.server for turn in turns} in ({"rasa1"}, {"rasa2"}), sender
        servers |= {turns[0].server}
        _assert_summary(turns[-1].replies, messages_for(index)[1])
    assert servers == {"rasa1", "rasa2"}  # both servers take conversations


def test_a_killed_server_loses_nothing_answered_and_rejoins(cluster, routed):
    senders = _senders("killed")
    answered = 0
    killed = asyncio.Event()

    def count() -> None:
        nonlocal answered
        answered += 1

    def kill_while_it_works(sender: str, server: str) -> None:
        # a third of the way in, a message just sent to rasa1 is in flight
        # when it dies (killed between two answers, it could have none)
        if answered < CONVERSATIONS * 10 // 3 or server != "rasa1" or killed.is_set():
            return
        killed.set()
        asyncio.get_running_loop().call_later(IN_FLIGHT_SECONDS, cluster.kill_rasa, 1)

    try:
        conversations = _load(
            cluster.url, senders, on_turn=count, on_send=kill_while_it_works
        )
        assert killed.is_set()
        retried = 0
        for sender in senders:
            turns = conversations[sender]
            assert all(turn.replies for turn in turns), f"{sender}: a reply was lost"
            retried += sum(turn.attempts > 1 for turn in turns)
            # at most the message in flight when the server died was sent again
            assert sum(turn.attempts > 1 for turn in turns) <= 1, sender
            stored = stored_turns(stored_events(cluster.postgres.url(), sender))
            received = [(t.message, t.replies) for t in turns]
            # nothing answered is lost. The one in flight, sent again, may
            # have been stored by the dead server before its answer reached
            # her, and then again by the other, which answered it in the
            # state after the first (a question of the check the second
            # time: other replies): only a message she sent again may be
            # stored twice, once
            sent_again = {t.message for t in turns if t.attempts > 1}
            deduplicated = [
                turn
                for i, turn in enumerate(stored)
                if i + 1 == len(stored)
                or turn[0] != stored[i + 1][0]
                or turn[0] not in sent_again
            ]
            assert [m for m, _ in deduplicated] == [m for m, _ in received], sender
            assert len(stored) - len(deduplicated) <= 1, sender
        # the conversations rasa1 was serving went on on rasa2. (Whether the
        # client saw the message in flight fail depends on HAProxy: it may
        # send it again to rasa2 itself, so a count of client retries proves
        # nothing; the two CI runs of 57f78da and 4f01228 had 0.)
        moved = [
            sender
            for sender in senders
            if {"rasa1", "rasa2"} <= {turn.server for turn in conversations[sender]}
        ]
        assert moved, "no conversation went on on rasa2 after rasa1 died"
        assert retried <= len(moved)
    finally:
        cluster.start_rasa(1)
    # the restarted server takes its conversations back (HAProxy may need a
    # health check or two after it reports the server up: bounded retries)
    servers: set[str] = set()
    deadline = time.monotonic() + 30
    round_ = 0
    while servers != {"rasa1", "rasa2"} and time.monotonic() < deadline:
        servers = {
            requests.post(
                f"{routed.url}/webhooks/rest/webhook",
                json={"sender": f"rejoined-{round_}-{i}", "message": "hej"},
                timeout=30,
            ).headers["X-Served-By"]
            for i in range(16)
        }
        round_ += 1
        if servers != {"rasa1", "rasa2"}:
            time.sleep(2)
    assert servers == {"rasa1", "rasa2"}


def test_postgresql_restarted_mid_run_answers_with_errors_and_loses_nothing(cluster):
    senders = _senders("postgres")
    answered = 0
    restarted = False

    def count_and_restart() -> None:
        nonlocal answered, restarted
        answered += 1
        if answered == CONVERSATIONS * 10 // 3 and not restarted:
            restarted = True
            cluster.postgres.restart(down_seconds=3)

    conversations = _load(cluster.url, senders, on_turn=count_and_restart)
    assert restarted
    statuses = [
        s for turns in conversations.values() for t in turns for s in t.statuses
    ]
    assert 503 in statuses  # the outage was answered with an error ...
    assert statuses.count(200) == CONVERSATIONS * 10  # ... never with a fake reply
    for index, sender in enumerate(senders):
        turns = conversations[sender]
        events = stored_events(cluster.postgres.url(), sender)
        # every answered turn is in PostgreSQL (none kept in memory), once
        assert stored_turns(events) == [(t.message, t.replies) for t in turns]
        _assert_summary(turns[-1].replies, messages_for(index)[1])


def test_redis_down_is_a_clear_error_and_the_message_is_not_handled(cluster):
    sender = _senders("redis")[0]
    url = f"{cluster.url}/webhooks/rest/webhook"
    first = requests.post(url, json={"sender": sender, "message": "hej"}, timeout=30)
    assert first.status_code == 200 and first.json()
    cluster.redis.stop()
    try:
        for _ in range(2):  # both servers refuse
            response = requests.post(
                url, json={"sender": sender, "message": "Hvad er bækkenløsning?"},
                timeout=30,
            )  # fmt: skip
            assert response.status_code == 503
            assert "send it again" in response.json()["error"]
            assert response.headers["Retry-After"]
    finally:
        cluster.redis.start()
    assert [
        m for m, _ in stored_turns(stored_events(cluster.postgres.url(), sender))
    ] == ["hej"]
    again = requests.post(
        url, json={"sender": sender, "message": "Hvad er bækkenløsning?"}, timeout=30
    )
    assert again.status_code == 200 and "Bækkenløsning" in again.json()[0]["text"]


async def test_socketio_sessions_stick_to_their_server(cluster):
    # long-polling: every request of the session must reach the same server
    jar = aiohttp.CookieJar(unsafe=True)  # keep cookies for 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        client = socketio.AsyncClient(http_session=http, reconnection=False)
        replies: asyncio.Queue = asyncio.Queue()
        confirmed: asyncio.Queue = asyncio.Queue()
        client.on("bot_uttered", lambda data: replies.put_nowait(data))
        client.on("session_confirm", lambda token: confirmed.put_nowait(token))
        await client.connect(cluster.url, transports=["polling"])
        try:
            await client.emit("session_request", {})
            token = await asyncio.wait_for(confirmed.get(), timeout=30)
            for message in ["hej", "Hvad er bækkenløsning?", "tak"]:
                await client.emit(
                    "user_uttered", {"message": message, "session_id": token}
                )
                reply = await asyncio.wait_for(replies.get(), timeout=30)
                assert reply.get("text")
                while not replies.empty():
                    replies.get_nowait()
        finally:
            # without waiting for the pending long-poll to time out (25 s)
            await client.eio.disconnect(abort=True)
        assert any(cookie.key == "BOT_SERVER" for cookie in jar)


def test_the_widget_works_through_the_load_balancer(routed):
    # what the widget does: load the page and script, send, read history back
    page = requests.get(f"{routed.url}/webhooks/widget/demo", timeout=30)
    assert page.status_code == 200 and "widget.js" in page.text
    script = requests.get(f"{routed.url}/webhooks/widget/widget.js", timeout=30)
    assert script.status_code == 200 and "/webhooks/rest/webhook" in script.text
    # the server issues the conversation and its token; any server may sign it
    session = requests.post(f"{routed.url}/webhooks/widget/session", timeout=30)
    assert session.status_code == 200, session.text
    sender, token = session.json()["sender"], session.json()["token"]
    sent = requests.post(
        f"{routed.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": "Hvad er bækkenløsning?"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert sent.status_code == 200, sent.text
    history = requests.get(
        f"{routed.url}/webhooks/widget/history",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    # no id in the URL: the history request is routed by the id inside the
    # token to the server that answered the message
    assert history.headers["X-Served-By"] == sent.headers["X-Served-By"]
    texts = [m["text"] for m in history.json()["messages"]]
    assert texts == ["Hvad er bækkenløsning?", *[r["text"] for r in sent.json()]]


def test_the_operator_routes_are_closed_at_the_load_balancer(cluster, routed):
    # make forget / make purge talk to a server on its own host, never via HAProxy
    for balancer in (cluster, routed):
        for path in (
            "/webhooks/widget/operator/forget",
            "/webhooks/widget/operator/purge",
            "/Webhooks/Widget/Operator/purge",
            "/webhooks/widget/%6fperator/forget",
            "//webhooks/widget/operator/forget",
        ):
            refused = requests.post(f"{balancer.url}{path}", json={}, timeout=30)
            assert refused.status_code == 403, path
            assert "X-Served-By" not in refused.headers  # no server saw it


async def test_socketio_over_websocket_through_the_load_balancer(cluster):
    # one TCP connection for the whole session: HAProxy tunnels it to one server
    url = cluster.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    async with websocket(url) as connection:
        assert str(await connection.recv()).startswith("0")  # Engine.IO open
        await connection.send("40")  # Socket.IO connect
        assert str(await connection.recv()).startswith("40")
        await connection.send('42["session_request",{"session_id":"ws-anna"}]')
        packet = str(await asyncio.wait_for(connection.recv(), timeout=30))
        event, token = json.loads(packet[2:])  # an unsigned id: a new session
        assert event == "session_confirm" and token.startswith("v1.w")
        message = {"message": "Hvad er bækkenløsning?", "session_id": token}
        await connection.send("42" + json.dumps(["user_uttered", message]))
        while True:
            packet = str(await asyncio.wait_for(connection.recv(), timeout=30))
            if packet.startswith('42["bot_uttered"'):
                break
    assert json.loads(packet[2:])[1]["text"].startswith("Bækkenløsning")


def test_widget_session_history_and_erasure_whichever_server_answers(cluster):
    # random routing: session, messages, history and erasure of one conversation
    # land on different servers; each server has it in memory when it is erased
    run = erase_conversations_through(
        cluster.url,
        postgres_row_counter(cluster.postgres.url()),
        server_urls=[server.url for server in cluster.rasa],
    )
    assert len(run.conversations) == CONVERSATIONS
    assert run.rows_left == 0
    for step in ("session", "message", "history", "erase", "history after"):
        assert run.servers(step) == {"rasa1", "rasa2"}, step
    # the server that erased it is not always the one that issued it
    assert any(
        c.served_by["erase"] != c.served_by["session"] for c in run.conversations
    )

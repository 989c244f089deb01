"""The lock's Redis calls on a real Redis: the loop keeps serving, replies stay matched.

Redis is made slow on purpose: another client runs a Lua script that keeps
Redis busy for a while (Redis runs nothing else meanwhile). A message waiting
for its lock must not stop the event loop, which serves the server's other
conversations; every command on the shared connection must get its own reply,
also after a command was given up or timed out; and a Redis that went away and
came back must cost only the messages sent while it was away (HTTP 503, from
``LockError``).
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time

import pytest
import redis
from rasa.core.lock_store import LockError
from redis import exceptions

from assistant.config.endpoints import read_section
from assistant.stores.lock_store import AtomicRedisLockStore, EnvironmentLockStore
from assistant.stores.redis_client import AsyncRedis
from harness.servers import ROOT, free_port
from harness.services import Redis
from tests.event_loop import loop_kept_running, ticks_while

BUSY = """
local start = redis.call('TIME')
while true do
  local now = redis.call('TIME')
  if (now[1] - start[1]) * 1000000 + (now[2] - start[2]) > tonumber(ARGV[1]) then
    return 1
  end
end
"""


def _busy_for(server: Redis, seconds: float) -> threading.Thread:
    """Redis busy for ``seconds`` from now, on a thread of its own."""
    client = redis.Redis(port=server.port, password=server.password)
    started = threading.Event()

    def run() -> None:
        started.set()
        client.eval(BUSY, 0, int(seconds * 1_000_000))

    thread = threading.Thread(target=run)
    thread.start()
    started.wait()
    time.sleep(0.1)  # the script is running
    return thread


def _client(server: Redis, timeout: float | None = 10) -> AsyncRedis:
    return AsyncRedis(
        host="127.0.0.1", port=server.port, password=server.password, timeout=timeout
    )


def _store(server: Redis, **environment: str) -> EnvironmentLockStore:
    """The lock store the shipped endpoints.yml names, on ``server``.

    As the cluster's servers get it: REDIS_HOST, REDIS_PORT and REDIS_PASSWORD
    in the environment (``environment`` adds or overrides variables).
    """
    variables = {
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(server.port),
        "REDIS_PASSWORD": server.password,
        **environment,
    }
    store = EnvironmentLockStore(
        read_section(ROOT / "endpoints.yml", "lock_store", variables)
    )
    assert isinstance(store.backend, AtomicRedisLockStore)
    return store


def test_the_loop_serves_others_while_a_lock_waits_for_redis(redis_server):
    store = _store(redis_server)

    async def one_message() -> None:
        async with store.lock("venter"):
            pass

    async def main() -> tuple[int, float]:
        await one_message()  # connected, scripts loaded
        busy = _busy_for(redis_server, 1.0)
        started = time.monotonic()
        message = asyncio.ensure_future(one_message())
        ticks = await ticks_while(message)
        await message
        busy.join()
        return ticks, time.monotonic() - started

    ticks, waited = asyncio.run(main())
    assert waited >= 0.7
    # with a blocking client the loop runs the other task once or twice
    assert loop_kept_running(ticks, waited), (ticks, waited)


def test_commands_sent_at_once_each_get_their_own_reply(redis_server):
    client = _client(redis_server)

    async def write_and_read(number: int) -> tuple[bytes | None, int]:
        await client.call("SET", f"own:{number}", f"value {number}")
        value = await client.call("GET", f"own:{number}")
        return value, await client.call("INCR", "own:counter")

    async def main() -> list[tuple[bytes | None, int]]:
        return await asyncio.gather(*(write_and_read(n) for n in range(200)))

    found = asyncio.run(main())
    assert [value for value, _ in found] == [f"value {n}".encode() for n in range(200)]
    assert sorted(count for _, count in found) == list(range(1, 201))


def test_a_command_given_up_leaves_its_reply_to_nobody(redis_server):
    client = _client(redis_server)

    async def main() -> object:
        await client.call("SET", "given-up:other", "mine")
        busy = _busy_for(redis_server, 0.5)
        given_up = asyncio.ensure_future(client.call("INCR", "given-up:counter"))
        await asyncio.sleep(0.05)
        given_up.cancel()
        reply = await client.call("GET", "given-up:other")  # sent after it
        busy.join()
        return reply

    assert asyncio.run(main()) == b"mine"  # not the INCR's 1


def test_no_reply_within_the_timeout_fails_and_later_replies_stay_matched(
    redis_server,
):
    client = _client(redis_server, timeout=0.3)
    # the socket timeout is Rasa's setting, not one endpoints.yml passes on
    store = AtomicRedisLockStore(
        host="127.0.0.1",
        port=redis_server.port,
        password=redis_server.password,
        socket_timeout=0.3,
    )

    async def main() -> tuple[object, bool]:
        await client.call("SET", "late:key", "its own")
        before = await client.call("CLIENT", "ID")
        busy = _busy_for(redis_server, 1.0)
        with pytest.raises(exceptions.TimeoutError):
            await client.call("INCR", "late:counter")
        with pytest.raises(LockError, match=r"acquiring lock \(TimeoutError\)"):
            async with store.lock("late"):
                pass
        busy.join()
        reply = await client.call("GET", "late:key")
        # as redis-py: a connection that did not answer in time is not used again
        return reply, await client.call("CLIENT", "ID") != before

    assert asyncio.run(main()) == (b"its own", True)


def test_after_redis_comes_back_the_next_lock_is_served(tmp_path):
    server = Redis(tmp_path).start()
    store = _store(server)
    served: list[str] = []

    async def message(text: str) -> None:
        async with store.lock("igen"):
            served.append(text)

    try:
        asyncio.run(_in_one_loop(server, message))
    finally:
        server.stop()
    assert served == ["before", "after"]


async def _in_one_loop(server: Redis, message) -> None:
    await message("before")
    server.stop()
    with pytest.raises(LockError, match=r"acquiring lock \(ConnectionError\)"):
        await message("while Redis is away")
    server.start()  # the same port and password
    await message("after")


def test_a_wrong_password_is_a_lock_error_naming_only_its_kind(redis_server):
    store = _store(redis_server, REDIS_PASSWORD="forkert")

    async def one_message() -> None:
        async with store.lock("adgang"):
            pass

    with pytest.raises(LockError) as refused:
        asyncio.run(one_message())
    assert str(refused.value) == "Error while acquiring lock (AuthenticationError)."


def test_the_lock_is_kept_in_the_configured_database(redis_server):
    store = _store(redis_server, REDIS_DB="3")
    in_database = {
        number: redis.Redis(
            port=redis_server.port, password=redis_server.password, db=number
        )
        for number in (0, 3)
    }
    key = store.backend.key_prefix + "database"

    async def one_message() -> dict[int, int]:
        async with store.lock("database", lock_lifetime=60):
            return {number: int(red.exists(key)) for number, red in in_database.items()}

    assert asyncio.run(one_message()) == {0: 0, 3: 1}


def test_a_message_given_up_while_its_ticket_is_issued_leaves_no_ticket(
    redis_server,
):
    # the client went away while Redis was issuing the ticket: left behind, it
    # would make her next message wait until it expired (lock_lifetime)
    store = _store(redis_server)
    key = store.backend.key_prefix + "forladt"

    async def one_message() -> None:
        async with store.lock("forladt", lock_lifetime=60, wait_time_in_seconds=0.01):
            pass

    async def main() -> tuple[int, float]:
        await one_message()  # connected, scripts loaded
        busy = _busy_for(redis_server, 0.5)
        given_up = asyncio.ensure_future(one_message())
        await asyncio.sleep(0.05)  # its issue script waits behind the busy one
        given_up.cancel()
        with pytest.raises(asyncio.CancelledError):
            await given_up
        busy.join()
        await asyncio.sleep(0.1)  # issued, then finished
        left = int(store.backend.red.exists(key))
        started = time.monotonic()
        await asyncio.wait_for(one_message(), 5)
        return left, time.monotonic() - started

    left, next_message_waited = asyncio.run(main())
    assert left == 0
    assert next_message_waited < 1


def test_one_store_serves_one_event_loop_after_another(redis_server):
    # `rasa shell` run twice in one process, or a test per loop: the
    # connection of a loop that has ended is dropped, a new one opened
    store = _store(redis_server)

    async def one_message() -> str:
        async with store.lock("efter-hinanden"):
            return "served"

    assert [asyncio.run(one_message()) for _ in range(3)] == ["served"] * 3


def test_a_redis_without_a_password_takes_an_empty_one(tmp_path):
    # REDIS_PASSWORD may be set but empty (compose files pass it through)
    port = free_port()
    server = subprocess.Popen(
        ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = AsyncRedis(host="127.0.0.1", port=port, password="", timeout=5)

        async def ping() -> object:
            for _ in range(100):  # until it listens
                try:
                    return await client.call("PING")
                except exceptions.ConnectionError:
                    await asyncio.sleep(0.05)
            return None

        assert asyncio.run(ping()) == b"PONG"
    finally:
        server.terminate()
        server.wait()

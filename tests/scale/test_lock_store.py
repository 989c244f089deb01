"""Two servers taking one conversation's lock at once, on a real Redis.

Rasa's ``RedisLockStore`` reads a lock, changes the copy and writes it back;
two processes doing that at the same instant both get the same ticket and both
work on the conversation (RasaHQ/rasa#9213). ``AtomicRedisLockStore`` changes
a lock by one Lua script, which Redis runs whole.
"""

import asyncio
import multiprocessing
import time

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from assistant.stores.lock_store import (
    AtomicRedisLockStore,
    EnvironmentLockStore,
    redis_settings,
)

PROCESSES = 2
TASKS_PER_PROCESS = 4
ROUNDS = 15
TICKETS = 150


def _worker(store_class, port, password, conversation, results):
    """One "server": tasks that each take the lock ROUNDS times; how often
    two were inside at once or a lock was lost."""
    store = store_class(host="127.0.0.1", port=port, password=password)
    red = redis.Redis(port=port, password=password)
    overlaps = errors = 0

    async def task():
        nonlocal overlaps, errors
        for _ in range(ROUNDS):
            try:
                async with store.lock(
                    conversation, lock_lifetime=2, wait_time_in_seconds=0.002
                ):
                    if red.incr(f"inside:{conversation}") > 1:
                        overlaps += 1
                    time.sleep(0.002)
                    red.decr(f"inside:{conversation}")
            except LockError:
                errors += 1  # the lock vanished under a waiting ticket

    async def main():
        await asyncio.gather(*(task() for _ in range(TASKS_PER_PROCESS)))

    asyncio.run(main())
    results.put(overlaps + errors)


def _run(target, *args) -> list:
    """Run ``target(*args, results)`` in PROCESSES processes; their results."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [
        context.Process(target=target, args=(*args, results)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    found = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
        assert worker.exitcode == 0
    return found


def _tickets(store_class, port, password, conversation, results):
    """One "server" taking tickets for one conversation as fast as it can."""
    store = store_class(host="127.0.0.1", port=port, password=password)
    results.put([store.issue_ticket(conversation, 60) for _ in range(TICKETS)])


def _duplicate_tickets(store_class, redis_server, conversation) -> int:
    found = _run(
        _tickets, store_class, redis_server.port, redis_server.password, conversation
    )
    tickets = [ticket for tickets in found for ticket in tickets]
    return len(tickets) - len(set(tickets))


def test_two_servers_never_work_on_one_conversation_at_once(redis_server):
    found = _run(
        _worker, AtomicRedisLockStore, redis_server.port, redis_server.password, "anna"
    )
    assert sum(found) == 0


def test_two_servers_never_get_the_same_ticket(redis_server):
    assert _duplicate_tickets(AtomicRedisLockStore, redis_server, "bente") == 0


def test_rasas_own_redis_lock_store_hands_out_one_ticket_twice(redis_server):
    # the race avoided here (RasaHQ/rasa#9213); if this fails, Rasa fixed it
    assert _duplicate_tickets(RedisLockStore, redis_server, "carla") > 0


def test_redis_down_is_a_lock_error_not_a_free_pass():
    store = AtomicRedisLockStore(host="127.0.0.1", port=1, socket_timeout=1)
    with pytest.raises(LockError):
        store.issue_ticket("anna")


def test_locks_are_in_memory_unless_redis_is_configured(monkeypatch, redis_server):
    monkeypatch.delenv("REDIS_HOST", raising=False)
    config = EndpointConfig(url="${REDIS_HOST:-}", port="${REDIS_PORT:-6379}")
    assert redis_settings(config, {}) is None
    assert isinstance(EnvironmentLockStore(config).backend, InMemoryLockStore)
    monkeypatch.setenv("SANIC_WORKERS", "3")
    with pytest.raises(LockError, match="REDIS_HOST"):
        EnvironmentLockStore(config)
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", str(redis_server.port))
    config = EndpointConfig(
        url="${REDIS_HOST:-}",
        port="${REDIS_PORT:-6379}",
        password=redis_server.password,
    )
    store = EnvironmentLockStore(config)
    assert isinstance(store.backend, AtomicRedisLockStore)
    assert store.issue_ticket("dorte") == 0
    assert store.backend.get_lock("dorte").last_issued == 0


def test_a_lock_key_left_by_a_crashed_server_expires(redis_server):
    store = AtomicRedisLockStore(
        host="127.0.0.1",
        port=redis_server.port,
        password=redis_server.password,
        key_grace_seconds=0.5,
    )
    red = store.red
    key = store.key_prefix + "+4512345678"
    # a server takes the lock, then dies: no finish_serving, no cleanup
    store.issue_ticket("+4512345678", lock_lifetime=1)
    assert 0 < red.pttl(key) <= 1500
    # every change of the lock sets the expiry again
    store.update_lock("+4512345678")
    assert 0 < red.pttl(key) <= 1500
    store.save_lock(store.get_or_create_lock("+4512345678"))
    assert 0 < red.pttl(key) <= 1500
    deadline = time.monotonic() + 5
    while red.exists(key) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not red.exists(key)
    assert store.issue_ticket("+4512345678", lock_lifetime=1) == 0  # a fresh lock


def test_a_lock_key_lives_as_long_as_its_last_ticket_plus_the_grace(redis_server):
    store = AtomicRedisLockStore(
        host="127.0.0.1", port=redis_server.port, password=redis_server.password
    )
    red = store.red
    store.issue_ticket("emma", lock_lifetime=30)
    assert 85_000 < red.pttl(store.key_prefix + "emma") <= 90_000


def _commands(red: redis.Redis) -> dict[str, int]:
    stats = red.info("commandstats")
    return {
        name.removeprefix("cmdstat_"): int(value["calls"])
        for name, value in stats.items()
        if name != "cmdstat_info"
    }


def test_taking_and_giving_back_a_lock_is_two_redis_commands(redis_server):
    store = AtomicRedisLockStore(
        host="127.0.0.1", port=redis_server.port, password=redis_server.password
    )

    async def one_message():
        async with store.lock("frida"):
            pass

    async def messages() -> dict[str, int]:  # on one event loop, as in a server
        await one_message()  # connected, the scripts loaded on first use
        before = _commands(store.red)
        for _ in range(10):
            await one_message()
        return before

    before = asyncio.run(messages())
    after = _commands(store.red)
    used = {name: after[name] - before.get(name, 0) for name in after}
    used = {name: count for name, count in used.items() if count}
    # two calls a message (issue, finish); Redis counts the scripts' own GET,
    # SET (issue) and GET, DEL (finish) too: no WATCH, MULTI, EXEC, no GET of ours
    assert used == {"evalsha": 20, "get": 20, "set": 10, "del": 10}, used
    assert not store.red.exists(store.key_prefix + "frida")  # nobody waits: gone


def test_a_waiting_ticket_is_served_after_the_one_before_it(redis_server):
    store = AtomicRedisLockStore(
        host="127.0.0.1", port=redis_server.port, password=redis_server.password
    )
    order: list[str] = []

    async def message(name: str, hold: float):
        async with store.lock("gitte", wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    async def both():
        first = asyncio.create_task(message("first", 0.1))
        await asyncio.sleep(0.02)
        await asyncio.gather(first, message("second", 0))

    asyncio.run(both())
    assert order == ["first in", "first out", "second in", "second out"]
    assert store._issued == {}  # nothing left behind

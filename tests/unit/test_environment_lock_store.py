"""The lock store endpoints.yml names is what Rasa creates, and hands on every call.

Rasa creates a custom lock store as ``type(endpoint_config=...)``; the store
it gets is an ``EnvironmentLockStore`` whose ``backend`` holds the locks (in
memory here; Redis in tests/scale/test_lock_store.py and
test_configuration.py, against a real Redis).
"""

import asyncio
import inspect

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import EndpointConfig

from assistant.stores.lock_store import EnvironmentLockStore

# LockStore's own helpers, not calls a store answers
NOT_HANDED_ON = {"create", "create_lock"}


@pytest.fixture
def store(monkeypatch) -> EnvironmentLockStore:
    for name in ("REDIS_HOST", "SANIC_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    return EnvironmentLockStore(EndpointConfig(url="${REDIS_HOST:-}"))


def test_every_call_of_rasas_lock_store_interface_is_handed_to_the_backend():
    interface = {
        name
        for name, member in inspect.getmembers(LockStore, callable)
        if not name.startswith("_") and name not in NOT_HANDED_ON
    }
    assert interface, "Rasa's LockStore has no public methods any more"
    not_handed_on = interface - set(vars(EnvironmentLockStore))
    assert not not_handed_on, (
        f"{sorted(not_handed_on)} would run LockStore's own code on no locks: "
        "hand them to self.backend"
    )


def test_what_rasa_creates_is_the_named_class_with_its_locks_in_memory(store):
    created = LockStore.create(
        EndpointConfig(
            type="assistant.stores.lock_store.EnvironmentLockStore",
            url="${REDIS_HOST:-}",
        )
    )
    assert type(created) is EnvironmentLockStore
    assert isinstance(created.backend, InMemoryLockStore)
    assert isinstance(store.backend, InMemoryLockStore)


def test_tickets_and_locks_live_in_the_backend(store):
    assert store.issue_ticket("anna") == 0
    assert store.issue_ticket("anna") == 1
    assert store.backend.get_lock("anna").last_issued == 1
    assert store.is_someone_waiting("anna")
    store.finish_serving("anna", 0)
    store.cleanup("anna", 1)
    assert store.get_lock("anna") is None
    assert store.backend.get_lock("anna") is None


def test_two_messages_of_one_conversation_are_served_one_after_the_other(store):
    served: list[str] = []

    async def handle(name: str, pause: float) -> None:
        async with store.lock("bente", wait_time_in_seconds=0.01):
            served.append(f"{name} in")
            await asyncio.sleep(pause)
            served.append(f"{name} out")

    async def both() -> None:
        first = asyncio.create_task(handle("first", 0.05))
        await asyncio.sleep(0)
        await handle("second", 0)
        await first

    asyncio.run(both())
    assert served == ["first in", "first out", "second in", "second out"]
    assert store.backend.get_lock("bente") is None


def test_several_workers_without_redis_are_refused(monkeypatch):
    monkeypatch.delenv("REDIS_HOST", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(Exception, match="REDIS_HOST"):
        EnvironmentLockStore(EndpointConfig(url="${REDIS_HOST:-}"))

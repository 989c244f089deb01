"""endpoints.yml with the DB_* and REDIS_* variables set: PostgreSQL and Redis."""

from pathlib import Path

from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.lock_store import AtomicRedisLockStore, EnvironmentLockStore
from assistant.stores.tracker_store import CachedSQLTrackerStore

ENDPOINTS = Path(__file__).resolve().parents[2] / "endpoints.yml"


async def test_the_environment_points_the_stores_at_postgresql_and_redis(
    monkeypatch, postgres, redis_server
):
    for name, value in {**postgres.environment(), **redis_server.environment()}.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS))
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    assert isinstance(store, CachedSQLTrackerStore)
    assert store.engine.url.get_backend_name() == "postgresql"
    tracker = DialogueStateTracker("configured", [])
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    assert (await store.retrieve("configured")) is not None
    locks = LockStore.create(endpoints.lock_store)
    assert isinstance(locks, EnvironmentLockStore)
    assert isinstance(locks.backend, AtomicRedisLockStore)
    assert locks.issue_ticket("configured") == 0

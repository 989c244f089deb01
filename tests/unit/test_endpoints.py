"""The project's endpoints.yml with nothing set: SQLite and in-memory locks.

(With the DB_* and REDIS_* variables set it gives PostgreSQL and Redis:
tests/scale/test_configuration.py, against the real services.)
"""

from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain

from assistant.config.endpoints import read_all_sections
from assistant.stores.lock_store import EnvironmentLockStore
from assistant.stores.tracker_store import CachedSQLTrackerStore

ENDPOINTS = Path(__file__).resolve().parents[2] / "endpoints.yml"
VARIABLES = [
    "DB_DIALECT", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
    "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD", "SANIC_WORKERS",
    "ACTION_SERVER_URL",
]  # fmt: skip


@pytest.fixture
def bare_environment(monkeypatch, tmp_path):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "var").mkdir()
    monkeypatch.chdir(tmp_path)


def test_nothing_set_is_sqlite_in_var_and_locks_in_memory(bare_environment, tmp_path):
    sections = read_all_sections(ENDPOINTS)
    store = TrackerStore.create(sections["tracker_store"], Domain.empty())
    assert isinstance(store, CachedSQLTrackerStore)
    assert store.engine.url.get_backend_name() == "sqlite"
    assert store.engine.url.database == "var/conversations.db"
    assert (tmp_path / "var" / "conversations.db").exists()
    locks = LockStore.create(sections["lock_store"])
    assert isinstance(locks, EnvironmentLockStore)
    assert isinstance(locks.backend, InMemoryLockStore)
    actions = sections["action_endpoint"]
    assert actions is not None and actions.url == "http://127.0.0.1:5055/webhook"


def test_the_action_server_url_comes_from_the_environment(bare_environment):
    environ = {"ACTION_SERVER_URL": "http://actions.internal:5055/webhook"}
    sections = read_all_sections(ENDPOINTS, environ)
    actions = sections["action_endpoint"]
    assert actions is not None
    assert actions.url == "http://actions.internal:5055/webhook"


def test_no_password_is_written_in_endpoints_yml():
    text = ENDPOINTS.read_text()
    assert 'password: "${DB_PASSWORD:-}"' in text
    assert 'password: "${REDIS_PASSWORD:-}"' in text

"""One real action server and one real Rasa server for the whole test session.

Shared by the server tests (tests/server/) and the browser tests (tests/browser/);
unit tests do not ask for them, so they start nothing. Tests of the tracker
store on PostgreSQL get a database server of their module's own.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from harness.servers import ActionServer, RasaServer
from harness.services import Postgres, postgres_binaries

if TYPE_CHECKING:  # Rasa is imported by the tests that use the store
    from assistant.stores.tracker_store import CachedSQLTrackerStore


@pytest.fixture(scope="session")
def action_server(tmp_path_factory) -> Iterator[ActionServer]:
    secret = secrets.token_hex(16)  # as `make run` does: only the bot may call it
    server = ActionServer(tmp_path_factory.mktemp("actions"), secret=secret).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bot(tmp_path_factory, action_server) -> Iterator[RasaServer]:
    workdir = tmp_path_factory.mktemp("rasa")
    server = RasaServer(
        workdir,
        workdir / "conversations.db",
        action_server.url,
        action_secret=action_server.secret,
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[Postgres]:
    """A PostgreSQL server for this test module alone (Debian's package)."""
    try:
        postgres_binaries()
    except RuntimeError:
        pytest.skip("PostgreSQL (Debian's postgresql package) is not installed")
    server = Postgres().start()
    yield server
    server.remove()


@pytest.fixture
def postgres_store(postgres_database) -> Callable[..., CachedSQLTrackerStore]:
    """Makes the project's tracker store on this module's PostgreSQL."""

    def store(**settings: Any) -> CachedSQLTrackerStore:
        from rasa.shared.core.domain import Domain

        from assistant.stores.tracker_store import CachedSQLTrackerStore

        return CachedSQLTrackerStore(
            Domain.empty(), **postgres_database.store_settings(), **settings
        )

    return store


_senders = itertools.count()


@pytest.fixture
def sender(request) -> str:
    """A fresh conversation id per test, safe in a URL path."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)[:80]
    return f"{name}-{next(_senders)}"

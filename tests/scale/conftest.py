"""Real PostgreSQL, Redis, HAProxy and Rasa servers on 127.0.0.1 (`make test-scale`).

The services come from Debian's packages (`make services`) and run in
temporary folders on free ports; every fixture stops what it started.
"""

from collections.abc import Iterator

import pytest

from harness.services import Postgres, Redis


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[Redis]:
    server = Redis(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres().start()
    yield server
    server.remove()

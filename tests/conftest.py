"""One real action server and one real Rasa server for the whole test session.

Shared by the server tests (tests/server/) and the browser tests (tests/browser/);
unit tests do not ask for them, so they start nothing.
"""

import itertools
import re
from collections.abc import Iterator

import pytest

from harness.servers import ActionServer, RasaServer


@pytest.fixture(scope="session")
def action_server(tmp_path_factory) -> Iterator[ActionServer]:
    server = ActionServer(tmp_path_factory.mktemp("actions")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bot(tmp_path_factory, action_server) -> Iterator[RasaServer]:
    workdir = tmp_path_factory.mktemp("rasa")
    server = RasaServer(
        workdir, workdir / "conversations.db", action_server.url
    ).start()
    yield server
    server.stop()


_senders = itertools.count()


@pytest.fixture
def sender(request) -> str:
    """A fresh conversation id per test, safe in a URL path."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)[:80]
    return f"{name}-{next(_senders)}"

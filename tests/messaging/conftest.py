"""A Rasa server with WhatsApp (Twilio) switched on, and a fake Twilio to answer.

The server runs the shipped credentials.yml with the Twilio variables set
(``FakeTwilio.environment``): its webhook URL is the public one Twilio's
console would name (``https://bot.example.dk/...``, no traffic goes there),
and the requests reach it on 127.0.0.1 signed over that URL, as behind the
load balancer. The action server is the session's (tests/conftest.py).
"""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.fake_twilio import FakeTwilio, TwilioWebhook
from harness.servers import RasaServer

PUBLIC_URL = "https://bot.example.dk/webhooks/twilio/webhook"


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


# one server per test module, stopped before the next module's servers start
@pytest.fixture(scope="module")
def whatsapp_bot(tmp_path_factory, action_server, fake_twilio) -> Iterator[RasaServer]:
    workdir = tmp_path_factory.mktemp("whatsapp")
    server = RasaServer(
        workdir,
        workdir / "conversations.db",
        action_server.url,
        action_secret=action_server.secret,
        extra_env=fake_twilio.environment(PUBLIC_URL),
        name="whatsapp",
    ).start()
    yield server
    server.stop()


@pytest.fixture
def twilio(whatsapp_bot, fake_twilio) -> TwilioWebhook:
    return TwilioWebhook(whatsapp_bot.url, PUBLIC_URL, fake_twilio.auth_token)


def stored_rows(database: Path, sender: str) -> int:
    """How many events of a conversation the database holds."""
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()
    return int(count)

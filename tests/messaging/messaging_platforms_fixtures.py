"""A Rasa server with Telegram, Messenger and Slack switched on, and their fake APIs.

The server is started as `make run` starts it, with the shipped
credentials.yml and each platform's variables in its environment, the
platforms' APIs pointed at ``harness/fake_platforms.py`` by their
``*_API_URL`` variables. Test modules import the fixtures they use; each
module gets its own server (one at a time), as pytest would make one per
importing module anyway.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Iterator

import pytest

from harness.fake_platforms import FakePlatforms
from harness.servers import RasaServer

TELEGRAM_TOKEN = "123456789:" + secrets.token_urlsafe(26)[:35]
TELEGRAM_SECRET = secrets.token_urlsafe(32)
TELEGRAM_WEBHOOK = "https://bot.example.org/webhooks/telegram/webhook"
FACEBOOK_VERIFY_TOKEN = secrets.token_urlsafe(16)
FACEBOOK_APP_SECRET = secrets.token_hex(16)
FACEBOOK_PAGE_TOKEN = "EAAG" + secrets.token_urlsafe(24)
SLACK_BOT_TOKEN = "xoxb-" + secrets.token_hex(12)
SLACK_SIGNING_SECRET = secrets.token_hex(16)

_ids = itertools.count(1)


def new_id() -> int:
    """A platform user id no other test uses."""
    return 700_000_000 + secrets.randbelow(1_000_000) * 100 + next(_ids)


@pytest.fixture(scope="module")
def fake_platforms() -> Iterator[FakePlatforms]:
    platforms = FakePlatforms().start()
    yield platforms
    platforms.stop()


@pytest.fixture(scope="module")
def platform_bot(
    tmp_path_factory, action_server, fake_platforms: FakePlatforms
) -> Iterator[RasaServer]:
    workdir = tmp_path_factory.mktemp("platforms")
    server = RasaServer(
        workdir,
        workdir / "conversations.db",
        action_server.url,
        action_secret=action_server.secret,
        extra_env={
            "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
            "TELEGRAM_BOT_NAME": "bekkenbot",
            "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK,
            "TELEGRAM_API_URL": fake_platforms.telegram_api_url,
            "FACEBOOK_VERIFY_TOKEN": FACEBOOK_VERIFY_TOKEN,
            "FACEBOOK_APP_SECRET": FACEBOOK_APP_SECRET,
            "FACEBOOK_PAGE_ACCESS_TOKEN": FACEBOOK_PAGE_TOKEN,
            "FACEBOOK_API_URL": fake_platforms.graph_api_url,
            "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
            "SLACK_API_URL": fake_platforms.slack_api_url,
        },
    ).start()
    # the server sets Telegram's webhook in the background once it is up (a
    # slow Telegram must not hold the start): the tests begin after it did,
    # so none sees the call arrive in the middle (CI: a test that read the
    # calls first found none, its error message printed the call)
    deadline = time.monotonic() + 30
    while not any(
        call.fields.get("url") == TELEGRAM_WEBHOOK
        for call in fake_platforms.received("telegram", "setWebhook")
    ):
        assert time.monotonic() < deadline, "the server never set the webhook"
        time.sleep(0.05)
    yield server
    server.stop()

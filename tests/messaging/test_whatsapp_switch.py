"""Setting the Twilio variables is all it takes: without them, no Twilio route."""

from collections.abc import Iterator

import pytest
import requests

from harness.servers import RasaServer

TWILIO_VARIABLES = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WEBHOOK_URL")


@pytest.fixture
def bot_without_platforms(tmp_path_factory, action_server) -> Iterator[RasaServer]:
    workdir = tmp_path_factory.mktemp("no-platforms")
    server = RasaServer(
        workdir,
        workdir / "conversations.db",
        action_server.url,
        action_secret=action_server.secret,
        extra_env={variable: "" for variable in TWILIO_VARIABLES},
        name="no-platforms",
    ).start()
    yield server
    server.stop()


def test_without_its_variables_the_server_starts_and_serves_no_twilio_route(
    bot_without_platforms,
):
    url = bot_without_platforms.url
    assert requests.get(f"{url}/webhooks/twilio/", timeout=10).status_code == 404
    posted = requests.post(
        f"{url}/webhooks/twilio/webhook",
        data={"From": "whatsapp:+4520000000", "Body": "Hej"},
        timeout=10,
    )
    assert posted.status_code == 404
    assert requests.get(f"{url}/webhooks/rest/", timeout=10).status_code == 200
    log = bot_without_platforms.log.read_text()
    assert (
        "The twilio channel is off: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, "
        "TWILIO_WEBHOOK_URL to switch it on." in log
    )


def test_with_its_variables_the_twilio_route_is_served(whatsapp_bot):
    answer = requests.get(f"{whatsapp_bot.url}/webhooks/twilio/", timeout=10)
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    assert "twilio channel is off" not in whatsapp_bot.log.read_text()

"""A messaging channel is served only when every variable it needs is set."""

import logging
from pathlib import Path

import pytest

from assistant.config import credentials
from assistant.config.credentials import create_http_input_channels, is_switched_on

SHIPPED = str(Path(__file__).resolve().parents[2] / "credentials.yml")
TWILIO_VARIABLES = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "token",
    "TWILIO_WEBHOOK_URL": "https://bot.example.dk/webhooks/twilio/webhook",
}


@pytest.mark.parametrize(
    ("settings", "on"),
    [
        ({"token": "t", "secret": "s"}, True),
        ({"token": "t", "secret": "s", "other": ""}, True),
        ({"token": "t"}, False),
        ({"token": "t", "secret": ""}, False),
        ({"token": "t", "secret": None}, False),
        ({"token": "t", "secret": 7}, False),
        ({}, False),
        (None, False),
    ],
)
def test_on_only_when_every_required_setting_is_a_non_empty_string(settings, on):
    assert is_switched_on(settings, ("token", "secret")) is on


def test_a_channel_that_requires_nothing_is_on():
    assert is_switched_on(None, ())


def names(channels):
    return sorted(channel.name() for channel in channels)


@pytest.fixture
def no_twilio(monkeypatch):
    for variable in [*TWILIO_VARIABLES, "TWILIO_NUMBER", "TWILIO_API_URL"]:
        monkeypatch.delenv(variable, raising=False)


def test_the_shipped_file_serves_twilio_only_when_its_variables_are_set(
    no_twilio, monkeypatch, caplog
):
    with caplog.at_level(logging.INFO, logger=credentials.__name__):
        off = create_http_input_channels(None, SHIPPED)
    assert "twilio" not in names(off)
    assert {"rest", "socketio", "callback", "widget"} <= set(names(off))
    [line] = [r.getMessage() for r in caplog.records if "twilio" in r.getMessage()]
    assert line == (
        "The twilio channel is off: set "
        "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WEBHOOK_URL to switch it on."
    )

    for variable, value in TWILIO_VARIABLES.items():
        monkeypatch.setenv(variable, value)
    on = create_http_input_channels(None, SHIPPED)
    assert names(on) == sorted([*names(off), "twilio"])


def test_one_variable_missing_keeps_it_off_and_the_log_names_only_that_one(
    no_twilio, monkeypatch, caplog
):
    for variable, value in TWILIO_VARIABLES.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
    with caplog.at_level(logging.INFO, logger=credentials.__name__):
        channels = create_http_input_channels(None, SHIPPED)
    assert "twilio" not in names(channels)
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "set TWILIO_AUTH_TOKEN to switch it on" in messages
    assert "bot.example.dk" not in messages and "AC000" not in messages  # no values


def test_a_named_connector_that_is_off_is_not_served_either(no_twilio):
    connector = "assistant.channels.messaging.twilio.TwilioChannel"
    assert create_http_input_channels(connector, SHIPPED) == []

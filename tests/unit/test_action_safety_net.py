"""What replaces a failed custom action, and how long one may take."""

from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActiveLoop, BotUttered, FollowupAction, SlotSet

from assistant.action_safety_net import (
    DEFAULT_TIMEOUT_SECONDS,
    TIMEOUT_ENVIRONMENT_VARIABLE,
    configured_timeout,
    fallback_events,
)


def test_outside_a_form_the_apology_is_sent_and_the_bot_listens():
    events = fallback_events([{"text": "Sorry"}], active_loop=None)
    assert isinstance(events[0], BotUttered) and events[0].text == "Sorry"
    assert events[1:] == [FollowupAction(ACTION_LISTEN_NAME)]


def test_inside_a_form_the_form_is_ended_too():
    events = fallback_events([{"text": "Sorry"}], active_loop="referral_form")
    assert events[1:] == [
        ActiveLoop(None),
        SlotSet(REQUESTED_SLOT, None),
        FollowupAction(ACTION_LISTEN_NAME),
    ]


def test_buttons_of_the_reply_are_kept():
    buttons = [{"title": "Hjælp", "payload": "/help"}]
    [utterance, _] = fallback_events([{"text": "Sorry", "buttons": buttons}], None)
    assert utterance.data["buttons"] == buttons


def test_timeout_comes_from_the_environment_then_the_config(monkeypatch):
    monkeypatch.delenv(TIMEOUT_ENVIRONMENT_VARIABLE, raising=False)
    assert configured_timeout({}) == DEFAULT_TIMEOUT_SECONDS
    assert configured_timeout({"timeout": 2}) == 2.0
    monkeypatch.setenv(TIMEOUT_ENVIRONMENT_VARIABLE, "1.5")
    assert configured_timeout({"timeout": 2}) == 1.5
    monkeypatch.setenv(TIMEOUT_ENVIRONMENT_VARIABLE, "soon")
    assert configured_timeout({}) == DEFAULT_TIMEOUT_SECONDS

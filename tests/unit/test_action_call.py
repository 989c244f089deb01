"""What a custom action call carries of the domain and the conversation.

Rasa sends the whole domain and every event to every form validation action;
the project's call sends a validation action that does not ask for it the
domain without its responses and the events from her last message on
(assistant/server/action_call.py). Whether the referral check
still works with that is the server tests' job (tests/server/test_referral.py,
a real action server); here the call itself, on the shipped files.
"""

from __future__ import annotations

import ast
import json

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig

from assistant.config.endpoints import read_section
from assistant.server import action_call
from assistant.server.action_call import (
    declares_send_domain,
    domain_for_call,
    events_since_her_last_message,
)
from tests.responses import ROOT, rasa_domain

DOMAIN = {
    "version": "3.1",
    "slots": {"referral_stage": {"type": "text"}},
    "forms": {"referral_form": {"required_slots": ["referral_stage"]}},
    "actions": [
        {"action_suggest_topics": {"send_domain": True}},
        {"validate_asked_form": {"send_domain": True}},
        {"validate_declined_form": {"send_domain": False}},
        "validate_referral_form",
        "action_referral_advice",
    ],
    "responses": {"utter_greet": [{"text": "Hej"}]},
}
WITHOUT_RESPONSES = {key: value for key, value in DOMAIN.items() if key != "responses"}


@pytest.mark.parametrize(
    ("action", "carried"),
    [
        ("validate_referral_form", WITHOUT_RESPONSES),  # Rasa's rule, not asked
        ("validate_declined_form", WITHOUT_RESPONSES),  # send_domain: false
        ("validate_asked_form", DOMAIN),  # send_domain: true
        ("action_suggest_topics", DOMAIN),  # Rasa sends it because it asked
        ("action_referral_advice", DOMAIN),  # (Rasa sends it none)
        ("action_not_in_the_domain", DOMAIN),
    ],
)
def test_what_a_call_carries_of_the_domain_rasa_would_send(action, carried):
    assert domain_for_call(DOMAIN, action) == carried


@pytest.mark.parametrize(
    ("action", "declared"),
    [
        ("action_suggest_topics", True),
        ("validate_asked_form", True),
        ("validate_declined_form", False),
        ("validate_referral_form", False),
        ("unknown", False),
    ],
)
def test_which_actions_declare_send_domain(action, declared):
    assert declares_send_domain(DOMAIN, action) is declared


def test_no_actions_list_declares_nothing():
    assert not declares_send_domain({}, "validate_referral_form")
    assert not declares_send_domain({"actions": [{"x": None}]}, "x")


START = [SessionStarted(), ActionExecuted("action_listen")]
FIRST = UserUttered("Hej", {"name": "greet"})
GREETED = [ActionExecuted("utter_greet"), BotUttered("Hej!")]
LAST = UserUttered("gravid", {"name": "inform"})
CANDIDATE = SlotSet("referral_stage", "gravid")


@pytest.mark.parametrize(
    ("events", "since"),
    [
        ([], []),
        (START, START),  # she has said nothing: everything
        ([*START, FIRST], [FIRST]),
        ([*START, FIRST, *GREETED], [FIRST, *GREETED]),
        ([*START, FIRST, *GREETED, LAST, CANDIDATE], [LAST, CANDIDATE]),
        ([FIRST, LAST], [LAST]),
    ],
)
def test_the_events_since_her_last_message(events, since):
    assert events_since_her_last_message(events) == since


def _long_conversation() -> DialogueStateTracker:
    """Forty turns of questions, then the check's question with a candidate."""
    events = list(START)
    for turn in range(40):
        events += [UserUttered(f"spørgsmål {turn}", {"name": "faq"}), *GREETED]
        events.append(ActionExecuted("action_listen"))
    events += [ActiveLoop("referral_form"), SlotSet("requested_slot", "referral_stage")]
    events += [ActionExecuted("action_listen"), LAST, CANDIDATE]
    return DialogueStateTracker.from_events("her", events)


def calls(
    endpoint: EndpointConfig, tracker: DialogueStateTracker | None = None
) -> dict[str, dict]:
    """The call Rasa makes to each custom action, with the project's format."""
    domain = rasa_domain()
    tracker = tracker or DialogueStateTracker.from_events("her", [])
    return {
        name: action_call.action_call_format(
            RemoteAction(name, endpoint), tracker, domain
        )
        for name in domain.user_actions
        if name.startswith(("action_", "validate_"))
    }


def test_the_forms_validation_gets_the_shipped_domain_without_its_responses():
    shipped = read_section(ROOT / "endpoints.yml", "action_endpoint")
    sent = calls(shipped)
    domain = rasa_domain().as_dict()
    validation = sent["validate_referral_form"]["domain"]
    assert "responses" not in validation
    # what rasa-sdk's FormValidationAction reads is all there
    assert validation["forms"] == domain["forms"]
    assert validation["slots"] == domain["slots"]
    assert len(json.dumps(validation)) < 10_000 < len(json.dumps(domain))
    # the ask-back reads the responses (which topics have a button): all of it
    assert sent["action_suggest_topics"]["domain"] == domain
    assert "domain" not in sent["action_referral_advice"]


def test_without_the_selective_domain_every_action_gets_the_whole_domain():
    everything = EndpointConfig(url="http://127.0.0.1:5055/webhook")
    domain = rasa_domain().as_dict()
    for call in calls(everything).values():
        assert call["domain"] == domain


def test_the_forms_validation_gets_this_turn_and_the_state_rasa_sends():
    shipped = read_section(ROOT / "endpoints.yml", "action_endpoint")
    tracker = _long_conversation()
    sent = calls(shipped, tracker)
    validation = sent["validate_referral_form"]["tracker"]
    # what rasa-sdk's validation reads: her message, then the candidate
    assert validation["events"] == [LAST.as_dict(), CANDIDATE.as_dict()]
    rasas = tracker.current_state(EventVerbosity.ALL)
    assert {k: v for k, v in validation.items() if k != "events"} == {
        k: v for k, v in rasas.items() if k != "events"
    }
    assert validation["slots"]["referral_stage"] == "gravid"
    assert validation["active_loop"]["name"] == "referral_form"
    assert sent["validate_referral_form"]["next_action"] == "validate_referral_form"
    assert validation["active_loop"]["trigger_message"]["text"] == "spørgsmål 39"
    assert len(rasas["events"]) > 100


def test_every_action_but_the_declared_ones_gets_only_this_turns_events():
    # the project's actions read the slots and her latest message (see the
    # test below): a call no longer grows with the conversation
    shipped = read_section(ROOT / "endpoints.yml", "action_endpoint")
    tracker = _long_conversation()
    domain = rasa_domain()
    sent = calls(shipped, tracker)
    assert {"action_referral_advice", "action_reset_referral"} <= set(sent)
    for name, call in sent.items():
        rasa_call = action_call.rasa_action_call_format(
            RemoteAction(name, shipped), tracker, domain
        )
        if action_call.declares_send_domain(domain.as_dict(), name):
            assert call == rasa_call, name  # the ask-back: all Rasa sends
            continue
        assert call["tracker"]["events"] == [LAST.as_dict(), CANDIDATE.as_dict()]
        assert {k: v for k, v in call["tracker"].items() if k != "events"} == {
            k: v for k, v in rasa_call["tracker"].items() if k != "events"
        }, name
        assert len(rasa_call["tracker"]["events"]) > 100


# rasa-sdk's Tracker attributes and methods that read the conversation's
# events (her latest message, the slots and the active form come whole)
READS_EVENTS = {
    "events",
    "applied_events",
    "events_after_latest_restart",
    "get_last_event_for",
    "idx_after_latest_restart",
}


def test_no_custom_action_reads_the_conversations_events():
    # what lets a call carry only this turn's events: an action that needs
    # the history declares send_domain: true in domain.yml and gets it all
    sources = sorted((ROOT / "actions").rglob("*.py"))
    assert len(sources) > 3
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Attribute):
                assert node.attr not in READS_EVENTS, f"{source}:{node.lineno}"


def test_the_check_of_the_actions_sees_a_read_of_the_events():
    found = [
        node.attr
        for node in ast.walk(
            ast.parse("n = len(tracker.events)\nimport rasa_sdk.events")
        )
        if isinstance(node, ast.Attribute)
    ]
    assert found == ["events"]


def test_without_the_selective_domain_every_call_is_rasas():
    everything = EndpointConfig(url="http://127.0.0.1:5055/webhook")
    tracker = _long_conversation()
    domain = rasa_domain()
    for name, call in calls(everything, tracker).items():
        assert call == action_call.rasa_action_call_format(
            RemoteAction(name, everything), tracker, domain
        )


def test_is_empty_answers_as_rasas():
    for domain in (Domain.empty(), Domain.from_dict({}), rasa_domain()):
        assert action_call.is_empty(domain) == action_call.rasa_is_empty(domain)
    assert action_call.is_empty(Domain.empty())
    assert not action_call.is_empty(rasa_domain())

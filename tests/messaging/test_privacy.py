"""Which messages ask to erase, answer the question, or start a conversation."""

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.channels.messaging import privacy


@pytest.mark.parametrize(
    "text",
    [
        "slet",
        "Slet",
        " SLET! ",
        "slet samtalen",
        "delete",
        "Delete.",
        "glem mig",
        "Glem  mig",
        "«slet»",
        privacy.ERASE_PAYLOAD,  # "erase" pressed on a question no longer open
    ],
)
def test_erase_requests(text):
    assert privacy.is_erase_request(text)


@pytest.mark.parametrize(
    "text",
    ["slet mine data om feber", "hvordan sletter jeg?", "deleted", "glem det", "", "1"],
)
def test_other_messages_are_not(text):
    assert not privacy.is_erase_request(text)


def test_the_question_is_asked_in_the_language_of_the_request():
    assert privacy.request_language("delete", None) == "en"
    assert privacy.request_language("slet", "en") == "da"
    assert privacy.request_language("glem mig", None) == "da"


@pytest.mark.parametrize(
    ("text", "picked", "choice"),
    [
        ("1", privacy.ERASE_PAYLOAD, privacy.ERASE_PAYLOAD),
        ("2", privacy.KEEP_PAYLOAD, privacy.KEEP_PAYLOAD),
        ("Ja", None, privacy.ERASE_PAYLOAD),
        ("yes!", None, privacy.ERASE_PAYLOAD),
        ("nej", None, privacy.KEEP_PAYLOAD),
        ("hvad med feber?", None, None),
        ("3", None, None),
        (privacy.ERASE_PAYLOAD, None, privacy.ERASE_PAYLOAD),  # a pressed button
        (privacy.KEEP_PAYLOAD, None, privacy.KEEP_PAYLOAD),
        ("/faq/recurrence", None, None),
    ],
)
def test_answers_to_the_question(text, picked, choice):
    assert privacy.confirmation(text, picked) == choice


def test_only_the_keep_buttons_payload_is_a_keep_press():
    assert privacy.is_keep_payload(privacy.KEEP_PAYLOAD)
    assert not privacy.is_keep_payload("nej")
    assert not privacy.is_keep_payload("2")


def tracker(*events):
    return DialogueStateTracker.from_events("whatsapp:+4512345678", list(events))


def test_a_conversation_is_new_until_she_has_said_something():
    assert privacy.is_new_conversation(None)
    assert privacy.is_new_conversation(tracker(ActionExecuted("action_listen")))
    assert not privacy.is_new_conversation(tracker(UserUttered("hej")))


def test_the_question_is_open_until_she_answers_anything():
    prompt = privacy.erase_prompt("da")
    assert prompt.data["buttons"][0] == {
        "title": "Ja, slet den",
        "payload": privacy.ERASE_PAYLOAD,
    }
    asked = tracker(UserUttered("hej"), BotUttered("Hej!"), prompt)
    assert privacy.is_erase_prompt_open(asked)
    assert privacy.offered_buttons(asked) == prompt.data["buttons"]
    answered = tracker(UserUttered("hej"), prompt, UserUttered("feber"))
    assert not privacy.is_erase_prompt_open(answered)
    assert privacy.offered_buttons(answered) == []
    kept = tracker(UserUttered("hej"), prompt, BotUttered("Samtalen er ikke slettet."))
    assert not privacy.is_erase_prompt_open(kept)


def test_the_latest_buttons_since_her_last_message_are_offered():
    buttons = [{"title": "Ja", "payload": "/affirm"}]
    offered = tracker(
        UserUttered("ondt"),
        BotUttered("Har du feber?", data={"buttons": buttons}),
        BotUttered("Svar gerne."),
    )
    assert privacy.offered_buttons(offered) == buttons

"""What clients learn about a bot message, and the widget's history."""

import pytest

from assistant.channels.reply_metadata import (
    MetadataCollectingOutputChannel,
    is_faq_answer,
    is_urgent,
    reply_metadata,
)
from assistant.channels.widget_transcript import transcript


def test_the_response_metadata_and_name_are_passed_on():
    message = {"metadata": {"urgent": True}, "utter_action": "utter_urgent", "id": 1}
    assert reply_metadata(message) == {"urgent": True, "response": "utter_urgent"}
    assert reply_metadata({}) == {}
    assert reply_metadata({"metadata": "nonsense", "utter_action": None}) == {}


def test_urgent_and_faq_answers_are_recognised():
    assert is_urgent({"urgent": True})
    assert not is_urgent({"urgent": "yes"}) and not is_urgent({})
    assert is_faq_answer({"response": "utter_faq/recurrence"})
    assert not is_faq_answer({"response": "utter_greet"}) and not is_faq_answer({})


@pytest.mark.asyncio
async def test_the_rest_collector_keeps_metadata_on_every_part():
    messages: list = []
    channel = MetadataCollectingOutputChannel(messages)
    await channel.send_response(
        "anna",
        {
            "text": "Ring 112.\n\nNu.",
            "metadata": {"urgent": True},
            "utter_action": "utter_urgent",
        },
    )
    await channel.send_response("anna", {"text": "Hej", "buttons": [{"title": "a"}]})
    assert messages == [
        {
            "recipient_id": "anna",
            "text": "Ring 112.",
            "metadata": {"urgent": True, "response": "utter_urgent"},
        },
        {
            "recipient_id": "anna",
            "text": "Nu.",
            "metadata": {"urgent": True, "response": "utter_urgent"},
        },
        {"recipient_id": "anna", "text": "Hej", "buttons": [{"title": "a"}]},
    ]


MENU = [
    {"title": "Hvor gør det ondt?", "payload": "/faq/symptoms"},
    {"title": "Hvem skal jeg kontakte?", "payload": "/ask_referral"},
]


def _bot(text, time, response=None, buttons=None, urgent=False):
    metadata = {"utter_action": response} if response else {}
    if urgent:
        metadata["metadata"] = {"urgent": True}
    return {
        "event": "bot",
        "text": text,
        "timestamp": time,
        "data": {"buttons": buttons},
        "metadata": metadata,
    }


def _user(text, time, metadata=None):
    return {"event": "user", "text": text, "timestamp": time, "metadata": metadata}


def test_history_keeps_metadata_times_spent_buttons_and_ratings():
    events = [
        _user("/greet", 1),
        _bot("Hej!", 2, "utter_greet"),
        _user("hvad kan du?", 3),
        _bot("Vælg et emne", 4, "utter_help", MENU),
        _user("/faq/symptoms", 5),
        _bot("Typisk foran ...", 6, "utter_faq/symptoms", MENU[1:]),
        _bot("Eller vælg et andet emne", 6.5, "utter_help", MENU),
        _user("/feedback_unhelpful", 7, {"feedback_for": {"response": "x"}}),
        _user("/feedback_helpful", 8),
        _user("jeg faldt", 9),
        _bot("Ring 112", 10, "utter_urgent", urgent=True),
    ]
    messages = transcript(events)
    assert [(m["from"], m["text"]) for m in messages] == [
        ("bot", "Hej!"),
        ("user", "hvad kan du?"),
        ("bot", "Vælg et emne"),
        ("user", "Hvor gør det ondt?"),
        ("bot", "Typisk foran ..."),
        ("bot", "Eller vælg et andet emne"),
        ("user", "jeg faldt"),
        ("bot", "Ring 112"),
    ]
    assert [m["time"] for m in messages] == [2, 3, 4, 5, 6, 6.5, 9, 10]
    menu, answer, urgent = messages[2], messages[4], messages[7]
    assert menu["answered"] is True
    # she typed on after a reply of two offers: both are spent
    assert answer["answered"] is True and messages[5]["answered"] is True
    assert "answered" not in urgent
    # the rating naming another answer marks nothing; the plain one the latest
    assert answer["feedback"] == "helpful"
    assert answer["metadata"] == {"response": "utter_faq/symptoms"}
    assert urgent["metadata"] == {"urgent": True, "response": "utter_urgent"}

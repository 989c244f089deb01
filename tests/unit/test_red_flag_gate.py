"""The red-flag gate overrides the classifier only when a red flag is named."""

from rasa.shared.nlu.training_data.message import Message

from assistant.red_flag_gate import RedFlagGate


def _message(text, intent, confidence):
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [
                {"name": intent, "confidence": confidence},
                {"name": "urgent", "confidence": 0.01},
            ],
        }
    )


def test_a_red_flag_mistaken_for_a_faq_question_becomes_urgent():
    gate = RedFlagGate.create({}, None, None, None)
    [message] = gate.process([_message("baby has barely moved today", "faq", 0.9)])
    assert message.get("intent") == {"name": "urgent", "confidence": 1.0}
    assert [entry["name"] for entry in message.get("intent_ranking")] == [
        "urgent",
        "faq",
    ]
    assert message.get("red_flags") == ["baby_moving_less"]


def test_other_messages_keep_their_intent():
    gate = RedFlagGate.create({}, None, None, None)
    [message] = gate.process([_message("Will it come back?", "faq", 0.9)])
    assert message.get("intent") == {"name": "faq", "confidence": 0.9}
    assert message.get("red_flags") is None

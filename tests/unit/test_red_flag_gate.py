"""The red-flag gate overrides the classifier only when a red flag is named."""

from rasa.shared.nlu.training_data.message import Message

from assistant.nlu import red_flag_gate
from assistant.nlu.red_flag_gate import RedFlagGate
from assistant.text import symptom_reports
from assistant.text.red_flags import read_red_flags


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


def _ranked(text, *ranking):
    return Message(
        data={
            "text": text,
            "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        }
    )


def test_denied_red_flags_taken_for_urgent_get_the_next_best_intent():
    gate = RedFlagGate.create({}, None, None, None)
    [message] = gate.process(
        [_ranked("nej, ingen blødning eller feber", ("urgent", 0.7), ("deny", 0.2))]
    )
    assert message.get("intent") == {"name": "deny", "confidence": 0.2}
    assert message.get("denied_red_flags") == ["bleeding", "fever"]
    assert message.get("red_flags") is None


def test_a_denial_the_classifier_did_not_take_for_urgent_keeps_its_intent():
    gate = RedFlagGate.create({}, None, None, None)
    [message] = gate.process(
        [_ranked("no bleeding or fever", ("deny", 0.8), ("urgent", 0.1))]
    )
    assert message.get("intent") == {"name": "deny", "confidence": 0.8}


def test_one_affirmed_flag_among_denied_ones_is_urgent():
    gate = RedFlagGate.create({}, None, None, None)
    [message] = gate.process(
        [_ranked("ingen blødning, men jeg har feber", ("deny", 0.8), ("urgent", 0.1))]
    )
    assert message.get("intent") == {"name": "urgent", "confidence": 1.0}
    assert message.get("red_flags") == ["fever"]


def test_only_urgent_in_the_ranking_becomes_the_ask_back():
    gate = RedFlagGate.create({}, None, None, None)
    [message] = gate.process([_ranked("no bleeding", ("urgent", 0.9))])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_urgent_from_the_classifier_alone_starts_the_check_unless_very_sure():
    gate = RedFlagGate.create({"classifier_alone_threshold": 0.9}, None, None, None)
    [unsure, sure] = gate.process(
        [
            _ranked("uge 30 og ondt i bækkenet", ("urgent", 0.6), ("faq", 0.3)),
            _ranked("something strange is happening", ("urgent", 0.95)),
        ]
    )
    assert unsure.get("intent") == {"name": "report_pain", "confidence": 0.6}
    assert sure.get("intent") == {"name": "urgent", "confidence": 0.95}


def test_a_denial_then_her_own_pain_starts_the_check_whatever_the_classifier_said():
    gate = RedFlagGate.create({}, None, None, None)
    texts = [
        "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på trapper",
        "No bleeding or fever, but my pelvis hurts when I climb stairs",
    ]
    for first in ("deny", "urgent", "faq"):
        messages = gate.process(
            [_ranked(text, (first, 0.7), ("report_pain", 0.2)) for text in texts]
        )
        for message in messages:
            assert message.get("intent") == {"name": "report_pain", "confidence": 1.0}
            assert message.get("denied_red_flags") == ["bleeding", "fever"]
            assert message.get("red_flags") is None
            # the referral check reads the same verdict as a no to the signs
            assert message.get("denial_then_own_pain") is True
            assert "denial_then_own_pain" in message.as_dict_nlu()


def test_the_affirmed_flags_are_on_the_message_for_the_urgent_reply():
    gate = RedFlagGate.create({}, None, None, None)
    [message] = gate.process(
        [_ranked("jeg besvimede og bløder kraftigt", ("faq", 0.7), ("urgent", 0.2))]
    )
    assert message.get("intent") == {"name": "urgent", "confidence": 1.0}
    assert message.get("red_flags") == ["heavy_bleeding", "fainting"]


def test_bleeding_soon_after_the_birth_starts_the_check_however_sure_the_classifier():
    gate = RedFlagGate.create({"classifier_alone_threshold": 0.9}, None, None, None)
    [message] = gate.process(
        [_ranked("5 weeks pp and still a bit of bleeding", ("urgent", 0.97))]
    )
    assert message.get("intent") == {"name": "report_pain", "confidence": 0.97}
    assert message.get("red_flags") is None


def test_the_gate_reads_a_messages_red_flags_once(monkeypatch):
    # the denial check gets the gate's reading: the whole text is read once
    # (before, twice for every message with "men"/"but"), its denial part once
    read: list[str] = []

    def counting(text):
        read.append(text.lower())
        return read_red_flags(text)

    monkeypatch.setattr(red_flag_gate, "read_red_flags", counting)
    monkeypatch.setattr(symptom_reports, "read_red_flags", counting)
    gate = RedFlagGate.create({}, None, None, None)
    text = "Nej, ingen blødning eller feber, men bækkenet gør ondt på trapper"
    [message] = gate.process([_message(text, "deny", 0.8)])
    assert message.get("denial_then_own_pain") is True
    assert message.get("intent") == {"name": "report_pain", "confidence": 1.0}
    assert read == [text.lower(), "nej, ingen blødning eller feber, "]

"""Her own severe or worsening pain with a plea for help starts the referral check."""

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.symptom_report_gate import SymptomReportGate
from assistant.text.symptom_reports import denial_then_own_pain, is_symptom_report
from evaluation.metrics import labelled_examples

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        "I'm in so much pain I can hardly walk, what should I do?",
        "the pain has got much worse, should I do something?",
        "my pelvis is killing me, help",
        "my spd is so bad i can't sleep, any advice?",
        "jeg har så ondt at jeg næsten ikke kan gå, hvad skal jeg gøre?",
        "smerterne er blevet meget værre, skal jeg gøre noget?",
        "bækkenet gør vildt ondt og jeg kan ikke mere, hjælp",
        "har saa ondt i baekkenet at jeg ikke kan gaa, hvad skal jeg goere",
    ],
)
def test_severe_or_worsening_pain_with_a_request_is_a_symptom_report(text):
    assert is_symptom_report(text)


@pytest.mark.parametrize(
    "text",
    [
        "where does it hurt with PGP?",
        "hvor gør det ondt ved bækkenløsning?",
        "what should i avoid so the pelvic pain doesnt get worse",
        "my pelvis hurts",  # no plea for help: an ordinary report
        "the pain got worse",  # no plea for help
        "what should I do about pelvic pain?",  # no severity: a FAQ question
        "/ask_referral",
        "",
    ],
)
def test_other_messages_are_not_symptom_reports(text):
    assert not is_symptom_report(text)


@pytest.mark.parametrize(
    "path",
    [
        "data/faq/nlu_faq_da.yml",
        "data/faq/nlu_faq_en.yml",
        "tests/heldout/heldout_da.yml",
        "tests/heldout/heldout_en.yml",
    ],
)
def test_no_faq_question_is_taken_for_a_symptom_report(path):
    examples = labelled_examples(yaml.safe_load((ROOT / path).read_text("utf-8")))
    assert [
        t for t, label in examples if label.startswith("faq/") and is_symptom_report(t)
    ] == []


def _message(text, intent):
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.6},
            "intent_ranking": [{"name": intent, "confidence": 0.6}],
        }
    )


@pytest.mark.parametrize("intent", ["faq", "nlu_fallback", "out_of_scope", "deny"])
def test_the_gate_turns_a_symptom_report_into_report_pain(intent):
    gate = SymptomReportGate.create({}, None, None, None)
    [message] = gate.process(
        [_message("I'm in agony and can barely walk, what do I do?", intent)]
    )
    assert message.get("intent") == {"name": "report_pain", "confidence": 1.0}


@pytest.mark.parametrize("intent", ["urgent", "ask_referral", "stop", "goodbye"])
def test_the_gate_leaves_urgent_referral_and_conversation_moves_alone(intent):
    gate = SymptomReportGate.create({}, None, None, None)
    [message] = gate.process(
        [_message("I'm in agony and can barely walk, what do I do?", intent)]
    )
    assert message.get("intent")["name"] == intent


def test_most_symptom_reports_in_the_triage_training_data_are_recognised():
    examples = labelled_examples(
        yaml.safe_load((ROOT / "data/triage/nlu_triage.yml").read_text("utf-8"))
    )
    reports = [text for text, label in examples if label == "report_pain"]
    recognised = [text for text in reports if is_symptom_report(text)]
    assert len(recognised) >= 0.9 * len(reports)


@pytest.mark.parametrize(
    "text",
    [
        "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på trapper",
        "No bleeding or fever, but my pelvis hurts when I climb stairs",
        "ingen bloedning eller feber men baekkenet goer ondt",
        "nej, men jeg har ondt i skambenet",
        "jeg bløder ikke, men jeg har bækkenløsning",
        "ingen af delene, men det jager i lysken når jeg vender mig",
        "none of those, but my pubic bone is really sore",
        "no, but it hurts at the back of my pelvis when I sit",
        "no bleeding but my pelvis hurts, what should I do?",
        "har ikke nogen af delene, men ryggen gør ondt",
        "no, nothing like that, but my back aches",
    ],
)
def test_a_denial_then_her_own_pain_is_recognised(text):
    assert denial_then_own_pain(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nej, ingen blødning eller feber",  # a bare denial
        "No bleeding or fever",
        "nej",
        "no bleeding but I have a fever",  # a red flag: urgent, not this
        "ingen blødning, men jeg har feber og ondt i bækkenet",
        "no bleeding, but I'm worried",  # no pain after the "but"
        "no bleeding, but my hips are fine",  # a body part is no pain
        "no bleeding but no pain either",  # the pain denied too
        "nej, men hvad er bækkenløsning?",  # a question about pain in general
        "no, but what is pgp?",
        "my pelvis hurts but no bleeding",  # pain first: no denial before "but"
        "bækkenet gør ondt men det går",  # no denial at all
        "/deny",
        "",
    ],
)
def test_other_messages_are_not_a_denial_then_her_own_pain(text):
    assert not denial_then_own_pain(text)

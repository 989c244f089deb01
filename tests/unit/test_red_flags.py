"""Red flags are caught in both languages, and FAQ questions never trip them."""

from pathlib import Path

import pytest
import yaml

from assistant.red_flags import RED_FLAGS, red_flags
from evaluation.metrics import labelled_examples

ROOT = Path(__file__).resolve().parents[2]

CASES = [
    ("Jeg bløder lidt fra skeden", "bleeding"),
    ("jeg har en blødning og er i uge 20", "bleeding"),
    ("der er blod i trusserne", "bleeding"),
    ("I'm bleeding and my pelvis hurts", "bleeding"),
    ("some spotting today at 25 weeks", "bleeding"),
    ("Jeg har feber og ondt i bækkenet", "fever"),
    ("jeg har 39,5 grader og ondt", "fever"),
    ("I have a fever and pelvic pain", "fever"),
    ("temperature of 39 and belly pain", "fever"),
    ("Jeg har regelmæssige veer i uge 31", "contractions"),
    ("maven bliver hård med faste mellemrum", "contractions"),
    ("I'm having contractions at 32 weeks", "contractions"),
    ("regular tightenings every ten minutes", "contractions"),
    ("i think it's preterm labour", "contractions"),
    ("Babyen bevæger sig mindre end normalt", "baby_moving_less"),
    ("barnet har ikke sparket i dag", "baby_moving_less"),
    ("jeg kan ikke mærke babyen", "baby_moving_less"),
    ("The baby is moving less than usual", "baby_moving_less"),
    ("haven't felt the baby kick today", "baby_moving_less"),
    ("reduced fetal movements", "baby_moving_less"),
    ("Jeg er faldet på maven", "fall_or_blow_to_belly"),
    ("min søn sparkede mig og jeg fik et slag i maven", "fall_or_blow_to_belly"),
    ("I fell on my belly this morning", "fall_or_blow_to_belly"),
    ("my toddler kicked me in the bump", "fall_or_blow_to_belly"),
    ("jeg var ude for et trafikuheld", "accident"),
    ("I was in a car accident", "accident"),
    ("pludselige voldsomme smerter i maven", "sudden_severe_belly_pain"),
    ("sudden severe pain in my stomach", "sudden_severe_belly_pain"),
    ("my belly suddenly hurts so much", "sudden_severe_belly_pain"),
    ("jeg er følelsesløs i skridtet", "numbness_or_lost_control"),
    ("jeg kan ikke holde på vandet længere", "numbness_or_lost_control"),
    ("my groin is numb", "numbness_or_lost_control"),
    ("I lost control of my bladder", "numbness_or_lost_control"),
]


@pytest.mark.parametrize(("text", "flag"), CASES)
def test_each_red_flag_is_recognised(text, flag):
    assert flag in red_flags(text)


def test_every_red_flag_has_cases_in_both_languages():
    assert {flag for _, flag in CASES} == set(RED_FLAGS)


@pytest.mark.parametrize(
    "text",
    [
        "Kommer bækkenløsning igen ved næste graviditet?",
        "Will the pain go away after birth?",
        "Is pelvic girdle pain dangerous for the baby?",
        "Er det farligt for barnet?",
        "I have severe pain in my pelvis when I walk",
        "my blood pressure is fine, but my pelvis hurts",
        "Can I still lift my toddler?",
        "im planning baby number 2",
        "/faq/symptoms",
        "",
    ],
)
def test_ordinary_questions_are_not_red_flags(text):
    assert red_flags(text) == []


@pytest.mark.parametrize("path", ["data/faq/nlu_faq_da.yml", "data/faq/nlu_faq_en.yml"])
def test_no_faq_training_question_trips_a_red_flag(path):
    examples = labelled_examples(yaml.safe_load((ROOT / path).read_text("utf-8")))
    assert [text for text, _ in examples if red_flags(text)] == []


def test_nearly_every_urgent_training_message_is_caught_by_the_patterns_too():
    examples = labelled_examples(yaml.safe_load((ROOT / "data/nlu.yml").read_text()))
    urgent = [text for text, label in examples if label == "urgent"]
    missed = [text for text in urgent if not red_flags(text)]
    assert len(missed) <= 0.05 * len(urgent), missed


def test_out_of_scope_and_other_intents_rarely_trip_a_red_flag():
    examples = labelled_examples(yaml.safe_load((ROOT / "data/nlu.yml").read_text()))
    others = [text for text, label in examples if label != "urgent"]
    flagged = [text for text in others if red_flags(text)]
    assert len(flagged) <= 0.02 * len(others), flagged

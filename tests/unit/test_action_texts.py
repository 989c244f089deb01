"""User-facing text has one home: the domain's responses, in Danish and English.

Every response, as Rasa builds the domain (domain.yml and the responses in
data/), has a Danish and an English version for every situation its
conditions tell apart, chosen by Rasa's own variation filter. The actions name
only responses that exist and keep no text in their code; Rasa renders what
they send (the replies built from parts with the project's response
generator, assistant/nlg/), and sends the domain only to the actions that
read it.
"""

from __future__ import annotations

import copy
import itertools
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.config.endpoints import read_section
from knowledge.ask_back import ASK_BACK_RESPONSE, choice_of
from scripts.action_texts import prose, response_names
from tests.responses import ROOT, domain_dict, generator, rasa_domain

LANGUAGE = "language"
# Responses that are the same in both languages, and why. None so far: even a
# range ("{low}–{high}" / "{low} to {high}") reads differently.
LANGUAGE_NEUTRAL: dict[str, str] = {}


def _is_english(variation: Mapping[str, Any]) -> bool:
    return any(
        condition.get("name") == LANGUAGE and condition.get("value") == "en"
        for condition in variation.get("condition") or []
    )


def _situations(variations: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every slot state the variations' conditions tell apart, per language."""
    values: dict[str, set[Any]] = {}
    for variation in variations:
        for condition in variation.get("condition") or []:
            if condition["name"] != LANGUAGE:
                values.setdefault(condition["name"], {None}).add(condition["value"])
    names = sorted(values)
    for combination in itertools.product(
        *(sorted(values[name], key=str) for name in names)
    ):
        yield dict(zip(names, combination, strict=True))


def language_gaps(responses: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """Where a response has no Danish or no English version, as Rasa picks them.

    Danish is what a conversation gets before its language is known (None) and
    in Danish ("da"); English ("en") must get a variation with the condition
    ``language: en``, and its text must differ from the Danish one.
    """
    gaps = []
    picker = ResponseVariationFilter(dict(responses))
    for name, variations in responses.items():
        for situation in _situations(variations):
            picked = {
                language: picker.responses_for_utter_action(
                    name, "rest", {**situation, LANGUAGE: language}
                )
                for language in (None, "da", "en")
            }
            where = f"{name} {situation}" if situation else name
            if (
                not picked[None]
                or not picked["da"]
                or any(_is_english(v) for v in picked[None] + picked["da"])
            ):
                gaps.append(f"{where}: no Danish version")
            if not picked["en"] or not all(_is_english(v) for v in picked["en"]):
                gaps.append(f"{where}: no English version")
            elif name not in LANGUAGE_NEUTRAL and picked["da"]:
                danish = {v.get("text") for v in picked["da"]}
                if any(v.get("text") in danish for v in picked["en"]):
                    gaps.append(f"{where}: the English text is the Danish one")
    return gaps


RESPONSES = domain_dict()["responses"]


def test_every_response_has_its_danish_and_its_english_version():
    assert len(RESPONSES) > 80  # domain.yml and the FAQ answers in data/faq/
    assert language_gaps(RESPONSES) == []


def _without(name: str, english: bool) -> dict[str, list[dict[str, Any]]]:
    responses = copy.deepcopy(RESPONSES)
    responses[name] = [v for v in responses[name] if _is_english(v) != english]
    return responses


@pytest.mark.parametrize(
    "name", ["utter_reask_pain_level", "utter_faq/recurrence", "utter_greet"]
)
def test_a_response_missing_one_language_is_found(name):
    assert language_gaps(_without(name, english=True)) == [
        f"{name}: no English version"
    ]
    assert language_gaps(_without(name, english=False)) == [
        f"{name}: no Danish version"
    ]


def test_an_english_version_that_is_the_danish_text_is_found():
    responses = copy.deepcopy(RESPONSES)
    danish, english = responses["utter_summary_pregnant"]
    english["text"] = danish["text"]
    assert language_gaps(responses) == [
        "utter_summary_pregnant: the English text is the Danish one"
    ]


def test_an_urgent_situation_without_english_is_found():
    responses = copy.deepcopy(RESPONSES)
    responses["utter_urgent"] = [
        v
        for v in responses["utter_urgent"]
        if not (
            _is_english(v)
            and {"name": "care_situation", "type": "slot", "value": "pregnant"}
            in v["condition"]
            and {"name": "urgency", "type": "slot", "value": "by_situation"}
            in v["condition"]
        )
    ]
    assert language_gaps(responses) == [
        "utter_urgent {'care_situation': 'pregnant', 'urgency': 'by_situation'}: "
        "no English version"
    ]


def test_the_actions_name_only_responses_that_exist():
    named = response_names()
    assert {"utter_reask_pain_level", "utter_suggest_topics", "utter_urgent"} <= named
    assert sorted(named - set(RESPONSES)) == []


def test_the_actions_keep_no_text_of_their_own():
    assert [str(literal) for literal in prose()] == []


def test_text_in_the_actions_would_be_found(tmp_path: Path):
    (tmp_path / "action.py").write_text(
        textwrap.dedent(
            '''
            """A docstring is no text for her."""
            import re

            REASK = "Svar ja eller nej."
            JOIN = " og "
            YES = "Ja"
            WORD = "gå"
            PATTERN = re.compile(r"\\b(mere end|more than)\\b")
            ALTERNATIVES = "mere end|more than"
            SLOT = "pain_level"


            def check(value):
                """Nor is this."""
                if not value:
                    raise ValueError(f"No value for the pain level: {value}")
                return {"text": f"Du har fortalt, {value}."}
            '''
        ),
        "utf-8",
    )
    assert [literal.value for literal in prose((tmp_path,))] == [
        "Svar ja eller nej.",
        " og ",
        "gå",
        "Du har fortalt, ",
    ]


def test_the_help_menu_and_the_ask_back_share_their_buttons():
    for language in ("da", "en"):
        slots = {LANGUAGE: language}
        ask_back = {
            choice_of(button): button
            for button in rendered(ASK_BACK_RESPONSE, slots)["buttons"]
        }
        for button in rendered("utter_help", slots)["buttons"]:
            assert ask_back[choice_of(button)] == button


def test_a_choice_has_one_title_per_language_wherever_it_is_a_button():
    # The FAQ answers in data/faq/responses.yml offer "Hvem skal jeg kontakte?"
    # too; YAML aliases do not reach across files, so this keeps the copies equal.
    titles: dict[tuple[str, str], set[str]] = {}
    for variations in RESPONSES.values():
        for variation in variations:
            language = "en" if _is_english(variation) else "da"
            for button in variation.get("buttons") or []:
                titles.setdefault((button["payload"], language), set()).add(
                    button["title"]
                )
    assert ("/ask_referral", "da") in titles
    assert {key: found for key, found in titles.items() if len(found) > 1} == {}


SOMETHING_ELSE_DA = "Noget andet – vis emnerne"
SOMETHING_ELSE_EN = "Something else – show the topics"


def rendered(name: str, slots: dict[str, Any], **values: Any) -> dict[str, Any]:
    response = generator().generate_from_slots(name, slots, "rest", **values)
    assert response is not None
    return response


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        (
            "da",
            ["Hvorfor får gravide det?", "Hvem skal jeg kontakte?", SOMETHING_ELSE_DA],
        ),
        (
            "en",
            [
                "Why do pregnant women get it?",
                "Who should I contact?",
                SOMETHING_ELSE_EN,
            ],
        ),
    ],
)
def test_the_ask_back_shows_the_chosen_buttons_in_her_language(language, titles):
    choices = ["faq/causes", "ask_referral"]
    response = rendered(ASK_BACK_RESPONSE, {LANGUAGE: language}, choices=choices)
    assert [button["title"] for button in response["buttons"]] == titles
    assert [button["payload"] for button in response["buttons"]] == [
        "/faq/causes",
        "/ask_referral",
        "/help",
    ]


def test_the_ask_back_without_choices_is_the_response_as_written():
    response = rendered(ASK_BACK_RESPONSE, {LANGUAGE: "da"})
    assert len(response["buttons"]) == len(RESPONSES[ASK_BACK_RESPONSE][0]["buttons"])


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("da", "Du har ikke fortalt mig noget endnu."),
        ("en", "You haven't told me anything yet."),
    ],
)
def test_a_summary_of_no_answers_says_so(language, text):
    assert rendered("utter_referral_summary", {LANGUAGE: language})["text"] == text


def test_rasa_sends_the_domain_only_to_the_actions_that_read_it():
    domain = rasa_domain()
    endpoint = read_section(ROOT / "endpoints.yml", "action_endpoint")
    tracker = DialogueStateTracker.from_events("her", [])
    sent = {
        name: "domain"
        in RemoteAction(name, endpoint)._action_call_format(tracker, domain)
        for name in domain.user_actions
        if name.startswith(("action_", "validate_"))
    }
    assert sent == {
        "action_suggest_topics": True,  # which topics have a button
        "validate_referral_form": True,  # Rasa's form validation always gets it
        "action_reset_referral": False,
        "action_referral_advice": False,
    }

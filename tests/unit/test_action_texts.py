"""User-facing text has one home: the domain's responses, in Danish and English.

Every response, as Rasa builds the domain (domain.yml and the responses in
data/), has a Danish and an English version for every situation its
conditions tell apart, chosen by Rasa's own variation filter. The actions name
only responses that exist, keep no text in their code, and render a response
exactly as Rasa would (actions/responses.py).
"""

from __future__ import annotations

import copy
import itertools
import re
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.responses import Responses
from actions.topics import ASK_BACK_RESPONSE, buttons_by_choice
from scripts.action_texts import names_rasa_renders, prose, response_names
from tests.responses import domain_dict, rasa_domain

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
    assert [literal.value for literal in prose(tmp_path)] == [
        "Svar ja eller nej.",
        " og ",
        "gå",
        "Du har fortalt, ",
    ]


def _placeholders(responses: Mapping[str, Any], name: str) -> dict[str, str]:
    names = set()
    for variation in responses[name]:
        names.update(re.findall(r"{([^\n{}]+?)}", variation.get("text") or ""))
    return {placeholder: f"«{placeholder}»" for placeholder in names}


@pytest.mark.parametrize("name", sorted(response_names()))
@pytest.mark.parametrize("language", [None, "da", "en"])
@pytest.mark.parametrize("care_situation", [None, "pregnant", "not_pregnant"])
def test_a_response_is_rendered_as_rasa_renders_it(name, language, care_situation):
    slots = {LANGUAGE: language, "care_situation": care_situation}
    values = _placeholders(RESPONSES, name)
    rasa = TemplatedNaturalLanguageGenerator(RESPONSES).generate_from_slots(
        name, slots, "rest", **values
    )
    ours = Responses(RESPONSES, slots).render(name, **values)
    assert rasa is not None
    assert ours == {"text": rasa["text"], "buttons": rasa.get("buttons") or []}
    if values:  # a placeholder without a value stays as written, as in Rasa
        unfilled = TemplatedNaturalLanguageGenerator(RESPONSES).generate_from_slots(
            name, slots, "rest"
        )
        assert Responses(RESPONSES, slots).text(name) == unfilled["text"]


def test_placeholders_in_buttons_are_filled_as_rasa_fills_them():
    responses = {
        "utter_pick": [
            {
                "text": "Pick {what}, {language}:",
                "buttons": [{"title": "{what} {missing}", "payload": "/pick{what}"}],
            },
            {
                "condition": [{"type": "slot", "name": LANGUAGE, "value": "EN"}],
                "text": "{what}?",
                "buttons": [{"title": "{what}", "payload": "/{what}"}],
            },
        ]
    }
    for slots in ({LANGUAGE: "da"}, {LANGUAGE: "en"}, {}):
        rasa = TemplatedNaturalLanguageGenerator(responses).generate_from_slots(
            "utter_pick", slots, "rest", what="x"
        )
        ours = Responses(responses, slots).render("utter_pick", what="x")
        assert ours == {"text": rasa["text"], "buttons": rasa["buttons"]}


@pytest.mark.parametrize("name", sorted(response_names() - names_rasa_renders()))
def test_a_response_the_actions_render_has_only_text_and_buttons(name):
    # Metadata (e.g. urgent: true) or a channel would be lost when the action
    # sends the text: such a response is sent with utter_message(response=...).
    for variation in RESPONSES[name]:
        assert set(variation) <= {"text", "buttons", "condition"}


def test_the_help_menu_and_the_ask_back_share_their_buttons():
    for language in ("da", "en"):
        responses = Responses(RESPONSES, {LANGUAGE: language})
        ask_back = buttons_by_choice(responses.render(ASK_BACK_RESPONSE)["buttons"])
        for button in responses.render("utter_help")["buttons"]:
            assert ask_back[button["payload"].removeprefix("/")] == button


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


def test_rasa_sends_the_domain_to_every_custom_action():
    domain = rasa_domain()
    tracker = DialogueStateTracker.from_events("her", [])
    for name in domain.user_actions:
        if name.startswith(("action_", "validate_")):
            action = RemoteAction(name, EndpointConfig("http://127.0.0.1:5055/webhook"))
            call = action._action_call_format(tracker, domain)
            assert call["domain"]["responses"] == RESPONSES

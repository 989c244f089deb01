"""The response generator picks a variation exactly among those Rasa's filter allows.

``assistant/nlg/variations.py`` splits each response's variations once per
channel; these tests hold the split to Rasa's own ``ResponseVariationFilter``
for every response of the domain, every channel and every slot value the
domain's conditions name, and for made-up responses that reach every branch.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import numpy as np
import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

from assistant.nlg.response_generator import ResponseGenerator
from assistant.nlg.variations import ResponseVariations
from tests.responses import rasa_domain

CHANNELS = ["rest", "socketio", "cmdline", "telegram", "slack", "twilio"]


def condition_values() -> dict[str, list[Any]]:
    """Each slot a condition of the domain names, with every value named."""
    values: dict[str, list[Any]] = {}
    for variations in rasa_domain().responses.values():
        for variation in variations:
            for condition in variation.get("condition") or []:
                named = values.setdefault(condition["name"], [])
                if condition["value"] not in named:
                    named.append(condition["value"])
    return values


def slot_combinations() -> list[dict[str, Any]]:
    """Every combination of the named values (and of a slot not set at all)."""
    values = condition_values()
    names = sorted(values)
    choices = [[*values[name], "something else"] for name in names]
    return [
        {name: value for name, value in zip(names, combination, strict=True)}
        for combination in itertools.product(*choices)
    ] + [{}]


def rasa_suitable(
    responses: dict[str, list[dict[str, Any]]],
    action: str,
    channel: str,
    slots: dict[str, Any],
) -> list[dict[str, Any]]:
    return ResponseVariationFilter(responses).responses_for_utter_action(
        action, channel, slots
    )


def test_the_domain_names_conditions_on_several_slots() -> None:
    # the comparison below is only as good as the conditions it meets
    assert {"language", "care_situation", "urgency"} <= set(condition_values())
    assert len(slot_combinations()) > 100


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_response_of_the_domain_has_rasas_variations(channel: str) -> None:
    responses = rasa_domain().responses
    split = ResponseVariations(responses)
    combinations = slot_combinations()
    compared = 0
    for action in responses:
        for slots in combinations:
            ours = split.suitable(action, channel, slots)
            theirs = rasa_suitable(responses, action, channel, slots)
            assert [id(v) for v in ours] == [id(v) for v in theirs], (action, slots)
            compared += 1
    assert compared == len(responses) * len(combinations)


DA = {"text": "dansk"}
DA_REST = {"text": "dansk på rest", "channel": "rest"}
ENGLISH = [{"type": "slot", "name": "language", "value": "en"}]
EN = {"text": "english", "condition": ENGLISH}
EN_REST = {**EN, "text": "english on rest", "channel": "rest"}
EMPTY_CONDITION = {"text": "empty condition", "condition": []}
NUMBER = {"text": "five", "condition": [{"type": "slot", "name": "n", "value": 5}]}
MADE_UP: dict[str, list[dict[str, Any]]] = {
    "utter_all": [DA, DA_REST, EN, EN_REST],
    "utter_no_channel": [DA, EN],
    "utter_only_conditional": [EN, EN_REST],
    "utter_only_empty_condition": [EMPTY_CONDITION],
    "utter_number": [DA, NUMBER],
    "utter_none": [],
}


@pytest.mark.parametrize("action", [*MADE_UP, "utter_not_in_the_domain"])
@pytest.mark.parametrize("channel", ["rest", "socketio"])
@pytest.mark.parametrize(
    "slots",
    [
        {},
        {"language": "en"},
        {"language": "EN"},
        {"language": "da"},
        {"n": 5},
        {"n": "5"},
    ],
)
def test_every_branch_of_rasas_filter(
    action: str, channel: str, slots: dict[str, Any]
) -> None:
    ours = ResponseVariations(MADE_UP).suitable(action, channel, slots)
    if action not in MADE_UP:
        assert ours == []
        return
    assert ours == rasa_suitable(MADE_UP, action, channel, slots)


def test_the_branches_pick_what_a_user_would_see() -> None:
    split = ResponseVariations(MADE_UP)
    assert split.suitable("utter_all", "rest", {"language": "en"}) == [EN_REST]
    assert split.suitable("utter_all", "rest", {"language": "da"}) == [DA_REST]
    assert split.suitable("utter_all", "socketio", {"language": "en"}) == [EN]
    assert split.suitable("utter_all", "socketio", {}) == [DA]
    assert split.suitable("utter_only_empty_condition", "rest", {}) == []
    assert split.suitable("utter_number", "rest", {"n": 5}) == [NUMBER]


def test_a_response_replaced_is_split_anew() -> None:
    responses: dict[str, list[dict[str, Any]]] = {"utter_x": [DA, EN]}
    split = ResponseVariations(responses)
    assert split.suitable("utter_x", "rest", {"language": "en"}) == [EN]
    responses["utter_x"] = [DA]
    assert split.suitable("utter_x", "rest", {"language": "en"}) == [DA]


def test_the_generator_picks_each_suitable_variation_and_no_other() -> None:
    both = {"text": "also english", "condition": ENGLISH}
    generator = ResponseGenerator(responses={"utter_x": [DA, EN, both]})
    rendered = [
        generator.generate_from_slots("utter_x", {"language": "en"}, "rest")
        for _ in range(400)
    ]
    picked = Counter(str(response["text"]) for response in rendered if response)
    assert set(picked) == {"english", "also english"}
    assert min(picked.values()) > 120  # each about half of 400


def test_rasas_renderer_uses_the_split_not_numpy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rasa's generate_from_slots reaches the generator's pick (a Rasa upgrade
    that renames ``_random_response_for`` fails here, not silently)."""

    def numpy_choice(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("Rasa's numpy pick was used")

    monkeypatch.setattr(np.random, "choice", numpy_choice)
    generator = ResponseGenerator(responses={"utter_x": [DA, EN]})
    rendered = TemplatedNaturalLanguageGenerator.generate_from_slots(
        generator, "utter_x", {"language": "en"}, "rest"
    )
    assert rendered is not None and rendered["text"] == "english"
    assert generator.generate_from_slots("utter_nothing", {}, "rest") is None


def test_a_rendered_response_is_a_copy() -> None:
    generator = ResponseGenerator(responses={"utter_x": [{"text": "Hej {name}"}]})
    rendered = generator.generate_from_slots("utter_x", {"name": "Anna"}, "rest")
    assert rendered is not None and rendered["text"] == "Hej Anna"
    assert generator.responses["utter_x"] == [{"text": "Hej {name}"}]

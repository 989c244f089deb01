"""Numbers and amounts of time in her words: the vocabulary both processes share."""

import ast
from pathlib import Path

import pytest

from knowledge.amounts import (
    NUMBER_WORDS,
    WEEKS_PER_UNIT,
    days_ago_in_words,
    digitize,
    first_duration,
    first_number,
    unit_of,
)

ROOT = Path(__file__).resolve().parents[2]


def test_first_number_prefers_the_earliest_and_longest():
    assert first_number("fireogtyve eller 25") == 24
    assert first_number("25 eller fireogtyve") == 25
    assert first_number("twenty-one or 22") == 21


def test_en_and_et_alone_are_no_number():
    assert first_number("en smule ondt") is None
    assert first_number("et sted mellem") is None


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("syv til otte", "7 til 8"),
        ("halvanden måned", "1.5 måned"),
        ("et halvt år", "6 months"),
        ("7 to 8", "7 – 8"),
        ("to uger", "2 uger"),
    ],
)
def test_digitize(text, digits):
    assert digitize(text) == digits


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("jeg fødte for to uger siden", (2, "weeks")),
        ("3 weeks postpartum", (3, "weeks")),
        ("12 wks pp", (12, "weeks")),
        ("4 ugers barsel", (4, "weeks")),
        ("for 10 dage siden", (10, "days")),
        ("et døgn siden", (1, "days")),
        ("6 mdr", (6, "months")),
        ("three months ago", (3, "months")),
        ("halvanden måned siden", (1.5, "months")),
        ("et halvt år", (6, "months")),
        ("1,5 år siden", (1.5, "years")),  # not "5 år"
        ("et par uger", (2, "weeks")),
        ("a couple of weeks", (2, "weeks")),
        ("a few weeks ago", (3, "weeks")),
        ("nogle dage", (3, "days")),
        ("a week ago", (1, "weeks")),
        ("en måned", (1, "months")),
        ("fødte i går", None),  # no amount: the caller reads "i går"
        ("i had a baby", None),
        ("weeks ago", None),  # a unit alone is no duration
        ("39 i feber", None),
    ],
)
def test_first_duration(text, duration):
    assert first_duration(text) == (
        (pytest.approx(duration[0]), duration[1]) if duration else None
    )


@pytest.mark.parametrize(
    ("word", "unit"),
    [("måneder", "months"), ("maaned", "months"), ("år", "years"), ("aaret", "years")],
)
def test_unit_of(word, unit):
    assert unit_of(word) == unit
    assert unit in WEEKS_PER_UNIT


def test_unit_of_a_word_that_names_no_unit():
    with pytest.raises(KeyError):
        unit_of("måske")


def dict_keys_in(path: Path) -> set[str]:
    """Every string key of a dict literal in a file."""
    return {
        key.value
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Dict)
        for key in node.keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def numbers_in(path: Path) -> set[float]:
    """Every float constant in a file."""
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, float)
    }


def project_modules() -> list[Path]:
    return [
        path
        for folder in ("assistant", "actions", "knowledge")
        for path in sorted((ROOT / folder).rglob("*.py"))
    ]


def test_number_words_and_unit_lengths_are_written_once():
    """Only knowledge/amounts.py has a table of number words or a month's weeks."""
    number_tables = {
        str(path.relative_to(ROOT))
        for path in project_modules()
        if dict_keys_in(path) & {"syv", "seven"}
    }
    month_lengths = {
        str(path.relative_to(ROOT))
        for path in project_modules()
        if WEEKS_PER_UNIT["months"] in numbers_in(path)
    }
    assert number_tables == month_lengths == {"knowledge/amounts.py"}
    assert NUMBER_WORDS["syv"] == NUMBER_WORDS["seven"] == 7


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("jeg fødte i går", 1),
        ("I gave birth yesterday", 1),
        ("last night", 1),
        ("i nat", 1),
        ("I gaar", 1),
        ("lige født", 0),
        ("for nylig", 0),
        ("I just had my baby", 0),
        ("today", 0),
        ("for tre uger siden", None),
        ("", None),
    ],
)
def test_days_ago_in_words(text, days):
    assert days_ago_in_words(text) == days


def strings_in(path: Path) -> list[str]:
    """Every string constant in a file."""
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_the_words_for_yesterday_are_written_once():
    """Only knowledge/amounts.py reads "i går" / "yesterday" as a time."""
    spelled = {
        str(path.relative_to(ROOT))
        for path in project_modules()
        if any("yesterday" in text and "\\b" in text for text in strings_in(path))
    }
    assert spelled == {"knowledge/amounts.py"}

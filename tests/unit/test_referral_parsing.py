"""Reading the referral form's free-text answers."""

import pytest

from actions.referral.parsing import (
    first_number,
    pain_is_valid,
    parse_activities,
    parse_pain_level,
    parse_pregnancy_week,
    parse_stage,
    parse_weeks_since_birth,
    parse_yes_no,
    week_is_valid,
    weeks_since_birth_is_valid,
)


@pytest.mark.parametrize(
    ("text", "week"),
    [
        ("uge 24", 24),
        ("24 weeks", 24),
        ("jeg er i uge 24+3", 24),
        ("24", 24),
        ("fireogtyve", 24),
        ("twenty-four", 24),
        ("twenty four weeks", 24),
        ("uge 0", 0),
        ("42", 42),
        ("uge 55", 55),
        ("banana", None),
        ("", None),
    ],
)
def test_pregnancy_week(text, week):
    assert parse_pregnancy_week(text) == week


@pytest.mark.parametrize(
    ("week", "valid"), [(0, True), (42, True), (43, False), (-1, False)]
)
def test_week_range(week, valid):
    assert week_is_valid(week) is valid


@pytest.mark.parametrize(
    ("text", "pain"),
    [
        ("7", 7),
        ("7/10", 7),
        ("syv", 7),
        ("seven", 7),
        ("syv ud af ti", 7),
        ("ca. 6,5", 6.5),
        ("0", 0),
        ("ti", 10),
        ("14", 14),
        ("det gør meget ondt", None),
    ],
)
def test_pain_level(text, pain):
    assert parse_pain_level(text) == pain


@pytest.mark.parametrize(
    ("pain", "valid"), [(0, True), (10, True), (10.5, False), (14, False)]
)
def test_pain_range(pain, valid):
    assert pain_is_valid(pain) is valid


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("3 uger", 3),
        ("2 weeks ago", 2),
        ("3 måneder", 13),
        ("for 1 år siden", 52),
        ("a year ago", 52),
        ("lige", 0),
        ("i går", 0),
        ("just now", 0),
        ("6", 6),
        ("banana", None),
    ],
)
def test_weeks_since_birth(text, weeks):
    assert parse_weeks_since_birth(text) == weeks


def test_weeks_since_birth_range():
    assert weeks_since_birth_is_valid(0) and weeks_since_birth_is_valid(520)
    assert not weeks_since_birth_is_valid(521)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("gravid", "pregnant"),
        ("Jeg er gravid i uge 20", "pregnant"),
        ("I'm pregnant", "pregnant"),
        ("har født", "postpartum"),
        ("I have given birth", "postpartum"),
        ("fødte for 3 måneder siden", "postpartum"),
        ("planlægger en graviditet", "planning"),
        ("planning a pregnancy", "planning"),
        ("we're trying for baby number two", "planning"),
        ("banana", None),
    ],
)
def test_stage(text, stage):
    assert parse_stage(text) == stage


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("ja", True),
        ("Yes", True),
        ("jo", True),
        ("/affirm", True),
        ("nej", False),
        ("no", False),
        ("/deny", False),
        ("måske", None),
        ("banana", None),
    ],
)
def test_yes_no(text, answer):
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "activities"),
    [
        ("trapper og at sove", ["stairs", "sleeping"]),
        ("walking and work", ["walking", "work"]),
        ("at vende mig i sengen", ["turning_in_bed"]),
        ("standing on one leg", ["one_leg"]),
        ("at stå på ét ben", ["one_leg"]),
        ("ingen af dem", []),
        ("none of them", []),
        ("nej", []),
        ("banana", None),
    ],
)
def test_activities(text, activities):
    assert parse_activities(text) == activities


def test_first_number_prefers_the_earliest_and_longest():
    assert first_number("fireogtyve eller 25") == 24
    assert first_number("25 eller fireogtyve") == 25

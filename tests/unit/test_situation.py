"""Her situation from a message: whom the urgent advice names."""

import pytest

from assistant.text.situation import (
    pregnancy_only_flags,
    pregnancy_week,
    says_she_gave_birth,
    situation_from_text,
    updated_situation,
    weeks_since_birth,
)
from knowledge.care_situations import (
    EARLY_PREGNANCY,
    NOT_PREGNANT,
    PREGNANT,
    RECENTLY_GAVE_BIRTH,
)


@pytest.mark.parametrize(
    ("text", "flags", "situation"),
    [
        ("jeg er gravid i uge 30 og bløder", [], PREGNANT),
        # before about week 22: egen læge or lægevagten
        ("jeg er gravid i uge 14 og bløder", [], EARLY_PREGNANCY),
        ("gravid i uge 21", [], EARLY_PREGNANCY),
        ("gravid i uge 22", [], PREGNANT),
        ("I'm 12 weeks pregnant and bleeding", [], EARLY_PREGNANCY),
        ("bleeding at 10 weeks", [], EARLY_PREGNANCY),
        ("jeg er gravid og bløder", [], PREGNANT),  # the week not told
        ("pregnant, in week 8", [], EARLY_PREGNANCY),
        ("I'm 30 weeks pregnant and bleeding", [], PREGNANT),
        ("bleeding at 28 weeks", [], PREGNANT),
        ("24+3 og bløder", [], PREGNANT),
        ("vandet er gået", ["waters_breaking"], PREGNANT),
        ("barnet sparker mindre", ["baby_moving_less"], PREGNANT),
        ("i have contractions", ["contractions"], PREGNANT),
        ("jeg fødte for 2 uger siden og bløder kraftigt", [], RECENTLY_GAVE_BIRTH),
        ("I gave birth 3 weeks ago and have a fever", [], RECENTLY_GAVE_BIRTH),
        ("jeg fødte i går og har feber", [], RECENTLY_GAVE_BIRTH),
        ("my baby is 5 weeks old and my calf is swollen", [], RECENTLY_GAVE_BIRTH),
        ("gave birth 6 weeks ago", [], RECENTLY_GAVE_BIRTH),
        ("gave birth 7 weeks ago", [], NOT_PREGNANT),
        ("jeg fødte for 4 måneder siden og har feber", [], NOT_PREGNANT),
        ("I had my baby 6 months ago and now I'm bleeding", [], NOT_PREGNANT),
        ("jeg er ikke gravid, men har ondt i brystet", [], NOT_PREGNANT),
        ("vi prøver at blive gravide", [], NOT_PREGNANT),
        ("da jeg var gravid havde jeg bækkenløsning, nu bløder jeg", [], None),
        ("jeg har født og bløder", [], None),
        ("jeg bløder", [], None),
        ("/ask_referral", [], None),
        ("", [], None),
    ],
)
def test_situation_from_text(text, flags, situation):
    assert situation_from_text(text, flags) == situation


def test_the_flags_that_only_occur_in_pregnancy_come_from_the_list():
    assert pregnancy_only_flags() == {
        "waters_breaking",
        "contractions",
        "baby_moving_less",
    }


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("for 3 uger siden", 3.0),
        ("2 months ago", 8.7),
        ("et par dage siden", 2 / 7),
        ("i går", 1 / 7),  # a day ago, as the referral check reads it
        ("lige født", 0.0),
        ("last night", 1 / 7),
        ("a year ago", 52.0),
        ("some time ago", None),
    ],
)
def test_weeks_since_birth(text, weeks):
    result = weeks_since_birth(text)
    assert result == (pytest.approx(weeks) if weeks is not None else None)


@pytest.mark.parametrize(
    "text",
    ["Less than 6 weeks", "6 weeks to 3 months", "under 6 weeks", "within 6 weeks"],
)
def test_a_time_since_birth_band_is_no_pregnancy_week(text):
    assert situation_from_text(text) is None


@pytest.mark.parametrize(
    ("text", "week"),
    [
        ("gravid i uge 14", 14),
        ("uge 30 og ondt i bækkenet", 30),
        ("I'm 12 weeks pregnant", 12),
        ("24+3 og bløder", 24),
        ("in week 8", 8),
        ("jeg er gravid", None),
        ("I gave birth 2 weeks ago", None),
        ("uge 3 efter fødslen", None),
    ],
)
def test_pregnancy_week(text, week):
    assert pregnancy_week(text) == week


@pytest.mark.parametrize(
    ("current", "told", "new"),
    [
        (None, PREGNANT, PREGNANT),
        (EARLY_PREGNANCY, PREGNANT, None),  # "gravid" does not undo "uge 14"
        (EARLY_PREGNANCY, EARLY_PREGNANCY, EARLY_PREGNANCY),
        (PREGNANT, EARLY_PREGNANCY, EARLY_PREGNANCY),
        (EARLY_PREGNANCY, NOT_PREGNANT, NOT_PREGNANT),
        (EARLY_PREGNANCY, RECENTLY_GAVE_BIRTH, RECENTLY_GAVE_BIRTH),
        (PREGNANT, None, None),
    ],
)
def test_updated_situation(current, told, new):
    assert updated_situation(current, told) == new


@pytest.mark.parametrize(
    ("text", "gave_birth"),
    [
        ("jeg fødte for 2 uger siden og bløder stadig", True),
        ("blødning efter fødslen", True),
        ("still bleeding 3 weeks postpartum", True),
        ("4 weeks pp and still bleeding", True),
        ("bleeding after delivery, 3 weeks", True),  # "3 weeks": since the birth
        ("I gave birth 10 days ago", True),
        ("jeg skal have kejsersnit og bløder", False),  # a birth still to come
        ("scared of bleeding after the birth", False),
        ("I gave birth 2 years ago and I'm 20 weeks pregnant now", False),
        ("fødte for 2 år siden, nu i uge 20", False),
        ("jeg bløder i uge 20", False),
        ("", False),
    ],
)
def test_says_she_gave_birth(text, gave_birth):
    assert says_she_gave_birth(text) == gave_birth

"""Reading her free-text answers in the referral form ("uge 24", "syv", "7/10").

Pure functions from text to a value, or None when the text holds no usable
answer. Range checks are separate, so the form can tell "not a number" from
"week 55".
"""

from __future__ import annotations

import re

STAGES = ("pregnant", "postpartum", "planning")
ACTIVITIES = ("walking", "stairs", "turning_in_bed", "one_leg", "sleeping", "work")
MAX_PREGNANCY_WEEK = 42
MAX_PAIN = 10

_UNITS = {
    "nul": 0, "zero": 0, "en": 1, "et": 1, "one": 1, "to": 2, "two": 2, "tre": 3,
    "three": 3, "fire": 4, "four": 4, "fem": 5, "five": 5, "seks": 6, "six": 6,
    "syv": 7, "seven": 7, "otte": 8, "eight": 8, "ni": 9, "nine": 9, "ti": 10,
    "ten": 10, "elleve": 11, "eleven": 11, "tolv": 12, "twelve": 12, "tretten": 13,
    "thirteen": 13, "fjorten": 14, "fourteen": 14, "femten": 15, "fifteen": 15,
    "seksten": 16, "sixteen": 16, "sytten": 17, "seventeen": 17, "atten": 18,
    "eighteen": 18, "nitten": 19, "nineteen": 19, "tyve": 20, "twenty": 20,
    "tredive": 30, "tredve": 30, "thirty": 30, "fyrre": 40, "forty": 40,
}  # fmt: skip
_TENS_DA = {"tyve": 20, "tredive": 30, "tredve": 30, "fyrre": 40}
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40}
_DA_COMPOUND = re.compile(
    r"\b(en|et|to|tre|fire|fem|seks|syv|otte|ni)og(tyve|tredive|tredve|fyrre)\b"
)
_EN_COMPOUND = re.compile(
    r"\b(twenty|thirty|forty)[\s-](one|two|three|four|five|six|seven|eight|nine)\b"
)
_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3})(?:[.,](\d+))?(?![\d])")
_YES = re.compile(r"^\s*(ja|jo|jep|yes|yeah|yep|ja tak|yes please|/affirm)\b", re.I)
_NO = re.compile(r"^\s*(nej|nope|no|nah|ikke|not|/deny)\b", re.I)
_NONE_OF_THEM = re.compile(
    r"\b(ingen|intet|ingenting|nothing|none|no(ne)? of (them|these)|not really)\b", re.I
)


def first_number(text: str) -> float | None:
    """The first number in the text, in digits or in words (0-49), or None."""
    lowered = text.lower()
    # (where it starts, minus its length, value): the earliest, longest match wins
    found: list[tuple[int, int, float]] = []
    for match in _DA_COMPOUND.finditer(lowered):
        value = _UNITS[match.group(1)] + _TENS_DA[match.group(2)]
        found.append((match.start(), -len(match.group(0)), value))
    for match in _EN_COMPOUND.finditer(lowered):
        value = _TENS_EN[match.group(1)] + _UNITS[match.group(2)]
        found.append((match.start(), -len(match.group(0)), value))
    for match in _NUMBER.finditer(lowered):
        decimals = f".{match.group(2)}" if match.group(2) else ""
        found.append(
            (match.start(), -len(match.group(0)), float(match.group(1) + decimals))
        )
    for match in re.finditer(r"[a-zæøå]+", lowered):
        word = match.group(0)
        if word in _UNITS and word not in ("en", "et"):  # "en"/"et" are also "a"
            found.append((match.start(), -len(word), _UNITS[word]))
    return float(min(found)[2]) if found else None


def parse_pregnancy_week(text: str) -> float | None:
    """The pregnancy week she names ("uge 24", "24 weeks", "24+3"), unchecked."""
    return first_number(text)


def week_is_valid(week: float) -> bool:
    """A pregnancy lasts at most 42 weeks."""
    return 0 <= week <= MAX_PREGNANCY_WEEK


def parse_pain_level(text: str) -> float | None:
    """The pain she rates ("7", "7/10", "syv ud af ti", "seven"), unchecked."""
    return first_number(text)


def pain_is_valid(pain: float) -> bool:
    """Pain is rated from 0 (none) to 10 (worst imaginable)."""
    return 0 <= pain <= MAX_PAIN


_SINCE_BIRTH_UNITS = (
    (re.compile(r"\b(dag|day)"), 1 / 7),
    (re.compile(r"\b(uge|week)"), 1.0),
    (re.compile(r"\b(m(å|aa|a)ned|month)"), 4.35),
    (re.compile(r"\b((å|aa)r|year)"), 52.0),
)
_JUST_BORN = re.compile(
    r"\b(lige|netop|just|i går|i gaar|yesterday|i dag|today|recently|for nylig)\b", re.I
)


def parse_weeks_since_birth(text: str) -> float | None:
    """How many weeks ago she gave birth ("3 måneder", "2 weeks", "lige"), unchecked."""
    lowered = text.lower()
    number = first_number(lowered)
    for unit, weeks in _SINCE_BIRTH_UNITS:
        if unit.search(lowered):
            return round((number if number is not None else 1) * weeks, 1)
    if _JUST_BORN.search(lowered):
        return 0.0
    return number  # a bare number is read as weeks


def weeks_since_birth_is_valid(weeks: float) -> bool:
    """From just now up to ten years."""
    return 0 <= weeks <= 520


_STAGE_WORDS = {
    "planning": r"planl|planning|plan to|trying|prøver|proever|prover|næste graviditet"
    r"|naeste graviditet|next pregnancy|want another|vil gerne have (et|flere)",
    "postpartum": r"født|fodt|foedt|fødte|fodte|foedte|fødsel|fodsel|foedsel"
    r"|given birth|gave birth|had (my|the|a) baby|postpartum|after (the )?birth"
    r"|efter fødsl|barsel",
    "pregnant": r"gravid|pregnant|expecting|venter",
}


def parse_stage(text: str) -> str | None:
    """Where she is: "pregnant", "postpartum" or "planning" (first match wins)."""
    lowered = text.lower()
    for stage, pattern in _STAGE_WORDS.items():
        if re.search(pattern, lowered):
            return stage
    return None


def parse_yes_no(text: str) -> bool | None:
    """True for yes ("ja", "yes", "/affirm"), False for no, None if neither."""
    if _YES.search(text):
        return True
    if _NO.search(text):
        return False
    return None


_ACTIVITY_WORDS = {
    "walking": r"\bgå\b|\bgaa\b|\bgår\b|\bgaar\b|gang\b|walk",
    "stairs": r"trap|stair",
    "turning_in_bed": r"vende|turn",
    "one_leg": r"ét ben|et ben|eet ben|one leg|ene ben|stå på|staa paa|standing on",
    "sleeping": r"sove|søvn|soevn|sovn|sleep|nat\b|night",
    "work": r"arbejd|job|work",
}


def parse_activities(text: str) -> list[str] | None:
    """The activities the pain stops her from doing; [] for none; None if unclear."""
    lowered = text.lower()
    found = [
        name for name, pattern in _ACTIVITY_WORDS.items() if re.search(pattern, lowered)
    ]
    if found:
        return found
    if _NONE_OF_THEM.search(lowered) or parse_yes_no(lowered) is False:
        return []
    return None

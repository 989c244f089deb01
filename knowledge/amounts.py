"""Numbers and amounts of time as she writes them, in Danish and English.

One vocabulary for both processes: the Rasa server reads how long ago she
gave birth from a free message ("jeg fødte for to uger siden og bløder",
``assistant/text/situation.py``), the action server reads the referral
check's answers ("syv", "7-8", "3 måneder", ``actions/referral/parsing.py``).
Pure functions over text; standard library only.
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "nul": 0, "zero": 0, "en": 1, "et": 1, "one": 1, "to": 2, "two": 2, "tre": 3,
    "three": 3, "fire": 4, "four": 4, "fem": 5, "five": 5, "seks": 6, "six": 6,
    "syv": 7, "seven": 7, "otte": 8, "eight": 8, "ni": 9, "nine": 9, "ti": 10,
    "ten": 10, "elleve": 11, "eleven": 11, "tolv": 12, "twelve": 12, "tretten": 13,
    "thirteen": 13, "fjorten": 14, "fourteen": 14, "femten": 15, "fifteen": 15,
    "seksten": 16, "sixteen": 16, "sytten": 17, "seventeen": 17, "atten": 18,
    "eighteen": 18, "nitten": 19, "nineteen": 19, "tyve": 20, "twenty": 20,
    "tredive": 30, "tredve": 30, "thirty": 30, "fyrre": 40, "forty": 40,
}  # fmt: skip
# Words that are numbers only sometimes: "en"/"et" are also "a", "to" is
# also English "to". Read as numbers only where a unit follows them.
AMBIGUOUS_NUMBER_WORDS = frozenset({"en", "et", "to"})
# How many a vague amount stands for, before a unit only ("et par uger").
QUANTITY_WORDS = {
    "a": 1, "an": 1, "et par": 2, "a couple of": 2, "a few": 3, "nogle": 3,
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
DIGITS = r"\d{1,3}(?:[.,]\d+)?"  # "7", "6,5", "1.5"

# The words for each unit of time (whole words), and its length in weeks; a
# month is 365.25 / 12 / 7 weeks, rounded.
TIME_UNIT_WORDS = {
    "days": r"døgn|dage?n?|dages|days?",
    "weeks": r"uge[nrs]?|ugers|weeks?|wks?",
    "months": r"m(?:å|aa|a)ned(?:er|ers|en|s)?|months?|mdr|mths?",
    "years": r"(?:å|aa)r(?:et|s)?|years?",
}
WEEKS_PER_UNIT = {"days": 1 / 7, "weeks": 1.0, "months": 4.35, "years": 52.0}
TIME_UNIT = "(" + "|".join(f"(?:{words})" for words in TIME_UNIT_WORDS.values()) + ")"


def first_number(text: str) -> float | None:
    """The first number in the text, in digits or in words (0-49), or None.

    "en" and "et" alone are not read as one (they are also "a").
    """
    lowered = text.lower()
    # (where it starts, minus its length, value): the earliest, longest match wins
    found: list[tuple[int, int, float]] = []
    for match in _DA_COMPOUND.finditer(lowered):
        value = NUMBER_WORDS[match.group(1)] + _TENS_DA[match.group(2)]
        found.append((match.start(), -len(match.group(0)), value))
    for match in _EN_COMPOUND.finditer(lowered):
        value = _TENS_EN[match.group(1)] + NUMBER_WORDS[match.group(2)]
        found.append((match.start(), -len(match.group(0)), value))
    for match in _NUMBER.finditer(lowered):
        decimals = f".{match.group(2)}" if match.group(2) else ""
        found.append(
            (match.start(), -len(match.group(0)), float(match.group(1) + decimals))
        )
    for match in re.finditer(r"[a-zæøå]+", lowered):
        word = match.group(0)
        if word in NUMBER_WORDS and word not in ("en", "et"):
            found.append((match.start(), -len(word), NUMBER_WORDS[word]))
    return float(min(found)[2]) if found else None


_UNAMBIGUOUS = {
    word: value
    for word, value in NUMBER_WORDS.items()
    if word not in AMBIGUOUS_NUMBER_WORDS
}
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(_UNAMBIGUOUS, key=len, reverse=True)) + r")\b"
)
_HALVES = (
    (re.compile(r"\b(et|en) halvt (år|aar|ar)\b|\bhalf a year\b"), "6 months"),
    (re.compile(r"\bhalvanden\b|\bhalvandet\b|\bone and a half\b"), "1.5"),
    (re.compile(r"\b(et|en) halvt\b|\bhalf an?\b|\ben halv\b"), "0.5"),
    (re.compile(r"(\d)\s*½"), r"\1.5"),
    (re.compile(r"½"), "0.5"),
)


def digitize(text: str) -> str:
    """The text in lower case with its numbers in digits ("syv til otte" -> "7 til 8").

    Halves too ("halvanden måned" -> "1.5 måned"). "to" is a Danish two,
    except between two numbers, where it is English "to".
    """
    lowered = text.lower()
    for pattern, digits in _HALVES:
        lowered = pattern.sub(digits, lowered)
    lowered = _DA_COMPOUND.sub(
        lambda m: str(NUMBER_WORDS[m.group(1)] + _TENS_DA[m.group(2)]), lowered
    )
    lowered = _EN_COMPOUND.sub(
        lambda m: str(_TENS_EN[m.group(1)] + NUMBER_WORDS[m.group(2)]), lowered
    )
    lowered = _NUMBER_WORD.sub(lambda m: str(_UNAMBIGUOUS[m.group(1)]), lowered)
    lowered = re.sub(
        r"(\d(?:\s*(?:days?|weeks?|months?|years?))?)\s+to\s+(?=\d)", r"\1 – ", lowered
    )
    return re.sub(r"\bto\b", "2", lowered)


def number(digits: str) -> float:
    """A number written in digits, with a decimal comma or point."""
    return float(digits.replace(",", "."))


def unit_of(word: str) -> str:
    """The unit a word names ("måneder" -> "months"); KeyError if none."""
    lowered = word.lower()
    for unit, words in TIME_UNIT_WORDS.items():
        if re.fullmatch(words, lowered):
            return unit
    raise KeyError(word)


_QUANTITY = "|".join(
    re.escape(word)
    for word in sorted({*QUANTITY_WORDS, "en", "et"}, key=len, reverse=True)
)
_DURATION = re.compile(
    rf"(?<![\d.,])({DIGITS}|\b(?:{_QUANTITY}))\s*\b{TIME_UNIT}\b", re.IGNORECASE
)


def first_duration(text: str) -> tuple[float, str] | None:
    """The first amount of time with its unit: "for to uger siden" -> (2.0, "weeks").

    The amount in digits or words ("tre måneder", "halvanden måned", "et par
    uger", "a few weeks"); a unit without an amount is no duration.
    """
    match = _DURATION.search(digitize(text))
    if match is None:
        return None
    amount = match.group(1).lower()
    value = number(amount) if amount[0].isdigit() else QUANTITY_WORDS.get(amount, 1)
    return float(value), unit_of(match.group(2))


# A birth said to be recent without a number: a day ago, or just now.
_A_DAY_AGO = re.compile(
    r"\b(i g(?:å|aa|a)r|i nat|yesterday|last night)\b", re.IGNORECASE
)
_JUST_NOW = re.compile(
    r"\b(lige|netop|i dag|for nylig|nyligt?|just|today|recently)\b", re.IGNORECASE
)


def days_ago_in_words(text: str) -> int | None:
    """How many days ago a time said without a number was: "i går" 1, "lige" 0.

    "i går", "i nat", "yesterday", "last night" are a day ago; "lige",
    "netop", "i dag", "for nylig", "just", "today", "recently" are now; None
    when she says neither.
    """
    if _A_DAY_AGO.search(text):
        return 1
    if _JUST_NOW.search(text):
        return 0
    return None

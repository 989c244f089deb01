"""Reading her answers in the referral form ("syv", "7/10", "7-8", "3 måneder").

Pure functions from text to a value, or None when the text holds no usable
answer. Range checks are separate, so the form can tell "not a number" from
"pain 14".
"""

from __future__ import annotations

import re

from actions.referral.answers import Amount, PainBand, TimeSinceBirth
from knowledge import intents

STAGES = ("pregnant", "postpartum", "planning")
ACTIVITIES = ("walking", "stairs", "turning_in_bed", "one_leg", "sleeping", "work")
MAX_WEEKS_SINCE_BIRTH = 520  # ten years
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


_UNITS_BY_DIGITS = {
    word: value for word, value in _UNITS.items() if word not in ("en", "et", "to")
}
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(_UNITS_BY_DIGITS, key=len, reverse=True)) + r")\b"
)
_HALVES = (
    (re.compile(r"\b(et|en) halvt (år|aar|ar)\b|\bhalf a year\b"), "6 months"),
    (re.compile(r"\bhalvanden\b|\bhalvandet\b|\bone and a half\b"), "1.5"),
    (re.compile(r"\b(et|en) halvt\b|\bhalf an?\b|\ben halv\b"), "0.5"),
    (re.compile(r"(\d)\s*½"), r"\1.5"),
    (re.compile(r"½"), "0.5"),
)
_DIGITS = r"\d{1,3}(?:[.,]\d+)?"
_BETWEEN = re.compile(
    rf"\b(?:mellem|imellem|between)\s+({_DIGITS})\s+(?:og|and)\s+({_DIGITS})(?!\d)"
)
# "7-8", "7–8", "7 til 8", "7 to 8", "7 eller 8"; "7/10" is one number out of ten.
_RANGE = re.compile(
    rf"(?<![\d.,])({_DIGITS})\s*(?:-|–|—|\btil\b|\bto\b|\bor\b|\beller\b)\s*"
    rf"({_DIGITS})(?!\d)"
)


def _digitize(text: str) -> str:
    """The text in lower case with its numbers in digits ("syv til otte" -> "7 til 8").

    "to" is a Danish two, except between two numbers, where it is English "to".
    """
    lowered = text.lower()
    for pattern, digits in _HALVES:
        lowered = pattern.sub(digits, lowered)
    lowered = _DA_COMPOUND.sub(
        lambda m: str(_UNITS[m.group(1)] + _TENS_DA[m.group(2)]), lowered
    )
    lowered = _EN_COMPOUND.sub(
        lambda m: str(_TENS_EN[m.group(1)] + _UNITS[m.group(2)]), lowered
    )
    lowered = _NUMBER_WORD.sub(lambda m: str(_UNITS_BY_DIGITS[m.group(1)]), lowered)
    lowered = re.sub(
        r"(\d(?:\s*(?:days?|weeks?|months?|years?))?)\s+to\s+(?=\d)", r"\1 – ", lowered
    )
    return re.sub(r"\bto\b", "2", lowered)


def _number(digits: str) -> float:
    return float(digits.replace(",", "."))


def _first_range(text: str) -> tuple[float, float, int, int] | None:
    """The first band in digitized text: (low, high, start, end), low <= high."""
    found = [m for m in (_BETWEEN.search(text), _RANGE.search(text)) if m]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    low, high = sorted((_number(match.group(1)), _number(match.group(2))))
    return low, high, match.start(), match.end()


def parse_pain_band(text: str) -> PainBand | None:
    """The pain she rates: a band ("7-8", "7 til 8", "1–3 – lette") or one number.

    One number ("7", "7/10", "syv ud af ti", "seven") is the band 7–7.
    Unchecked: see ``pain_band_is_valid``.
    """
    digitized = _digitize(text)
    band = _first_range(digitized)
    single = first_number(digitized)
    if band is not None:
        first = re.search(_DIGITS, digitized)
        if first is None or first.start() >= band[2]:  # the band comes first
            return PainBand(band[0], band[1])
    return PainBand(single, single) if single is not None else None


def pain_band_is_valid(band: PainBand) -> bool:
    """Pain is rated from 0 (none) to 10 (worst imaginable)."""
    return 0 <= band.low <= band.high <= MAX_PAIN


_TIME_UNITS = {
    "days": r"dag|dage|dagen|days?",
    "weeks": r"uger?|ugers|weeks?",
    "months": r"m(?:å|aa|a)ned(?:er)?|m(?:å|aa|a)neders|months?|mdr",
    "years": r"(?:å|aa)r|(?:å|aa)ret|years?",
}
_UNIT = "(" + "|".join(f"(?:{pattern})" for pattern in _TIME_UNITS.values()) + r")\b"
_CONNECTOR = r"(?:-|–|—|\btil\b|\bto\b|\bor\b|\beller\b|\bog\b|\band\b)"
# "6 uger–3 måneder", "3–9 måneder", "3 til 9 months", "mellem 3 og 9 måneder"
_TIME_RANGE = re.compile(
    rf"(?<![\d.,])({_DIGITS})\s*(?:{_UNIT})?\s*{_CONNECTOR}\s*({_DIGITS})\s*{_UNIT}"
)
_AMOUNT = re.compile(rf"(?:(?<![\d.,])({_DIGITS})\s*)?\b{_UNIT}")
_LESS_THAN = re.compile(
    r"\b(under|mindre end|less than|fewer than|within|inden for|indenfor|not yet)\b"
)
_MORE_THAN = re.compile(
    r"\b(mere end|over|more than|længere end|laengere end|longer than|mindst|"
    r"at least)\b"
)
_JUST_BORN = re.compile(r"\b(lige|netop|just|i dag|today|recently|for nylig|nyligt?)\b")
_YESTERDAY = re.compile(r"\b(i går|i gaar|i gar|yesterday)\b")


def _unit(word: str) -> str:
    """The unit a word names ("måneder" -> "months")."""
    return next(
        unit for unit, pattern in _TIME_UNITS.items() if re.fullmatch(pattern, word)
    )


def parse_time_since_birth(text: str) -> TimeSinceBirth | None:
    """How long ago she gave birth, as she said it; unchecked.

    "3 måneder", "2 weeks ago", "Under 6 uger", "6 uger–3 måneder", "3 to 9
    months", "mere end 9 måneder", "lige" (just now), "i går"; a bare number
    is weeks.
    """
    digitized = _digitize(text)
    band = _TIME_RANGE.search(digitized)
    if band:
        high_unit = _unit(band.group(4))
        low_unit = _unit(band.group(2)) if band.group(2) else high_unit
        low = Amount(_number(band.group(1)), low_unit)
        high = Amount(_number(band.group(3)), high_unit)
        if low.weeks > high.weeks:
            low, high = high, low
        return TimeSinceBirth(low, high)
    amount_match = _AMOUNT.search(digitized)
    number = first_number(digitized)
    if amount_match:
        value = _number(amount_match.group(1)) if amount_match.group(1) else 1.0
        amount = Amount(value, _unit(amount_match.group(2)))  # "et år": one year
    elif number is not None:
        amount = Amount(number, "weeks")  # a bare number is read as weeks
    elif _YESTERDAY.search(digitized):
        amount = Amount(1, "days")
    elif _JUST_BORN.search(digitized):
        amount = Amount(0, "days")
    else:
        return None
    if _LESS_THAN.search(digitized):
        return TimeSinceBirth(None, amount)
    if _MORE_THAN.search(digitized):
        return TimeSinceBirth(amount, None)
    return TimeSinceBirth(amount, amount)


def time_since_birth_is_valid(time: TimeSinceBirth) -> bool:
    """From just now up to ten years."""
    return 0 <= time.low_weeks <= MAX_WEEKS_SINCE_BIRTH and (
        time.high is None or time.high.weeks <= MAX_WEEKS_SINCE_BIRTH
    )


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


# A "no" in her own words to "do you have any of these signs?": a no-word at
# the start ("nej, ingen blødning", "no bleeding, no fever", "not at all",
# "ingen", "nothing like that", "jeg har ikke ..."), or "none of them" anywhere.
_NO_SIGNS_AT_START = re.compile(
    r"^\W*(nej|nope|no|nah|nix|ikke|not|ingen|intet|ingenting|none|nothing|never|"
    r"aldrig|slet ikke|overhovedet ikke|absolut ikke|endnu ikke|"
    r"(jeg|i)\s+(har|have|do|did|am|er)\s*(ikke|not|n'?t)\b|"
    r"(i|jeg)\s+(don'?t|haven'?t|hasn'?t|didn'?t|har ingen|have no)\b|"
    r"alt (er )?(fint|godt|normalt)|all (is )?(fine|good|well)|"
    r"everything('?s| is) (fine|ok|okay|normal))\b",
    re.I,
)
_NONE_OF_THE_SIGNS = re.compile(
    r"\b(ingen af (dem|delene|disse|de nævnte|de naevnte|de navnte|tingene|dele)|"
    r"ikke nogen af (dem|delene|disse)|intet af (det|dette)|ikke noget af (det|dette)|"
    r"none of (them|these|those|that|the above|it)|neither|nothing like that|"
    r"not any of (them|these|those))\b",
    re.I,
)
# "nej, men jeg bløder lidt", "not sure", "ved ikke": not a clear no, so she is
# asked again rather than sent on as if she had none of the signs.
_UNCLEAR = re.compile(
    r"\b(men|but|bortset fra|undtagen|except|apart from|sure|sikker|usikker|unsure|"
    r"ved (?:det )?ikke|aner (?:det )?ikke|know|knows|måske|maaske|maske|maybe|perhaps|"
    r"tror|think|muligvis|possibly|lidt|a bit|a little|somewhat)\b",
    re.I,
)


def parse_red_flag_answer(
    text: str, intent: str | None = None, denial_then_own_pain: bool = False
) -> bool | None:
    """Her answer to the red-flag question: True, False, or None if unclear.

    Her words come before the NLU's intent (``affirm``/``deny``): "nej, ingen
    blødning eller feber" names the signs it denies. A yes wins over any
    hedge; a no with a "but", "not sure" or "maybe" is unclear, so she is
    asked again. A message that affirms a red flag is classified ``urgent``
    and never reaches the form. A no, then "but" and her own pelvic pain and
    nothing else ("nej, ingen blødning, men bækkenet gør ondt på trapper") is a
    no: the pain is what the check goes on to ask about. The red-flag gate
    judges that (``denial_then_own_pain`` on the message, passed in here).
    """
    if _YES.search(text):
        return True
    if denial_then_own_pain:
        return False
    if _UNCLEAR.search(text):
        return True if intent == intents.AFFIRM else None
    if (
        _NO.search(text)
        or _NO_SIGNS_AT_START.search(text)
        or _NONE_OF_THE_SIGNS.search(text)
    ):
        return False
    if intent in (intents.AFFIRM, intents.DENY):
        return intent == intents.AFFIRM
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

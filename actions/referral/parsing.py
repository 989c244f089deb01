"""Reading her answers in the referral form ("syv", "7/10", "7-8", "3 måneder").

Pure functions from text to a value, or None when the text holds no usable
answer. Range checks are separate, so the form can tell "not a number" from
"pain 14".
"""

from __future__ import annotations

import re

from knowledge import intents
from knowledge.amounts import (
    DIGITS,
    TIME_UNIT,
    days_ago_in_words,
    digitize,
    first_number,
    number,
    unit_of,
)
from knowledge.referral_answers import (
    ONE_LEG,
    PLANNING,
    POSTPARTUM,
    PREGNANT,
    SLEEPING,
    STAIRS,
    TURNING_IN_BED,
    WALKING,
    WORK,
    Amount,
    PainBand,
    TimeSinceBirth,
)

MAX_WEEKS_SINCE_BIRTH = 520  # ten years
MAX_PAIN = 10

_AFFIRM = re.escape(intents.payload(intents.AFFIRM))  # the yes button: "/affirm"
_DENY = re.escape(intents.payload(intents.DENY))
_YES = re.compile(rf"^\s*(ja|jo|jep|yes|yeah|yep|ja tak|yes please|{_AFFIRM})\b", re.I)
_NO = re.compile(rf"^\s*(nej|nope|no|nah|ikke|not|{_DENY})\b", re.I)
_NONE_OF_THEM = re.compile(
    r"\b(ingen|intet|ingenting|nothing|none|no(ne)? of (them|these)|not really)\b", re.I
)


_BETWEEN = re.compile(
    rf"\b(?:mellem|imellem|between)\s+({DIGITS})\s+(?:og|and)\s+({DIGITS})(?!\d)"
)
# "7-8", "7–8", "7 til 8", "7 to 8", "7 eller 8"; "7/10" is one number out of ten.
_RANGE = re.compile(
    rf"(?<![\d.,])({DIGITS})\s*(?:-|–|—|\btil\b|\bto\b|\bor\b|\beller\b)\s*"
    rf"({DIGITS})(?!\d)"
)


def _first_range(text: str) -> tuple[float, float, int, int] | None:
    """The first band in digitized text: (low, high, start, end), low <= high."""
    found = [m for m in (_BETWEEN.search(text), _RANGE.search(text)) if m]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    low, high = sorted((number(match.group(1)), number(match.group(2))))
    return low, high, match.start(), match.end()


def parse_pain_band(text: str) -> PainBand | None:
    """The pain she rates: a band ("7-8", "7 til 8", "1–3 – lette") or one number.

    One number ("7", "7/10", "syv ud af ti", "seven") is the band 7–7.
    Unchecked: see ``pain_band_is_valid``.
    """
    digitized = digitize(text)
    band = _first_range(digitized)
    single = first_number(digitized)
    if band is not None:
        first = re.search(DIGITS, digitized)
        if first is None or first.start() >= band[2]:  # the band comes first
            return PainBand(band[0], band[1])
    return PainBand(single, single) if single is not None else None


def pain_band_is_valid(band: PainBand) -> bool:
    """Pain is rated from 0 (none) to 10 (worst imaginable)."""
    return 0 <= band.low <= band.high <= MAX_PAIN


_UNIT = TIME_UNIT + r"\b"
_CONNECTOR = r"(?:-|–|—|\btil\b|\bto\b|\bor\b|\beller\b|\bog\b|\band\b)"
# "6 uger–3 måneder", "3–9 måneder", "3 til 9 months", "mellem 3 og 9 måneder"
_TIME_RANGE = re.compile(
    rf"(?<![\d.,])({DIGITS})\s*(?:{_UNIT})?\s*{_CONNECTOR}\s*({DIGITS})\s*{_UNIT}"
)
_AMOUNT = re.compile(rf"(?:(?<![\d.,])({DIGITS})\s*)?\b{_UNIT}")
_LESS_THAN = re.compile(
    r"\b(under|mindre end|less than|fewer than|within|inden for|indenfor|not yet)\b"
)
_MORE_THAN = re.compile(
    r"\b(mere end|over|more than|længere end|laengere end|longer than|mindst|"
    r"at least)\b"
)


def parse_time_since_birth(text: str) -> TimeSinceBirth | None:
    """How long ago she gave birth, as she said it; unchecked.

    "3 måneder", "2 weeks ago", "Under 6 uger", "6 uger–3 måneder", "3 to 9
    months", "mere end 9 måneder", "lige" (just now), "i går"; a bare number
    is weeks.
    """
    digitized = digitize(text)
    band = _TIME_RANGE.search(digitized)
    if band:
        high_unit = unit_of(band.group(4))
        low_unit = unit_of(band.group(2)) if band.group(2) else high_unit
        low = Amount(number(band.group(1)), low_unit)
        high = Amount(number(band.group(3)), high_unit)
        if low.weeks > high.weeks:
            low, high = high, low
        return TimeSinceBirth(low, high)
    amount_match = _AMOUNT.search(digitized)
    bare_number = first_number(digitized)
    if amount_match:
        value = number(amount_match.group(1)) if amount_match.group(1) else 1.0
        amount = Amount(value, unit_of(amount_match.group(2)))  # "et år": one year
    elif bare_number is not None:
        amount = Amount(bare_number, "weeks")  # a bare number is read as weeks
    elif (days := days_ago_in_words(digitized)) is not None:
        amount = Amount(days, "days")  # "i går", "lige"
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
    PLANNING: r"planl|planning|plan to|trying|prøver|proever|prover|næste graviditet"
    r"|naeste graviditet|next pregnancy|want another|vil gerne have (et|flere)",
    POSTPARTUM: r"født|fodt|foedt|fødte|fodte|foedte|fødsel|fodsel|foedsel"
    r"|given birth|gave birth|had (my|the|a) baby|postpartum|after (the )?birth"
    r"|efter fødsl|barsel",
    PREGNANT: r"gravid|pregnant|expecting|venter",
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
    WALKING: r"\bgå\b|\bgaa\b|\bgår\b|\bgaar\b|gang\b|walk",
    STAIRS: r"trap|stair",
    TURNING_IN_BED: r"vende|turn",
    ONE_LEG: r"ét ben|et ben|eet ben|one leg|ene ben|stå på|staa paa|standing on",
    SLEEPING: r"sove|søvn|soevn|sovn|sleep|nat\b|night",
    WORK: r"arbejd|job|work",
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

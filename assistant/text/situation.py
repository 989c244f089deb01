"""Her situation, as far as a message tells it: whom the urgent advice names.

"early_pregnancy" (pregnant before about week 22; the exact week differs
between hospitals): her own doctor, out of hours lægevagten, who refer on.
"pregnant" (from about week 22, or the week not said): the maternity unit
(fødegangen), open day and night; its texts say briefly what holds before
week 22.
"recently_gave_birth" (up to 6 weeks after the birth): the maternity ward she
gave birth at, or lægevagten. "not_pregnant" (incl. later after the birth):
her own doctor, out of hours lægevagten. None: the message does not say, and
the urgent advice names both (docs/referral.md).

Pure functions over the message text and the red flags it affirms; the red
flags that only occur in pregnancy (data/triage/red_flags.yml:
``stages: [pregnant]``) say she is pregnant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text.red_flag_list import pregnancy_only_flags
from knowledge.amounts import WEEKS_PER_UNIT, days_ago_in_words, first_duration
from knowledge.care_situations import (
    EARLY_AFTER_BIRTH_WEEKS,
    EARLY_PREGNANCY,
    EARLY_PREGNANCY_BEFORE_WEEK,
    NOT_PREGNANT,
    PREGNANT,
    RECENTLY_GAVE_BIRTH,
)

_I = re.IGNORECASE
_NOT_PREGNANT = re.compile(
    r"\b(ikke|not|no longer|ikke længere|ikke laengere) (gravid|pregnant)\b"
    r"|\b(planl(æ|ae|a)gger|pr(ø|oe|o)ver at blive gravid"
    r"|trying to (get pregnant|conceive)"
    r"|planning (a|another|my next) (baby|pregnancy))",
    _I,
)
_PAST_PREGNANCY = re.compile(
    r"\b(var|was|were|when i was|da jeg var|dengang jeg var|last) (gravid|pregnant"
    r"|pregnancy|graviditet)",
    _I,
)
_PREGNANT = re.compile(
    r"\bgravid\b|\bpregnant\b|\bexpecting\b|\btermin\w*|\bdue date\b"
    r"|\b(i |er i )?uge \d{1,2}\b(?! (efter|siden))"
    r"|\b\d{1,2} ?(uger|weeks|wks|wk|w) (henne|along|pregnant|gravid)\b"
    r"|\b(in week|week) \d{1,2}\b(?! (after|since|postpartum|pp))"
    r"|\b\d{1,2} ?\+ ?\d\b"  # 24+3
    r"|(?<!than )(?<!under )(?<!within )\b\d{1,2} ?weeks?\b"
    r"(?!\s*(ago|after|since|postpartum|pp|old|to \d|to three|-|–))"
    r"|\bbump\b|\bfostervand\w*|\bamniotic\b",
    _I,
)
_GAVE_BIRTH = re.compile(
    r"\b(har |jeg )?(f(ø|oe|o)dt|f(ø|oe|o)dte)\b|\befter f(ø|oe|o)dslen\b"
    r"|\bbarsel\w*|\bgave birth\b|\bgiven birth\b"
    r"|\bhad (my|the|our|a) (baby|son|daughter)"
    r"|\bafter (the |giving )?birth\b|\bpost ?-?partum\b|\bsince (the )?birth\b"
    r"|\b\d{1,2} ?(weeks?|wks?|days?|months?) pp\b|\bafter (the )?delivery\b"
    r"|\b(min|vores) (baby|søn|datter|soen|son|pige|dreng) er \d"
    r"|\bmy (baby|son|daughter|newborn) is \d|\bdelivered\b|\bc-?section\b"
    r"|\bkejsersnit\w*",
    _I,
)


_BARE_WEEKS = re.compile(r"\b\d{1,2} ?(weeks?|wks?|uger)\b(?! (pregnant|gravid))", _I)
# "skal have kejsersnit", "after the birth will I …": a birth still to come
_BIRTH_TO_COME = re.compile(
    r"\b(skal|will|going to|planlagt|planned|scheduled|booked|bange for|afraid"
    r"|worried|scared|nervous|nerv(ø|oe|o)s|f(ø|oe|o)r f(ø|oe|o)dslen"
    r"|before the birth)\b",
    _I,
)


def says_she_gave_birth(text: str) -> bool:
    """True when she writes as one who has given birth and is not pregnant now.

    "jeg fødte for 2 uger siden", "blødning efter fødslen", "3 weeks
    postpartum"; not when she also says she is pregnant (again) or speaks of a
    birth still to come ("skal have kejsersnit"): then nothing is taken away
    from what a sign means in pregnancy.
    """
    if not text or not _GAVE_BIRTH.search(text) or _BIRTH_TO_COME.search(text):
        return False
    # after a birth, "4 weeks" alone tells the time since it, not a pregnancy week
    text = _PAST_PREGNANCY.sub(" ", _BARE_WEEKS.sub(" ", text))
    return not _PREGNANT.search(text)


def weeks_since_birth(text: str) -> float | None:
    """How long ago she says she gave birth, in weeks; None if she says no time."""
    duration = first_duration(text)
    if duration is not None:
        amount, unit = duration
        return amount * WEEKS_PER_UNIT[unit]
    days = days_ago_in_words(text)
    return None if days is None else days * WEEKS_PER_UNIT["days"]


# The pregnancy week she gives: "uge 14", "i uge 14", "14 uger henne",
# "week 14", "14 weeks pregnant", "24+3".
_PREGNANCY_WEEK = re.compile(
    r"\buge (\d{1,2})\b(?! (efter|siden))"
    r"|\b(\d{1,2}) ?(?:uger|weeks|wks|wk|w) (?:henne|along|pregnant|gravid)\b"
    r"|\b(?:in week|week) (\d{1,2})\b(?! (after|since|postpartum|pp))"
    r"|\b(\d{1,2}) ?\+ ?\d\b"
    r"|\b(\d{1,2}) ?weeks?\b(?!\s*(ago|after|since|postpartum|pp|old))",
    _I,
)


def pregnancy_week(text: str) -> int | None:
    """The pregnancy week the message gives ("gravid i uge 14" -> 14), or None."""
    match = _PREGNANCY_WEEK.search(_PAST_PREGNANCY.sub(" ", text))
    if match is None:
        return None
    week = next(group for group in match.groups() if group and group.isdigit())
    return int(week)


def situation_from_text(text: str, red_flags: Iterable[str] = ()) -> str | None:
    """Her situation as the message tells it, or None if it does not."""
    if not text or text.lstrip().startswith("/"):
        return None
    if pregnancy_only_flags() & set(red_flags):
        return PREGNANT
    if _NOT_PREGNANT.search(text):
        return NOT_PREGNANT
    if _PREGNANT.search(_PAST_PREGNANCY.sub(" ", text)):
        week = pregnancy_week(text)
        if week is not None and week < EARLY_PREGNANCY_BEFORE_WEEK:
            return EARLY_PREGNANCY
        return PREGNANT
    if _GAVE_BIRTH.search(text):
        weeks = weeks_since_birth(text)
        if weeks is None:
            return None
        return RECENTLY_GAVE_BIRTH if weeks <= EARLY_AFTER_BIRTH_WEEKS else NOT_PREGNANT
    return None


def updated_situation(current: str | None, told: str | None) -> str | None:
    """The slot's new value when a message tells ``told``; None: leave it.

    "pregnant" without a week does not undo a week before 22 told earlier
    ("gravid i uge 14", then "jeg er gravid og bløder").
    """
    if told == PREGNANT and current == EARLY_PREGNANCY:
        return None
    return told

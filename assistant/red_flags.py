"""Red flags: messages that must get the urgent advice whatever the classifier says.

A missed red flag (bleeding, a fall on the belly, the baby moving less …) does
far more harm than an unneeded "contact your midwife now", so these are
recognised by plain patterns as well as by the trained ``urgent`` intent. The
patterns err on the side of caution and are tested against every FAQ training
question, none of which may trip them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_FLAGS = re.IGNORECASE


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


_BLEEDING = _any(
    r"\bbl(ø|oe|o)d(er|te|ning|ninger)\b",
    r"\bpletbl(ø|oe|o)d",
    r"\bbleed(s|ing)?\b",
    r"\bspotting\b",
    r"\bblod\b",
    r"\bblood\b(?! (pressure|test|tests|sugar|type|group))",
)
_FEVER = _any(
    r"\bfeber\b",
    r"\bfever(ish)?\b",
    r"\bh(ø|oe|o)j temperatur",
    r"\bhigh temp",
    r"\btemp(erature)?\b.{0,12}\b(3[89]|4[0-2])\b",
    r"\b(3[89]|4[0-2])([,.]\d)? ?(grader|°)",
    r"\b(har|have|has|got|running) (a )?temp(eratur|erature)?\b",
)
_CONTRACTIONS = _any(
    r"\bve(er|erne)\b",
    r"\bstrammer sig\b",
    r"\bmaven\b.{0,15}\bh(å|aa|a)rd\b",
    r"\b(tummy|belly|bump|stomach)\b.{0,20}\b(going|goes|gets|getting) hard\b",
    r"\b(plukve\w*|braxton hicks)\b.{0,40}\b(regelm\w*|regular\w*)",
    r"\b(plukve\w*|braxton hicks)\b.{0,40}\b(anymore|l(æ|ae|a)ngere)",
    r"\bsammentr(æ|ae|a)kninger\b",
    r"\bcontractions?\b",
    r"\btightenings?\b",
    r"\bfaste mellemrum\b",
    r"\bregular(ly)?\b.{0,20}\b(pains?|cramps?|tighten\w*)",
    r"\bpre-?term\b",
    r"\b(premature|early) lab(ou)?r\b",
    r"\bf(ø|oe|o)dsl\w*.{0,25}\bfor tidligt\b",
    r"\bfor tidlig f(ø|oe|o)dsel\b",
)
_BABY = _any(
    r"\bbab(y|yen|ies)\b",
    r"\bbarnet\b",
    r"\bden lille\b",
    r"\bbump\b",
    r"\bliv(et)?\b",
    r"\bspark(er|et|ene)?\b",
    r"\bkick(s|ing|ed)?\b",
    r"\bfoster",
    r"\bfetal\b",
    r"\bbub\b",
)
_MOVES_DA = r"(bev(æ|ae|a)g\w*|spark\w*|r(ø|oe|o)r\w*)"
_FEWER_DA = r"(mindre|ikke|ingen|n(æ|ae|a)sten ikke|knap)"
_FEWER_EN = r"(less|fewer|reduced|no|not|barely|hardly|stopped|hasn'?t|haven'?t|isn'?t)"
_LESS_MOVEMENT = _any(
    rf"\b{_FEWER_DA}\b.{{0,25}}\b({_MOVES_DA}|m(æ|ae|a)rke\w*)",
    rf"\b{_MOVES_DA}\b.{{0,25}}\b(mindre|ikke|stille)\b",
    rf"\b{_FEWER_EN}\b.{{0,25}}\b(mov\w*|kick\w*|felt)\b",
    r"\b(mov\w*|kick\w*|movements?)\b.{0,25}\b(less|fewer|reduced|stopped|anymore)\b",
    r"\bcan'?t feel\b.{0,25}\b(mov\w*|kick\w*)",
    r"\b(v(æ|ae|a)ret|er) (helt |meget )?stille\b",
    r"\b(really |very |so )?quiet(er)?\b",
    r"\bgone (really |very |so )?still\b",
    r"\b(ikke noget|intet|ingen) liv\b",
)
_BELLY = _any(
    r"\bmave(n)?\b",
    r"\bmaven\b",
    r"\bbelly\b",
    r"\bbump\b",
    r"\bstomach\b",
    r"\btummy\b",
    r"\babdom\w*",
    r"\bunderliv\w*",
    r"\bmavepine\b",
    r"\bmavesmert\w*",
)
_FALL_OR_BLOW = _any(
    r"\bfald(et|t)\b",
    r"\bfaldt\b",
    r"\bv(æ|ae|a)lte(de|t)\b",
    r"\b(sparkede|slog|ramte|sprang op)\b",
    r"\bsnublede\b",
    r"\bgled\b",
    r"\bslag\b",
    r"\bsparket\b",
    r"\bramt\b",
    r"\bstanget\b",
    r"\b(fell|fallen|fall|slipped|tripped)\b",
    r"\b(hit|kicked|punched|blow|bumped|headbutted|jumped on)\b",
)
_ACCIDENT = _any(
    r"\b(trafik|bil|cykel)uheld\b",
    r"\b(car|traffic|bike|road) (accident|crash)\b",
    r"\bcrash(ed)?\b",
    r"\b(bad|hard|nasty|big) fall\b",
)
_SEVERE_OR_SUDDEN = _any(
    r"\bpludselig\w*",
    r"\bvoldsom\w*",
    r"\bst(æ|ae|a)rke?\b",
    r"\bfrygtelig\w*",
    r"\bsudden\w*",
    r"\bsevere\b",
    r"\bterrible\b",
    r"\bunbearable\b",
    r"\bexcruciating\b",
    r"\bsharp\b",
    r"\bskarp\w*",
    r"\bakut\w*",
    r"\bout of nowhere\b",
    r"\breally bad\b",
    r"\bso (bad|much)\b",
    r"\bud af det bl(å|aa|a)\b",
)
_PAIN = _any(
    r"\bondt\b",
    r"\bsmert\w*",
    r"\bmavesmert\w*",
    r"\bpain\w*",
    r"\bache\w*",
    r"\bcramp\w*",
    r"\bhurts?\b",
    r"\bpine\b",
    r"\bmavepine\b",
)
_NUMBNESS_OR_CONTINENCE = _any(
    r"\bf(ø|oe|o)lelsesl(ø|oe|o)s\w*",
    r"\bingen f(ø|oe|o)lelse\b",
    r"\bnumb(ness)?\b",
    r"\bmistet kontrol\w*",
    r"\bikke (holde|styre)\b.{0,20}\b(tis|vandet|urin|aff(ø|oe|o)ring)",
    r"\bikke (holde|styre)\b.{0,20}\b(tarm\w*|bl(æ|ae|a)re\w*)",
    r"\btisser i bukserne\b",
    r"\b(lost|losing|lose|no) control (of|over) (my )?(bladder|bowels?)",
    r"\bcan'?t (hold|control) (my )?(pee|urine|wee|bladder|bowels?|poo|stool)",
    r"\bwet myself\b",
)

RED_FLAGS: dict[str, Callable[[str], bool]] = {
    "bleeding": lambda text: bool(_BLEEDING.search(text)),
    "fever": lambda text: bool(_FEVER.search(text)),
    "contractions": lambda text: bool(_CONTRACTIONS.search(text)),
    "baby_moving_less": lambda text: bool(
        _BABY.search(text) and _LESS_MOVEMENT.search(text)
    ),
    "fall_or_blow_to_belly": lambda text: bool(
        _FALL_OR_BLOW.search(text) and _BELLY.search(text)
    ),
    "accident": lambda text: bool(_ACCIDENT.search(text)),
    "sudden_severe_belly_pain": lambda text: bool(
        _SEVERE_OR_SUDDEN.search(text) and _BELLY.search(text) and _PAIN.search(text)
    ),
    "numbness_or_lost_control": lambda text: bool(_NUMBNESS_OR_CONTINENCE.search(text)),
}


def red_flags(text: str) -> list[str]:
    """The red flags a message mentions, in a fixed order; [] for none."""
    if not text or text.lstrip().startswith("/"):
        return []
    return [name for name, present in RED_FLAGS.items() if present(text)]

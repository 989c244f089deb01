"""Symptom reports: her own severe, worsening or disabling pain, and a plea for help.

"I'm in so much pain I can hardly walk, what should I do?" asks for advice
about *her*, not for a FAQ answer about pelvic girdle pain in general, so it
starts the referral check. A message is such a report when it has all three:

1. pain ("jeg har ondt", "mit bækken", "the pain", "my pelvis hurts");
2. severe, worsening or disabling, and not denied ("så ondt", "værre", "kan
   ikke gå", "unbearable", "getting worse", "can barely walk"; but not "so it
   doesn't get worse");
3. a request for help or advice ("hvad skal jeg gøre", "hjælp", "what should
   I do", "any advice", "should I do something").

Ordinary questions about pain ("where does it hurt with PGP?") have none of
the first two and keep their FAQ answer; a red flag wins over all of this
(``assistant.text.red_flags``).
"""

from __future__ import annotations

import re

from assistant.text.negation import is_negated

_I = re.IGNORECASE
AE, OE, AA = "(æ|ae|a)", "(ø|oe|o)", "(å|aa|a)"

_PAIN = re.compile(
    rf"\b(ondt|sm(e|{AE})rt\w*|pine\w*|jag\w*|b{AE}kkenl{OE}sning\w*|b{AE}kken\w*"
    rf"|symfyse\w*|skamben\w*)"
    r"|\b(pain\w*|hurt\w*|ach\w*|sore|agony|killing me|pgp|spd|pelvis|pelvic"
    r"|hips?|groin|tailbone|sacroiliac)\b",
    _I,
)
# severe or disabling: said with a negation of its own ("kan ikke gå")
_SEVERE = re.compile(
    rf"\b(s{AA}|meget|mega|vildt|sindssygt|afsindigt|helt vildt|rigtig|virkelig"
    rf"|enormt|ekstremt|vanvittigt|voldsomt|frygtelig\w*|forf{AE}rdelig\w*) ondt\b"
    rf"|\bulidelig\w*|\buudholdelig\w*|\bslem\w*|\bk{AE}mpe smerter\b"
    rf"|\b(kan|kunne) (n{AE}sten |knap |slet |n{AE}rmest )?(ikke )?(l{AE}ngere |mere )?"
    rf"(g{AA}|sove|st{AA}|sidde|rejse mig|vende mig|arbejde|passe|klare|holde|l{OE}fte"
    rf"|b{OE}je|tage|komme)\b"
    rf"|\bikke kan (g{AA}|sove|st{AA}|sidde|rejse mig|vende mig|arbejde|passe|klare"
    rf"|holde|l{OE}fte|b{OE}je|tage|komme)\b"
    rf"|\bkan (knap|n{AE}sten ikke|n{AE}rmest ikke)\b|\bkan ikke mere\b"
    rf"|\bgr{AE}der\b|\bf{AE}rdig\b|\binvalid\w*|\bude af drift\b|\bkrykker\b"
    rf"|\bk{OE}restol\b|\bl{AA}s(er|t)\b|\bg{AA}r i stykker\b"
    rf"|\bhar det (virkelig |helt )?(skidt|forf{AE}rdeligt|elendigt)\b"
    r"|\b(so|really|very|extremely) (much|bad|painful|sore)\b|\bunbearable\b"
    r"|\bsevere\b|\bexcruciating\b|\bagony\b|\bkilling me\b|\bin tears\b"
    r"|\bcrying\b|\bdebilitating\b|\bcrippling\b|\bconstant\b|\bimpossible\b"
    r"|\btorture\b|\bawful\b|\bruining\b|\bstruggling\b|\bfalling apart\b"
    r"|\bsplitting\b|\bcrutches\b|\bwheelchair\b|\bdesperate\b|\bexhausted\b"
    r"|\bcan'?t (walk|sleep|stand|move|cope|work|function|get up|turn|take it|handle"
    r"|bear|lift|put|get dressed|do)\b|\b(can )?(barely|hardly) (walk|sleep|stand|move"
    r"|get)\b|\bstopping me\b|\bat my wits'? end\b",
    _I,
)
# worsening: "so it doesn't get worse" is no report of it
_WORSENING = re.compile(
    rf"\bv{AE}rre\b|\btager til\b|\bblusser\b|\bworse\b|\bworsening\b",
    _I,
)
_REQUEST = re.compile(
    rf"\bhvad (skal|kan|g{OE}r|b{OE}r) (jeg|vi|man)\b|\bhvad nu\b|\bhj{AE}+lp\w*"
    rf"|\bskal jeg (g{OE}re|ringe|kontakte|tage|have|se|bekymre|sygemeldes)\b"
    rf"|\ber der (noget|nogen)\b|\bkan (du|i|nogen) hj{AE}lpe\b|\bhvad anbefaler\b"
    rf"|\br{AA}d\b|\btips\b|\bhvad hj{AE}lper\b|\bhvad stiller jeg op\b"
    rf"|\bhvem kan hj{AE}lpe\b|\bb{OE}r jeg\b|\bm{AA} jeg\b|\bkan jeg f{AA}\b"
    rf"|\bfindes der\b|\bhvorn{AA}r skal (man|jeg)\b|\bnogen der ved\b"
    rf"|\bhvordan (skal|kommer|klarer|kan) (jeg|man)\b|\bkan man\b"
    rf"|\bved ikke hvad jeg skal\b"
    r"|\bwhat (should|can|do|shall|must) (i|we)\b|\bwhat now\b|\bhelp\b"
    r"|\badvice\b|\btips\b|\btricks\b|\bideas\b|\boptions\b"
    r"|\bshould i\b|\bis there (anything|any way)\b|\banything (that|i can)\b"
    r"|\bcan (you|anyone|someone) help\b|\bwhat do you (recommend|suggest)\b"
    r"|\bwho (can|do|should) (help|i)\b|\bplease\b|\bhow (do|can|will|shall) i\b"
    r"|\bwhat else\b|\bdon'?t know what to do\b|\bcan i (get|take)\b"
    r"|\bwhere do i\b|\bworth (getting|seeing|trying)\b",
    _I,
)


def is_symptom_report(text: str) -> bool:
    """True for her own severe, worsening or disabling pain with a request for help."""
    if not text or text.lstrip().startswith("/"):
        return False
    lowered = text.lower()
    severe = bool(_SEVERE.search(lowered)) or any(
        not is_negated(lowered, match.span()) for match in _WORSENING.finditer(lowered)
    )
    return bool(severe and _PAIN.search(lowered) and _REQUEST.search(lowered))


# "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på
# trapper": a denial of the signs, then her own pelvic pain, which is what the
# check is about. The action server keeps its own copy
# (actions/referral/parsing.py); tests/unit/test_symptom_reports.py keeps the
# two in step.
_DENIAL_AT_START = re.compile(
    r"^\W*(nej|nope|no|nah|ingen|intet|ikke|not|none|nothing|(jeg|i) (har|have) "
    r"(ikke|ingen|no|not))\b",
    _I,
)
_BUT = re.compile(r"\b(men|but)\b", _I)
_OWN_PAIN = re.compile(
    rf"\b(ondt|sm(e|{AE})rt\w*|pain\w*|hurt\w*|ach\w*|sore)\b",
    _I,
)
_PELVIS = re.compile(
    rf"\b(b{AE}kken\w*|hofte\w*|lyske\w*|skamben\w*|symfyse\w*|l{AE}nd\w*|ryg\w*"
    r"|balde\w*|pelvi\w*|hips?|groin|pubic|back|pgp|spd)\b",
    _I,
)
# anything after the "but" that may be a sign, or a hedge: not a clear no
_NOT_ONLY_PAIN = re.compile(
    rf"\b(m{AA}ske|maybe|perhaps|tror|think|ved ikke|not sure|sikker|sure|feber"
    rf"|fever|bl{OE}d\w*|bleed\w*|blood|vand\w*|water\w*|veer|ve|contraction\w*"
    rf"|hovedpine|headache|syn\w*|vision|bryst\w*|chest|{AA}ndened|{AA}nden{OE}d"
    rf"|breath\w*|besvim\w*|faint\w*|kramp\w*|seizure\w*|fit|h{AE}v\w*|swell\w*"
    rf"|swollen|f{OE}lelsesl{OE}s\w*|numb\w*|svag\w*|weak\w*|aff{OE}ring|bowel\w*"
    rf"|urin\w*|tisse|pee|mave\w*|belly|stomach|ribben\w*|ribs?|l{AE}g(gen)?|calf"
    rf"|fald\w*|fell|fall\w*|slag|ulykke|accident|barnet|baby)\b",
    _I,
)


def denial_then_own_pain(text: str) -> bool:
    """True for a no to the signs, then "but" and her own pelvic pain, and nothing else.

    "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på
    trapper" / "No bleeding or fever, but my pelvis hurts on the stairs". Not
    "nej, men måske lidt feber", nor a "but" naming anything that may be a sign.
    """
    if not text or not _DENIAL_AT_START.search(text):
        return False
    parts = _BUT.split(text, maxsplit=1)
    if len(parts) < 3:
        return False
    after = parts[2]
    return bool(
        _OWN_PAIN.search(after)
        and _PELVIS.search(after)
        and not _NOT_ONLY_PAIN.search(after)
    )

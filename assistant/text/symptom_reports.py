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

A denial of the red flags followed by her own pain ("nej, ingen blødning eller
feber, men bækkenet gør ondt når jeg går på trapper") is no bare "no" either:
``denial_then_own_pain`` recognises it, so that it starts the referral check
(and, inside the check, answers the red-flag question with a no).
"""

from __future__ import annotations

import re

from assistant.text.negation import is_negated
from assistant.text.red_flags import RedFlagReading, read_red_flags

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


# "men"/"but" between the denial and her own pain
_BUT = re.compile(r"\b(men|but)\b", _I)
# a "no" that names nothing: "nej", "ingen af delene", "none of those"
_BARE_NO = re.compile(
    r"(nej|nope|nah|no|ingen|none|nix|intet)( (nej|no))?"
    r"( (tak|thanks|thankfully|heldigvis))?"
    r"|(nej,? )?(nej,? )?(jeg )?(har )?(ikke )?(ingen|intet|noget|nogen) af "
    rf"(delene|dem|de ting|det)( du n{AE}vner)?"
    r"|(no,? )?(none|nothing|neither) of (those|them|the above|that|these)"
    r"|(no,? )?nothing (like that|of the sort)|(no,? )?(i )?(haven'?t|don'?t have) any"
    r" of (those|them|that|these)",
    _I,
)
# pain she has: pain words, not body parts ("but my hips are fine" is none)
_OWN_PAIN = re.compile(
    rf"\b(ondt|sm(e|{AE})rt\w*|pine\w*|jag\w*|{OE}m(t|me|hed)?|murre\w*|stik\w*"
    rf"|b{AE}kkenl{OE}sning\w*|b{AE}kkensmert\w*|knager|klikker|l{AA}ser)\b"
    r"|\b(pain\w*|hurt\w*|ach(e|es|ing|y)|sore|agony|killing me|pgp|spd|twinge\w*"
    r"|clicks?|locks?|locking|grinding)\b",
    _I,
)

# pain where a red flag may be (belly, chest, head, calf, ribs) or a hedge: not
# the pelvic pain the check asks about, so no plain "no" ("nej, men jeg har ondt
# i maven" is asked again inside the check)
_NOT_ONLY_PELVIC_PAIN = re.compile(
    rf"\b(mave\w*|belly|stomach|tummy|abdom\w*|bryst\w*|chest|hoved\w*|head\w*"
    rf"|l{AE}g(gen|gene)?|calf|calves|ribben\w*|ribs?|m{AA}ske|maybe|perhaps|tror"
    rf"|think|ved ikke|not sure)\b",
    _I,
)

# "no, but what is PGP?" asks about pain in general
_GENERAL_QUESTION = re.compile(
    rf"^\W*(hvad|hvordan|hvorfor|hvorn{AA}r|hvilke\w*|kan man|er det|what|how|why"
    r"|when|which|can you|is it|is pgp|does|do)\b",
    _I,
)


def denial_then_own_pain(text: str, reading: RedFlagReading | None = None) -> bool:
    """True for a denial of the red flags, then "men"/"but" and her own pain.

    "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på
    trapper", "No bleeding or fever, but my pelvis hurts when I climb stairs",
    "nej, men jeg har ondt i skambenet". The denial names red flags only to
    deny them, or is a bare "no"; after the "men"/"but" comes pain she does
    not deny. A message that affirms any red flag is not one ("no bleeding but
    I have a fever"), nor is a denial with nothing after it, or with something
    other than pain ("no bleeding, but I'm worried"), or pain where a sign may
    be, or a hedge ("nej, men jeg har ondt i maven", "no, but maybe a fever").
    The red-flag gate puts its verdict on the message (``denial_then_own_pain``
    in the parse data), so the referral check reads the same answer as a no.
    ``reading`` is ``read_red_flags(text)`` if the caller has it already (the
    gate does): the whole text is then not read for red flags a second time.
    """
    if not text or text.lstrip().startswith("/"):
        return False
    lowered = text.lower()
    but = _BUT.search(lowered)
    if but is None:
        return False
    if (reading if reading is not None else read_red_flags(lowered)).affirmed:
        return False
    before, after = lowered[: but.start()], lowered[but.end() :]
    denial = bool(read_red_flags(before).negated) or bool(
        _BARE_NO.fullmatch(re.sub(r"[\W_]+", " ", before).strip())
    )
    if _GENERAL_QUESTION.match(after) or _NOT_ONLY_PELVIC_PAIN.search(after):
        return False
    return denial and any(
        not is_negated(after, match.span()) for match in _OWN_PAIN.finditer(after)
    )

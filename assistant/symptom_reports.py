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
(``assistant.red_flags``).
"""

from __future__ import annotations

import re

from assistant.negation import is_negated

_I = re.IGNORECASE
AE, OE, AA = "(æ|ae|a)", "(ø|oe|o)", "(å|aa|a)"

_PAIN = re.compile(
    rf"\b(ondt|sm(e|{AE})rt\w*|pine\w*|jag\w*|b{AE}kkenl{OE}sning\w*|b{AE}kken\w*"
    rf"|symfyse\w*|skamben\w*)"
    r"|\b(pain\w*|hurt\w*|ach\w*|sore|agony|killing me|pgp|spd|pelvis|pelvic)\b",
    _I,
)
_SEVERE_OR_WORSE = re.compile(
    rf"\b(s{AA}|meget|mega|vildt|sindssygt|afsindigt|helt vildt|rigtig|virkelig"
    rf"|enormt|frygtelig\w*|forf{AE}rdelig\w*) ondt\b"
    rf"|\bv{AE}rre\b|\btager til\b|\bulidelig\w*|\buudholdelig\w*|\bslem\w*"
    rf"|\bkan (n{AE}sten |knap |slet |ikke l{AE}ngere |ikke mere )?(ikke )?"
    rf"(g{AA}|sove|st{AA}|rejse mig|vende mig|arbejde|passe|klare|holde)\b"
    rf"|\bkan (knap|n{AE}sten ikke)\b|\bkan ikke mere\b|\bgr{AE}der\b|\bf{AE}rdig\b"
    r"|\b(so|really|very|extremely) (much|bad|painful|sore)\b|\bworse\b|\bunbearable\b"
    r"|\bexcruciating\b|\bagony\b|\bkilling me\b|\bin tears\b|\bcrying\b"
    r"|\bcan'?t (walk|sleep|stand|move|cope|work|function|get up|turn|take it"
    r"|handle|bear)\b|\b(can )?(barely|hardly) (walk|sleep|stand|move|get)\b"
    r"|\bdesperate\b|\bexhausted\b|\bat my wits'? end\b",
    _I,
)
_REQUEST = re.compile(
    rf"\bhvad (skal|kan|g{OE}r|b{OE}r) jeg\b|\bhvad nu\b|\bhj{AE}lp\b|\bhj{AE}lp mig\b"
    rf"|\bskal jeg (g{OE}re|ringe|kontakte|tage|have)\b|\ber der noget\b"
    rf"|\bkan (du|i|nogen) hj{AE}lpe\b|\bhvad anbefaler\b"
    rf"|\bet r{AA}d\b|\bnogle r{AA}d\b"
    rf"|\bhvad stiller jeg op\b|\bhvem kan hj{AE}lpe\b"
    r"|\bwhat (should|can|do|shall|must) i\b|\bwhat now\b|\bhelp\b|\badvice\b"
    r"|\bshould i (do|call|see|go|get|contact|ring)\b|\bis there anything\b"
    r"|\bcan (you|anyone|someone) help\b|\bwhat do you (recommend|suggest)\b"
    r"|\bwho can help\b|\bplease\b",
    _I,
)


def is_symptom_report(text: str) -> bool:
    """True for her own severe, worsening or disabling pain with a request for help."""
    if not text or text.lstrip().startswith("/"):
        return False
    lowered = text.lower()
    severe = any(
        not is_negated(lowered, match.span())
        for match in _SEVERE_OR_WORSE.finditer(lowered)
    )
    return bool(severe and _PAIN.search(lowered) and _REQUEST.search(lowered))

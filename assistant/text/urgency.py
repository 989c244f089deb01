"""How urgent a message is, by the red flags it names: the ``urgency`` slot.

Two tiers (data/triage/red_flags.yml, ``call_112``): a sign where life may be
at stake is "call_112", and the urgent reply says "Ring 112 nu" / "Call 112
now" before anything else; signs only of the other tier are "by_situation",
and the reply says whom to call by her situation, with 112 "ved livsfare".
No sign named (she pressed "Ja" to the check's question, or the classifier
alone said urgent): the tier is unknown (None), and the reply names the 112
signs first, then whom to call for the rest.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.text.red_flag_list import calls_112

CALL_112 = "call_112"
BY_SITUATION = "by_situation"
URGENCIES = (CALL_112, BY_SITUATION)


def urgency(flag_ids: Iterable[str]) -> str | None:
    """The tier of the signs a message affirms; None when it names none."""
    flags = set(flag_ids)
    if not flags:
        return None
    return CALL_112 if calls_112(flags) else BY_SITUATION

"""The referral advice: a documented decision table, as a pure function.

``decide`` maps what she told the form to one kind of advice (first matching
row wins; the table is in docs/referral.md and tested row by row).
``advice_messages`` turns it into the summary and the advice in her language.
Advice stays within what the article and plain prudence support: whom to
contact and how soon, never a diagnosis, medicine or a rule about referrals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

SEVERE_PAIN = 7  # 7-10 of 10
MODERATE_PAIN = 4  # 4-6 of 10
LARGE_IMPACT = 3  # activities the pain stops her from doing
EARLY_AFTER_BIRTH_WEEKS = 6


class Advice(Enum):
    """The kinds of advice, one per row of the decision table."""

    URGENT = "urgent"
    SEE_DOCTOR_OR_MIDWIFE_SOON = "see_doctor_or_midwife_soon"
    PREPARE_NEXT_PREGNANCY = "prepare_next_pregnancy"
    CAREFUL_AFTER_BIRTH = "careful_after_birth"
    EARLY_AFTER_BIRTH = "early_after_birth"
    PHYSIO_AFTER_BIRTH = "physio_after_birth"
    PHYSIO_PROGRAM_IN_PREGNANCY = "physio_program_in_pregnancy"
    MILD_PAIN_IN_PREGNANCY = "mild_pain_in_pregnancy"
    PREVENT_IN_PREGNANCY = "prevent_in_pregnancy"


@dataclass(frozen=True)
class Situation:
    """What she told the referral form."""

    red_flags: bool
    stage: str | None = None  # "pregnant", "postpartum" or "planning"
    pregnancy_week: float | None = None
    weeks_since_birth: float | None = None
    pain_level: float = 0
    activities: tuple[str, ...] = field(default_factory=tuple)
    examined: bool | None = None


def decide(situation: Situation) -> Advice:
    """The advice for her situation: the first row of the table that matches."""
    if situation.red_flags:
        return Advice.URGENT
    if situation.pain_level >= SEVERE_PAIN or len(situation.activities) >= LARGE_IMPACT:
        return Advice.SEE_DOCTOR_OR_MIDWIFE_SOON
    if situation.stage == "planning":
        return Advice.PREPARE_NEXT_PREGNANCY
    if situation.stage == "postpartum":
        if situation.pain_level <= 0:
            return Advice.CAREFUL_AFTER_BIRTH
        weeks = situation.weeks_since_birth or 0
        if weeks <= EARLY_AFTER_BIRTH_WEEKS:
            return Advice.EARLY_AFTER_BIRTH
        return Advice.PHYSIO_AFTER_BIRTH
    if situation.pain_level >= MODERATE_PAIN:
        return Advice.PHYSIO_PROGRAM_IN_PREGNANCY
    if situation.pain_level > 0:
        return Advice.MILD_PAIN_IN_PREGNANCY
    return Advice.PREVENT_IN_PREGNANCY


ADVICE_TEXT = {
    Advice.URGENT: (
        "Kontakt din jordemoder eller fødeafdelingen nu, og ring 112, hvis det er "
        "akut livstruende. De tegn, du har, skal vurderes med det samme – vent ikke.",
        "Contact your midwife or the maternity ward now, and call 112 in an "
        "emergency. The signs you describe must be checked straight away – don't wait.",
    ),
    Advice.SEE_DOCTOR_OR_MIDWIFE_SOON: (
        "Med så stærke smerter, eller når smerterne begrænser dig så meget, bør du "
        "snarest kontakte din læge eller jordemoder og blive undersøgt grundigt. "
        "Ifølge artiklen er bækkensmerter ikke noget, man bare skal leve med.",
        "With pain this strong, or when it limits you this much, contact your doctor "
        "or midwife soon to be examined thoroughly. According to the article, pelvic "
        "pain is not something you just have to live with.",
    ),
    Advice.PREPARE_NEXT_PREGNANCY: (
        "Ifølge artiklen kommer bækkensmerter primært igen, hvis man ikke gør noget "
        "for at stabilisere kroppen og bækkenet. Træn kernen og stabiliser bækkenet "
        "før og under graviditeten – gerne med en kvalificeret træner eller en "
        "fysioterapeut, der kan lægge et program til dig.",
        "According to the article, pelvic pain mainly comes back if nothing is done "
        "to stabilise the body and the pelvis. Train your core and stabilise your "
        "pelvis before and during the pregnancy – ideally with a qualified trainer or "
        "a physiotherapist who can put a programme together for you.",
    ),
    Advice.CAREFUL_AFTER_BIRTH: (
        "Godt, at du ikke har ondt nu. Husk, at ledbånd kan tage 8–9 måneder om at "
        "hele, så vær opmærksom, når du øger aktiviteten – hos nogle kommer smerterne "
        "tilbage et par måneder efter fødslen. Kommer de, så søg hjælp.",
        "Good that you are not in pain now. Remember that ligaments can take 8–9 "
        "months to heal, so be careful as you become more active – for some the pain "
        "comes back a few months after the birth. If it does, seek help.",
    ),
    Advice.EARLY_AFTER_BIRTH: (
        "De fleste oplever, at smerterne fortager sig relativt kort tid efter fødslen. "
        "Fortæl din jordemoder eller læge om smerterne, fx ved efterfødselskontrollen, "
        "og kontakt en fysioterapeut, hvis de ikke aftager. Ledbånd kan tage 8–9 "
        "måneder om at hele, så vær forsigtig i den tid.",
        "Most women find the pain eases fairly soon after the birth. Tell your "
        "midwife or doctor about it, for example at your postnatal check, and see a "
        "physiotherapist if it doesn't ease. Ligaments can take 8–9 months to heal, "
        "so be careful during that time.",
    ),
    Advice.PHYSIO_AFTER_BIRTH: (
        "Hos nogle kommer smerterne tilbage et par måneder efter fødslen, når de "
        "bliver mere aktive. En fysioterapeut kan undersøge dig og lægge et "
        "individuelt, stabiliserende program. Husk, at ledbånd kan tage 8–9 måneder "
        "om at hele – vær forsigtig, også når smerterne aftager.",
        "For some, the pain comes back a few months after the birth as they become "
        "more active. A physiotherapist can examine you and set up an individual, "
        "stabilising programme. Remember that ligaments can take 8–9 months to heal – "
        "stay careful even when the pain eases.",
    ),
    Advice.PHYSIO_PROGRAM_IN_PREGNANCY: (
        "Med moderate smerter under graviditeten kan en fysioterapeut undersøge dig "
        "og lægge et individuelt, stabiliserende træningsprogram – ifølge artiklen er "
        "et individuelt program næsten altid nødvendigt, når smerterne er der. Hold "
        "dig i gang uden at provokere smerterne.",
        "With moderate pain in pregnancy, a physiotherapist can examine you and set "
        "up an individual, stabilising exercise programme – according to the article, "
        "an individual programme is almost always needed once pain is present. Keep "
        "moving without provoking the pain.",
    ),
    Advice.MILD_PAIN_IN_PREGNANCY: (
        "Ved lette smerter er det sjældent en god idé at holde sig helt i ro: hold "
        "dig i gang, undgå hurtige, huggende bevægelser og rotationer, og tænk over "
        "din holdning. Nævn smerterne for din jordemoder, og søg hjælp hos en "
        "fysioterapeut, hvis de tager til.",
        "With mild pain it is rarely a good idea to stay completely still: keep "
        "moving, avoid quick, jerky movements and twisting, and mind your posture. "
        "Mention the pain to your midwife, and see a physiotherapist if it gets worse.",
    ),
    Advice.PREVENT_IN_PREGNANCY: (
        "Godt, at du ikke har ondt. Ifølge artiklen nedsætter en stærk, velfungerende "
        "kerne risikoen for bækkensmerter betydeligt, og god kropsholdning hjælper. "
        "Tøv ikke med at søge hjælp, hvis smerterne kommer.",
        "Good that you are not in pain. According to the article, a strong, "
        "well-functioning core considerably lowers the risk of pelvic pain, and good "
        "posture helps. Don't hesitate to seek help if pain starts.",
    ),
}

EXAMINED_TEXT = {
    True: (
        "Du er allerede blevet undersøgt: følg den plan, du fik, og kontakt dem igen, "
        "hvis smerterne bliver værre.",
        "You have already been examined: follow the plan you were given, and contact "
        "them again if the pain gets worse.",
    ),
    False: (
        "Du er ikke blevet undersøgt endnu: få dig undersøgt af din læge, jordemoder "
        "eller en fysioterapeut.",
        "You haven't been examined yet: get examined by your doctor, midwife or a "
        "physiotherapist.",
    ),
}

REMINDER = (
    "Husk: dette er generel information fra en artikel, ikke en undersøgelse af dig.",
    "Remember: this is general information from an article, not an examination of you.",
)

_STAGE_SUMMARY = {
    "pregnant": ("er gravid", "are pregnant"),
    "postpartum": ("har født", "have given birth"),
    "planning": ("planlægger en graviditet", "are planning a pregnancy"),
}
ACTIVITY_NAMES = {
    "walking": ("at gå", "walking"),
    "stairs": ("trapper", "stairs"),
    "turning_in_bed": ("at vende dig i sengen", "turning in bed"),
    "one_leg": ("at stå på ét ben", "standing on one leg"),
    "sleeping": ("at sove", "sleeping"),
    "work": ("arbejde", "work"),
}


def _index(language: str) -> int:
    return 1 if language == "en" else 0


def _join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" and " if language == "en" else " og ") + items[-1]


def summary(situation: Situation, language: str) -> str:
    """One sentence repeating what she told the form."""
    i = _index(language)
    parts = []
    if situation.stage in _STAGE_SUMMARY:
        stage = _STAGE_SUMMARY[situation.stage][i]
        if situation.stage == "pregnant" and situation.pregnancy_week is not None:
            week = f"{situation.pregnancy_week:g}"
            stage += f" in week {week}" if i else f" i uge {week}"
        if situation.stage == "postpartum" and situation.weeks_since_birth is not None:
            weeks = f"{situation.weeks_since_birth:g}"
            stage += f" ({weeks} weeks ago)" if i else f" (for {weeks} uger siden)"
        parts.append(stage)
    parts.append(
        f"pain {situation.pain_level:g}/10"
        if i
        else f"smerter {situation.pain_level:g}/10"
    )
    if situation.activities:
        names = [
            ACTIVITY_NAMES[a][i] for a in situation.activities if a in ACTIVITY_NAMES
        ]
        hard = _join(names, language)
        parts.append(f"hard: {hard}" if i else f"svært: {hard}")
    if situation.examined is not None:
        parts.append(
            ("examined" if situation.examined else "not examined yet")
            if i
            else ("undersøgt" if situation.examined else "ikke undersøgt endnu")
        )
    if situation.stage in _STAGE_SUMMARY:
        lead = "You told me that you " if i else "Du har fortalt, at du "
    else:
        lead = "You told me: " if i else "Du har fortalt: "
    return lead + "; ".join(parts) + "."


def advice_messages(situation: Situation, language: str) -> list[str]:
    """The summary, the advice, whom to see, and the reminder, in her language."""
    i = _index(language)
    advice = decide(situation)
    if advice is Advice.URGENT:
        return [ADVICE_TEXT[advice][i]]
    messages = [summary(situation, language), ADVICE_TEXT[advice][i]]
    if situation.examined is not None and (
        situation.pain_level > 0 or situation.examined
    ):
        messages.append(EXAMINED_TEXT[situation.examined][i])
    messages.append(REMINDER[i])
    return messages

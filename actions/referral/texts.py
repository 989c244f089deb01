"""The referral advice's texts, (Danish, English) per kind of advice.

Every text stays within the article and plain prudence: whom to contact and
how soon. The contacts (see docs/referral.md): egen læge (the GP) for anyone;
the jordemoder (midwife) only in pregnancy; after the birth egen læge (the
efterundersøgelse about 8 weeks after the birth) and the sundhedsplejerske
(health visitor); out of hours lægevagten, whose number depends on the region;
in pregnancy also the fødegang, open day and night.
"""

from __future__ import annotations

from actions.referral.advice import Advice

_OUT_OF_HOURS_DA = (
    "Uden for lægens åbningstid kan du ringe til lægevagten (nummeret afhænger af "
    "din region; i Region Hovedstaden er det 1813)"
)
_OUT_OF_HOURS_EN = (
    "Out of hours, call the out-of-hours doctor (lægevagten; the number depends on "
    "your region – in Region Hovedstaden it is 1813)"
)
_LIGAMENTS_DA = (
    "Hvis ledbånd og andet bindevæv er blevet beskadiget under graviditeten, kan "
    "de være 8–9 måneder om at hele"
)
_LIGAMENTS_EN = (
    "If ligaments and other connective tissue were damaged during the pregnancy, "
    "they can take 8–9 months to heal"
)

ADVICE_TEXT: dict[Advice, tuple[str, str]] = {
    Advice.SEVERE_PAIN_TODAY_IN_PREGNANCY: (
        "Så stærke smerter skal vurderes i dag – vent ikke. Kontakt din egen læge i "
        f"dag. {_OUT_OF_HOURS_DA} eller til fødegangen på dit fødested, som har "
        "åbent døgnet rundt.",
        "Pain this severe should be looked at today – don't wait. Contact your own "
        f"GP (egen læge) today. {_OUT_OF_HOURS_EN} or the maternity unit "
        "(fødegangen) where you are booked to give birth, which is open day and "
        "night.",
    ),
    Advice.SEVERE_PAIN_TODAY: (
        "Så stærke smerter skal vurderes i dag – vent ikke. Kontakt din egen læge i "
        f"dag. {_OUT_OF_HOURS_DA}.",
        "Pain this severe should be looked at today – don't wait. Contact your own "
        f"GP (egen læge) today. {_OUT_OF_HOURS_EN}.",
    ),
    Advice.SEE_DOCTOR_OR_MIDWIFE_SOON: (
        "Med så stærke smerter, eller når smerterne begrænser dig så meget, bør du "
        "snarest kontakte din egen læge eller din jordemoder og blive undersøgt "
        "grundigt. Ifølge artiklen er bækkensmerter ikke bare en normal gene, man må "
        "leve med under graviditeten.",
        "With pain this strong, or when it limits you this much, contact your own GP "
        "(egen læge) or your midwife soon and get a thorough examination. According "
        "to the article, pelvic pain is not just a normal nuisance you have to live "
        "with during pregnancy.",
    ),
    Advice.SEE_DOCTOR_SOON: (
        "Med så stærke smerter, eller når smerterne begrænser dig så meget, bør du "
        "snarest kontakte din egen læge og blive undersøgt grundigt. Ifølge artiklen "
        "er det vigtigt at blive undersøgt grundigt, når man har bækkensmerter.",
        "With pain this strong, or when it limits you this much, contact your own GP "
        "(egen læge) soon and get a thorough examination. According to the article, "
        "it is important to get a thorough examination when you have pelvic pain.",
    ),
    Advice.EXAMINE_BEFORE_PREPARING: (
        "Du har ondt nu, så få først smerterne undersøgt hos din egen læge – ifølge "
        "artiklen er det vigtigt at blive undersøgt grundigt, når man har smerter. "
        "Derefter kan du forberede næste graviditet: ifølge artiklen kommer "
        "bækkensmerter primært igen, hvis man ikke gør noget for at stabilisere "
        "kroppen og bækkenet, og når smerterne allerede er der, er et individuelt "
        "træningsprogram næsten altid nødvendigt – fx fra en fysioterapeut.",
        "You are in pain now, so first have it examined by your own GP (egen læge) – "
        "according to the article, it is important to get a thorough examination "
        "when you are in pain. Then you can prepare for the next pregnancy: according "
        "to the article, pelvic pain mainly comes back if nothing is done to "
        "stabilise the body and the pelvis, and once pain is present an individual "
        "training programme is almost always needed – for example from a "
        "physiotherapist.",
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
        "Godt, at du ikke har ondt nu. Hos nogle kan smerterne komme tilbage et par "
        "måneder efter fødslen, måske i takt med, at de begynder at lave flere "
        f"fysiske aktiviteter igen. {_LIGAMENTS_DA}, så vær opmærksom, når du bliver "
        "mere aktiv. Kommer smerterne igen, så søg hjælp hos din egen læge eller en "
        "fysioterapeut.",
        "Good that you are not in pain now. For some, the pain can come back a few "
        "months after the birth, perhaps as they start doing more physical activity "
        f"again. {_LIGAMENTS_EN}, so be careful as you become more active. If the "
        "pain comes back, seek help from your own GP or a physiotherapist.",
    ),
    Advice.EARLY_AFTER_BIRTH: (
        "De fleste oplever, at smerterne fortager sig relativt kort tid efter "
        "fødslen. Fortæl din egen læge om smerterne, fx ved efterundersøgelsen ca. 8 "
        "uger efter fødslen, og nævn dem for sundhedsplejersken. Kontakt en "
        f"fysioterapeut, hvis de ikke aftager. {_LIGAMENTS_DA}, så vær forsigtig i "
        "den tid.",
        "Most women find the pain eases fairly soon after the birth. Tell your GP "
        "(egen læge) about it, for example at the check-up about 8 weeks after the "
        "birth, and mention it to your health visitor (sundhedsplejerske). See a "
        f"physiotherapist if it doesn't ease. {_LIGAMENTS_EN}, so be careful during "
        "that time.",
    ),
    Advice.PHYSIO_AFTER_BIRTH: (
        "Hos nogle kommer smerterne tilbage et par måneder efter fødslen, måske i "
        "takt med, at de bliver mere aktive. En fysioterapeut kan undersøge dig og "
        f"lægge et individuelt, stabiliserende program. {_LIGAMENTS_DA} – så vær "
        "forsigtig, også når smerterne aftager.",
        "For some, the pain comes back a few months after the birth, perhaps as they "
        "become more active. A physiotherapist can examine you and set up an "
        f"individual, stabilising programme. {_LIGAMENTS_EN} – so stay careful even "
        "when the pain eases.",
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

ALREADY_EXAMINED_TEXT = (
    "Du er allerede blevet undersøgt: følg den plan, du fik, og kontakt dem igen, "
    "hvis smerterne bliver værre.",
    "You have already been examined: follow the plan you were given, and contact "
    "them again if the pain gets worse.",
)
# Not examined yet: whom to see, by where she is (the midwife only in pregnancy).
NOT_EXAMINED_TEXT = {
    "pregnant": (
        "Du er ikke blevet undersøgt endnu: få dig undersøgt af din læge, "
        "jordemoder eller en fysioterapeut.",
        "You haven't been examined yet: get examined by your doctor, midwife or a "
        "physiotherapist.",
    ),
    None: (
        "Du er ikke blevet undersøgt endnu: få dig undersøgt af din egen læge eller "
        "en fysioterapeut.",
        "You haven't been examined yet: get examined by your own GP (egen læge) or a "
        "physiotherapist.",
    ),
}

REMINDER = (
    "Husk: dette er generel information fra en artikel, ikke en undersøgelse af dig.",
    "Remember: this is general information from an article, not an examination of you.",
)

STAGE_CLAUSE = {
    "pregnant": ("du er gravid", "you are pregnant"),
    "postpartum": ("du har født", "you have given birth"),
    "planning": ("du planlægger en graviditet", "you are planning a pregnancy"),
}
# Danish: what follows "det er svært at"; English: the subject of "is/are hard".
ACTIVITY_NAMES = {
    "walking": ("gå", "walking"),
    "stairs": ("gå på trapper", "stairs"),
    "turning_in_bed": ("vende dig i sengen", "turning in bed"),
    "one_leg": ("stå på ét ben", "standing on one leg"),
    "sleeping": ("sove", "sleeping"),
    "work": ("arbejde", "working"),
}
PLURAL_ACTIVITIES = frozenset({"stairs"})

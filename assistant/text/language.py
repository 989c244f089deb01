"""Which language a message is written in: Danish, English, or no telling.

The assistant replies in the language of the user's message, and a message
that shows no language ("ok", "👍", "?", a button payload) keeps the
conversation's language. Detection is a plain word count against two small
lexicons: the messages are short chat questions on one topic, where function
words and the topic's own vocabulary decide far more reliably than a general
language-identification model trained on long text.
"""

from __future__ import annotations

import re

from knowledge.referral_answers import DANISH, ENGLISH

DEFAULT_LANGUAGE = DANISH
SUPPORTED_LANGUAGES = (DANISH, ENGLISH)

_CASED_WORD = re.compile(r"[a-zæøåéäöüA-ZÆØÅÉÄÖÜ']+")
_DANISH_LETTERS = re.compile(r"[æøå]")

# Words that are Danish and not (common) English. Includes spellings without
# æ/ø/å ("baekken", "fodsel") because people type on keyboards without them.
_DANISH_WORDS = frozenset(
    """
    jeg du han hun vi dig mig min mit mine din dit dine sin sit sine vores jeres
    hende ham os dem deres der det den de en et og eller men hvis fordi som når
    naar hvad hvem hvor hvordan hvorfor hvornår hvornaar hvilken hvilke hvilket
    er var har havde kan kunne skal skulle vil ville må maa måtte gør gor gøre
    gore gjorde får faar fik bliver blev blive være vaere været vaeret
    ikke ikk ik nej ja jo nok også ogsaa meget meget mere mest lidt noget nogen
    nogle alle altid aldrig igen stadig allerede bare kun lige helt godt gode
    god dårlig daarlig rigtig rigtigt efter før foer inden ved med
    til fra på paa af om ud op ind hen mod uden mellem gennem hos
    hej hejsa hallo goddag godmorgen godaften farvel tak tusind mange
    ondt smerte smerter smerten bækken bækkenet bækkenløsning bækkensmerter
    baekken baekkenet baekkenlosning baekkenloesning baekkensmerter bækkenlosning
    bækkenloesning baekkenløsning graviditet graviditeten graviditeter gravid
    gravide fødsel fødslen fodsel fodslen foedsel foedslen født fodt foedt
    jordemoder jordemor jordemoderen læge lægen laege laegen fysioterapeut
    fysioterapeuten fys kerne kernen kernemuskler kernemuskulatur mave maven
    mavemuskler øvelser oevelser ovelser øvelse træning traening træne traene
    træner gå gaa går gaar trapper trappen seng sengen sove ryg ryggen lænd
    lænden laend laenden balle ballen ben benet skridt skridtet led leddene
    ledbånd ledbaand symfysen korsbenet hofte hofter hoften farligt farlig
    barn barnet baby babyen næste naeste anden andet tredje første foerste
    sidste gang gange hjælp hjaelp hjælpe hjaelpe spørgsmål spoergsmaal
    noget nogen hvorlænge hvor længe længe laenge måned måneder maaned maaneder
    uge uger uges dag dage år aar holdning kropsholdning stå staa står staar
    sidde sidder ligge ligger løfte lofte loefte bevægelser bevaegelser
    undgå undgaa undgår hvile ro pjece læse laese mere
    forskning studie undersøgt undersoegt undersøge delte kommer komme kom
    vende tilbage væk vaek forsvinder hedder siger sig selv eller hvad
    tror synes ved vidste hjertelig så saa nu her dér godnat hejhej
    symptomer tegn betyder betyde
    pludselig pludseligt voldsom voldsomme stærk stærke staerke blødning bløder
    bloeder bloder blødte blod pletblødning feber temperatur veer plukveer
    sammentrækninger vandet vand fostervand siver løber hovedpine hovedpinen
    syn synet sløret sloeret flimrer flimren øjnene oejnene ribben ribbenene
    højre hoejre hojre venstre hævet hævede haevet haevede hæver ansigtet ansigt
    hænderne hænder haenderne fingrene fingre ringen ringene læg læggen laeg
    laeggen varm varmt rød rødt øm ømt vejret luft åndenød aandenoed andenod
    brystet brystkassen følelsesløs foelelsesloes folelseslos skridtet lysken
    blæren blære afføringen afforingen tisse faldt faldet væltede vaeltede slag
    mavesmerter mavepine ulykke trafikuheld cyklen sparker sparket bevæger
    bevaeger mærke maerke mærker liv stille værre vaerre ulideligt
    """.split()
)

# Words that are English and not (common) Danish.
_ENGLISH_WORDS = frozenset(
    """
    the a an and or but if because when what who where how why which whose
    is are was were be been being am do does did doing done have has had
    having can could will would shall should may might must not no yes yeah
    yep nope please thanks thank you your yours my mine me we us our they
    them their he she his her it its this that these those there here
    with without from into onto about after before during while until
    again also still already just only very really much more most some any
    every each all never always ever get gets got getting go goes going gone
    come comes coming came back away off out up down over
    hi hello hey bye goodbye morning evening night cheers
    pain pains painful hurt hurts hurting ache aches pelvis pelvic girdle
    pregnancy pregnant pregnancies birth born baby babies midwife doctor
    physio physiotherapist physical therapist core muscles muscle exercise
    exercises exercising training train workout workouts walk walking stairs
    bed sleep sleeping back lower leg legs hip hips buttock groin crotch
    joint joints ligament ligaments symphysis sacrum tailbone dangerous
    harmful safe next second third first last time times help heal healing
    take takes long months month weeks week days day year years posture
    stand standing sit sitting lie lying lift lifting carry carrying
    movements movement avoid rest resting active stay staying research
    study studies evidence leaflet association read split abs abdominal
    recommend program programme programs programmes app course online
    anyone anybody someone something anything everyone woman women mum mom
    mother child kid kids toddler toddlers feel feels feeling think know
    want need needs make makes made keep cause causes caused symptoms
    symptom symtoms signs whats what's meaning mean means hiya goodnight thx
    i'm im i've ive i'd can't cant cannot won't don't dont haven't havent hasn't
    isn't didn't suddenly sudden severe severely bleeding bleed bled blood
    spotting fever temperature contractions contraction tightening tightenings
    waters water broke broken leaking fluid headache headaches vision blurry
    blurred seeing flashes flashing lights spots eyes ribs rib right left
    swollen swelling puffy face hands fingers rings calf calves thigh warm hot
    red tender breathe breathing breath breathless short chest numb numbness
    tingling bladder bowel bowels pee wee urine stool poo fell fallen fall
    slipped tripped kicked accident crash car properly worse unbearable agony
    killing sore stomach belly tummy bump moving kicks kick quiet
    """.split()
)


def _words_without_names(text: str) -> list[str]:
    """The lowercased words, leaving out capitalised ones inside a sentence.

    Those are names, not language: "what is Foreningen Bækkensmerter" is
    English with a Danish name in it. A capital at the start of the text or
    after ".", "!" or "?" starts a sentence and counts.
    """
    words = []
    for match in _CASED_WORD.finditer(text):
        word = match.group()
        before = text[: match.start()].rstrip()
        starts_sentence = not before or before[-1] in ".!?"
        is_name = word[0].isupper() and word[1:].islower() and len(word) > 1
        if starts_sentence or not is_name:
            words.append(word.lower())
    return words


def detect_language(text: str) -> str | None:
    """Return "da" or "en" for the language the text is written in.

    Returns None when the text shows no language (empty, emoji, "ok", a
    button payload such as "/faq/recurrence", or as many Danish as English
    clues), so the caller keeps the conversation's language.
    """
    if not text or text.lstrip().startswith("/"):
        return None
    words = _words_without_names(text)
    danish = sum(1 for word in words if word in _DANISH_WORDS)
    english = sum(1 for word in words if word in _ENGLISH_WORDS)
    if any(_DANISH_LETTERS.search(word) for word in words):
        danish += 1
    if danish > english:
        return DANISH
    if english > danish:
        return ENGLISH
    return None


def conversation_language(
    text: str, current: str | None, hint: str | None = None
) -> str:
    """Return the language to reply in after the user wrote ``text``.

    The message's own language wins; a message that shows none keeps the
    conversation's ``current`` language, or else follows ``hint`` (e.g. the
    language of the web page the chat widget sits on), or else Danish.
    """
    detected = detect_language(text)
    if detected:
        return detected
    for candidate in (current, hint):
        if candidate in SUPPORTED_LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE

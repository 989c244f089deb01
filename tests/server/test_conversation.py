"""Conversations over the REST channel of a real Rasa server, as a user sees them."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FAQ_RESPONSES = yaml.safe_load((ROOT / "data/faq/responses.yml").read_text("utf-8"))[
    "responses"
]
DOMAIN_RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))["responses"]


def answer(response: str, language: str) -> str:
    """The text of a response's variation in a language (Danish is the default)."""
    variations = FAQ_RESPONSES.get(response) or DOMAIN_RESPONSES[response]
    for variation in variations:
        conditions = variation.get("condition", [])
        is_english = any(c.get("value") == "en" for c in conditions)
        if is_english == (language == "en"):
            return variation["text"]
    raise KeyError(response)


# One everyday question per topic and language (not in the training data).
QUESTIONS = {
    "recurrence": (
        "Kommer bækkenløsning igen ved næste graviditet?",
        "Will it come back in my next pregnancy?",
    ),
    "core_training": (
        "Hjælper det at træne kernemusklerne?",
        "Does training my core help against pelvic pain?",
    ),
    "after_birth": (
        "Går smerterne væk efter fødslen?",
        "Will the pain go away after birth?",
    ),
    "ligament_healing": (
        "Hvor lang tid tager det for ledbånd at hele?",
        "How long do the ligaments take to heal?",
    ),
    "symptoms": (
        "Hvor gør det ondt når man har bækkenløsning?",
        "Where does it hurt when you have PGP?",
    ),
    "causes": (
        "Hvorfor får gravide bækkenløsning?",
        "Why do pregnant women get pelvic girdle pain?",
    ),
    "pelvis_anatomy": (
        "Hvordan er bækkenet bygget op?",
        "How is the pelvis built?",
    ),
    "what_is_pgp": (
        "Hvad er bækkenløsning egentlig?",
        "What is pelvic girdle pain?",
    ),
    "exercises": (
        "Hvilke øvelser kan jeg lave for mit bækken?",
        "Which exercises can I do for my pelvis?",
    ),
    "training_program": (
        "Kan du anbefale et træningsprogram online?",
        "Can you recommend an online training programme?",
    ),
    "avoid_movements": (
        "Hvilke bevægelser skal jeg undgå?",
        "What movements should I avoid?",
    ),
    "stay_active": (
        "Skal jeg bare holde mig helt i ro?",
        "Should I just rest completely?",
    ),
    "posture": (
        "Betyder min kropsholdning noget for bækkenet?",
        "Does my posture matter for my pelvis?",
    ),
    "diastasis": (
        "Hvad med delte mavemuskler?",
        "What about split abdominal muscles?",
    ),
    "individual_program": (
        "Er alle bækkener forskellige?",
        "Is every pelvis different?",
    ),
    "patient_association": (
        "Hvor kan jeg læse mere om bækkensmerter?",
        "Where can I read more about pelvic pain?",
    ),
    "evidence": (
        "Hvilken forskning bygger det på?",
        "What research is this based on?",
    ),
    "is_it_dangerous": (
        "Er bækkenløsning farligt?",
        "Is pelvic girdle pain dangerous?",
    ),
}
CASES = [
    pytest.param(topic, language, questions[index], id=f"{topic}-{language}")
    for topic, questions in QUESTIONS.items()
    for index, language in enumerate(("da", "en"))
]


@pytest.mark.parametrize(("topic", "language", "question"), CASES)
def test_every_topic_is_answered_from_the_article_in_the_language_asked(
    bot, sender, topic, language, question
):
    assert bot.texts(sender, question) == [answer(f"utter_faq/{topic}", language)]


def test_the_two_questions_of_the_readme(bot, sender):
    [danish] = bot.texts(sender, "Kommer bækkenløsning igen ved næste graviditet?")
    assert "stabilisere" in danish and "kernen" in danish
    [english] = bot.texts(sender + "-en", "Will the pain go away after birth?")
    assert "most women find that the pain eases" in english


def test_the_greeting_says_what_the_bot_is_and_points_to_professionals(bot, sender):
    [danish] = bot.texts(sender, "hej")
    assert "artikel" in danish
    assert "læge, jordemoder eller en fysioterapeut" in danish
    [english] = bot.texts(sender + "-en", "hello there")
    assert "article" in english
    assert "doctor, midwife or a physiotherapist" in english


def test_the_language_follows_her_and_a_short_message_keeps_it(bot, sender):
    assert bot.texts(sender, "Hvad er bækkenløsning?") == [
        answer("utter_faq/what_is_pgp", "da")
    ]
    assert bot.texts(sender, "Why do pregnant women get it?") == [
        answer("utter_faq/causes", "en")
    ]
    assert bot.texts(sender, "thanks") == [answer("utter_you_are_welcome", "en")]
    assert bot.texts(sender, "👍") != []
    assert bot.texts(sender, "/faq/posture") == [answer("utter_faq/posture", "en")]
    assert bot.texts(sender, "Tak for hjælpen") == [
        answer("utter_you_are_welcome", "da")
    ]
    languages = [
        event["value"]
        for event in bot.tracker(sender)["events"]
        if event["event"] == "slot" and event["name"] == "language"
    ]
    assert languages == ["en", "da"]


def test_help_shows_a_menu_whose_buttons_answer_in_the_current_language(bot, sender):
    [menu] = bot.send(sender, "what can you do?")
    payloads = [button["payload"] for button in menu["buttons"]]
    assert "/faq/recurrence" in payloads and "/ask_referral" in payloads
    assert menu["buttons"][0]["title"] == "What is pelvic girdle pain?"
    assert bot.texts(sender, "/faq/recurrence") == [
        answer("utter_faq/recurrence", "en")
    ]
    referral = bot.texts(sender, "/ask_referral")
    assert referral[0] == answer("utter_referral_intro", "en")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Må jeg spise sushi når jeg er gravid?", "da"),
        ("Kan jeg tage panodil for hovedpine?", "da"),
        ("Hvornår skal jeg til nakkefoldsscanning?", "da"),
        ("Can I take ibuprofen while pregnant?", "en"),
        ("is it safe to eat soft cheese when pregnant", "en"),
        ("when is my 20 week scan", "en"),
    ],
)
def test_questions_outside_the_article_are_declined_not_answered_with_a_topic(
    bot, sender, question, language
):
    assert bot.texts(sender, question) == [answer("utter_out_of_scope", language)]


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Jeg bløder og har ondt i bækkenet", "da"),
        ("Babyen bevæger sig meget mindre end normalt", "da"),
        ("I fell on my belly and my pelvis hurts", "en"),
        ("I have regular contractions and I'm only 30 weeks", "en"),
    ],
)
def test_red_flags_get_the_urgent_advice_first(bot, sender, message, language):
    replies = bot.texts(sender, message)
    urgent = [
        v["text"]
        for v in DOMAIN_RESPONSES["utter_urgent"]
        if any(c.get("value") == "en" for c in v.get("condition", []))
        == (language == "en")
    ]
    assert replies[0] in urgent and "112" in replies[0]
    assert replies[1] == answer("utter_urgent_signs", language)


def test_asking_whom_to_contact_starts_with_the_articles_advice(bot, sender):
    replies = bot.texts(sender, "Hvem skal jeg kontakte om mine bækkensmerter?")
    assert "læge, jordemoder eller en fysioterapeut" in replies[0]
    replies = bot.texts(sender + "-en", "Should I see a doctor about my pelvic pain?")
    assert "doctor, midwife or a physiotherapist" in replies[0]


def test_an_unclear_message_is_asked_back_with_topic_buttons(bot, sender):
    [reply] = bot.send(sender, "jeg har et spørgsmål om bækkenet")
    assert (
        reply["text"]
        == "Jeg er ikke helt sikker på, hvad du mener. Mente du en af disse?"
    )
    payloads = [button["payload"] for button in reply["buttons"]]
    assert 2 <= len(payloads) <= 4
    assert payloads[-1] == "/help"
    assert all(
        p.startswith("/faq/") or p in ("/ask_referral", "/urgent")
        for p in payloads[:-1]
    )
    chosen = payloads[0]
    assert bot.texts(sender, chosen) != []


def test_an_unknown_topic_payload_is_asked_back_not_answered(bot, sender):
    replies = bot.send(sender, "/faq/banana")
    assert replies, "the bot stayed silent"
    assert all("buttons" in reply or "hjælp" in reply["text"] for reply in replies)

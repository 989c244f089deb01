"""Triage through the real bot: red flags, denials, whom to call, symptom reports.

Over the REST channel, against the trained model and the action server.
"""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = yaml.safe_load((ROOT / "tests/corpus/red_flags.yml").read_text("utf-8"))
SIGNS_DA = "Disse tegn skal altid vurderes af en fagperson med det samme"
SIGNS_EN = "These signs must always be checked by a professional straight away"


def _texts(replies):
    return [reply.get("text", "") for reply in replies]


def _is_urgent(texts):
    return any(SIGNS_DA in t or SIGNS_EN in t for t in texts)


@pytest.mark.parametrize(
    ("variant", "signs"),
    [("da", SIGNS_DA), ("da_ascii", SIGNS_DA), ("en", SIGNS_EN)],
)
def test_every_red_flag_gets_the_urgent_advice_in_her_language(
    bot, sender, variant, signs
):
    missed = []
    for flag, variants in CORPUS["affirmed"].items():
        text = variants[variant][0]
        texts = _texts(bot.send(f"{sender}-{flag}", text))
        if not any(signs in t for t in texts):
            missed.append((flag, text, texts))
    assert missed == []


@pytest.mark.parametrize(
    ("start", "answer", "next_question"),
    [
        (start, answer, next_question)
        for start, next_question, answers in [
            (
                "Hvem skal jeg kontakte?",
                "Hvor ondt gør det",
                [
                    "nej, ingen blødning eller feber",
                    "ingen af delene",
                    "nej ingen bloedning eller feber",
                ],
            ),
            (
                "Who should I contact?",
                "How bad is the pain",
                [
                    "no bleeding, no fever, the baby moves fine",
                    "none of those",
                    "no fever",
                ],
            ),
        ]
        for answer in answers
    ],
)
def test_a_denial_in_words_answers_the_red_flag_question_with_no(
    bot, sender, start, answer, next_question
):
    bot.send(sender, start)
    bot.send(sender, "planlægger en graviditet")  # her stage first
    texts = _texts(bot.send(sender, answer))
    assert not _is_urgent(texts)
    assert len(texts) == 1 and texts[0].startswith(next_question)


@pytest.mark.parametrize(
    "text",
    [
        "nej, ingen blødning eller feber",
        "I haven't had any bleeding and no fever",
        "ingen blødning og barnet sparker fint",
    ],
)
def test_denied_red_flags_outside_the_check_are_no_emergency(bot, sender, text):
    assert not _is_urgent(_texts(bot.send(sender, text)))


def test_an_affirmed_flag_among_denied_ones_is_urgent(bot, sender):
    assert _is_urgent(_texts(bot.send(sender, "ingen blødning, men jeg har feber")))


@pytest.mark.parametrize(
    "text",
    [
        "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på trapper",
        "No bleeding or fever, but my pelvis hurts when I climb stairs",
    ],
)
def test_a_denial_then_her_own_pain_outside_the_check_starts_it(bot, sender, text):
    texts = _texts(bot.send(sender, text))
    assert not _is_urgent(texts)
    # the check starts with her stage, then the signs of her stage: she denied
    # only some of them
    assert texts[-1] in (
        "Er du gravid, har du født, eller planlægger du at blive gravid?",
        "Which of these describes you?",
    )
    assert bot.tracker(sender)["active_loop"]["name"] == "referral_form"


@pytest.mark.parametrize(
    ("text", "contact", "not_named", "situation"),
    [
        # pregnant: the fødegang first, and briefly what holds before week 22
        (
            "Jeg er gravid i uge 30 og bløder",
            "fødegangen",
            "fødeafdelingen",
            "pregnant",
        ),
        (
            "Jeg er gravid i uge 14 og bløder",
            "egen læge",
            "fødegang",
            "early_pregnancy",
        ),
        ("vandet er gået", "fødegangen", "fødeafdelingen", "pregnant"),
        (
            "I gave birth 2 weeks ago and I have a fever",
            "maternity ward where you gave birth",
            "own GP",
            "recently_gave_birth",
        ),
        (
            "jeg fødte for 5 måneder siden og har feber",
            "egen læge",
            "fødegang",
            "not_pregnant",
        ),
        (
            "I'm not pregnant but my calf is swollen and hot",
            "own GP",
            "maternity",
            "not_pregnant",
        ),
    ],
)
def test_the_urgent_advice_names_the_place_for_her_situation(
    bot, sender, text, contact, not_named, situation
):
    texts = _texts(bot.send(sender, text))
    assert _is_urgent(texts)
    assert contact in texts[0] and "112" in texts[0]
    assert not_named not in texts[0]
    assert texts[0].endswith(
        ("Ring 112 ved livsfare.", "Call 112 if life is in danger.")
    )
    assert bot.tracker(sender)["slots"]["care_situation"] == situation


LÆGEVAGTEN = ("1813", "1818", "70 11 07 07", "70 11 31 31", "70 15 03 00")


def test_when_her_situation_is_unknown_the_urgent_advice_names_both(bot, sender):
    [contact, signs] = _texts(bot.send(sender, "jeg bløder"))
    assert "fødegangen" in contact and "egen læge" in contact
    assert "uge 22" in contact
    assert all(number in contact for number in LÆGEVAGTEN)
    assert contact.endswith("Ring 112 ved livsfare.")
    assert "livstruende" not in contact
    assert SIGNS_DA in signs


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # the words, each in both languages
        ("jeg har ondt i brystet", "Ring 112 nu."),
        ("I have chest pain and I'm 30 weeks pregnant", "Call 112 now."),
        ("jeg har pludselig åndenød", "Ring 112 nu."),
        ("jeg har pludselig svært ved at trække vejret", "Ring 112 nu."),
        ("I suddenly find it hard to breathe", "Call 112 now."),
        ("jeg bløder kraftigt", "Ring 112 nu."),
        ("I'm bleeding heavily", "Call 112 now."),
        ("min søster er besvimet, hun er gravid", "Ring 112 nu."),
        ("I fainted this morning", "Call 112 now."),
        ("hun har kramper", "Ring 112 nu."),
        ("she is having a seizure", "Call 112 now."),
    ],
)
def test_a_sign_where_life_may_be_at_stake_says_112_first(bot, sender, text, first):
    texts = _texts(bot.send(sender, text))
    assert _is_urgent(texts)
    assert texts[0].startswith(first)
    assert bot.tracker(sender)["slots"]["urgency"] == "call_112"


@pytest.mark.parametrize(
    "text",
    [
        "jeg tisser lidt i bukserne når jeg nyser",
        "I leak a little when I sneeze or laugh",
        "jeg fødte for 2 uger siden og bløder stadig lidt",
        "I gave birth 2 weeks ago and I'm still bleeding a bit",
        "jeg har krampe i læggen om natten",
    ],
)
def test_what_is_common_and_normal_is_no_emergency(bot, sender, text):
    assert not _is_urgent(_texts(bot.send(sender, text)))


@pytest.mark.parametrize(
    "text", ["jeg kan ikke komme af med vandet", "I can't pass urine at all"]
)
def test_not_being_able_to_pass_urine_is_an_emergency(bot, sender, text):
    texts = _texts(bot.send(sender, text))
    assert _is_urgent(texts)
    assert not texts[0].startswith(("Ring 112 nu.", "Call 112 now."))


def test_two_weeks_after_the_birth_she_is_asked_about_heavy_bleeding(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    question = _texts(bot.send(sender, "Har født"))[-1]
    assert "kraftig blødning fra skeden (fx et bind" in question
    assert "• blødning fra skeden" not in question
    assert "vandafgang" not in question and "veer" not in question


def test_the_tier_belongs_to_one_message(bot, sender):
    bot.send(sender, "jeg har ondt i brystet")
    [contact, _] = _texts(bot.send(sender, "jeg har feber og er gravid"))
    assert contact.startswith("Ring nu til fødegangen")
    assert bot.tracker(sender)["slots"]["urgency"] == "by_situation"


def test_her_situation_told_earlier_decides_a_later_urgent_reply(bot, sender):
    bot.send(sender, "I'm 32 weeks pregnant, does core training help?")
    [contact, _] = _texts(bot.send(sender, "I have a terrible headache"))
    assert contact.startswith("Call the maternity unit (fødegangen)")
    assert "maternity ward where you gave birth" not in contact


@pytest.mark.parametrize(
    "text",
    [
        "I'm in so much pain I can hardly walk, what should I do?",
        "the pain has got much worse, should I do something?",
        "jeg har så ondt at jeg næsten ikke kan gå, hvad skal jeg gøre?",
        "smerterne er blevet meget værre, skal jeg gøre noget?",
    ],
)
def test_a_report_of_severe_or_worsening_pain_starts_the_referral_check(
    bot, sender, text
):
    texts = _texts(bot.send(sender, text))
    assert not _is_urgent(texts)
    assert texts[-1].startswith(
        (
            "Er du gravid, har du født, eller planlægger du at blive gravid?",
            "Which of these describes you?",
        )
    )
    assert bot.tracker(sender)["active_loop"]["name"] == "referral_form"


@pytest.mark.parametrize(
    "text",
    [
        "Jeg er gravid i uge 30 og har ondt i bækkenet",
        "I am 30 weeks pregnant and my pelvis hurts",
    ],
)
def test_an_ordinary_pain_report_with_a_week_is_no_emergency(bot, sender, text):
    texts = _texts(bot.send(sender, text))
    assert not _is_urgent(texts)
    # the week told she is pregnant: the check asks the signs of pregnancy at once
    assert texts[-1].startswith(
        (
            "Gælder et eller flere af disse tegn for dig lige nu?",
            "Do any of these signs apply to you right now?",
        )
    )


@pytest.mark.parametrize(
    "text",
    ["where does it hurt with PGP?", "hvor gør det ondt ved bækkenløsning?"],
)
def test_a_faq_question_about_pain_still_gets_its_answer(bot, sender, text):
    texts = _texts(bot.send(sender, text))
    tracker = bot.tracker(sender)
    selected = tracker["latest_message"]["response_selector"]["faq"]["response"]
    assert selected["intent_response_key"] == "faq/symptoms"
    assert not _is_urgent(texts)
    assert tracker["active_loop"].get("name") is None


def test_inside_the_check_bot_help_and_goodbye_are_answered(bot, sender):
    bot.send(sender, "Who should I contact?")
    texts = _texts(bot.send(sender, "are you a bot?"))
    assert texts[0].startswith("I'm a chatbot, not a person")
    assert texts[-1] == "Which of these describes you?"
    texts = _texts(bot.send(sender, "help"))
    assert texts[0].startswith(
        "I'm asking you a few short questions about your pain so I can tell you "
        "whom to contact"
    )
    assert texts[-1] == "Which of these describes you?"
    assert bot.tracker(sender)["active_loop"]["name"] == "referral_form"
    texts = _texts(bot.send(sender, "bye"))
    assert texts == [
        "Goodbye, and take good care of yourself. Remember: if you are in pain, "
        "get examined by your doctor, midwife or a physiotherapist."
    ]
    assert bot.tracker(sender)["active_loop"].get("name") is None


def test_farvel_inside_the_check_ends_it_with_a_goodbye(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    texts = _texts(bot.send(sender, "farvel"))
    assert texts[0].startswith("Farvel")
    assert bot.tracker(sender)["active_loop"].get("name") is None

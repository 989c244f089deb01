"""The guided referral check over the REST channel, in both languages."""

import pytest


def _texts(replies):
    return [reply.get("text", "") for reply in replies]


def test_happy_path_in_danish_ends_with_summary_and_advice(bot, sender):
    replies = bot.send(sender, "Hvem skal jeg kontakte om mine bækkensmerter?")
    assert "et par korte spørgsmål" in replies[0]["text"]
    assert replies[-1]["text"].startswith("Først: gælder et eller flere af disse tegn")
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirm", "/deny"]
    assert _texts(bot.send(sender, "/deny")) == ["Hvor er du lige nu?"]
    [pain_question] = bot.send(sender, "gravid")  # no question about the week
    assert pain_question["text"].startswith("Hvor ondt gør det")
    assert [(b["title"], b["payload"]) for b in pain_question["buttons"]] == [
        ("0 – ingen", "0"),
        ("1–3 – lette", "1-3"),
        ("4–6 – moderate", "4-6"),
        ("7–8 – stærke", "7-8"),
        ("9–10 – værst tænkelige", "9-10"),
    ]
    assert _texts(bot.send(sender, "7-8"))[0].startswith("Hvad gør smerterne svært?")
    assert _texts(bot.send(sender, "trapper og at sove"))[0].startswith(
        "Er du blevet undersøgt"
    )
    advice = _texts(bot.send(sender, "nej"))
    assert advice[0] == (
        "Du har fortalt, at du er gravid, at dine smerter er 7–8 ud af 10, at det er "
        "svært at gå på trapper og sove, og at du ikke er blevet undersøgt endnu."
    )
    assert "snarest kontakte din egen læge eller din jordemoder" in advice[1]
    assert advice[-1].startswith("Husk: dette er generel information")
    tracker = bot.tracker(sender)
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None
    assert tracker["slots"]["pain_level"] is None  # answers cleared afterwards
    assert "pregnancy_week" not in tracker["slots"]
    assert tracker["slots"]["care_situation"] == "pregnant"  # kept for urgent advice


def test_happy_path_in_english_after_birth_echoes_the_band_she_chose(bot, sender):
    bot.send(sender, "Who should I contact about my pelvic pain?")
    assert _texts(bot.send(sender, "no")) == ["Where are you right now?"]
    [question] = bot.send(sender, "I have given birth")
    assert question["text"] == "How long ago did you give birth?"
    assert [(b["title"], b["payload"]) for b in question["buttons"]] == [
        ("Less than 6 weeks", "Less than 6 weeks"),
        ("6 weeks to 3 months", "6 weeks to 3 months"),
        ("3 to 9 months", "3 to 9 months"),
        ("More than 9 months", "More than 9 months"),
    ]
    bot.send(sender, "6 weeks to 3 months")
    bot.send(sender, "4-6")
    bot.send(sender, "none of them")
    advice = _texts(bot.send(sender, "/affirm"))
    assert advice[0] == (
        "You told me that you gave birth 6 weeks to 3 months ago, that your pain is "
        "4–6 out of 10, and that you have been examined."
    )
    assert "8–9 months" in advice[1] and "If ligaments" in advice[1]


@pytest.mark.parametrize(
    ("start", "no", "stage", "time", "situation"),
    [
        (
            "Hvem skal jeg kontakte?",
            "nej",
            "har født",
            "Under 6 uger",
            "recently_gave_birth",
        ),
        (
            "Hvem skal jeg kontakte?",
            "nej",
            "har født",
            "6 uger–3 måneder",
            "not_pregnant",
        ),
        (
            "Who should I contact?",
            "no",
            "I have given birth",
            "3 to 9 months",
            "not_pregnant",
        ),
        pytest.param(
            "Who should I contact?",
            "no",
            "I have given birth",
            "6 weeks to 3 months",
            "not_pregnant",
        ),
        pytest.param(
            "Who should I contact?",
            "no",
            "I have given birth",
            "Less than 6 weeks",
            "recently_gave_birth",
        ),
    ],
)
def test_the_time_since_birth_answer_sets_care_situation_for_the_urgent_advice(
    bot, sender, start, no, stage, time, situation
):
    bot.send(sender, start)
    bot.send(sender, no)
    bot.send(sender, stage)
    bot.send(sender, time)
    assert bot.tracker(sender)["slots"]["care_situation"] == situation


def test_the_time_since_birth_button_is_echoed_in_danish(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "nej")
    [question] = bot.send(sender, "har født")
    assert question["text"] == "Hvor lang tid er det siden, du fødte?"
    assert [b["payload"] for b in question["buttons"]] == [
        "Under 6 uger",
        "6 uger–3 måneder",
        "3–9 måneder",
        "Mere end 9 måneder",
    ]
    bot.send(sender, "3–9 måneder")
    bot.send(sender, "1-3")
    bot.send(sender, "at gå")
    advice = _texts(bot.send(sender, "nej"))
    assert advice[0] == (
        "Du har fortalt, at du har født for 3–9 måneder siden, at dine smerter er "
        "1–3 ud af 10, at det er svært at gå, og at du ikke er blevet undersøgt endnu."
    )


def test_a_time_since_birth_in_her_own_words_is_echoed_as_she_said_it(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "nej")
    bot.send(sender, "har født")
    bot.send(sender, "3 måneder")
    bot.send(sender, "0")
    advice = _texts(bot.send(sender, "ja"))
    assert advice[0].startswith("Du har fortalt, at du har født for 3 måneder siden,")


def test_early_after_birth_the_contacts_are_the_gp_and_the_health_visitor(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "nej")
    bot.send(sender, "har født")
    bot.send(sender, "Under 6 uger")
    assert bot.tracker(sender)["slots"]["care_situation"] == "recently_gave_birth"
    bot.send(sender, "4-6")
    bot.send(sender, "at sove")
    advice = _texts(bot.send(sender, "nej"))
    assert advice[0].startswith("Du har fortalt, at du har født for under 6 uger siden")
    assert "egen læge" in advice[1] and "efterundersøgelsen ca. 8 uger" in advice[1]
    assert "sundhedsplejersken" in advice[1]
    assert not any("jordemoder" in text for text in advice)


def test_the_worst_imaginable_pain_in_pregnancy_is_seen_today(bot, sender):
    bot.send(sender, "Who should I contact?")
    bot.send(sender, "no")
    bot.send(sender, "pregnant")
    bot.send(sender, "9-10")
    bot.send(sender, "walking")
    advice = _texts(bot.send(sender, "yes"))
    assert advice[0] == (
        "You told me that you are pregnant, that your pain is 9–10 out of 10, that "
        "walking is hard, and that you have been examined."
    )
    assert "today" in advice[1] and "lægevagten" in advice[1] and "1813" in advice[1]
    assert "fødegangen" in advice[1] and "day and night" in advice[1]
    assert not any("follow the plan" in text for text in advice)
    assert advice[-1].startswith("Remember:")


def test_a_no_in_her_own_words_to_the_red_flags_continues_the_check(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    assert _texts(bot.send(sender, "nej, ingen blødning eller feber")) == [
        "Hvor er du lige nu?"
    ]
    assert bot.tracker(sender)["slots"]["referral_red_flags"] is False


def test_a_no_in_her_own_words_to_the_red_flags_continues_the_check_in_english(
    bot, sender
):
    bot.send(sender, "Who should I contact?")
    assert _texts(bot.send(sender, "no bleeding, no fever, the baby moves fine")) == [
        "Where are you right now?"
    ]


def test_a_red_flag_ends_the_check_at_once_with_the_urgent_advice(bot, sender):
    bot.send(sender, "skal jeg til lægen med mit bækken?")
    replies = _texts(bot.send(sender, "/affirm"))
    assert "fødegangen" in replies[0] and "egen læge" in replies[0]  # situation unknown
    assert replies[1].startswith("Disse tegn skal altid vurderes")
    assert "112" in replies[0]
    assert bot.tracker(sender)["active_loop"].get("name") is None


def test_describing_a_red_flag_mid_check_gets_the_urgent_advice(bot, sender):
    bot.send(sender, "who should I see about my pelvis?")
    bot.send(sender, "no")
    replies = _texts(bot.send(sender, "I just fell on my belly"))
    assert replies[0].startswith("If you are pregnant or gave birth in the last 6")
    assert replies[1].startswith("These signs must always be checked")
    assert bot.tracker(sender)["active_loop"].get("name") is None


def test_a_faq_question_in_the_middle_is_answered_then_the_check_resumes(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "nej")
    replies = _texts(bot.send(sender, "Hjælper det at træne kernemusklerne?"))
    assert replies[0].startswith("Ifølge artiklen har kernemusklerne")
    assert replies[-1] == "Hvor er du lige nu?"
    assert _texts(bot.send(sender, "gravid"))[0].startswith("Hvor ondt gør det")


def test_stop_leaves_the_check_cleanly_and_faq_works_after(bot, sender):
    bot.send(sender, "Who should I contact?")
    bot.send(sender, "no")
    replies = _texts(bot.send(sender, "cancel"))
    assert replies == [
        "Okay, I've stopped the questions. The general advice stands: if you are in "
        "pain, get examined by your doctor, midwife or a physiotherapist."
    ]
    assert bot.tracker(sender)["active_loop"].get("name") is None
    [answer] = _texts(bot.send(sender, "Does posture matter?"))
    assert "posture" in answer


def test_glem_det_stops_in_danish(bot, sender):
    bot.send(sender, "hvem skal jeg kontakte")
    assert _texts(bot.send(sender, "glem det"))[0].startswith("Okay, jeg stopper")


def test_invalid_answers_get_clear_re_asks_then_valid_ones_go_through(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "nej")
    assert _texts(bot.send(sender, "banana"))[0].startswith("Vælg en af knapperne")
    bot.send(sender, "gravid")
    pain = _texts(bot.send(sender, "14"))
    assert pain[0].startswith("14 er uden for skalaen fra 0 til 10.")
    assert pain[-1].startswith("Hvor ondt gør det")
    pain = _texts(bot.send(sender, "11-12"))
    assert pain[0].startswith("11–12 er uden for skalaen fra 0 til 10.")
    assert _texts(bot.send(sender, "syv til otte"))[0].startswith(
        "Hvad gør smerterne svært?"
    )
    assert bot.tracker(sender)["slots"]["pain_level"] == [7, 8]


def test_asking_again_starts_afresh(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "nej")
    bot.send(sender, "gravid")
    bot.send(sender, "stop")
    replies = _texts(bot.send(sender, "Hvem skal jeg kontakte?"))
    assert replies[-1].startswith("Først: gælder et eller flere af disse tegn")


def _button_payloads(reply):
    return [button["payload"] for button in reply["buttons"]]


def test_every_time_since_birth_button_is_taken_as_an_answer(bot, sender):
    for start, no, stage, language in (
        ("Hvem skal jeg kontakte?", "nej", "har født", "da"),
        ("Who should I contact?", "no", "I have given birth", "en"),
    ):
        conversation = f"{sender}-{language}"
        bot.send(conversation, start)
        bot.send(conversation, no)
        [question] = bot.send(conversation, stage)
        for payload in _button_payloads(question):
            [pain_question] = bot.send(conversation, payload)
            assert pain_question["text"].startswith(("Hvor ondt", "How bad")), payload
            bot.send(conversation, "stop")  # and start again for the next button
            bot.send(conversation, start)
            bot.send(conversation, no)
            bot.send(conversation, stage)


def test_every_pain_button_is_taken_as_an_answer(bot, sender):
    bot.send(sender, "Who should I contact?")
    bot.send(sender, "no")
    [question] = bot.send(sender, "pregnant")
    for payload in _button_payloads(question):
        [reply] = bot.send(sender, payload)
        expected = "Have you been examined" if payload == "0" else "What does the pain"
        assert reply["text"].startswith(expected), payload
        bot.send(sender, "stop")
        bot.send(sender, "Who should I contact?")
        bot.send(sender, "no")
        bot.send(sender, "pregnant")

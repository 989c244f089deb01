"""The guided referral check over the REST channel, in both languages."""

import pytest


def _texts(replies):
    return [reply.get("text", "") for reply in replies]


STAGE_QUESTION_DA = "Er du gravid, har du født, eller planlægger du at blive gravid?"
STAGE_QUESTION_EN = "Which of these describes you?"
RED_FLAGS_DA = "Gælder et eller flere af disse tegn for dig lige nu?"
RED_FLAGS_EN = "Do any of these signs apply to you right now?"


def test_happy_path_in_danish_ends_with_summary_and_advice(bot, sender):
    replies = bot.send(sender, "Hvem skal jeg kontakte om mine bækkensmerter?")
    assert "et par korte spørgsmål" in replies[0]["text"]
    assert replies[-1]["text"] == STAGE_QUESTION_DA  # her stage first
    [red_flags] = bot.send(sender, "gravid")  # no question about the week
    assert red_flags["text"].startswith(RED_FLAGS_DA)
    assert "• vandafgang" in red_flags["text"]  # the signs of pregnancy
    assert [b["payload"] for b in red_flags["buttons"]] == ["/affirm", "/deny"]
    [pain_question] = bot.send(sender, "/deny")
    assert pain_question["text"].startswith("Hvor ondt gør det")
    assert [(b["title"], b["payload"]) for b in pain_question["buttons"]] == [
        ("0 – ingen", "0"),
        ("1–3 – lette", "1-3"),
        ("4–6 – moderate", "4-6"),
        ("7–8 – stærke", "7-8"),
        ("9–10 – værst tænkelige", "9-10"),
    ]
    assert _texts(bot.send(sender, "7-8"))[0].startswith(
        "Hvad har du svært ved på grund af smerterne?"
    )
    assert _texts(bot.send(sender, "trapper og at sove"))[0].startswith(
        "Er du blevet undersøgt"
    )
    advice = _texts(bot.send(sender, "nej"))
    assert advice[0] == (
        "Du har fortalt mig, at du er gravid, at dine smerter er 7–8 ud af 10, at det "
        "er svært at gå på trapper og sove, og at du ikke er blevet undersøgt endnu."
    )
    assert "snarest kontakte din egen læge eller din jordemoder" in advice[1]
    assert advice[-1].startswith("Husk: dette er generel information")
    tracker = bot.tracker(sender)
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None
    assert tracker["slots"]["pain_level"] is None  # answers cleared afterwards
    assert "pregnancy_week" not in tracker["slots"]
    assert tracker["slots"]["care_situation"] == "pregnant"  # kept for urgent advice


def test_happy_path_in_english_after_birth_echoes_the_band_she_chose(bot, sender):
    assert bot.send(sender, "Who should I contact about my pelvic pain?")[-1][
        "text"
    ] == (STAGE_QUESTION_EN)
    [red_flags] = bot.send(sender, "I have given birth")
    # after the birth: heavy bleeding, in the words for after the birth
    assert red_flags["text"].startswith(RED_FLAGS_EN)
    assert "such as soaking a pad in under an hour" in red_flags["text"]
    assert "• bleeding from the vagina" not in red_flags["text"]
    assert "waters" not in red_flags["text"]
    [question] = bot.send(sender, "no")
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
    bot.send(sender, stage)
    bot.send(sender, no)
    bot.send(sender, time)
    assert bot.tracker(sender)["slots"]["care_situation"] == situation


def test_the_time_since_birth_button_is_echoed_in_danish(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "har født")
    [question] = bot.send(sender, "nej")
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
        "Du har fortalt mig, at du har født for mellem 3 og 9 måneder siden, at dine "
        "smerter er 1–3 ud af 10, at det er svært at gå, og at du ikke er blevet "
        "undersøgt endnu."
    )


def test_a_time_since_birth_in_her_own_words_is_echoed_as_she_said_it(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "har født")
    bot.send(sender, "nej")
    bot.send(sender, "3 måneder")
    bot.send(sender, "0")
    advice = _texts(bot.send(sender, "ja"))
    assert advice[0].startswith(
        "Du har fortalt mig, at du har født for 3 måneder siden,"
    )


def test_early_after_birth_the_contacts_are_the_gp_and_the_health_visitor(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "har født")
    bot.send(sender, "nej")
    bot.send(sender, "Under 6 uger")
    assert bot.tracker(sender)["slots"]["care_situation"] == "recently_gave_birth"
    bot.send(sender, "4-6")
    bot.send(sender, "at sove")
    advice = _texts(bot.send(sender, "nej"))
    assert advice[0].startswith(
        "Du har fortalt mig, at du har født for under 6 uger siden"
    )
    assert "egen læge" in advice[1] and "efterundersøgelsen ca. 8 uger" in advice[1]
    assert "sundhedsplejersken" in advice[1]
    assert not any("jordemoder" in text for text in advice)


def test_the_worst_imaginable_pain_in_pregnancy_goes_to_the_fødegang_now(bot, sender):
    bot.send(sender, "Who should I contact?")
    bot.send(sender, "pregnant")
    bot.send(sender, "no")
    bot.send(sender, "9-10")
    bot.send(sender, "walking")
    advice = _texts(bot.send(sender, "yes"))
    assert advice[0] == (
        "You told me that you are pregnant, that your pain is 9–10 out of 10, that "
        "walking is hard, and that you have been examined."
    )
    assert "now" in advice[1] and "today" not in advice[1]
    assert advice[1].index("fødegangen") < advice[1].index("lægevagten")
    assert "day and night" in advice[1] and "Before week 22" in advice[1]
    assert all(number in advice[1] for number in LÆGEVAGTEN)
    assert not any("follow the plan" in text for text in advice)
    assert advice[-1].startswith("Remember:")


LÆGEVAGTEN = ("1813", "1818", "70 11 07 07", "70 11 31 31", "70 15 03 00")


def test_a_no_in_her_own_words_to_the_red_flags_continues_the_check(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "gravid")
    [pain] = _texts(bot.send(sender, "nej, ingen blødning eller feber"))
    assert pain.startswith("Hvor ondt gør det")
    assert bot.tracker(sender)["slots"]["referral_red_flags"] is False


def test_a_no_in_her_own_words_to_the_red_flags_continues_the_check_in_english(
    bot, sender
):
    bot.send(sender, "Who should I contact?")
    bot.send(sender, "pregnant")
    [pain] = _texts(bot.send(sender, "no bleeding, no fever, the baby moves fine"))
    assert pain.startswith("How bad is the pain")


@pytest.mark.parametrize(
    ("start", "stage", "answer", "next_question"),
    [
        (
            "Hvem skal jeg kontakte?",
            "gravid",
            "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på "
            "trapper",
            "Hvor ondt gør det",
        ),
        (
            "Who should I contact?",
            "pregnant",
            "No bleeding or fever, but my pelvis hurts on the stairs",
            "How bad is the pain",
        ),
    ],
)
def test_a_no_then_her_own_pelvic_pain_is_a_no_and_the_check_goes_on(
    bot, sender, start, stage, answer, next_question
):
    bot.send(sender, start)
    bot.send(sender, stage)
    texts = _texts(bot.send(sender, answer))
    assert texts[-1].startswith(next_question), texts
    assert not any("112" in text for text in texts)
    tracker = bot.tracker(sender)
    assert tracker["slots"]["referral_red_flags"] is False
    assert tracker["active_loop"]["name"] == "referral_form"


def test_a_no_with_a_hedged_sign_is_asked_again(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "gravid")
    texts = _texts(bot.send(sender, "nej, men måske lidt feber"))
    assert bot.tracker(sender)["slots"]["referral_red_flags"] is not False
    assert not any(text.startswith("Hvor ondt gør det") for text in texts)


def test_a_yes_to_the_red_flags_ends_the_check_with_112_first(bot, sender):
    bot.send(sender, "skal jeg til lægen med mit bækken?")
    bot.send(sender, "planlægger en graviditet")
    replies = _texts(bot.send(sender, "/affirm"))
    # which sign is not known: 112 for the 112 signs first, then whom to call
    assert replies[0].startswith("Ring 112 nu ved et af disse tegn: smerter i brystet")
    assert "egen læge" in replies[0] and "fødegang" not in replies[0]
    assert all(number in replies[0] for number in LÆGEVAGTEN)
    # the signs of her stage
    assert replies[1].startswith("Disse tegn skal altid vurderes")
    assert "vandafgang" not in replies[1] and "kramper" not in replies[1]
    assert bot.tracker(sender)["active_loop"].get("name") is None


def test_a_yes_after_the_birth_names_heavy_bleeding_among_the_112_signs(bot, sender):
    bot.send(sender, "I gave birth 2 weeks ago. Does the pain go away after birth?")
    assert bot.tracker(sender)["slots"]["care_situation"] == "recently_gave_birth"
    [question] = bot.send(sender, "Who should I contact?")[-1:]
    assert question["text"].startswith(RED_FLAGS_EN)  # the stage was told
    assert "such as soaking a pad in under an hour" in question["text"]
    replies = _texts(bot.send(sender, "/affirm"))
    assert replies[0].startswith("Call 112 now for any of these signs")
    assert "soaking a pad in under an hour" in replies[0]
    assert "maternity ward where you gave birth" in replies[0]


def test_describing_a_red_flag_mid_check_gets_the_urgent_advice(bot, sender):
    bot.send(sender, "who should I see about my pelvis?")
    replies = _texts(bot.send(sender, "I just fell on my belly"))
    assert replies[0].startswith("If you are pregnant from about week 22")
    assert replies[0].endswith("Call 112 if life is in danger.")
    assert replies[1].startswith("These signs must always be checked")
    assert bot.tracker(sender)["active_loop"].get("name") is None


def test_a_faq_question_in_the_middle_is_answered_then_the_check_resumes(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    replies = _texts(bot.send(sender, "Hjælper det at træne kernemusklerne?"))
    assert replies[0].startswith("Ifølge artiklen har kernemusklerne")
    assert replies[-1] == STAGE_QUESTION_DA
    assert _texts(bot.send(sender, "gravid"))[0].startswith(RED_FLAGS_DA)


def test_stop_leaves_the_check_cleanly_and_faq_works_after(bot, sender):
    bot.send(sender, "Who should I contact?")
    bot.send(sender, "pregnant")
    replies = _texts(bot.send(sender, "cancel"))
    assert replies == [
        "Okay, I've stopped the questions. My advice is still: if you are in "
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
    assert _texts(bot.send(sender, "banana"))[0].startswith("Vælg en af knapperne")
    bot.send(sender, "gravid")
    bot.send(sender, "nej")
    pain = _texts(bot.send(sender, "14"))
    assert pain[0].startswith("14 er uden for skalaen fra 0 til 10.")
    assert pain[-1].startswith("Hvor ondt gør det")
    pain = _texts(bot.send(sender, "11-12"))
    assert pain[0].startswith("11–12 er uden for skalaen fra 0 til 10.")
    assert _texts(bot.send(sender, "syv til otte"))[0].startswith(
        "Hvad har du svært ved på grund af smerterne?"
    )
    assert bot.tracker(sender)["slots"]["pain_level"] == [7, 8]


def test_asking_again_starts_afresh(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "har født")
    bot.send(sender, "nej")
    bot.send(sender, "stop")
    replies = _texts(bot.send(sender, "Hvem skal jeg kontakte?"))
    assert replies[-1] == STAGE_QUESTION_DA


def _button_payloads(reply):
    return [button["payload"] for button in reply["buttons"]]


def test_every_time_since_birth_button_is_taken_as_an_answer(bot, sender):
    for start, no, stage, language in (
        ("Hvem skal jeg kontakte?", "nej", "har født", "da"),
        ("Who should I contact?", "no", "I have given birth", "en"),
    ):
        conversation = f"{sender}-{language}"
        bot.send(conversation, start)
        bot.send(conversation, stage)
        [question] = bot.send(conversation, no)
        for payload in _button_payloads(question):
            [pain_question] = bot.send(conversation, payload)
            assert pain_question["text"].startswith(("Hvor ondt", "How bad")), payload
            bot.send(conversation, "stop")  # and start again for the next button
            bot.send(conversation, start)
            bot.send(conversation, stage)
            bot.send(conversation, no)


def test_every_pain_button_is_taken_as_an_answer(bot, sender):
    bot.send(sender, "Who should I contact?")
    bot.send(sender, "pregnant")
    [question] = bot.send(sender, "no")
    for payload in _button_payloads(question):
        [reply] = bot.send(sender, payload)
        expected = (
            "Have you been examined" if payload == "0" else "What is hard to do because"
        )
        assert reply["text"].startswith(expected), payload
        bot.send(sender, "stop")
        bot.send(sender, "Who should I contact?")
        # the stage is taken as told now (care_situation): straight to the signs
        bot.send(sender, "no")


def test_a_stage_told_before_the_check_is_not_asked_again(bot, sender):
    bot.send(sender, "Jeg er gravid i uge 30, hjælper det at træne kernen?")
    [question] = bot.send(sender, "Hvem skal jeg kontakte?")[-1:]
    assert question["text"].startswith(RED_FLAGS_DA)
    assert "• vandafgang" in question["text"]
    assert bot.tracker(sender)["slots"]["referral_stage"] == "pregnant"


def test_early_pregnancy_told_in_the_answer_is_kept_and_sends_her_to_egen_læge(
    bot, sender
):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "jeg er gravid i uge 14")
    assert bot.tracker(sender)["slots"]["care_situation"] == "early_pregnancy"
    bot.send(sender, "nej")
    bot.send(sender, "9-10")
    bot.send(sender, "at gå")
    advice = _texts(bot.send(sender, "nej"))
    assert "egen læge nu" in advice[1] and "fødegang" not in advice[1]
    assert all(number in advice[1] for number in LÆGEVAGTEN)
    assert bot.tracker(sender)["slots"]["care_situation"] == "early_pregnancy"

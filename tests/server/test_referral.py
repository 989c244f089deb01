"""The guided referral check over the REST channel, in both languages."""


def _texts(replies):
    return [reply.get("text", "") for reply in replies]


def test_happy_path_in_danish_ends_with_summary_and_advice(bot, sender):
    replies = bot.send(sender, "Hvem skal jeg kontakte om mine bækkensmerter?")
    assert "et par korte spørgsmål" in replies[0]["text"]
    assert replies[-1]["text"].startswith("Først: gælder et eller flere af disse tegn")
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirm", "/deny"]
    assert _texts(bot.send(sender, "/deny")) == ["Hvor er du lige nu?"]
    assert _texts(bot.send(sender, "gravid")) == [
        'Hvilken uge er du i? Skriv fx "uge 24".'
    ]
    assert _texts(bot.send(sender, "uge 24"))[0].startswith("Hvor ondt gør det")
    assert _texts(bot.send(sender, "7/10"))[0].startswith("Hvad gør smerterne svært?")
    assert _texts(bot.send(sender, "trapper og at sove"))[0].startswith(
        "Er du blevet undersøgt"
    )
    advice = _texts(bot.send(sender, "nej"))
    assert advice[0] == (
        "Du har fortalt, at du er gravid i uge 24; smerter 7/10; "
        "svært: trapper og at sove; ikke undersøgt endnu."
    )
    assert "snarest kontakte din læge eller jordemoder" in advice[1]
    assert advice[-1].startswith("Husk: dette er generel information")
    tracker = bot.tracker(sender)
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None
    assert tracker["slots"]["pregnancy_week"] is None  # answers cleared afterwards


def test_happy_path_in_english_after_birth(bot, sender):
    bot.send(sender, "Who should I contact about my pelvic pain?")
    assert _texts(bot.send(sender, "no")) == ["Where are you right now?"]
    assert _texts(bot.send(sender, "I have given birth")) == [
        "How long ago did you give birth?"
    ]
    bot.send(sender, "2 months")
    bot.send(sender, "4")
    bot.send(sender, "none of them")
    advice = _texts(bot.send(sender, "/affirm"))
    assert advice[0] == (
        "You told me that you have given birth (8.7 weeks ago); pain 4/10; examined."
    )
    assert "8–9 months" in advice[1]


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
    assert replies[0].startswith("Ja, ifølge artiklen har kernemusklerne")
    assert replies[-1] == "Hvor er du lige nu?"
    assert _texts(bot.send(sender, "gravid")) == [
        'Hvilken uge er du i? Skriv fx "uge 24".'
    ]


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
    week = _texts(bot.send(sender, "uge 55"))
    assert week[0].startswith("Uge 55 passer ikke med en graviditet")
    assert week[-1] == 'Hvilken uge er du i? Skriv fx "uge 24".'
    bot.send(sender, "fireogtyve")
    pain = _texts(bot.send(sender, "14"))
    assert pain[0].startswith("14 er uden for skalaen fra 0 til 10.")
    assert _texts(bot.send(sender, "syv"))[0].startswith("Hvad gør smerterne svært?")
    slots = bot.tracker(sender)["slots"]
    assert slots["pregnancy_week"] == 24 and slots["pain_level"] == 7


def test_asking_again_starts_afresh(bot, sender):
    bot.send(sender, "Hvem skal jeg kontakte?")
    bot.send(sender, "nej")
    bot.send(sender, "gravid")
    bot.send(sender, "stop")
    replies = _texts(bot.send(sender, "Hvem skal jeg kontakte?"))
    assert replies[-1].startswith("Først: gælder et eller flere af disse tegn")

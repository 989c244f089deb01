"""The urgent marker, an answer's source and 👍/👎, against the real server.

The marker is ``metadata: {urgent: true}`` on the urgent response in the
domain; REST and socket.io clients get it with the message
(``assistant/channels/reply_metadata.py``). The feedback payloads are recorded in the
conversation and thanked in her language.
"""

import queue

import socketio

from assistant.text.article_sources import shipped_source_map

# Whom to call when her situation is not known yet (domain.yml, utter_urgent).
URGENT_DA = "Er du gravid fra ca. uge 22 eller har du født inden for de sidste 6 uger"
URGENT_EN = "If you are pregnant from about week 22, or gave birth in the last 6 weeks"


def test_rest_marks_the_urgent_advice_and_names_every_response(bot, sender):
    urgent = bot.send(sender, "Jeg bløder og har ondt i maven")
    assert urgent[0]["text"].startswith(URGENT_DA)
    assert urgent[0]["metadata"] == {"urgent": True, "response": "utter_urgent"}
    # the signs that follow are part of the urgent advice
    assert urgent[1]["metadata"] == {"urgent": True, "response": "utter_urgent_signs"}

    answer = bot.send(sender, "Kommer bækkenløsning igen ved næste graviditet?")
    assert answer[0]["metadata"]["response"] == "utter_faq/recurrence"
    assert "urgent" not in answer[0]["metadata"]


def _article_sentence(number):
    """The article's sentence as source/article_sentences.yml numbers it."""
    return shipped_source_map().article[number]


def test_a_faq_answer_carries_the_article_sentences_it_rests_on(bot, sender):
    answer = bot.send(sender, "Kommer bækkenløsning igen ved næste graviditet?")
    source = answer[0]["metadata"]["source"]
    assert [s["n"] for s in source["sentences"]] == [19, 22, 56, 74]
    assert source["sentences"][0]["text"] == _article_sentence(19)
    assert source["sentences"][0]["text"].startswith("For selvom der er en vis evidens")
    assert source["language"] == "da" and source["translated"] is False

    english = bot.send(sender, "Will it come back in my next pregnancy?")
    assert english[0]["text"].startswith("According to the article, there is some")
    assert english[0]["metadata"]["source"]["translated"] is True  # quoted in Danish
    assert english[0]["metadata"]["source"]["sentences"] == source["sentences"]

    other = bot.send(sender, "I fell on my belly")  # not from the article
    assert all("source" not in reply["metadata"] for reply in other)


def test_urgent_advice_from_the_referral_check_is_marked_too(bot, sender):
    bot.send(sender, "who should I see about my pelvis?")
    bot.send(sender, "pregnant")  # her stage first
    replies = bot.send(sender, "/affirm")  # yes to the red-flag question
    assert replies[0]["text"].startswith("Call 112 now for any of these signs")
    assert [r["metadata"]["urgent"] for r in replies] == [True, True]


def test_socketio_passes_the_marker_and_the_source_on(bot, sender):
    client = socketio.Client(reconnection=False)
    confirmed: queue.Queue[str] = queue.Queue()
    replies: queue.Queue[dict] = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", replies.put)
    client.connect(
        bot.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=10
    )
    try:
        client.emit("session_request", {"session_id": sender})
        token = confirmed.get(timeout=10)  # a new conversation: sender is unsigned
        client.emit(
            "user_uttered",
            {"message": "I fell on my belly", "session_id": token},
        )
        reply = replies.get(timeout=30)
        client.emit(
            "user_uttered",
            {"message": "How long do ligaments take to heal?", "session_id": token},
        )
        answer = replies.get(timeout=30)
        while "source" not in answer.get("metadata", {}):  # the urgent signs first
            answer = replies.get(timeout=30)
    finally:
        client.disconnect()
    assert reply["text"].startswith(URGENT_EN)
    assert reply["metadata"]["urgent"] is True
    assert reply["metadata"]["response"] == "utter_urgent"
    assert reply["metadata"]["customCss"]["style"] == "custom"  # for Rasa Webchat
    # a FAQ answer's source comes along on socket.io too
    assert answer["text"].startswith("According to the article, ligaments")
    assert [s["n"] for s in answer["metadata"]["source"]["sentences"]] == [60, 61]


def test_feedback_is_recorded_with_the_answer_and_thanked_in_her_language(bot, sender):
    bot.send(sender, "Will it come back in my next pregnancy?")
    feedback_for = {"response": "utter_faq/recurrence"}
    thanks = bot.texts(
        sender, "/feedback_unhelpful", metadata={"feedback_for": feedback_for}
    )
    assert thanks[0].startswith("Thank you for telling me")
    assert bot.texts(sender, "/feedback_helpful")[0] == (
        "Thank you! Glad the answer helped."
    )
    users = [e for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert [u["parse_data"]["intent"]["name"] for u in users[-2:]] == [
        "feedback_unhelpful",
        "feedback_helpful",
    ]
    assert users[-2]["metadata"]["feedback_for"] == feedback_for


def test_feedback_in_danish(bot, sender):
    bot.send(sender, "Hvad er bækkenløsning?")
    assert bot.texts(sender, "/feedback_helpful") == [
        "Tak! Godt, at du kunne bruge svaret."
    ]


def test_feedback_during_the_referral_check_is_thanked_and_the_check_goes_on(
    bot, sender
):
    bot.send(sender, "Hvem skal jeg kontakte?")
    replies = bot.texts(sender, "/feedback_unhelpful")
    assert replies[0].startswith("Tak, fordi du sagde det – vi kigger på svaret")
    # asked again, nothing filled in
    assert replies[-1] == (
        "Er du gravid, har du født, eller planlægger du at blive gravid?"
    )
    assert bot.tracker(sender)["slots"]["referral_stage"] is None
    assert bot.texts(sender, "gravid")[0].startswith("Gælder et eller flere af disse")


def test_ordinary_text_is_never_taken_for_feedback(bot, sender):
    for text in ["tak, det hjalp", "that didn't help", "👍", "godt svar", "bad answer"]:
        bot.send(sender, text)
    intents = [
        e["parse_data"]["intent"]["name"]
        for e in bot.tracker(sender)["events"]
        if e["event"] == "user"
    ]
    assert not {"feedback_helpful", "feedback_unhelpful"} & set(intents)

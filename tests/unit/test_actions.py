"""The ask-back action, tested the way rasa-sdk tests its own actions."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionSuggestTopics
from tests.responses import domain_dict, seen


def _tracker(language, intent_ranking, topic_ranking):
    latest_message = {
        "text": "hmm bækken",
        "intent": {"name": "nlu_fallback", "confidence": 0.5},
        "intent_ranking": intent_ranking,
        "response_selector": {"faq": {"ranking": topic_ranking}},
    }
    return Tracker(
        "default",
        {"language": language},
        latest_message,
        [],
        False,
        None,
        {},
        "action_listen",
    )


async def test_offers_the_likeliest_topics_as_buttons_in_danish():
    dispatcher = CollectingDispatcher()
    tracker = _tracker(
        "da",
        [{"name": "faq", "confidence": 0.9}],
        [
            {"intent_response_key": "faq/recurrence", "confidence": 0.5},
            {"intent_response_key": "faq/after_birth", "confidence": 0.4},
        ],
    )
    events = await ActionSuggestTopics().run(dispatcher, tracker, domain_dict())
    assert events == []
    [message] = await seen(dispatcher.messages, tracker.slots)
    assert message["text"].startswith("Jeg er ikke helt sikker")
    assert message["buttons"] == [
        {
            "title": "Kommer det igen ved næste graviditet?",
            "payload": "/faq/recurrence",
        },
        {"title": "Går det væk efter fødslen?", "payload": "/faq/after_birth"},
        {"title": "Noget andet – vis emnerne", "payload": "/help"},
    ]


async def test_offers_buttons_in_english_when_the_conversation_is_english():
    dispatcher = CollectingDispatcher()
    tracker = _tracker(
        "en",
        [
            {"name": "ask_referral", "confidence": 0.4},
            {"name": "faq", "confidence": 0.4},
        ],
        [{"intent_response_key": "faq/is_it_dangerous", "confidence": 0.6}],
    )
    await ActionSuggestTopics().run(dispatcher, tracker, domain_dict())
    [message] = await seen(dispatcher.messages, tracker.slots)
    assert (
        message["text"]
        == "I'm not quite sure what you mean. Did you mean one of these?"
    )
    assert [button["payload"] for button in message["buttons"]] == [
        "/ask_referral",
        "/faq/is_it_dangerous",
        "/help",
    ]
    assert message["buttons"][0]["title"] == "Who should I contact?"


async def test_asks_to_rephrase_when_nothing_is_plausible():
    dispatcher = CollectingDispatcher()
    tracker = _tracker("en", [{"name": "greet", "confidence": 0.3}], [])
    await ActionSuggestTopics().run(dispatcher, tracker, domain_dict())
    [message] = await seen(dispatcher.messages, tracker.slots)
    assert message["text"].startswith("I'm not sure I understood you")
    assert message["buttons"] == []


async def test_without_the_domain_rasa_is_left_to_render_the_rephrase_prompt():
    # A call without the domain (a hand-made one: Rasa sends it, send_domain)
    # is answered, not failed: with no buttons to offer, the rephrase prompt.
    dispatcher = CollectingDispatcher()
    tracker = _tracker(
        "en",
        [{"name": "faq", "confidence": 0.9}],
        [{"intent_response_key": "faq/recurrence", "confidence": 0.9}],
    )
    await ActionSuggestTopics().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_rephrase"
    assert message["text"] is None and message["buttons"] == []

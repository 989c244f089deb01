"""Which choices the ask-back offers."""

from actions.suggestions import suggest_choices as suggest_from
from actions.topics import offerable_choices
from tests.responses import domain_dict

# The choices there is a button for: the domain's ask-back response.
OFFERABLE = offerable_choices(domain_dict())


def suggest_choices(intent_ranking, topic_ranking, **kwargs):
    return suggest_from(intent_ranking, topic_ranking, OFFERABLE, **kwargs)


def _intents(**confidences):
    return [{"name": name, "confidence": value} for name, value in confidences.items()]


def _topics(**confidences):
    return [
        {"intent_response_key": f"faq/{name}", "confidence": value}
        for name, value in confidences.items()
    ]


def test_topics_are_scored_by_intent_times_topic_confidence():
    choices = suggest_choices(
        _intents(faq=0.9, greet=0.1),
        _topics(recurrence=0.45, after_birth=0.4, causes=0.15),
    )
    assert choices == ["faq/recurrence", "faq/after_birth", "faq/causes"]


def test_referral_and_urgent_compete_with_topics():
    choices = suggest_choices(
        _intents(faq=0.5, urgent=0.3, ask_referral=0.2),
        _topics(symptoms=0.5, causes=0.5),
    )
    assert choices == ["urgent", "faq/causes", "faq/symptoms"]


def test_at_most_the_limit_and_nothing_below_the_minimum_score():
    choices = suggest_choices(
        _intents(faq=1.0), _topics(a_=0.0, recurrence=0.5, causes=0.3, posture=0.2)
    )
    assert choices == ["faq/recurrence", "faq/causes", "faq/posture"]
    assert suggest_choices(_intents(faq=1.0), _topics(recurrence=0.04)) == []


def test_chit_chat_intents_and_unknown_topics_are_never_offered():
    choices = suggest_choices(
        _intents(greet=0.6, out_of_scope=0.3, faq=0.1),
        _topics(banana=0.9, posture=0.6),
    )
    assert choices == ["faq/posture"]


def test_nothing_to_offer_without_rankings():
    assert suggest_choices([], []) == []


def test_malformed_confidences_count_as_zero():
    assert suggest_choices([{"name": "urgent", "confidence": "high"}], []) == []


def test_a_report_of_pain_is_offered_as_the_referral_check():
    choices = suggest_choices(
        [
            {"name": "nlu_fallback", "confidence": 0.3},
            {"name": "report_pain", "confidence": 0.2},
            {"name": "ask_referral", "confidence": 0.1},
        ],
        [],
    )
    assert choices == ["ask_referral"]

"""Which answers got a 👎 and which questions were asked back."""

from collections import Counter

from scripts.feedback_report import Finding, findings_in_conversation, render


def _user(text, intent, time, metadata=None):
    return {
        "event": "user",
        "text": text,
        "timestamp": time,
        "parse_data": {"intent": {"name": intent}},
        "metadata": metadata or {},
    }


def _bot(text, response, time):
    return {
        "event": "bot",
        "text": text,
        "timestamp": time,
        "metadata": {"utter_action": response},
    }


def _action(name, time):
    return {"event": "action", "name": name, "timestamp": time}


CONVERSATION = [
    _user("/greet", "greet", 1),
    _bot("Hej!", "utter_greet", 1.1),
    _user("Hvad er det?", "faq", 2),
    _bot("Bækkenløsning er ...", "utter_faq/what_is_pgp", 2.1),
    _user("Kommer det igen?", "faq", 3),
    _bot("Det kan komme igen ...", "utter_faq/recurrence", 3.1),
    # a 👎 for the older answer, named in the metadata
    _user(
        "/feedback_unhelpful",
        "feedback_unhelpful",
        4,
        {"feedback_for": {"response": "utter_faq/what_is_pgp"}},
    ),
    _bot("Tak, fordi du sagde det", "utter_feedback_unhelpful", 4.1),
    # without metadata: the latest answer
    _user("/feedback_helpful", "feedback_helpful", 5),
    _user("blablabla", "nlu_fallback", 6),
    _action("action_suggest_topics", 6.1),
]


def test_a_thumbs_down_names_the_answer_and_its_question():
    findings, ratings = findings_in_conversation("anna", CONVERSATION)
    assert findings == [
        Finding(
            "unhelpful",
            4,
            "anna",
            "Hvad er det?",
            "utter_faq/what_is_pgp",
            "Bækkenløsning er ...",
        ),
        Finding("asked back", 6.1, "anna", "blablabla"),
    ]
    assert ratings == Counter(
        {
            ("utter_faq/what_is_pgp", "feedback_unhelpful"): 1,
            ("utter_faq/recurrence", "feedback_helpful"): 1,
        }
    )


def test_a_rating_before_any_answer_counts_for_nothing():
    findings, ratings = findings_in_conversation(
        "bo", [_user("/feedback_unhelpful", "feedback_unhelpful", 1)]
    )
    assert findings == [] and ratings == Counter()


def test_report_lists_newest_first_and_counts_per_answer():
    findings = [
        Finding("asked back", 100, "a", "old question"),
        Finding("asked back", 200, "b", "new | question"),
        Finding("unhelpful", 150, "a", "Kommer det igen?", "utter_faq/recurrence", "x"),
    ]
    ratings = Counter(
        {
            ("utter_faq/recurrence", "feedback_unhelpful"): 2,
            ("utter_faq/posture", "feedback_helpful"): 3,
        }
    )
    text = render(findings, ratings, limit=10)
    assert text.index("new \\| question") < text.index("old question")
    assert "| `utter_faq/recurrence` | 0 | 2 |" in text
    assert text.index("utter_faq/recurrence` | 0") < text.index("utter_faq/posture")
    assert "| `utter_faq/recurrence`: x | Kommer det igen? | `a` |" in text


def test_empty_store_says_so():
    text = render([], Counter(), limit=10)
    assert "No answer has been rated yet." in text
    assert text.count("None.") == 2

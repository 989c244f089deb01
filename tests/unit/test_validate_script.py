"""Only Rasa 3.6's known false alarms pass the validation check."""

from scripts.validate import unexpected_warnings

KNOWN = """
x.py:100: UserWarning: The following duplicated intents have been found across multiple domain files: faq
x.py:100: UserWarning: The utterance 'utter_ask_pain_level' is not used in any story or rule.
x.py:100: UserWarning: The utterance 'utter_action_server_unavailable' is not used in any story or rule.
"""  # noqa: E501


def test_known_false_alarms_pass():
    assert unexpected_warnings(KNOWN) == []


def test_anything_else_is_reported():
    output = KNOWN + (
        "x.py:100: UserWarning: The utterance 'utter_greet' is not used in any story or rule.\n"  # noqa: E501
        "x.py:100: UserWarning: Found intent 'faq' in stories which is not part of the domain.\n"  # noqa: E501
    )
    assert unexpected_warnings(output) == [
        "The utterance 'utter_greet' is not used in any story or rule.",
        "Found intent 'faq' in stories which is not part of the domain.",
    ]


def test_only_the_feedback_intents_may_lack_nlu_examples():
    output = (
        "x.py:100: UserWarning: The intent 'feedback_helpful' is listed in the domain file, but is not found in the NLU training data.\n"  # noqa: E501
        "x.py:100: UserWarning: The intent 'feedback_unhelpful' is listed in the domain file, but is not found in the NLU training data.\n"  # noqa: E501
        "x.py:100: UserWarning: The intent 'greet' is listed in the domain file, but is not found in the NLU training data.\n"  # noqa: E501
    )
    assert unexpected_warnings(output) == [
        "The intent 'greet' is listed in the domain file, but is not found in the "
        "NLU training data."
    ]

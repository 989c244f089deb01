"""The order she reads a new conversation's first replies in."""

from assistant.channels.messaging.conversation import _introduced

GREETING = {
    "text": "Hej! Jeg er en chatbot ...",
    "metadata": {"response": "utter_greet"},
}
LINE = {"text": "Her på WhatsApp sletter du samtalen ved at skrive «slet»."}
ANSWER = {"text": "Ja, du må gerne cykle.", "metadata": {"response": "utter_faq/x"}}
URGENT = {"text": "Ring 112 nu.", "metadata": {"urgent": True}}


def test_greeting_and_privacy_line_before_the_answer():
    assert _introduced([GREETING], [ANSWER], LINE) == [GREETING, LINE, ANSWER]


def test_urgent_advice_before_the_greeting():
    assert _introduced([GREETING], [URGENT, ANSWER], LINE) == [
        URGENT,
        ANSWER,
        GREETING,
        LINE,
    ]


def test_her_hej_is_greeted_once():
    assert _introduced([GREETING], [GREETING], LINE) == [GREETING, LINE]

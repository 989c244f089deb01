"""`make shell`: numbers pick buttons, a bare Enter picks nothing."""

from scripts.shell import choose, hint, render_reply

RED_FLAG_BUTTONS = [
    {"title": "Ja", "payload": "/affirm"},
    {"title": "Nej", "payload": "/deny"},
]


def test_a_number_picks_that_button():
    assert choose("2\n", RED_FLAG_BUTTONS) == "/deny"
    assert choose(" 1 ", RED_FLAG_BUTTONS) == "/affirm"


def test_a_bare_enter_picks_nothing():
    assert choose("\n", RED_FLAG_BUTTONS) is None
    assert choose("   ", []) is None


def test_other_text_and_numbers_out_of_range_are_sent_as_typed():
    assert choose("nej tak\n", RED_FLAG_BUTTONS) == "nej tak"
    assert choose("7\n", RED_FLAG_BUTTONS) == "7"  # e.g. a pain level
    assert choose("0", RED_FLAG_BUTTONS) == "0"
    assert choose("2", []) == "2"  # no buttons: just text


def test_replies_show_numbered_buttons_and_mark_urgent_advice():
    lines = render_reply({"text": "Først: har du ...?", "buttons": RED_FLAG_BUTTONS})
    assert lines == ["Først: har du ...?", "   1) Ja", "   2) Nej"]
    urgent = render_reply({"text": "Ring 112", "metadata": {"urgent": True}})
    assert urgent[0].startswith("⚠") and urgent[1] == "Ring 112"


PAIN_SCALE = [
    {"title": "0 – ingen", "payload": "0"},
    {"title": "1–3 – lette", "payload": "1-3"},
    {"title": "4–6 – moderate", "payload": "4-6"},
    {"title": "7–8 – stærke", "payload": "7-8"},
    {"title": "9–10 – værst tænkelige", "payload": "9-10"},
]


def test_on_the_pain_scale_her_number_is_her_pain_not_a_choice():
    assert choose("4\n", PAIN_SCALE) == "4"  # not "7-8", the fourth choice
    assert choose("1", PAIN_SCALE) == "1"
    assert choose("9", PAIN_SCALE) == "9"


def test_the_pain_scale_is_listed_with_bullets_and_asks_for_her_number():
    lines = render_reply({"text": "Hvor ondt gør det?", "buttons": PAIN_SCALE})
    assert lines[1:3] == ["   • 0 – ingen", "   • 1–3 – lette"]
    assert "dit tal" in hint(PAIN_SCALE)
    assert "1–2" in hint(RED_FLAG_BUTTONS)

"""`make shell`: numbers pick buttons, a bare Enter picks nothing."""

from scripts.shell import choose, render_reply

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

"""The widget's transcript: what she typed, button titles, no widget-sent payloads."""

from typing import Any

from assistant.channels.widget_transcript import transcript


def test_transcript_shows_what_she_typed_and_the_titles_of_her_buttons():
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "/greet"},
        {
            "event": "bot",
            "text": "Hej!",
            "data": {"buttons": [{"title": "Hvad er det?", "payload": "/faq/x"}]},
        },
        {"event": "user", "text": "/faq/x"},
        {"event": "bot", "text": "Det er ..."},
        {"event": "user", "text": "/restart"},
        {"event": "user", "text": "/help"},
        {"event": "slot", "name": "language", "value": "da"},
    ]
    assert [(m["from"], m["text"]) for m in transcript(events)] == [
        ("bot", "Hej!"),
        ("user", "Hvad er det?"),
        ("bot", "Det er ..."),
        ("user", "/restart"),
    ]

"""Asking "kilde" or "source": the article sentences behind her last answer.

Against the real server on the shipped files: on REST, in `make shell`'s
client, and (tests/messaging/test_every_platform.py) on the messaging
platforms, where no control can sit under an answer, she asks for the source
and gets the quoted sentences of the article, numbered as
source/article_sentences.yml numbers them.
"""

from __future__ import annotations

from assistant.text.article_sources import shipped_source_map
from tests.server.shell_client import shell_output

ARTICLE = shipped_source_map().article  # source/article_sentences.yml, by number


def _quote(number: int) -> str:
    return f"({number}) “{ARTICLE[number]}”"


def test_kilde_quotes_the_sentences_behind_the_last_answer(bot, sender):
    nothing = bot.texts(sender, "kilde")
    assert nothing[0].startswith("Jeg har ikke givet dig et svar fra artiklen endnu")

    bot.send(sender, "Går smerterne væk efter fødslen?")
    reply = bot.texts(sender, "kilde")
    assert reply[0].splitlines() == [
        "Mit sidste svar bygger på disse sætninger fra artiklen:",
        _quote(58),
        _quote(59),
        "Resten af svaret, fx rådet om at blive undersøgt, er mine egne ord.",
    ]
    # asked again, still the last answer's (the source reply is no answer)
    assert bot.texts(sender, "hvor står det?") == reply

    events = bot.tracker(sender)["events"]
    intents = [
        e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"
    ]
    assert intents[-2:] == ["ask_source", "ask_source"]
    actions = [e["name"] for e in events if e["event"] == "action"]
    assert "utter_source" in actions


def test_source_in_english_says_the_quotes_are_the_danish_original(bot, sender):
    bot.send(sender, "How long do ligaments take to heal?")
    reply = bot.texts(sender, "where does it say that?")
    lines = reply[0].splitlines()
    assert lines[0] == (
        "My last answer is a translation of these sentences from the article "
        "(in Danish):"
    )
    assert lines[1:3] == [_quote(60), _quote(61)]


def test_the_shell_shows_the_source_on_request(bot, sender):
    typed = "Hvad er bækkenløsning?\nkilde\n/stop\n"
    out = shell_output(bot.url, sender, typed)
    assert "Bot> Mit sidste svar bygger på disse sætninger fra artiklen:" in out
    # the shell wraps long lines: the start of each quote
    for number in (25, 32, 38):
        assert _quote(number)[:30] in out, out

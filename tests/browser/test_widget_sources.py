"""Under each FAQ answer, a "Kilde"/"Source" control quotes the article (issue 23).

In Chromium against the real bot: the control is there for answers from the
article and nowhere else, opens with a click or the keyboard, quotes the
article's Danish sentences (marked ``lang="da"``) with their numbers from
source/article_sentences.yml, says when the answer is a translation and when
some of it is the assistant's own words, and comes back after a reload.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from assistant.text.article_sources import shipped_source_map
from tests.browser.helpers import ask, bot_messages, open_widget

ARTICLE = shipped_source_map().article  # source/article_sentences.yml, by number


def _article(number: int) -> str:
    return ARTICLE[number]


def test_a_danish_answer_shows_the_article_sentences_it_rests_on(page: Page, bot):
    open_widget(page, bot)
    expect(page.locator(".pgp-source")).to_have_count(0)  # not on the greeting
    ask(page, "Kommer bækkenløsning igen ved næste graviditet?")
    expect(bot_messages(page).last).to_contain_text("stabilisere kroppen")
    summary = page.locator(".pgp-source summary")
    expect(summary).to_have_count(1)
    expect(summary).to_have_text("Kilde")
    quotes = page.locator(".pgp-source-quote q")
    expect(quotes.first).to_be_hidden()  # closed until she asks

    summary.click()
    expect(quotes).to_have_count(4)
    expect(quotes.first).to_be_visible()
    expect(quotes.first).to_have_text(_article(19))
    expect(quotes.first).to_have_attribute("lang", "da")
    expect(page.locator(".pgp-source-number")).to_have_text(
        ["Sætning 19", "Sætning 22", "Sætning 56", "Sætning 74"]
    )
    expect(page.locator(".pgp-source-intro")).to_have_text(
        "Svaret bygger på disse sætninger fra artiklen:"
    )
    expect(page.locator(".pgp-source-own")).to_contain_text("assistentens egne ord")

    ask(page, "Jeg bløder og har ondt i maven")  # the urgent advice: no source
    expect(page.locator(".pgp-urgent")).not_to_have_count(0)
    expect(page.locator(".pgp-source")).to_have_count(1)

    page.reload()  # the chat stays open over a reload
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".pgp-source summary")).to_have_count(1)  # from the transcript
    page.locator(".pgp-source summary").click()
    expect(page.locator(".pgp-source-quote q").first).to_have_text(_article(19))


def test_an_english_answer_says_it_translates_the_danish_sentences(page: Page, bot):
    open_widget(page, bot)
    page.get_by_role("button", name="English").click()
    ask(page, "Will the pain go away after birth?")
    expect(bot_messages(page).last).to_contain_text("most women find")
    summary = page.locator(".pgp-source summary")
    expect(summary).to_have_text("Source")
    summary.focus()
    page.keyboard.press("Enter")  # a keyboard opens it too
    expect(page.locator(".pgp-source-intro")).to_have_text(
        "The answer is an English translation of these sentences from the "
        "article (in Danish):"
    )
    expect(page.locator(".pgp-source-quote q")).to_have_text(
        [_article(58), _article(59)]
    )
    expect(page.locator(".pgp-source-number")).to_have_text(
        ["Sentence 58", "Sentence 59"]
    )

    page.get_by_role("button", name="Dansk").click()  # the labels follow her
    expect(summary).to_have_text("Kilde")
    expect(page.locator(".pgp-source-intro")).to_contain_text("oversættelse")

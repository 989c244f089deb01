"""The widget's privacy line and "delete conversation", in a real browser (issue 10)."""

from playwright.sync_api import Page, expect

from tests.security.helpers import stored_events

STORAGE_KEY = "pgp-widget-conversation"


def _stored_conversation(page: Page):
    return page.evaluate(f"JSON.parse(localStorage.getItem('{STORAGE_KEY}'))")


def test_privacy_line_and_deleting_her_conversation(page: Page, bot):
    page.goto(f"{bot.url}/webhooks/widget/demo")
    page.locator(".pgp-launcher").click()
    bot_messages = page.locator(".pgp-bot .pgp-bubble")
    expect(bot_messages.first).to_contain_text("Jeg gemmer samtalen i 30 dage")
    expect(page.locator(".pgp-privacy")).to_contain_text(
        "Samtalen gemmes i 30 dage, så du kan se den igen."
    )
    page.get_by_label("Dit spørgsmål").fill("Hvad er bækkenløsning?")
    page.keyboard.press("Enter")
    expect(bot_messages.last).to_contain_text("Bækkenløsning, eller bækkensmerter")
    sender = _stored_conversation(page)["sender"]
    assert len(stored_events(bot.database, sender)) > 4

    # asked first, and "cancel" keeps everything
    page.get_by_role("button", name="Slet samtale").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Slet hele samtalen?")
    dialog.get_by_role("button", name="Fortryd").click()
    expect(dialog).to_be_hidden()
    assert stored_events(bot.database, sender)

    page.get_by_role("button", name="Slet samtale").click()
    dialog.get_by_role("button", name="Slet", exact=True).click()
    expect(bot_messages.last).to_have_text("Samtalen er slettet.")
    assert stored_events(bot.database, sender) == []
    assert _stored_conversation(page) is None

    # after a reload: a new conversation, none of the old one
    page.reload()
    page.locator(".pgp-launcher").click()
    expect(bot_messages.first).to_contain_text("Hej! Jeg er en chatbot")
    expect(page.locator(".pgp-user")).to_have_count(0)
    assert _stored_conversation(page)["sender"] != sender


def test_the_english_page_says_it_in_english(page: Page, bot):
    page.goto(f"{bot.url}/webhooks/widget/demo")
    page.locator("#lang-en").click()
    page.locator(".pgp-launcher").click()
    expect(page.locator(".pgp-privacy")).to_contain_text(
        "The conversation is kept for 30 days so you can see it again."
    )
    expect(page.get_by_role("button", name="Delete conversation")).to_be_visible()

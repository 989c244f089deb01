"""The widget's privacy line and "delete conversation", in a real browser.

Issue 10: the privacy line, and deleting asks first and then deletes every row.
Issue 17: deleting tells the truth. Behind a load balancer the DELETE may reach
a server that cannot check the token (its widget secret differs from the one
that minted it): that server answers 403 and deletes nothing. The widget must
then say so, in her language, keep the conversation on screen and its id and
token in storage, and delete it when she tries again and a server that
accepts the token answers. The refusing server is a second real Rasa server
on the same database with a secret of its own; the browser's DELETE is sent
to it by Playwright, as a load balancer would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from harness.servers import RasaServer
from tests.browser.helpers import ask, bot_messages, open_widget, user_messages
from tests.browser.test_accessibility import _violations
from tests.security.helpers import stored_events

STORAGE_KEY = "pgp-widget-conversation"
ERASE = "**/webhooks/widget/conversation*"
ANSWER_DA = "Bækkenløsning, eller bækkensmerter"
FAILED_DA = "Samtalen blev ikke slettet – den er stadig gemt. Prøv igen om lidt."
FAILED_EN = (
    "The conversation was not deleted – it is still stored. "
    "Please try again in a moment."
)


def _stored_conversation(page: Page) -> Any:
    """What the widget keeps in localStorage (None: nothing)."""
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


@pytest.fixture(scope="module")
def other_secret_server(tmp_path_factory, bot, action_server) -> Iterator[RasaServer]:
    """Another server of the same deployment, with a widget secret of its own."""
    workdir = tmp_path_factory.mktemp("other-secret")
    server = RasaServer(
        workdir,
        bot.database,
        action_server.url,
        action_secret=action_server.secret,
        enable_api=False,
    ).start()
    yield server
    server.stop()


def _send_erasure_to(page: Page, from_url: str, to_url: str) -> list[int]:
    """Send the widget's DELETE to another server; the statuses it answered."""
    statuses: list[int] = []

    def forward(route: Route) -> None:
        answer = route.fetch(url=route.request.url.replace(from_url, to_url))
        statuses.append(answer.status)
        route.fulfill(response=answer)

    page.route(ERASE, forward)
    return statuses


def test_a_refused_deletion_says_so_keeps_everything_and_can_be_retried(
    page: Page, bot, other_secret_server
):
    open_widget(page, bot)
    ask(page, "Hvad er bækkenløsning?")
    expect(bot_messages(page).last).to_contain_text(ANSWER_DA)
    conversation = _stored_conversation(page)
    rows = stored_events(bot.database, conversation["sender"])
    assert len(rows) > 4

    statuses = _send_erasure_to(page, bot.url, other_secret_server.url)
    page.get_by_role("button", name="Slet samtale").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_role("button", name="Slet", exact=True).click()

    # the other server refused: she is told, in Danish, and can try again
    expect(dialog.get_by_role("alert")).to_have_text(FAILED_DA)
    assert statuses == [403]
    retry = dialog.get_by_role("button", name="Prøv igen")
    expect(retry).to_be_focused()
    # nothing is lost: on screen, in storage, in the database
    expect(user_messages(page)).to_have_text(["Hvad er bækkenløsning?"])
    expect(bot_messages(page).last).to_contain_text(ANSWER_DA)
    expect(page.get_by_text("Samtalen er slettet.")).to_have_count(0)
    assert _stored_conversation(page) == conversation
    assert stored_events(bot.database, conversation["sender"]) == rows
    assert _violations(page) == []

    # again, this time reaching the server that minted the token
    page.unroute(ERASE)
    retry.click()
    expect(bot_messages(page).last).to_have_text("Samtalen er slettet.")
    expect(dialog).to_be_hidden()
    assert stored_events(bot.database, conversation["sender"]) == []
    assert _stored_conversation(page) is None


def test_no_answer_in_english_keeps_the_conversation_across_a_reload(page: Page, bot):
    page.goto(f"{bot.url}/webhooks/widget/demo")
    page.evaluate("document.documentElement.lang = 'en'")
    page.locator(".pgp-launcher").click()
    ask(page, "What is pelvic girdle pain?")
    expect(bot_messages(page).last).to_contain_text("Pelvic girdle pain (in Danish")
    conversation = _stored_conversation(page)

    page.route(ERASE, lambda route: route.abort("connectionreset"))
    page.get_by_role("button", name="Delete conversation").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text(FAILED_EN)
    expect(dialog.get_by_role("button", name="Try again")).to_be_focused()
    assert _stored_conversation(page) == conversation

    # she gives up for now: after a reload the conversation is still hers
    dialog.get_by_role("button", name="Cancel").click()
    page.unroute(ERASE)
    page.reload()
    page.evaluate("document.documentElement.lang = 'en'")
    expect(page.get_by_role("dialog")).to_be_visible()  # it stays open
    expect(user_messages(page)).to_have_text(["What is pelvic girdle pain?"])
    assert stored_events(bot.database, conversation["sender"])

    page.get_by_role("button", name="Delete conversation").click()
    expect(page.get_by_text(FAILED_EN)).to_have_count(0)
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(bot_messages(page).last).to_have_text("The conversation has been deleted.")
    assert stored_events(bot.database, conversation["sender"]) == []
    assert _stored_conversation(page) is None


def test_no_conversation_id_in_any_url_and_every_message_with_its_token(
    page: Page, bot
):
    requests_seen: list[Any] = []
    page.on("request", lambda request: requests_seen.append(request))
    open_widget(page, bot)  # the greeting
    ask(page, "Hvad er bækkenløsning?")
    expect(bot_messages(page).last).to_contain_text(ANSWER_DA)
    page.reload()  # history after a reload
    launcher = page.locator(".pgp-launcher")
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    expect(user_messages(page)).to_have_text(["Hvad er bækkenløsning?"])
    stored = _stored_conversation(page)
    sender, token = stored["sender"], stored["token"]
    page.get_by_role("button", name="Slet samtale").click()  # erasure
    page.get_by_role("alertdialog").get_by_role(
        "button", name="Slet", exact=True
    ).click()
    expect(bot_messages(page).last).to_have_text("Samtalen er slettet.")
    assert stored_events(bot.database, sender) == []

    to_bot = [r for r in requests_seen if r.url.startswith(bot.url + "/webhooks/")]
    assert not [r.url for r in to_bot if sender in r.url]
    messages = [r for r in to_bot if r.url.endswith("/webhooks/rest/webhook")]
    assert len(messages) >= 2  # /greet and her question
    for request in messages:
        assert request.headers.get("authorization") == f"Bearer {token}"
    for path in ("/webhooks/widget/history", "/webhooks/widget/conversation"):
        assert [r for r in to_bot if r.url == bot.url + path], path

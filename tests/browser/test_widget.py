"""The chat widget on the demo page, in a real browser against the real bot."""

import re

from playwright.sync_api import Page, expect

GREETING_DA = "Hej! Jeg er en chatbot med generel information om bækkensmerter"
GREETING_EN = "Hi! I'm a chatbot with general information about pelvic girdle pain"


def _open(page: Page, bot) -> None:
    page.goto(f"{bot.url}/webhooks/widget/demo")
    launcher = page.locator(".pgp-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("dialog")).to_be_visible()


def _ask(page: Page, text: str) -> None:
    page.get_by_label(re.compile("Dit spørgsmål|Your question")).fill(text)
    page.keyboard.press("Enter")


def _bot_messages(page: Page):
    return page.locator(".pgp-bot .pgp-bubble")


def test_greeting_danish_answer_button_and_history_after_reload(page: Page, bot):
    _open(page, bot)
    expect(_bot_messages(page).first).to_contain_text(GREETING_DA)
    expect(page.get_by_label("Dit spørgsmål")).to_be_focused()

    _ask(page, "Kommer bækkenløsning igen ved næste graviditet?")
    expect(page.locator(".pgp-user .pgp-bubble").last).to_have_text(
        "Kommer bækkenløsning igen ved næste graviditet?"
    )
    expect(_bot_messages(page).last).to_contain_text("stabilisere kroppen")

    _ask(page, "hvad kan du?")
    page.get_by_role("button", name="Går det væk efter fødslen?").click()
    expect(page.locator(".pgp-user .pgp-bubble").last).to_have_text(
        "Går det væk efter fødslen?"
    )
    expect(_bot_messages(page).last).to_contain_text("fortager sig relativt kort tid")

    page.reload()
    page.locator(".pgp-launcher").click()
    expect(_bot_messages(page).first).to_contain_text(GREETING_DA)
    expect(page.locator(".pgp-user .pgp-bubble")).to_have_text(
        [
            "Kommer bækkenløsning igen ved næste graviditet?",
            "hvad kan du?",
            "Går det væk efter fødslen?",
        ]
    )
    expect(_bot_messages(page).last).to_contain_text("fortager sig relativt kort tid")


def test_switching_the_page_to_english_switches_the_widget_and_the_answers(
    page: Page, bot
):
    _open(page, bot)
    expect(_bot_messages(page).first).to_contain_text(GREETING_DA)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_label("Your question")).to_have_attribute(
        "placeholder", "Type your question …"
    )
    expect(page.locator(".pgp-restart")).to_have_text("Start over")
    _ask(page, "Will the pain go away after birth?")
    expect(_bot_messages(page).last).to_contain_text(
        "most women find that the pain eases"
    )


def test_an_english_page_gets_an_english_greeting(page: Page, bot):
    page.goto(f"{bot.url}/webhooks/widget/demo")
    page.evaluate("document.documentElement.lang = 'en'")
    page.locator(".pgp-launcher").click()
    expect(_bot_messages(page).first).to_contain_text(GREETING_EN)


def test_markup_from_the_user_or_the_bot_is_shown_as_text_and_runs_nothing(
    page: Page, bot
):
    attack = "<img src=x onerror=alert(1)>"
    _open(page, bot)
    expect(_bot_messages(page).first).to_contain_text(GREETING_DA)
    _ask(page, attack)
    expect(page.locator(".pgp-user .pgp-bubble").last).to_have_text(attack)
    expect(_bot_messages(page)).to_have_count(2)

    page.route(
        "**/webhooks/rest/webhook",
        lambda route: route.fulfill(
            json=[
                {"text": f"Svar {attack} <script>alert(2)</script> https://example.org"}
            ]
        ),
    )
    _ask(page, "hej")
    last = _bot_messages(page).last
    expect(last).to_contain_text(f"Svar {attack} <script>alert(2)</script>")
    expect(last.locator("a")).to_have_attribute("href", "https://example.org")
    assert page.locator(".pgp-widget img, .pgp-widget script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_an_unreachable_server_shows_a_notice_and_retry_recovers(page: Page, bot):
    _open(page, bot)
    expect(_bot_messages(page).first).to_contain_text(GREETING_DA)
    page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    _ask(page, "Er bækkenløsning farligt?")
    notice = page.get_by_role("alert")
    expect(notice).to_contain_text("Jeg kan ikke få forbindelse til chatten")
    page.unroute("**/webhooks/rest/webhook")
    notice.get_by_role("button", name="Prøv igen").click()
    expect(notice).to_be_hidden()
    expect(_bot_messages(page).last).to_contain_text("ikke bare en normal gene")


def test_start_over_begins_a_new_conversation(page: Page, bot):
    _open(page, bot)
    _ask(page, "Hvad er bækkenløsning?")
    expect(_bot_messages(page)).to_have_count(2)
    page.get_by_role("button", name="Start forfra").click()
    page.get_by_role("button", name="Ja, start forfra").click()
    expect(_bot_messages(page)).to_have_count(1)
    expect(_bot_messages(page).first).to_contain_text(GREETING_DA)
    expect(page.locator(".pgp-user")).to_have_count(0)


def test_keyboard_only_and_escape_closes(page: Page, bot):
    page.goto(f"{bot.url}/webhooks/widget/demo")
    page.locator(".pgp-launcher").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Dit spørgsmål")).to_be_focused()
    page.keyboard.type("Hvad er bækkenløsning?")
    page.keyboard.press("Enter")
    expect(_bot_messages(page).last).to_contain_text("smerter fra bækkenets led")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator(".pgp-launcher")).to_be_focused()


def test_a_question_sent_while_the_widget_starts_follows_the_greeting(page: Page, bot):
    # the history is held back until she has sent her question (a slow
    # network, or a quick typist, as in the keyboard test on CI): her
    # question must stay on screen and be answered after the greeting
    held = []
    page.route("**/webhooks/widget/history", lambda route: held.append(route))
    page.goto(f"{bot.url}/webhooks/widget/demo")
    page.locator(".pgp-launcher").click()
    _ask(page, "Hvad er bækkenløsning?")
    page.wait_for_timeout(1000)  # time for a post that does not wait
    assert len(held) == 1
    held[0].continue_()
    bubbles = page.locator(".pgp-bubble")
    expect(bubbles).to_have_count(3)
    expect(bubbles.nth(0)).to_contain_text(GREETING_DA)
    expect(bubbles.nth(1)).to_have_text("Hvad er bækkenløsning?")
    expect(bubbles.nth(2)).to_contain_text("smerter fra bækkenets led")


def test_on_a_phone_the_chat_fills_the_screen(browser, bot):
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True
    )
    page = context.new_page()
    try:
        page.goto(f"{bot.url}/webhooks/widget/demo")
        page.locator(".pgp-launcher").click()
        box = page.get_by_role("dialog").bounding_box()
        assert box is not None and box["width"] >= 370 and box["height"] >= 600
        expect(_bot_messages(page).first).to_contain_text(GREETING_DA)
        page.screenshot(path="screenshots/widget-phone.png")
    finally:
        context.close()

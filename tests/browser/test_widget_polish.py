"""The widget behaves as people expect from chat widgets they know (issue 12).

Typing indicator, urgent replies, scrolling, focus, state after a reload,
start over, the phone layout, the unread badge, multi-line input, times,
feedback and the transcript; each against the real bot in Chromium.
"""

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import (
    GREETING_DA,
    HeldReplies,
    ask,
    bot_messages,
    in_view,
    open_widget,
    screenshot,
    user_messages,
)


def test_the_typing_indicator_shows_only_while_a_reply_is_pending(page: Page, bot):
    open_widget(page, bot)
    typing = page.locator(".pgp-typing")
    expect(typing).to_be_hidden()

    held = HeldReplies(page)
    ask(page, "Hvad er bækkenløsning?")
    expect(typing).to_be_visible()
    held.release()
    expect(bot_messages(page)).to_have_count(2)
    expect(typing).to_be_hidden()

    page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    ask(page, "Er det farligt?")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(typing).to_be_hidden()


def test_an_urgent_reply_stands_out_and_its_numbers_can_be_tapped(page: Page, bot):
    open_widget(page, bot)
    ask(page, "Hvad er bækkenløsning?")
    expect(bot_messages(page)).to_have_count(2)
    ask(page, "Jeg bløder og har ondt i maven")
    # whom to call, then the signs: one urgent block with one label
    urgent = page.locator(".pgp-message.pgp-urgent")
    expect(urgent).to_have_count(2)
    first = urgent.first
    # signs of the second tier, situation unknown: whom to call, 112 ved livsfare
    expect(first).to_contain_text("Ring 112 ved livsfare")
    # not colour alone: an icon and a label too
    expect(first.locator(".pgp-urgent-label")).to_have_text("Vigtigt – søg hjælp nu")
    expect(first.locator(".pgp-urgent-label svg")).to_have_count(1)
    expect(page.locator(".pgp-urgent-label:visible")).to_have_count(1)
    expect(first.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    # lægevagten in all five regions, each a tap-to-call link
    for number, href in LÆGEVAGTEN:
        expect(first.get_by_role("link", name=number, exact=True)).to_have_attribute(
            "href", href
        )

    def background(locator) -> str:
        return locator.evaluate("node => getComputedStyle(node).backgroundColor")

    ordinary = page.locator(".pgp-bot:not(.pgp-urgent) .pgp-bubble").last
    assert background(first.locator(".pgp-bubble")) != background(ordinary)
    screenshot(page, "widget-urgent")


LÆGEVAGTEN = [
    ("1813", "tel:1813"),
    ("1818", "tel:1818"),
    ("70 11 07 07", "tel:+4570110707"),
    ("70 11 31 31", "tel:+4570113131"),
    ("70 15 03 00", "tel:+4570150300"),
]


def test_the_helpline_numbers_are_links_and_urgent_parts_read_as_one(page: Page, bot):
    open_widget(page, bot)
    page.route(
        "**/webhooks/rest/webhook",
        lambda route: route.fulfill(
            json=[
                {
                    "text": "Ring 1813, 1818, 70 11 07 07, 70 11 31 31 eller "
                    "70 15 03 00, eller 112, ikke 11223, 18180, 2112, "
                    "+45 70 11 07 07 9 eller 170 11 31 31.",
                    "metadata": {"urgent": True},
                },
                {"text": "Disse tegn ...", "metadata": {"urgent": True}},
            ]
        ),
    )
    ask(page, "hjælp")
    links = page.locator(".pgp-urgent a")
    # whole numbers only: no part of a longer number becomes a link
    expect(links).to_have_text([number for number, _ in LÆGEVAGTEN] + ["112"])
    for index, (_, href) in enumerate([*LÆGEVAGTEN, ("112", "tel:112")]):
        expect(links.nth(index)).to_have_attribute("href", href)
    expect(page.locator(".pgp-urgent")).to_have_count(2)
    expect(page.locator(".pgp-urgent-label:visible")).to_have_count(1)


def _referral_check_until_the_last_question(page: Page) -> None:
    ask(page, "Hvem skal jeg kontakte?")
    page.get_by_role("button", name="Gravid", exact=True).click()
    page.get_by_role("button", name="Nej").last.click()
    page.get_by_role("button", name="7–8 – stærke").click()
    expect(bot_messages(page).last).to_contain_text(
        "Hvad har du svært ved på grund af smerterne?"
    )
    ask(page, "trapper og at sove")
    expect(bot_messages(page).last).to_contain_text("Er du blevet undersøgt")


def test_after_a_reply_of_several_parts_its_first_part_is_in_view(
    browser: Browser, bot
):
    # a laptop screen: the referral check's advice is taller than the chat
    context = browser.new_context(viewport={"width": 1280, "height": 620})
    page = context.new_page()
    try:
        open_widget(page, bot)
        _referral_check_until_the_last_question(page)
        page.get_by_role("button", name="Nej").last.click()
        summary = page.locator(".pgp-bot", has_text="Du har fortalt")
        expect(summary).to_have_count(1)
        expect(bot_messages(page).last).to_contain_text("Husk: dette er generel")
        log = page.locator(".pgp-log")
        reply_height = summary.evaluate(
            """(node, log) => log.lastElementChild.getBoundingClientRect().bottom
                - node.getBoundingClientRect().top""",
            log.element_handle(),
        )
        assert reply_height > log.evaluate("n => n.clientHeight")  # does not fit
        assert in_view(log, summary)  # she reads the summary first
        screenshot(page, "widget-referral-summary")
    finally:
        context.close()


def test_focus_stays_on_the_input_after_a_quick_reply(page: Page, bot):
    open_widget(page, bot)
    ask(page, "hvad kan du?")
    page.get_by_role("button", name="Hvor gør det ondt?").click()
    expect(page.get_by_label("Dit spørgsmål")).to_be_focused()
    expect(bot_messages(page)).to_have_count(3)  # the answer is in

    ask(page, "hvad kan du?")
    expect(bot_messages(page)).to_have_count(4)  # the new menu, not the spent one
    menu = bot_messages(page).last.locator("..")
    expect(menu.locator(".pgp-choice")).to_have_count(6)
    menu.get_by_role("button", name="Går det væk efter fødslen?").focus()
    page.keyboard.press("Enter")
    expect(user_messages(page).last).to_have_text("Går det væk efter fødslen?")
    expect(page.get_by_label("Dit spørgsmål")).to_be_focused()


def test_after_a_reload_the_chat_is_open_and_used_quick_replies_stay_disabled(
    page: Page, bot
):
    open_widget(page, bot)
    ask(page, "hvad kan du?")
    page.get_by_role("button", name="Hvor gør det ondt?").click()
    expect(bot_messages(page)).to_have_count(3)
    menu = page.locator(".pgp-bot").nth(1)
    expect(menu.locator(".pgp-choice")).to_have_count(6)
    expect(menu.locator(".pgp-choice:enabled")).to_have_count(0)

    page.reload()
    expect(page.get_by_role("dialog")).to_be_visible()  # still open
    expect(page.locator(".pgp-launcher")).to_have_attribute("aria-expanded", "true")
    expect(bot_messages(page)).to_have_count(3)
    expect(menu.locator(".pgp-choice")).to_have_count(6)
    expect(menu.locator(".pgp-choice:enabled")).to_have_count(0)
    # the latest reply's own offer is still open
    expect(page.locator(".pgp-bot").last.locator(".pgp-choice:enabled")).to_have_count(
        page.locator(".pgp-bot").last.locator(".pgp-choice").count()
    )

    page.get_by_role("button", name="Luk chatten").first.click()
    page.reload()
    expect(page.get_by_role("dialog")).to_be_hidden()  # closed stays closed


def test_a_quick_reply_she_answered_by_typing_is_spent_too(page: Page, bot):
    open_widget(page, bot)
    ask(page, "hvad kan du?")
    expect(page.locator(".pgp-choice:enabled")).to_have_count(6)
    ask(page, "Hvad er bækkenløsning?")
    expect(bot_messages(page)).to_have_count(3)
    expect(page.locator(".pgp-choice:enabled")).to_have_count(0)


def test_start_over_asks_first(page: Page, bot):
    open_widget(page, bot)
    ask(page, "Hvad er bækkenløsning?")
    expect(bot_messages(page)).to_have_count(2)
    page.get_by_role("button", name="Start forfra").click()
    question = page.get_by_role("group", name=re.compile("Starte en ny samtale"))
    expect(question).to_be_visible()
    expect(bot_messages(page)).to_have_count(2)  # nothing wiped yet
    question.get_by_role("button", name="Fortryd").click()
    expect(question).to_be_hidden()
    expect(bot_messages(page)).to_have_count(2)

    page.get_by_role("button", name="Start forfra").click()
    page.keyboard.press("Escape")  # Escape cancels the question, not the chat
    expect(question).to_be_hidden()
    expect(page.get_by_role("dialog")).to_be_visible()

    page.get_by_role("button", name="Start forfra").click()
    question.get_by_role("button", name="Ja, start forfra").click()
    expect(bot_messages(page)).to_have_count(1)
    expect(bot_messages(page).first).to_contain_text(GREETING_DA)
    expect(page.locator(".pgp-user")).to_have_count(0)


def test_the_close_button_has_no_text_that_contradicts_its_name(page: Page, bot):
    open_widget(page, bot)
    close = page.locator(".pgp-close")
    expect(close).to_have_attribute("aria-label", "Luk chatten")
    assert close.inner_text().strip() == ""


def test_on_a_phone_nothing_but_the_launcher_catches_taps_and_targets_are_big(
    browser: Browser, bot
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{bot.url}/webhooks/widget/demo")
        launcher = page.locator(".pgp-launcher")
        box = launcher.bounding_box()
        assert box is not None
        # every point of the bottom 80 px outside the launcher belongs to the page
        blocked = page.evaluate(
            """([lx, ly, lw, lh]) => {
                const hits = [];
                for (let y = innerHeight - 80; y < innerHeight; y += 8) {
                  for (let x = 2; x < innerWidth; x += 8) {
                    if (x >= lx && x <= lx + lw && y >= ly && y <= ly + lh) continue;
                    const node = document.elementFromPoint(x, y);
                    if (node && node.closest(".pgp-widget")) hits.push([x, y]);
                  }
                }
                return hits;
            }""",
            [box["x"], box["y"], box["width"], box["height"]],
        )
        assert blocked == []
        assert box["width"] >= 44 and box["height"] >= 44

        launcher.tap()
        expect(bot_messages(page).first).to_contain_text(GREETING_DA)
        dialog = page.get_by_role("dialog").bounding_box()
        assert dialog is not None and dialog["width"] >= 389 and dialog["height"] >= 840
        font = page.locator(".pgp-input").evaluate(
            "node => parseFloat(getComputedStyle(node).fontSize)"
        )
        assert font >= 16  # iOS zooms into smaller inputs
        ask(page, "Hvad er bækkenløsning?")
        expect(page.locator(".pgp-rate")).to_have_count(2)
        ask(page, "hvad kan du?")
        expect(page.locator(".pgp-choice")).to_have_count(6)
        targets = page.locator(
            ".pgp-close, .pgp-send, .pgp-choice, .pgp-rate, .pgp-tool, .pgp-input"
        )
        small = [
            (target.get_attribute("class"), b["width"], b["height"])
            for target in targets.all()
            if (b := target.bounding_box()) and (b["width"] < 44 or b["height"] < 44)
        ]
        assert small == []
        screenshot(page, "widget-phone")
    finally:
        context.close()


def test_a_reply_that_arrives_while_closed_shows_an_unread_badge(page: Page, bot):
    open_widget(page, bot)
    launcher = page.locator(".pgp-launcher")
    badge = page.locator(".pgp-badge")
    expect(badge).to_be_hidden()
    held = HeldReplies(page)
    ask(page, "Hvad er bækkenløsning?")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    held.release()
    expect(badge).to_have_text("1")
    expect(launcher).to_have_attribute("aria-label", re.compile(r"\(1 ny besked\)"))
    launcher.click()
    expect(badge).to_be_hidden()
    expect(launcher).to_have_attribute("aria-label", "Luk chatten")


def test_shift_enter_starts_a_new_line_and_enter_sends(page: Page, bot):
    open_widget(page, bot)
    page.get_by_label("Dit spørgsmål").click()
    page.keyboard.type("Jeg er gravid i uge 20.")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Hvad er bækkenløsning?")
    expect(user_messages(page)).to_have_count(0)
    page.keyboard.press("Enter")
    expect(user_messages(page).last).to_have_text(
        "Jeg er gravid i uge 20.\nHvad er bækkenløsning?"
    )
    expect(page.get_by_label("Dit spørgsmål")).to_have_value("")


def test_every_message_shows_its_time_on_hover(page: Page, bot):
    open_widget(page, bot)
    ask(page, "Hvad er bækkenløsning?")
    expect(bot_messages(page)).to_have_count(2)
    times = page.locator(".pgp-message time")
    expect(times).to_have_count(3)
    expect(times.first).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(times.first).to_have_css("opacity", "0")
    page.mouse.move(10, 10)
    screenshot(page, "widget-open")
    page.locator(".pgp-message").first.hover()
    expect(times.first).to_have_css("opacity", "1")


def test_feedback_on_an_answer_is_sent_recorded_and_thanked(page: Page, bot):
    open_widget(page, bot)
    expect(page.locator(".pgp-feedback")).to_have_count(0)  # not on the greeting
    ask(page, "Kommer bækkenløsning igen ved næste graviditet?")
    feedback = page.get_by_role("group", name="Kunne du bruge svaret?")
    expect(feedback).to_have_count(1)
    feedback.get_by_role("button", name="Nej, svaret hjalp ikke").click()
    expect(bot_messages(page).last).to_contain_text("Tak, fordi du sagde det")
    expect(page.get_by_label("Dit spørgsmål")).to_be_focused()
    thumbs_down = feedback.get_by_role("button", name="Nej, svaret hjalp ikke")
    expect(thumbs_down).to_have_attribute("aria-pressed", "true")
    expect(thumbs_down).to_be_disabled()
    expect(user_messages(page)).to_have_count(1)  # the payload is not shown as hers

    sender = page.evaluate(
        "JSON.parse(localStorage.getItem('pgp-widget-conversation')).sender"
    )
    users = [e for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert users[-1]["text"] == "/feedback_unhelpful"
    assert users[-1]["parse_data"]["intent"]["name"] == "feedback_unhelpful"
    assert users[-1]["metadata"]["feedback_for"] == {"response": "utter_faq/recurrence"}

    page.reload()
    thumbs_down = page.get_by_role("button", name="Nej, svaret hjalp ikke")
    expect(thumbs_down).to_have_attribute("aria-pressed", "true")
    expect(thumbs_down).to_be_disabled()


def test_the_conversation_can_be_copied_and_downloaded_with_times(
    browser: Browser, bot
):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=bot.url)
    page = context.new_page()
    try:
        open_widget(page, bot)
        ask(page, "Hvad er bækkenløsning?")
        expect(bot_messages(page)).to_have_count(2)
        page.get_by_role("button", name="Kopiér samtale").click()
        expect(page.get_by_role("status")).to_have_text("Samtalen er kopieret.")
        copied = page.evaluate("navigator.clipboard.readText()")
        lines = copied.splitlines()
        assert lines[0].startswith("Samtale om bækkenløsning – ")
        assert re.fullmatch(r"\[\d\d:\d\d\] Chatbot: Hej! Jeg er en .*", lines[2])
        assert re.fullmatch(r"\[\d\d:\d\d\] Du: Hvad er bækkenløsning\?", lines[3])
        assert re.match(r"\[\d\d:\d\d\] Chatbot: Bækkenløsning, eller", lines[4])

        with page.expect_download() as download:
            page.get_by_role("button", name="Hent som tekst").click()
        path = download.value.path()
        assert download.value.suggested_filename.startswith("samtale-baekkenloesning-")
        assert open(path, encoding="utf-8").read() == copied
    finally:
        context.close()


def test_the_new_controls_speak_english_on_an_english_page(page: Page, bot):
    open_widget(page, bot)
    ask(page, "Is pelvic girdle pain dangerous?")
    expect(bot_messages(page)).to_have_count(2)
    ask(page, "I fell on my belly")
    expect(page.locator(".pgp-urgent")).to_have_count(2)
    page.get_by_role("button", name="English").click()  # the page switches
    expect(page.locator(".pgp-urgent-label").first).to_have_text(
        "Important – get help now"
    )
    feedback = page.get_by_role("group", name="Was this answer helpful?")
    expect(
        feedback.get_by_role("button", name="Yes, the answer helped")
    ).to_be_visible()
    for name in ["Copy conversation", "Download as text", "Start over"]:
        expect(page.get_by_role("button", name=name)).to_be_visible()
    page.get_by_role("button", name="Start over").click()
    expect(page.get_by_role("button", name="Yes, start over")).to_be_visible()

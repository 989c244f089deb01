"""Shared steps for the browser tests: open the widget, ask, read replies."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, Route, expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
GREETING_DA = "Hej! Jeg er en chatbot med generel information om bækkensmerter"
GREETING_EN = "Hi! I'm a chatbot with general information about pelvic girdle pain"
WEBHOOK = "**/webhooks/rest/webhook"


def open_widget(page: Page, bot, wait_for_greeting: bool = True) -> None:
    """Go to the demo page and open the chat."""
    page.goto(f"{bot.url}/webhooks/widget/demo")
    launcher = page.locator(".pgp-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("dialog")).to_be_visible()
    if wait_for_greeting:
        expect(bot_messages(page).first).to_contain_text(
            re.compile(f"{GREETING_DA}|{GREETING_EN}")
        )


def ask(page: Page, text: str) -> None:
    """Type a question and press Enter."""
    page.get_by_label(re.compile("Dit spørgsmål|Your question")).fill(text)
    page.keyboard.press("Enter")


def bot_messages(page: Page) -> Locator:
    """The bot's bubbles, oldest first."""
    return page.locator(".pgp-bot .pgp-bubble")


def user_messages(page: Page) -> Locator:
    """Her bubbles, oldest first."""
    return page.locator(".pgp-user .pgp-bubble")


class HeldReplies:
    """Holds the REST channel's requests until released (a slow server)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.routes: list[Route] = []
        page.route(WEBHOOK, self._hold)

    def _hold(self, route: Route) -> None:
        self.routes.append(route)

    def release(self) -> None:
        """Let every held request through and stop holding."""
        routes, self.routes = self.routes, []
        for route in routes:
            route.continue_()
        self.page.unroute(WEBHOOK)


def screenshot(page: Page, name: str) -> None:
    """Save a screenshot to screenshots/<name>.png (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def in_view(log: Locator, item: Locator) -> bool:
    """True if the top of ``item`` is inside the scrolled ``log``'s viewport."""
    return bool(
        item.evaluate(
            """(node, log) => {
                const a = node.getBoundingClientRect(), b = log.getBoundingClientRect();
                return a.top >= b.top - 1 && a.top < b.bottom - 20;
            }""",
            log.element_handle(),
        )
    )

"""Rasa Webchat 1.0.1 (npm, pinned in package-lock.json) works with this bot.

The alternative client the README documents: its bundle is served by the test
from node_modules on the bot's own origin (no CDN), and talks to the bot's
socket.io channel (assistant/channels/socketio.py) with the README's settings.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import GREETING_DA, GREETING_EN, ROOT, screenshot

BUNDLE = ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
VERSION = json.loads((ROOT / "package.json").read_text())["devDependencies"][
    "rasa-webchat"
]


def _page_html(socket_url: str, language: str) -> str:
    """A host page with the README's snippet (the script from node_modules)."""
    settings = {
        "socketUrl": socket_url,
        "socketPath": "/socket.io/",
        "initPayload": "/greet",
        "customData": {"language": language},
        "title": "Bækkenløsning",
        "inputTextFieldHint": "Skriv dit spørgsmål …",
        "params": {"storage": "local"},
    }
    return f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8"><title>Rasa Webchat</title></head>
<body>
<script src="/rasa-webchat/index.js"></script>
<script>WebChat.default({json.dumps(settings)}, null);</script>
</body></html>"""


@pytest.fixture
def webchat(page: Page, bot):
    if not BUNDLE.exists():
        pytest.fail("rasa-webchat is missing: `make npm` installs it (make test does).")
    assert VERSION == "1.0.1"
    state = {"language": "da"}
    page.route(
        f"{bot.url}/rasa-webchat/page.html",
        lambda route: route.fulfill(
            body=_page_html(bot.url, state["language"]),
            content_type="text/html; charset=utf-8",
        ),
    )
    page.route(
        f"{bot.url}/rasa-webchat/index.js",
        lambda route: route.fulfill(
            path=str(BUNDLE), content_type="application/javascript"
        ),
    )

    def load(language: str = "da") -> None:
        state["language"] = language
        page.goto(f"{bot.url}/rasa-webchat/page.html")
        page.locator(".rw-launcher").click()

    return load


def _bot_texts(page: Page):
    return page.locator(".rw-response")


def test_greeting_buttons_and_the_conversation_after_a_reload(page: Page, webchat):
    webchat("da")
    expect(_bot_texts(page).first).to_contain_text(GREETING_DA, timeout=20_000)
    page.locator(".rw-new-message").fill("hvad kan du?")
    page.keyboard.press("Enter")
    button = page.locator(".rw-reply", has_text="Går det væk efter fødslen?")
    expect(button).to_be_visible()
    button.click()
    expect(_bot_texts(page).last).to_contain_text("fortager sig relativt kort tid")
    screenshot(page, "rasa-webchat")

    page.reload()  # Rasa Webchat remembers that it was open
    expect(_bot_texts(page).last).to_contain_text("fortager sig relativt kort tid")
    page.locator(".rw-new-message").fill("Kommer det igen ved næste graviditet?")
    page.keyboard.press("Enter")
    expect(_bot_texts(page).last).to_contain_text("stabilisere kroppen")


def test_english_page_and_the_urgent_advice(page: Page, webchat):
    webchat("en")
    expect(_bot_texts(page).first).to_contain_text(GREETING_EN, timeout=20_000)
    page.locator(".rw-new-message").fill("I fell on my belly")
    page.keyboard.press("Enter")
    expect(_bot_texts(page)).to_have_count(3)  # greeting, whom to call, the signs
    urgent = _bot_texts(page).nth(1)
    expect(urgent).to_contain_text("Call 112 if life is in danger")
    expect(urgent).to_have_css("background-color", "rgb(253, 236, 234)")
    expect(_bot_texts(page).last).to_have_css("background-color", "rgb(253, 236, 234)")
    screenshot(page, "rasa-webchat-urgent")

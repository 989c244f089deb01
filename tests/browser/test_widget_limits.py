"""The widget behind the real load balancer when a limit refuses her message.

HAProxy (deploy/haproxy.cfg) in front of the session's Rasa server, with the
per-conversation limit lowered to a few requests, so her second question in
ten seconds is refused with 429: the widget says so in her language, says
nothing was stored and when to try again (20 s: HAProxy's rate is a sliding
average over two periods), and "Prøv igen" then sends the same
text, which is answered.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from harness.services import LoadBalancer

# the history (1), the greeting (2), her first question (3); minting the
# session names no conversation yet
CONVERSATION_REQUESTS = 3


@pytest.fixture(scope="module")
def balancer(bot, tmp_path_factory) -> Iterator[LoadBalancer]:
    started = LoadBalancer(
        tmp_path_factory.mktemp("haproxy"),
        (bot.port, bot.port),
        limits={"RATE_LIMIT_CONVERSATION_REQUESTS": str(CONVERSATION_REQUESTS)},
    ).start()
    started.wait_for_servers({"rasa1", "rasa2"})
    yield started
    started.stop()


def test_a_refused_message_says_so_in_danish_and_retry_sends_it_again(
    page: Page, balancer
):
    page.goto(f"{balancer.url}/webhooks/widget/demo")
    page.locator(".pgp-launcher").click()
    bot_messages = page.locator(".pgp-bot .pgp-bubble")
    expect(bot_messages.first).to_be_visible()
    field = page.get_by_label(re.compile("Dit spørgsmål"))
    field.fill("Hvad er bækkenløsning?")
    page.keyboard.press("Enter")
    expect(bot_messages).to_have_count(2)
    field.fill("Er bækkenløsning farligt?")
    page.keyboard.press("Enter")
    notice = page.get_by_role("alert")
    expect(notice).to_contain_text(
        "Der er sendt for mange beskeder på kort tid. Din besked er ikke gemt"
        " – prøv igen om 20 sekunder."
    )
    # her text is still there, shown as hers, and nothing answered it
    expect(page.locator(".pgp-user .pgp-bubble").last).to_have_text(
        "Er bækkenløsning farligt?"
    )
    expect(bot_messages).to_have_count(2)
    page.wait_for_timeout(20_000)  # what Retry-After asked for
    notice.get_by_role("button", name="Prøv igen").click()
    expect(notice).to_be_hidden()
    expect(bot_messages.last).to_contain_text("ikke bare en normal gene")

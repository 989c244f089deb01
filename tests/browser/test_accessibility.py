"""axe-core (from npm, pinned in package-lock.json) finds nothing to fix.

Checked in every state a user sees: closed, open, with quick replies, with
an answer's source open, with the urgent advice, and the phone layout. Runs
the WCAG 2.x A/AA rules and best practices; on the open chat also axe's
experimental check that a control's visible text is part of its accessible
name (the old "×" close button needed a manual review there).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import ROOT, ask, bot_messages, open_widget

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NAME_MATCHES_TEXT = "label-content-name-mismatch"  # experimental: off by default


def _axe(page: Page, run_only: dict[str, Any] | None = None) -> dict[str, Any]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make npm` installs it (make test does).")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"runOnly": run_only or {"type": "tag", "values": TAGS}}
    return page.evaluate("options => axe.run(document, options)", options)


def _violations(page: Page) -> list[str]:
    results = _axe(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results["violations"]
    ]


def _widget_needs_review(page: Page) -> list[str]:
    """Controls of the widget whose visible text may not match their name."""
    results = _axe(page, {"type": "rule", "values": [NAME_MATCHES_TEXT]})
    ran = [
        r["id"]
        for key in ("passes", "incomplete", "violations", "inapplicable")
        for r in results[key]
    ]
    assert ran == [NAME_MATCHES_TEXT]
    return [
        f"{item['id']}: {node['target']}"
        for key in ("incomplete", "violations")
        for item in results[key]
        for node in item["nodes"]
        if any(".pgp" in str(target) for target in node["target"])
    ]


def test_closed(page: Page, bot):
    page.goto(f"{bot.url}/webhooks/widget/demo")
    expect(page.locator(".pgp-launcher")).to_be_visible()
    assert _violations(page) == []


def test_open(page: Page, bot):
    open_widget(page, bot)
    assert _violations(page) == []
    assert _widget_needs_review(page) == []


def test_quick_replies_and_feedback(page: Page, bot):
    open_widget(page, bot)
    ask(page, "Hvad er bækkenløsning?")
    expect(page.locator(".pgp-feedback")).to_have_count(1)
    ask(page, "hvad kan du?")
    expect(page.locator(".pgp-choice")).to_have_count(6)
    page.get_by_role("button", name="Hvor gør det ondt?").click()
    expect(bot_messages(page)).to_have_count(4)
    page.get_by_role("button", name="Start forfra").click()  # the question too
    assert _violations(page) == []


def test_an_answer_with_its_source_open(page: Page, bot):
    open_widget(page, bot)
    ask(page, "Hvor lang tid tager det for ledbånd at hele?")
    page.locator(".pgp-source summary").click()
    expect(page.locator(".pgp-source-quote")).to_have_count(2)
    assert _violations(page) == []
    assert _widget_needs_review(page) == []


def test_urgent(page: Page, bot):
    open_widget(page, bot)
    ask(page, "I fell on my belly")
    expect(page.locator(".pgp-urgent")).to_have_count(2)
    assert _violations(page) == []


def test_phone(browser: Browser, bot):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{bot.url}/webhooks/widget/demo")
        assert _violations(page) == []
        page.locator(".pgp-launcher").tap()
        expect(bot_messages(page).first).to_be_visible()
        ask(page, "hvad kan du?")
        expect(page.locator(".pgp-choice")).to_have_count(6)
        assert _violations(page) == []
    finally:
        context.close()

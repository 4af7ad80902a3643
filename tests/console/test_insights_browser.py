"""The insights page in a real browser (Debian's chromium, driven by Playwright): a staff
member picks a week, finds every chart with the table that says the same in words, and
axe-core finds no accessibility violation. Screenshot: artifacts/console/insights.png."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.console.support import ARTIFACTS
from tests.console.test_browser import CHROMIUM, browser  # noqa: F401  (the chromium fixture)
from tests.console.test_insights import play_the_week

sync_api = pytest.importorskip("playwright.sync_api")
CHARTS = {
    "chart-conversations": "Conversations",
    "chart-messages": "Visitor messages",
    "chart-handoffs": "Requests per day by reason and channel",
    "chart-reasons": "Requests by reason",
    "chart-channels": "Requests by channel",
    "chart-emergencies": "Emergency replies by route",
    "chart-topics": "Visitor messages by topic",
    "chart-satisfaction": "Answers to “Was this helpful?”",
}


def test_every_chart_has_its_table_and_axe_finds_nothing(browser, console, staff, handoffs, trackers):  # noqa: F811
    from tests.widget.chat import axe_violations

    play_the_week(handoffs, trackers, datetime(2025, 4, 7, 9, 0, tzinfo=timezone.utc))  # a week of its own
    # axe is added as a script of the test's own: the console's CSP would refuse it otherwise.
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    expect = sync_api.expect
    try:
        page.goto(f"{console.url}/login?next=%2Finsights")
        page.get_by_label("Username", exact=True).fill(staff[0])
        page.get_by_label("Password", exact=True).fill(staff[1])
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Insights")
        page.get_by_label("From", exact=True).fill("2025-04-07")
        page.get_by_label("To", exact=True).fill("2025-04-13")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(f"{console.url}/insights?from=2025-04-07&to=2025-04-13")

        for chart_id, caption in CHARTS.items():
            chart = page.locator(f"svg#{chart_id}")
            expect(chart).to_be_visible()
            assert chart.get_attribute("role") == "img"
            table = chart.locator("xpath=ancestor::figure/following-sibling::table[1]")
            expect(table.locator("caption")).to_have_text(caption)
        expect(page.get_by_role("img")).to_have_count(len(CHARTS))
        conversations = page.get_by_role("table", name="Conversations", exact=True)
        expect(conversations.get_by_role("row", name="2025-04-07 4")).to_be_visible()
        routes = page.get_by_role("table", name="Emergency replies by route")
        expect(routes.get_by_role("row").nth(1)).to_contain_text("1")
        expect(page.get_by_role("link", name="Insights")).to_be_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "insights.png"), full_page=True)
        assert axe_violations(page) == []
    finally:
        context.close()

"""The review page in a real browser (Debian's chromium, as test_browser.py drives it): axe-core
finds no accessibility violations, and a staff member labels a message with the keyboard-
reachable form and sees it leave the open queue."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from handoff.review import collect, get_item, list_items
from tests.console.test_browser import ARGS, CHROMIUM, shot  # noqa: F401  (the same browser)
from tests.console.test_review import action, add_events, new_sender, unique, user

sync_api = pytest.importorskip("playwright.sync_api")
chat = pytest.importorskip("tests.widget.chat")


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    if not chat.AXE.exists():
        pytest.skip("axe-core is not installed (widget/node_modules: make widget)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        # axe-core is injected as a script: the console's CSP (no inline scripts) is set aside for it.
        context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB", bypass_csp=True)
        yield context.new_page()
        browser.close()


def test_a_staff_member_labels_a_message_on_the_review_page(console, staff, page, trackers, handoffs):
    expect = sync_api.expect
    said = unique("how much for a wee go on the needles")
    add_events(trackers, new_sender("browser"), [user(said, "nlu_fallback", 0.6), action("utter_out_of_scope")])
    collect(handoffs, trackers)
    with handoffs.begin() as connection:  # other tests' messages set aside: this one on the first page
        connection.execute(
            text("UPDATE review_items SET status = 'ignored' WHERE status = 'open' AND text != :t"), {"t": said}
        )
    page.goto(f"{console.url}/review")
    page.get_by_label("Username", exact=True).fill(staff[0])
    page.get_by_label("Password", exact=True).fill(staff[1])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    assert chat.axe_violations(page) == []

    item = page.locator("article.review-item", has_text=said)
    expect(item).to_contain_text("Not understood (fallback)")
    item.get_by_label("Topic").select_option("ask_prices")
    item.get_by_role("button", name="Save topic").click()
    expect(page.locator("article.review-item", has_text=said)).to_have_count(0)
    found = next(i for i in list_items(handoffs, "labelled") if i.text == said)
    assert (get_item(handoffs, found.id).label, found.reviewer) == ("ask_prices", staff[0])

    page.get_by_role("link", name="Labelled").click()
    labelled = page.locator("article.review-item", has_text=said)
    expect(labelled).to_contain_text(f"Labelled: ask_prices by {staff[0]}")
    expect(labelled).to_contain_text("Not checked against the current model yet")
    assert chat.axe_violations(page) == []

"""A staff member in a real browser (Debian's chromium, driven by Playwright): logs in, opens
the inbox, reads a conversation and changes its status. Screenshots go to artifacts/console/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from handoff.store import status_history
from tests.console.support import ARTIFACTS
from tests.widget.chat import axe_violations

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    opened = context.new_page()
    dialogs = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def shot(page, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_staff_member_logs_in_reads_a_conversation_and_changes_its_status(console, staff, page, make_handoff, handoffs):
    expect = sync_api.expect
    made = make_handoff(name="Grace Browser", urgent=True, summary="Booking for Tui Na; lower back pain for 3 weeks.")
    hostile = make_handoff(
        name='<img src=x onerror=alert("xss")>',
        turns=[("visitor", '<script>alert("transcript")</script>'), ("assistant", "<b>not bold</b>")],
    )

    page.goto(f"{console.url}/")
    expect(page).to_have_url(re.compile(r"/login$"))
    shot(page, "01-login")
    page.get_by_label("Username", exact=True).fill(staff[0])
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Wrong username or password (after 5 failures in a row an account is locked for 15 minutes)."
    )
    page.get_by_label("Password", exact=True).fill(staff[1])
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_title(re.compile(r"^\(\d+\) Inbox – Clinic staff console$"))
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_session")
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # scripts cannot read the session
    card = page.locator("li.handoff", has_text=made.reference)
    expect(card).to_contain_text("Urgent – red flag")
    expect(card).to_contain_text("Tuesday mornings")
    shot(page, "02-inbox", full_page=False)  # the shared test inbox is long

    page.get_by_role("link", name=f"{made.reference} – Grace Browser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request {made.reference} – Grace Browser")
    transcript = page.locator("ol.transcript li")
    expect(transcript).to_have_count(4)
    expect(transcript.nth(0)).to_contain_text("Visitor")
    expect(transcript.nth(0)).to_contain_text("Hello, I'd like to book Tui Na for my back")
    expect(transcript.nth(1)).to_contain_text("Assistant")
    shot(page, "03-conversation")

    page.get_by_label("Status", exact=True).select_option("contacted")
    page.get_by_label("Assigned to").fill("Jo")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("ol.history")).to_contain_text("New → Contacted, by reception")
    page.get_by_label("Add a note").fill("Rang back, booked a call for Tuesday.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("ol.notes")).to_contain_text("Rang back, booked a call for Tuesday.")
    shot(page, "04-status-changed")
    assert [(c.author, c.to_status) for c in status_history(handoffs, made.id)] == [("reception", "contacted")]

    page.goto(f"{console.url}/handoffs/{hostile.id}")
    expect(page.locator("ol.transcript")).to_contain_text('<script>alert("transcript")</script>')
    expect(page.get_by_role("heading", level=1)).to_contain_text('<img src=x onerror=alert("xss")>')
    expect(page.locator("ol.transcript")).to_contain_text("<b>not bold</b>")
    shot(page, "05-html-shown-as-text")
    assert page.dialogs == []  # no script from a visitor ever ran

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(f"{console.url}/handoffs/{made.id}")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def logged_in(browser, user) -> "sync_api.Page":
    """A browser context of its own (its own cookies) with `user` logged in. The console's
    Content-Security-Policy refuses inline scripts, axe-core's included: bypassed here only."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB", bypass_csp=True)
    opened = context.new_page()
    opened.goto(f"{logged_in.console_url}/login")
    opened.get_by_label("Username", exact=True).fill(user[0])
    opened.get_by_label("Password", exact=True).fill(user[1])
    opened.get_by_role("button", name="Log in").click()
    sync_api.expect(opened).not_to_have_url(re.compile(r"/login"))
    return opened


def test_two_staff_members_draft_approve_and_reject_an_answer_in_the_browser(console, browser, new_user):
    """The content pages as staff use them: the writer drafts with a preview and cannot approve
    their own draft; the checker sees the difference, approves it (it is live and in the
    history with both names) and rejects another; axe finds nothing on either page."""
    expect = sync_api.expect
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    logged_in.console_url = console.url
    writer_name, checker_name = new_user("writer"), new_user("checker")
    writer, checker = logged_in(browser, writer_name), logged_in(browser, checker_name)
    key = "utter_greet.default"  # no other console test changes it
    try:
        writer.get_by_role("link", name="Answers").first.click()
        expect(writer.get_by_role("heading", level=1)).to_have_text("Answers and clinic details")
        assert axe_violations(writer) == []
        writer.get_by_role("link", name=key, exact=True).click()
        expect(writer.get_by_role("heading", level=1)).to_have_text(key)
        live = writer.locator("p.live-text").inner_text()

        new_text = (
            "Hello, I'm the clinic's automated assistant. Ask me about Tui Na, headaches, back pain or booking. "
            "I'm not for emergencies: if you need urgent help, call 999."
        )
        writer.get_by_label("Text", exact=True).fill(new_text)
        writer.get_by_role("button", name="Preview").click()
        expect(writer.locator("div.preview")).to_contain_text(new_text)
        expect(writer.get_by_text("No drafts.")).to_be_visible()  # a preview saves nothing
        writer.get_by_role("button", name="Save draft").click()
        draft = writer.locator("article.draft", has_text=f"by {writer_name[0]}")
        expect(draft).to_contain_text("Your draft: another member of staff approves it.")
        expect(draft.get_by_role("button", name="Approve")).to_have_count(0)
        expect(writer.locator("p.live-text")).to_have_text(live)  # not live before approval
        assert axe_violations(writer) == []
        shot(writer, "content-01-draft-by-writer")

        checker.goto(f"{console.url}/content")
        row = checker.locator("tr", has=checker.get_by_role("link", name=key, exact=True))
        expect(row).to_contain_text("1 draft to review")
        row.get_by_role("link", name=key, exact=True).click()
        draft = checker.locator("article.draft", has_text=f"by {writer_name[0]}")
        expect(draft.locator("ins").first).to_be_visible()
        draft.get_by_label("Comment").fill("Checked, kind wording")
        draft.get_by_role("button", name="Approve").click()
        expect(checker.locator("p.live-text")).to_have_text(new_text)
        history = checker.locator("table.history tbody tr")
        expect(history.first).to_contain_text("Live")
        expect(history.first).to_contain_text(writer_name[0])
        expect(history.first).to_contain_text(checker_name[0])
        expect(history.first).to_contain_text("Checked, kind wording")
        expect(history.nth(1)).to_contain_text("Superseded")
        shot(checker, "content-02-approved-with-history")

        writer.reload()
        writer.get_by_label("Text", exact=True).fill("Hi! Tui Na cures everything.")
        writer.get_by_role("button", name="Save draft").click()
        checker.reload()
        draft = checker.locator("article.draft", has_text=f"by {writer_name[0]}")
        expect(draft).to_contain_text("Makes a claim")
        draft.get_by_label("Why not").fill("We make no such claim")
        draft.get_by_role("button", name="Reject").click()
        expect(checker.get_by_text("No drafts.")).to_be_visible()
        expect(checker.locator("p.live-text")).to_have_text(new_text)
        expect(checker.locator("table.history tbody tr").first).to_contain_text("Rejected")
        expect(checker.locator("table.history tbody tr").first).to_contain_text("We make no such claim")
        assert axe_violations(checker) == []
        shot(checker, "content-03-rejected")
    finally:
        writer.context.close()
        checker.context.close()

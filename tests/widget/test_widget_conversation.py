"""The widget on the demo site, in Debian's chromium, against the real assistant."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.widget.chat import (
    bot_bubbles,
    expect_answer,
    focused,
    launcher,
    message_box,
    open_chat,
    panel,
    say,
    stored_state,
    visitor_bubbles,
)
from tests.widget.conftest import WIDGET, response, response_text, response_variations

TUINA = response_text("utter_ask_tuina")
TUINA_CONDITIONS = response_text("utter_ask_tuina_conditions")
HEALTH_NOTE = response_text("utter_health_note")
BOOKING_OFFER = response("utter_offer_booking")
CONSENT = response("utter_ask_handoff_consent")
EMERGENCY = next(
    v["text"]
    for v in response_variations("utter_emergency")
    if (v.get("condition") or [{}])[0].get("value") == "urgent"
)
GREETING = response_text("utter_greet")
GREETING_BUTTONS = response("utter_greet")["buttons"]
TUINA_CONDITIONS_BUTTON = next(b["title"] for b in GREETING_BUTTONS if b["payload"] == "/ask_tuina_conditions")


def test_the_approved_answer_and_a_quick_reply_answer_appear(page, demo_url):
    page.goto(demo_url)
    open_chat(page)
    expect(message_box(page)).to_be_focused()
    greeting_replies = page.get_by_role("group", name="Suggested replies").first.get_by_role("button")
    expect(greeting_replies).to_have_text([button["title"] for button in GREETING_BUTTONS])

    say(page, "what is tui na")
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_text([TUINA])

    greeting_replies.filter(has_text=TUINA_CONDITIONS_BUTTON).click()
    expect(visitor_bubbles(page).last).to_have_text(TUINA_CONDITIONS_BUTTON)  # the title, not the payload
    expect(bot_bubbles(page).filter(has_text=TUINA_CONDITIONS)).to_have_text([TUINA_CONDITIONS])
    expect(page.get_by_text("/ask_tuina_conditions")).to_have_count(0)
    assert page.errors == []


def test_a_treatment_answer_comes_with_the_note_and_a_booking_offer_whose_yes_button_books(page, demo_url):
    page.goto(demo_url)
    open_chat(page)
    say(page, "what is tui na")
    expect_answer(page, TUINA)
    expect_answer(page, HEALTH_NOTE)
    expect_answer(page, BOOKING_OFFER["text"])
    expect(bot_bubbles(page)).to_have_count(4)  # greeting, answer, note, offer: nothing else
    offer_buttons = page.get_by_role("group", name="Suggested replies").last.get_by_role("button")
    expect(offer_buttons).to_have_text([button["title"] for button in BOOKING_OFFER["buttons"]])

    offer_buttons.filter(has_text="Yes, please").click()
    expect(visitor_bubbles(page).last).to_have_text("Yes, please")
    expect_answer(page, CONSENT["text"])
    consent_buttons = page.get_by_role("group", name="Suggested replies").last.get_by_role("button")
    expect(consent_buttons).to_have_text([button["title"] for button in CONSENT["buttons"]])
    assert page.errors == []


def test_red_flag_message_gets_the_emergency_answer(page, demo_url):
    page.goto(demo_url)
    open_chat(page)
    say(page, "my lower back is agony and I've got a high temperature")
    answer = bot_bubbles(page).filter(has_text="checked by a doctor today")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text(EMERGENCY.split(" go to 111.nhs.uk")[0])
    # "111.nhs.uk" becomes a safe link that opens in a new tab.
    nhs = answer.get_by_role("link", name=re.compile("111.nhs.uk"))
    expect(nhs).to_have_attribute("href", "https://111.nhs.uk/")
    expect(nhs).to_have_attribute("target", "_blank")
    expect(nhs).to_have_attribute("rel", re.compile(r"\bnoopener\b"))


def test_conversation_survives_reload_and_navigation_and_clear_removes_it(page, demo_url):
    page.goto(demo_url)
    open_chat(page)
    say(page, "what is tui na")
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
    session_id = stored_state(page)["sessionId"]
    assert re.fullmatch(r"[0-9a-f]{32}", session_id), session_id  # 128 bits from Web Crypto

    page.reload()
    expect(panel(page)).to_be_visible()  # it was open: it stays open
    expect(visitor_bubbles(page)).to_have_text(["what is tui na"])
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)

    page.get_by_role("link", name="Visiting the clinic").click()
    expect(page).to_have_title(re.compile("Visiting the clinic"))
    expect(visitor_bubbles(page)).to_have_text(["what is tui na"])
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
    assert stored_state(page)["sessionId"] == session_id
    # The conversation goes on with the same session on the new page.
    say(page, "can tui na help me")
    expect(bot_bubbles(page).filter(has_text=TUINA_CONDITIONS)).to_have_count(1)

    page.get_by_role("button", name="Clear conversation").click()
    expect(visitor_bubbles(page)).to_have_count(0)
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(0)
    expect(bot_bubbles(page).first).to_contain_text(GREETING)  # a new conversation starts
    assert stored_state(page)["sessionId"] != session_id
    page.reload()
    expect(visitor_bubbles(page)).to_have_count(0)


def test_html_from_the_visitor_is_shown_as_text_and_never_runs(page, demo_url):
    page.goto(demo_url)
    open_chat(page)
    attacks = [
        "<img src=x onerror=alert(1)>",
        "<script>window.__xss = 1; alert(2)</script>",
        '"><svg onload=alert(3)>',
    ]
    for attack in attacks:
        say(page, attack)
    expect(visitor_bubbles(page)).to_have_text(attacks)
    expect(bot_bubbles(page)).to_have_count(1 + len(attacks), timeout=30_000)  # greeting + one answer each
    page.reload()  # and again when the stored transcript is drawn
    expect(visitor_bubbles(page)).to_have_text(attacks)
    page.wait_for_timeout(300)
    assert page.locator(".log img, .log script, .log svg").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert page.dialogs == []
    assert page.errors == []


def test_localstorage_mode_and_the_script_tag_settings(page, context, serve_pages):
    """A clinic page using the data attributes: its name, colour, left position, its privacy
    notice, and localStorage (shared by tabs, kept after the tab closes) with a clear control."""
    demo = (WIDGET / "demo" / "index.html").read_text()
    custom = (
        demo.replace('data-clinic-name="the clinic"', 'data-clinic-name="Example Clinic"')
        .replace('data-color="#0b5d4b"', 'data-color="#ffd24d"')
        .replace('data-position="right"', 'data-position="left"')
        .replace('data-persistence="session"', 'data-persistence="local" data-privacy-url="/privacy-notice"')
    )
    site = serve_pages({"index.html": custom, "demo.css": (WIDGET / "demo" / "demo.css").read_text()})
    page.goto(site)
    expect(launcher(page)).to_have_accessible_name("Chat with Example Clinic")
    assert launcher(page).bounding_box()["x"] < 100  # bottom left
    open_chat(page)
    expect(panel(page)).to_have_accessible_name("Chat with Example Clinic")
    privacy = page.get_by_role("link", name=re.compile("^Privacy notice"))
    expect(privacy).to_have_attribute("href", f"{site}/privacy-notice")
    expect(privacy).to_have_attribute("target", "_blank")
    expect(privacy).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    # A light brand colour gets dark text on it (contrast is checked by axe in test_accessibility).
    assert launcher(page).evaluate("el => getComputedStyle(el).color") == "rgb(26, 26, 26)"

    say(page, "what is tui na")
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
    assert stored_state(page, "localStorage")["messages"]
    assert stored_state(page, "sessionStorage") is None

    # A second tab shows the same conversation; an answer to either is recorded once.
    other_tab = context.new_page()
    other_tab.goto(site)
    expect(visitor_bubbles(other_tab)).to_have_text(["what is tui na"])
    expect(panel(other_tab)).to_be_hidden()  # open or closed is each tab's own
    launcher(other_tab).click()
    say(other_tab, "can tui na help me")
    for tab in (other_tab, page):
        expect(visitor_bubbles(tab)).to_have_text(["what is tui na", "can tui na help me"])
        expect(bot_bubbles(tab).filter(has_text=TUINA_CONDITIONS)).to_have_count(1)
    page.wait_for_timeout(500)
    assert str(stored_state(page, "localStorage")).count("not a promise about any one condition") == 1
    other_tab.close()

    page.get_by_role("button", name="Clear conversation").click()
    expect(visitor_bubbles(page)).to_have_count(0)
    expect(bot_bubbles(page).first).to_contain_text(GREETING)
    assert "what is tui na" not in str(stored_state(page, "localStorage"))


def test_no_privacy_link_when_the_clinic_has_not_given_one(page, demo_url):
    """content/clinic_details.yml ships privacy_notice_url blank: no link to nowhere."""
    page.goto(demo_url)
    open_chat(page)
    expect(page.get_by_text("Not for emergencies — call 999")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Privacy notice"))).to_have_count(0)


def test_unread_badge_counts_answers_that_arrive_while_closed(page, demo_url):
    page.goto(demo_url)
    open_chat(page)
    # Send and close in one go, so the answer arrives while the panel is closed.
    page.evaluate(
        """() => {
            const root = document.querySelector('[data-clinic-chat]').shadowRoot;
            root.querySelector('input').value = 'what is tui na';
            root.querySelector('form').requestSubmit();
            root.querySelector('.close').click();
        }"""
    )
    expect(panel(page)).to_be_hidden()
    expect(launcher(page)).to_have_accessible_name(re.compile(r"^Chat with the clinic \(\d unread messages?\)$"))
    expect(page.locator(".badge")).to_be_visible()
    launcher(page).click()
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
    expect(launcher(page)).to_have_accessible_name("Chat with the clinic")
    expect(page.locator(".badge")).to_be_hidden()


def test_keyboard_only(page, demo_url):
    page.goto(demo_url)
    for _ in range(10):  # the page's links and button come first, the widget last
        page.keyboard.press("Tab")
        if focused(page).startswith("widget:button.launcher"):
            break
    assert focused(page).startswith("widget:button.launcher"), focused(page)
    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    assert focused(page).startswith("widget:input"), "focus moves into the message box on open"
    expect(bot_bubbles(page).first).to_contain_text(GREETING)

    # Back from the message box into the greeting's suggested replies; choose one by keyboard.
    page.keyboard.press("Shift+Tab")
    assert focused(page) == f"widget:button.:{GREETING_BUTTONS[-1]['title']}", focused(page)
    page.keyboard.press("Shift+Tab")
    chosen = GREETING_BUTTONS[-2]["title"]
    assert focused(page) == f"widget:button.:{chosen}", focused(page)
    page.keyboard.press("Enter")
    expect(visitor_bubbles(page).last).to_have_text(chosen)
    expect(bot_bubbles(page).nth(1)).to_be_visible()  # its answer

    for _ in range(10):  # on to the message box
        page.keyboard.press("Tab")
        if focused(page).startswith("widget:input"):
            break
    page.keyboard.type("what is tui na")
    page.keyboard.press("Enter")
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)

    # Forward: message box, Send, Clear conversation.
    page.keyboard.press("Tab")
    assert focused(page) == "widget:button.send:Send"
    page.keyboard.press("Tab")
    assert focused(page) == "widget:button.clear:Clear conversation"

    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()
    assert focused(page).startswith("widget:button.launcher"), "focus returns to the launcher on close"
    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()


def test_cors_lets_the_demo_origin_use_long_polling(widget_assistant, demo_origin):
    """WebSockets need no CORS; the long-polling fallback does: Rasa's --cors covers /socket.io."""
    reply = requests.get(
        f"{widget_assistant.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": demo_origin}, timeout=10
    )
    assert reply.ok
    assert reply.headers.get("Access-Control-Allow-Origin") == demo_origin
    other = requests.get(
        f"{widget_assistant.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://evil.test"}, timeout=10
    )
    assert "Access-Control-Allow-Origin" not in other.headers

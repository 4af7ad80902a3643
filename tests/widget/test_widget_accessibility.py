"""WCAG 2.2 AA checks in the browser: axe-core finds nothing, phones get a full-screen panel
with 16px inputs, reduced motion is respected; screenshots are saved as test artefacts."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.widget.chat import axe_violations, bot_bubbles, open_chat, panel, say
from tests.widget.conftest import response_text

TUINA = response_text("utter_ask_tuina")


def test_axe_finds_no_violations_closed_open_and_in_conversation(page, demo_url):
    page.goto(demo_url)
    page.locator("[data-clinic-chat]").wait_for(state="attached")
    assert axe_violations(page) == []
    open_chat(page)
    say(page, "what is tui na")
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
    assert axe_violations(page) == []


def test_phone_screen_gets_a_full_screen_panel(browser, demo_url, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(demo_url)
        page.screenshot(path=str(artifacts / "mobile-375x667-closed.png"))
        open_chat(page)
        say(page, "what is tui na")
        expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
        box = panel(page).bounding_box()
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 375, 667)
        font_size = page.get_by_role("textbox", name="Your message").evaluate("el => getComputedStyle(el).fontSize")
        assert float(font_size.removesuffix("px")) >= 16  # no zoom-in on iOS
        assert axe_violations(page) == []
        page.screenshot(path=str(artifacts / "mobile-375x667.png"))
        # Full screen covers the page, so Tab stays inside the panel.
        for _ in range(12):
            page.keyboard.press("Tab")
            assert page.evaluate("() => document.activeElement.hasAttribute('data-clinic-chat')")
    finally:
        context.close()


def test_desktop_screenshot_and_reduced_motion(browser, demo_url, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(demo_url)
        open_chat(page)
        assert panel(page).evaluate("el => getComputedStyle(el).animationName") == "none"
        say(page, "what is tui na")
        expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
        box = panel(page).bounding_box()
        assert box["width"] < 500 and box["x"] > 600  # a panel at the bottom right, not full screen
        page.screenshot(path=str(artifacts / "desktop-1280x800.png"))
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="no-preference")
    page = context.new_page()
    try:
        page.goto(demo_url)
        open_chat(page)
        assert panel(page).evaluate("el => getComputedStyle(el).animationName") != "none"
    finally:
        context.close()

"""Live takeover in two browsers: a visitor books in the widget on the demo page, a staff member
takes the conversation over in the console, they exchange messages live, the assistant stays
silent, an emergency still gets the emergency reply (highlighted for staff), the staff member
hands back and the assistant answers again. Screenshots go to artifacts/widget/."""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from tests.servers import PROJECT_ROOT, free_port, start_live_takeover
from tests.widget.chat import bot_bubbles, expect_answer, open_chat, say
from tests.widget.conftest import DESKTOP, _serve_demo, response_text, response_variations

PASSWORD = "a long enough password for the browser"


@pytest.fixture(scope="module")
def takeover_port() -> int:
    """A demo site of its own: the package's demo server (tests/widget/conftest.py) may still
    hold the package's port, talking to the other assistant."""
    return free_port()


@pytest.fixture(scope="module")
def takeover(tmp_path_factory, built_widget, takeover_port):
    workdir = tmp_path_factory.mktemp("widget-takeover")
    details = yaml.safe_load((PROJECT_ROOT / "content" / "clinic_details.yml").read_text())
    details["opening_hours"] = "Monday to Friday, 9am to 5pm"  # known hours: a visitor waits for a person
    (workdir / "details.yml").write_text(yaml.safe_dump(details))
    running = start_live_takeover(
        workdir,
        ["sam"],
        PASSWORD,
        extra_env={"CLINIC_DETAILS_FILE": str(workdir / "details.yml")},
        extra_rasa_args=["--cors", f"http://127.0.0.1:{takeover_port}"],
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def site(takeover, takeover_port):
    process = _serve_demo(takeover_port, takeover.assistant.url)
    yield f"http://127.0.0.1:{takeover_port}"
    process.terminate()
    process.wait(timeout=10)


def emergency_text(route: str) -> str:
    return next(
        v["text"] for v in response_variations("utter_emergency") if any(c["value"] == route for c in v["condition"])
    )


def test_staff_take_over_write_live_and_hand_back(browser, site, takeover, artifacts):
    visitor_context = browser.new_context(viewport=DESKTOP)
    staff_context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    visitor_context.set_default_timeout(20_000)
    staff_context.set_default_timeout(20_000)
    try:
        visitor = visitor_context.new_page()
        visitor.goto(site)
        open_chat(visitor)
        for message in ["I'd like to book please", "yes", "Jo Bloggs", "jo@example.org", "Friday morning"]:
            before = bot_bubbles(visitor).count()
            say(visitor, message)
            expect(bot_bubbles(visitor)).not_to_have_count(before)
        say(visitor, "my back")
        expect(bot_bubbles(visitor).filter(has_text=re.compile("your reference is"))).to_have_count(1)

        staff = staff_context.new_page()
        staff.goto(f"{takeover.console_url}/live")
        staff.get_by_label("Username", exact=True).fill("sam")
        staff.get_by_label("Password", exact=True).fill(PASSWORD)
        staff.get_by_role("button", name="Log in").click()
        expect(staff).to_have_title(re.compile("Live now"))
        waiting = staff.locator("section", has=staff.get_by_role("heading", name="Waiting for a person"))
        expect(waiting.locator("tbody tr")).to_have_count(1)
        expect(waiting.locator("td.waiting")).to_contain_text("min")
        waiting.get_by_role("link", name="Open").click()
        expect(staff.locator("#transcript")).to_contain_text("Jo Bloggs")
        staff.get_by_role("button", name="Take over").click()
        expect(staff.locator("#held")).to_contain_text("You have taken this conversation over")

        joined = response_text("utter_staff_joined").replace("{staff_name}", "sam")
        expect_answer(visitor, joined)

        staff.get_by_label("Your message to the visitor (plain text)").fill(
            "Hello Jo, Sam here. <b>Friday</b> is fine."
        )
        staff.get_by_role("button", name="Send").click()
        staff_bubble = visitor.locator(".msg.staff")
        expect(staff_bubble.locator(".bubble")).to_have_text("Hello Jo, Sam here. <b>Friday</b> is fine.")
        expect(staff_bubble.locator(".sender")).to_have_text("sam, clinic team")

        bubbles_before = bot_bubbles(visitor).count()
        say(visitor, "Great, what time on Friday?")
        # Live in the console without a reload (EventSource), and the assistant says nothing.
        expect(staff.locator("#transcript li.visitor").last).to_contain_text("Great, what time on Friday?")
        visitor.wait_for_timeout(2000)
        expect(bot_bubbles(visitor)).to_have_count(bubbles_before)

        say(visitor, "worst headache of my life, came on suddenly")
        expect_answer(visitor, emergency_text("life_threatening"))
        flagged = staff.locator("#transcript li.emergency")
        expect(flagged).to_contain_text("worst headache of my life")
        expect(flagged).to_contain_text("Emergency")
        staff.screenshot(path=str(artifacts / "takeover-staff.png"), full_page=True)
        visitor.screenshot(path=str(artifacts / "takeover-visitor.png"))

        staff.get_by_role("button", name="Hand back to the assistant").click()
        expect(staff.locator("#held")).to_contain_text("The assistant is answering")
        expect_answer(visitor, response_text("utter_staff_left"))

        before = bot_bubbles(visitor).count()
        say(visitor, "what is tui na?")
        expect(bot_bubbles(visitor)).not_to_have_count(before)
        expect(bot_bubbles(visitor).last).not_to_have_text(response_text("utter_staff_left"))

        order = staff.locator("#transcript li .speaker").all_inner_texts()
        assert "sam (staff)" in order and order.index("sam (staff)") < len(order) - 1
    finally:
        visitor_context.close()
        staff_context.close()

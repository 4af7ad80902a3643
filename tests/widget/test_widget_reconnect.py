"""Stop and restart the real Rasa server mid-conversation: the widget shows it is offline,
reconnects by itself, and a message typed while offline is sent, and answered, exactly once."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.widget.chat import axe_violations, bot_bubbles, open_chat, say, status, stored_state, visitor_bubbles
from tests.widget.conftest import response_text

TUINA = response_text("utter_ask_tuina")
TUINA_CONDITIONS = response_text("utter_ask_tuina_conditions")


def test_offline_then_reconnected_and_the_queued_message_answered_once(page, demo_url, widget_assistant, artifacts):
    page.goto(demo_url)
    open_chat(page)
    say(page, "what is tui na")
    expect(bot_bubbles(page).filter(has_text=TUINA)).to_have_count(1)
    session_id = stored_state(page)["sessionId"]

    widget_assistant.stop_rasa()
    try:
        expect(status(page)).to_contain_text("Offline", timeout=15_000)
        say(page, "can tui na help me")
        expect(page.get_by_text("Not sent yet: it will go when the connection is back.")).to_be_visible()
        page.screenshot(path=str(artifacts / "offline-desktop.png"))
        assert axe_violations(page) == []
        page.wait_for_timeout(1_000)  # a reconnection attempt or two while the server is down
    finally:
        widget_assistant.start_rasa()

    expect(status(page)).to_have_text("", timeout=30_000)  # back online
    expect(bot_bubbles(page).filter(has_text=TUINA_CONDITIONS)).to_have_count(1, timeout=30_000)
    expect(page.get_by_text("Not sent yet")).to_have_count(0)
    page.wait_for_timeout(3_000)  # time for any duplicate to arrive
    expect(bot_bubbles(page).filter(has_text=TUINA_CONDITIONS)).to_have_count(1)
    expect(visitor_bubbles(page)).to_have_text(["what is tui na", "can tui na help me"])

    # Rasa's own record of the conversation: the queued message arrived once, no second greeting.
    tracker = requests.get(f"{widget_assistant.url}/conversations/{session_id}/tracker", timeout=10).json()
    said = [event["text"] for event in tracker["events"] if event["event"] == "user"]
    assert said.count("can tui na help me") == 1, said
    assert said.count("/greet") == 1, said
    assert page.errors == []

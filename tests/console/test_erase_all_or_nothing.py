"""Security: a GDPR erase happens completely or not at all.

With the conversation store unreachable, the erase used to read the failure as "0
events", delete the request (the only record of the conversation's id) and report
success, leaving the whole conversation behind for good.
"""

from __future__ import annotations

import pytest

from handoff.db import make_engine, migrate
from handoff.staff import create_staff_user
from handoff.store import NewHandoff, get_handoff, list_handoffs, save_handoff
from tests.console.support import PASSWORD, Client, start_console

UNREACHABLE_TRACKERS = "postgresql+psycopg://postgres@127.0.0.1:1/test"


@pytest.fixture
def console_without_trackers(tmp_path):
    url = f"sqlite:///{tmp_path / 'handoffs.db'}"
    migrate(url)
    engine = make_engine(url)
    create_staff_user(engine, "eraser", PASSWORD)
    running = start_console(
        tmp_path,
        {"HANDOFF_DATABASE_URL": url, "TRACKER_DATABASE_URL": UNREACHABLE_TRACKERS, "CONSOLE_SECURE_COOKIES": "1"},
    )
    yield running, engine
    running.stop()
    engine.dispose()


def test_with_the_conversation_store_down_nothing_is_erased_and_staff_are_told(console_without_trackers):
    console, engine = console_without_trackers
    reference = save_handoff(
        engine,
        NewHandoff(
            sender_id="visitor-erase-1",
            channel="rest",
            reason="booking",
            urgent=False,
            name="Erin Keep",
            contact_kind="phone",
            contact="07911 123456",
            preferred_times="",
            preferred_times_normalised="",
            topic="back pain",
            summary="Asked to book.",
        ),
    )
    handoff = next(h for h in list_handoffs(engine) if h.reference == reference)
    browser = Client(console.url)
    assert browser.login_form("eraser", PASSWORD).status_code == 303
    csrf = browser.csrf(f"/handoffs/{handoff.id}/erase")
    response = browser.post(f"/handoffs/{handoff.id}/erase", data={"csrf": csrf})
    assert response.status_code == 503
    assert "Nothing was erased" in response.text
    assert get_handoff(engine, handoff.id) is not None

"""What the emergency triage decided reaches staff: inbox badge, request page, API, e-mail."""

from __future__ import annotations

import email
import re
from datetime import datetime, timezone

from tests.console.support import wait_for

TRIAGE = dict(
    urgent=True,
    triage_route="ae_now",
    triage_reason="cauda equina: bladder or bowel",
    triage_words="can't pee; <b>numb</b> bum",
    triage_at=datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc),
)


def test_the_route_reason_words_and_time_are_shown_and_escaped(signed_in, make_handoff):
    made = make_handoff(name="Tia Triage", **TRIAGE)
    inbox = signed_in.get("/").text
    card = inbox[inbox.index(made.reference) : inbox.index("</li>", inbox.index(made.reference))]
    assert "Urgent – A&amp;E now" in card
    page = signed_in.get(f"/handoffs/{made.id}").text
    shown = re.search(r'<dd class="triage">(.*?)</dd>', page, re.S).group(1)
    assert "A&amp;E now: cauda equina: bladder or bowel" in shown
    assert "&lt;b&gt;numb&lt;/b&gt;" in shown and "<b>" not in shown
    assert 'datetime="2026-12-01T09:30:00+00:00"' in shown


def test_a_request_without_an_emergency_shows_no_triage(signed_in, make_handoff):
    made = make_handoff(name="Nel Normal")
    assert 'class="triage"' not in signed_in.get(f"/handoffs/{made.id}").text


def test_the_api_gives_the_triage(api, make_handoff):
    made = make_handoff(name="Api Triage", **TRIAGE)
    triage = api.get(f"/api/handoffs/{made.id}").json()["handoff"]["triage"]
    assert triage == {
        "route": "ae_now",
        "label": "A&E now",
        "reason": "cauda equina: bladder or bowel",
        "words": "can't pee; <b>numb</b> bum",
        "at": "2026-12-01T09:30:00+00:00",
    }


def test_the_email_says_urgent_and_the_route_but_not_the_words(smtp_server, make_handoff):
    inbox = smtp_server()
    made = make_handoff(**TRIAGE)
    message = wait_for(
        lambda: next((m for m in inbox.messages if made.reference in m["content"]), None),
        message="the notification e-mail",
    )
    parsed = email.message_from_string(message["content"])
    body = parsed.get_payload(decode=True).decode()
    assert parsed["Subject"].startswith(f"URGENT - New enquiry {made.reference}") and "told: A&E now." in body
    assert "numb" not in body and "pee" not in body

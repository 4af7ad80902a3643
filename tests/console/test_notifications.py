"""E-mail to the clinic, sent by the console's background task over a real SMTP server on loopback."""

from __future__ import annotations

import re

from tests.console.support import wait_for


def test_a_new_request_is_emailed_by_the_background_task(smtp_server, make_handoff, reload):
    inbox = smtp_server()
    made = make_handoff(urgent=True)
    message = wait_for(
        lambda: next((m for m in inbox.messages if made.reference in m["content"]), None),
        message="the notification e-mail",
    )
    assert message["to"] == ["reception@clinic.example"] and message["from"] == "assistant@clinic.example"
    assert re.search(rf"Subject: URGENT - New enquiry {made.reference}: a booking request", message["content"])
    assert f"http://localhost:5080/handoffs/{made.id}" in message["content"]
    assert (
        "Sam Taylor" not in message["content"] and "back pain" not in message["content"]
    )  # no health details by e-mail
    wait_for(lambda: reload(made).notification_status == "sent", message="status 'sent'")


def test_with_smtp_down_the_request_is_kept_shown_as_failed_and_sent_when_smtp_returns(
    smtp_server, make_handoff, reload, signed_in, api
):
    made = make_handoff(name="Fay Failed")  # nothing listens on the SMTP port yet
    wait_for(lambda: reload(made).notification_status == "failed", message="the first failed attempt")
    failed = reload(made)
    assert "Connection" in failed.notification_error or "refused" in failed.notification_error.lower()
    card = signed_in.get("/").text
    card = card[card.index(made.reference) : card.index("</li>", card.index(made.reference))]
    assert "Notification failed" in card
    assert "Notification failed" in signed_in.get(f"/handoffs/{made.id}").text
    assert api.get(f"/api/handoffs/{made.id}").json()["handoff"]["notification"]["status"] == "failed"
    wait_for(lambda: reload(made).notification_attempts >= 2, message="a retry")

    inbox = smtp_server()
    wait_for(lambda: any(made.reference in m["content"] for m in inbox.messages), message="the retried e-mail")
    wait_for(lambda: reload(made).notification_status == "sent", message="status 'sent'")
    assert reload(made).notification_error is None
    assert "Notification failed" not in signed_in.get(f"/handoffs/{made.id}").text
    assert made.reference in signed_in.get("/").text  # the request itself was never at risk

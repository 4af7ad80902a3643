"""The embedded default when its action server dies mid-booking: an honest answer, nothing lost.

(The scale profile's faults, several servers, PostgreSQL and Redis, are in tests/scale.)
"""

import uuid

from clinic.logs import pseudonym
from tests.integration.test_conversation_server import text_of
from tests.integration.test_handoff_form import ask, rows
from tests.test_approved_content import emergency_text

CONSENT = text_of("utter_ask_handoff_consent")
BOOKING_UNAVAILABLE = text_of("utter_booking_system_unavailable")
CONTACT_ROUTE = ask("utter_contact_route")  # the clinic details in tests are blank
EMERGENCY = emergency_text("life_threatening")


def texts(replies):
    return [reply.get("text") for reply in replies]


def test_action_server_killed_mid_form_visitor_is_told_and_finishes_after_restart(assistant, handoff_db):
    sender = f"outage-{uuid.uuid4().hex}"
    assert texts(assistant.send(sender, "I'd like to book an appointment")) == [CONSENT]
    assert texts(assistant.send(sender, "yes")) == [ask("utter_ask_handoff_name")]
    assert texts(assistant.send(sender, "Jo Bloggs")) == [ask("utter_ask_handoff_contact")]
    assistant.kill_actions()
    try:
        assert texts(assistant.send(sender, "07911 123456")) == [BOOKING_UNAVAILABLE, CONTACT_ROUTE]
        # An emergency is still answered at once, whatever else is down.
        assert texts(assistant.send(f"outage-{uuid.uuid4().hex}", "I have crushing chest pain"))[0] == EMERGENCY
    finally:
        assistant.start_actions()
    assert texts(assistant.send(sender, "07911 123456")) == [ask("utter_ask_handoff_times")]
    assert texts(assistant.send(sender, "weekday mornings")) == [ask("utter_ask_handoff_topic")]
    assert texts(assistant.send(sender, "my lower back"))[0].startswith("Thank you, Jo Bloggs.")
    stored = rows(handoff_db, sender)
    assert [(row["name"], row["contact"]) for row in stored] == [("Jo Bloggs", "07911 123456")]


def test_logs_name_a_conversation_by_a_pseudonym_never_by_its_id(assistant):
    """A messaging conversation's id is the visitor's phone number: a failure logged about
    it must not write that number (nor any other) to the log."""
    sender = "caller-447911123456"
    assistant.send(sender, "I'd like to book an appointment")
    assistant.send(sender, "yes")
    assistant.kill_actions()
    try:
        assert texts(assistant.send(sender, "Sam Jones"))[0] == BOOKING_UNAVAILABLE
    finally:
        assistant.start_actions()
    log = (assistant.workdir / "rasa.log").read_text(errors="replace")
    assert "told the visitor" in log  # the failure was logged...
    assert "447911123456" not in log  # ...without the number
    assert pseudonym(sender) in log  # ...but under a name staff can match across log lines

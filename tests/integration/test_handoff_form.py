"""The booking handoff form over the REST channel, with the real model, action server and database."""

import re
import sqlite3
import uuid

import pytest

from tests.integration.test_conversation_server import text_of
from tests.servers import start_assistant
from tests.test_approved_content import RESPONSES, emergency_text

CONSENT = text_of("utter_ask_handoff_consent")
NOT_STORED = text_of("utter_handoff_not_stored")


def ask(name: str, invalid: bool = False) -> str:
    variations = RESPONSES[name]
    return next(v["text"] for v in variations if bool(v.get("condition")) == invalid)


def visitor() -> str:
    return f"form-{uuid.uuid4().hex}"


def rows(db, sender):
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in connection.execute("SELECT * FROM handoffs WHERE sender_id = ?", (sender,))]
        except sqlite3.OperationalError:
            return []


def texts(replies):
    return [r.get("text") for r in replies]


def test_booking_request_is_stored_before_the_visitor_is_told(assistant, handoff_db):
    sender = visitor()
    assert texts(assistant.send(sender, "I'd like to book an appointment")) == [CONSENT]
    assert texts(assistant.send(sender, "yes")) == [ask("utter_ask_handoff_name")]
    assert texts(assistant.send(sender, "Jo Bloggs")) == [ask("utter_ask_handoff_contact")]
    assert texts(assistant.send(sender, "07911 123456")) == [ask("utter_ask_handoff_times")]
    assert texts(assistant.send(sender, "Tuesday afternoon or Thursday at 3pm")) == [ask("utter_ask_handoff_topic")]
    replies = texts(assistant.send(sender, "my lower back"))
    reference = re.search(r"your reference is ([A-Z0-9]{6})", replies[0]).group(1)
    assert replies[0].startswith("Thank you, Jo Bloggs.")
    stored = rows(handoff_db, sender)
    assert len(stored) == 1
    assert stored[0]["reference"] == reference
    assert stored[0]["name"] == "Jo Bloggs" and stored[0]["contact"] == "07911 123456"
    assert stored[0]["contact_kind"] == "phone" and stored[0]["reason"] == "booking" and stored[0]["channel"] == "rest"
    assert stored[0]["preferred_times"] == "Tuesday afternoon or Thursday at 3pm"
    assert "Tuesday" in stored[0]["preferred_times_normalised"] and "15:00" in stored[0]["preferred_times_normalised"]
    assert stored[0]["topic"] == "my lower back" and stored[0]["status"] == "new"


def test_topic_is_prefilled_from_the_conversation(assistant, handoff_db):
    sender = visitor()
    assert texts(assistant.send(sender, "what is tui na"))[-1] == text_of("utter_offer_booking")
    assert texts(assistant.send(sender, "yes please")) == [CONSENT]
    for message in ["yes", "Sam Patel", "sam.patel@example.com"]:
        assistant.send(sender, message)
    replies = texts(assistant.send(sender, "weekday mornings"))
    assert "your reference is" in replies[0]
    stored = rows(handoff_db, sender)[0]
    assert (
        stored["topic"] == "Tui Na"
        and stored["contact"] == "sam.patel@example.com"
        and stored["contact_kind"] == "email"
    )


@pytest.mark.parametrize("bad", ["12345", "ring me on 0123", "999", "me@", "<script>alert(1)</script>", "0" * 400])
def test_invalid_contact_is_asked_again_and_a_valid_one_accepted(assistant, handoff_db, bad):
    sender = visitor()
    for message in ["can someone call me back", "yes", "Alex"]:
        assistant.send(sender, message)
    assert texts(assistant.send(sender, bad)) == [ask("utter_ask_handoff_contact", invalid=True)]
    assert texts(assistant.send(sender, "alex@example.org")) == [ask("utter_ask_handoff_times")]


def test_declined_consent_stores_nothing_and_gives_the_contact_route(assistant, handoff_db):
    sender = visitor()
    assistant.send(sender, "I want to speak to a human")
    assert texts(assistant.send(sender, "no")) == [NOT_STORED, text_of("utter_contact_route")]
    assert rows(handoff_db, sender) == []


@pytest.mark.parametrize("cancel", ["cancel", "never mind", "stop"])
def test_cancel_mid_form_stores_nothing(assistant, handoff_db, cancel):
    sender = visitor()
    for message in ["book me in please", "yes", "Jo"]:
        assistant.send(sender, message)
    assert texts(assistant.send(sender, cancel)) == [NOT_STORED, text_of("utter_contact_route")]
    assert rows(handoff_db, sender) == []


def test_a_topic_question_mid_form_is_answered_then_the_form_resumes(assistant):
    sender = visitor()
    for message in ["I want to book", "yes"]:
        assistant.send(sender, message)
    # The fact and the note (the conversation's first health answer), no booking offer
    # (the visitor is already booking), then the form's question again.
    assert texts(assistant.send(sender, "what is tui na?")) == [
        text_of("utter_ask_tuina"),
        text_of("utter_health_note"),
        ask("utter_ask_handoff_name"),
    ]
    assert texts(assistant.send(sender, "Jo")) == [ask("utter_ask_handoff_contact")]
    # A second one: the next fact on the topic, without the note.
    assert texts(assistant.send(sender, "can tui na help with sports injuries?")) == [
        text_of("utter_ask_tuina_conditions"),
        ask("utter_ask_handoff_contact"),
    ]
    assert texts(assistant.send(sender, "is my back pain a slipped disc?")) == [
        text_of("utter_ask_diagnosis"),
        ask("utter_ask_handoff_contact"),
    ]
    assert texts(assistant.send(sender, "jo@example.org")) == [ask("utter_ask_handoff_times")]


def test_a_red_flag_mid_form_stops_it_and_reaches_staff_as_urgent(assistant, handoff_db):
    sender = visitor()
    for message in ["I want to book", "yes", "Jo Bloggs"]:
        assistant.send(sender, message)
    assert texts(assistant.send(sender, "my back is agony and I can't feel my legs")) == [emergency_text("ae_now")]
    assert ask("utter_ask_handoff_contact") not in texts(assistant.send(sender, "07911 123456"))
    [stored] = rows(handoff_db, sender)
    assert stored["urgent"] == 1 and stored["name"] == "Jo Bloggs" and stored["triage_route"] == "ae_now"
    assert "feel my legs" in stored["triage_words"] and stored["triage_at"]


def test_contact_can_be_corrected_later_in_the_form(assistant, handoff_db):
    sender = visitor()
    for message in ["I want to book", "yes", "Jo", "07911 123456"]:
        assistant.send(sender, message)
    assert texts(assistant.send(sender, "sorry, use 07912 345678 instead")) == [ask("utter_ask_handoff_times")]
    for message in ["any evening", "headaches"]:
        assistant.send(sender, message)
    assert rows(handoff_db, sender)[0]["contact"] == "07912 345678"


def test_a_blank_clinic_detail_offers_a_handoff_and_starts_it_on_yes(assistant, handoff_db):
    sender = visitor()
    assert texts(assistant.send(sender, "how much is a session?")) == [
        text_of("utter_prices"),
        text_of("utter_offer_pass_on"),
    ]
    assert texts(assistant.send(sender, "yes please")) == [CONSENT]
    for message in ["yes", "Jo", "jo@example.org", "mornings"]:
        replies = assistant.send(sender, message)
    assert "your reference is" in replies[0]["text"]
    assert rows(handoff_db, sender)[0]["reason"] == "no_answer" and rows(handoff_db, sender)[0]["topic"] == "prices"


def test_yes_to_passing_on_a_question_the_article_does_not_answer_is_a_question_for_the_team(assistant, handoff_db):
    sender = visitor()
    for message in ["what is tui na?", "tell me more"]:
        assistant.send(sender, message)
    assert texts(assistant.send(sender, "tell me more")) == [
        text_of("utter_told_everything"),
        text_of("utter_offer_pass_on"),
    ]
    assert texts(assistant.send(sender, "yes please")) == [CONSENT]
    for message in ["yes", "Jo", "jo@example.org", "mornings"]:
        replies = assistant.send(sender, message)
    assert "your reference is" in replies[0]["text"]
    [stored] = rows(handoff_db, sender)
    assert stored["reason"] == "no_answer" and stored["topic"] == "Tui Na"


def test_a_booking_after_a_diagnosis_refusal_is_stored_as_a_booking(assistant, handoff_db):
    sender = visitor()
    assert texts(assistant.send(sender, "is my back pain a slipped disc?")) == [
        text_of("utter_ask_diagnosis"),
        text_of("utter_offer_booking"),
    ]
    assert texts(assistant.send(sender, "yes please")) == [CONSENT]
    for message in ["yes", "Jo", "jo@example.org", "mornings"]:
        replies = assistant.send(sender, message)
    assert "your reference is" in replies[0]["text"]
    [stored] = rows(handoff_db, sender)
    assert stored["reason"] == "booking" and stored["topic"] == "their symptoms"


def test_a_visitor_who_only_wanted_to_know_is_not_asked_for_consent(assistant, handoff_db):
    sender = visitor()
    assistant.send(sender, "what time do you open?")
    replies = texts(assistant.send(sender, "no thanks"))
    assert CONSENT not in replies and replies[-1] == text_of("utter_no_problem")
    assert rows(handoff_db, sender) == []


def test_hostile_answers_are_stored_as_plain_text(assistant, handoff_db):
    sender = visitor()
    name = "Robert'); DROP TABLE handoffs;--"
    for message in ["I want to book", "yes", name, "jo@example.org", "<b>any</b> time", "<img src=x onerror=alert(1)>"]:
        replies = assistant.send(sender, message)
    assert "your reference is" in replies[0]["text"]
    stored = rows(handoff_db, sender)[0]
    assert stored["name"] == name and stored["topic"] == "<img src=x onerror=alert(1)>"


def test_database_down_gives_an_honest_answer_and_no_false_confirmation(tmp_path):
    broken = start_assistant(
        tmp_path, extra_env={"HANDOFF_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/test"}
    )
    try:
        sender = visitor()
        for message in ["I want to book", "yes", "Jo", "jo@example.org", "mornings"]:
            replies = broken.send(sender, message)
        replies = texts(broken.send(sender, "back pain"))
        assert replies[0] == next(
            v["text"]
            for v in RESPONSES["utter_handoff_outcome"]
            if {"type": "slot", "name": "handoff_outcome", "value": "failed"} in (v.get("condition") or [])
        )
        assert not any("reference" in r for r in replies)
        assert replies[1] == text_of("utter_contact_route")
    finally:
        broken.stop()

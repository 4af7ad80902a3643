"""Emergency triage in live conversations: the right reply per route, the question when
the time is unclear, and a booking in progress that is never lost to it."""

import pytest

from tests.integration.test_conversation_server import text_of, visitor
from tests.integration.test_handoff_form import ask, rows, texts
from tests.test_approved_content import RESPONSES, emergency_text

EMERGENCY_TEXTS = {v["text"] for v in RESPONSES["utter_emergency"]}
ASK_NOW = text_of("utter_ask_triage_now")


@pytest.mark.parametrize(
    "message",
    [
        "my brother keeps saying he wants to end his life and I don't know what to do",
        "i cant do this anymore, i want to die",
    ],
)
def test_a_mental_health_crisis_gets_samaritans_and_999(assistant, message):
    reply = texts(assistant.send(visitor(), message))
    assert reply == [emergency_text("mental_health")]
    assert "116 123" in reply[0] and "999" in reply[0]


def test_pregnancy_warning_signs_go_to_the_maternity_unit(assistant):
    reply = texts(
        assistant.send(
            visitor(), "I'm 35 weeks pregnant, my face and hands swelled up today and I've got a bad headache"
        )
    )
    assert reply == [emergency_text("pregnancy")] and "maternity unit or midwife" in reply[0]


@pytest.mark.parametrize(
    "message",
    [
        "she had a stroke 3 years ago, would tui na suit her shoulder?",
        "what is a thunderclap headache?",
        "no numbness in my legs and no bladder problems, just a stiff lower back",
        "what would you do if someone collapsed during a session?",
    ],
)
def test_a_past_or_hypothetical_mention_is_answered_normally(assistant, message):
    replies = texts(assistant.send(visitor(), message))
    assert replies and not EMERGENCY_TEXTS & set(replies) and ASK_NOW not in replies
    assert assistant.parse(message)["intent"]["name"] not in {"red_flag", "triage_check"}


def test_unclear_timing_asks_once_then_routes_or_reassures(assistant):
    now, over = visitor(), visitor()
    for sender in (now, over):
        assert texts(assistant.send(sender, "my legs went numb and weak last week")) == [ASK_NOW]
    assert texts(assistant.send(now, "yes")) == [emergency_text("ae_now")]
    assert texts(assistant.send(over, "no")) == [text_of("utter_triage_not_now")]


def test_unclear_timing_during_the_booking_keeps_the_booking(assistant, handoff_db):
    sender = visitor()
    for message in ["I want to book", "yes", "Jo Bloggs"]:
        assistant.send(sender, message)
    assert texts(assistant.send(sender, "by the way my legs went numb last week")) == [
        text_of("utter_triage_check_in_form"),
        ask("utter_ask_handoff_contact"),
    ]
    for message in ["07911 123456", "weekday mornings", "my lower back"]:
        assistant.send(sender, message)
    [stored] = rows(handoff_db, sender)
    assert stored["name"] == "Jo Bloggs" and stored["contact"] == "07911 123456" and not stored["urgent"]


def test_an_emergency_before_consent_still_reaches_staff_without_personal_details(assistant, handoff_db):
    sender = visitor()
    assistant.send(sender, "I want to book")
    assert texts(assistant.send(sender, "my dad just collapsed and isn't breathing")) == [
        emergency_text("life_threatening")
    ]
    [stored] = rows(handoff_db, sender)
    assert stored["urgent"] == 1 and stored["triage_route"] == "life_threatening"
    assert stored["name"] == "" and stored["contact"] == "" and "agreed" in stored["summary"]

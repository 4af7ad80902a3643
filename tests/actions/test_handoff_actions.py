"""The handoff form's actions on rasa-sdk 3.21, called directly with trackers (no server)."""

import asyncio
import sqlite3

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_form import (
    ActionPrepareHandoff,
    ActionRecordEmergency,
    ActionSubmitHandoff,
    ValidateHandoffForm,
    _engine_for,
)


def user(text, intent, entities=()):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}


def tracker(slots=None, events=(), latest=None):
    latest = latest or {"intent": {"name": "book_appointment"}, "entities": [], "text": "book"}
    return Tracker(
        sender_id="visitor-7",
        slots=dict(slots or {}),
        latest_message=latest,
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={"name": "handoff_form"},
        latest_action_name="action_listen",
    )


def run(coroutine):
    return asyncio.run(coroutine)


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_prepare_takes_the_reason_and_topic_from_the_conversation():
    events = [user("what is tui na", "ask_tuina"), user("yes please", "affirm")]
    result = slots_of(run(ActionPrepareHandoff().run(CollectingDispatcher(), tracker(events=events), {})))
    assert result["handoff_reason"] == "booking" and result["handoff_topic"] == "Tui Na"
    assert result["handoff_name"] is None and result["handoff_consent"] is None


def test_yes_to_passing_a_question_on_is_a_question_for_the_team_not_a_booking():
    """ "How much is it?" with no prices filled in, then yes to "shall I pass your question on?"."""
    events = [
        user("how much is it", "ask_prices"),
        {"event": "action", "name": "utter_prices"},
        {"event": "action", "name": "utter_offer_pass_on"},
        {"event": "action", "name": "action_listen"},
        user("yes please", "affirm"),
    ]
    result = slots_of(run(ActionPrepareHandoff().run(CollectingDispatcher(), tracker(events=events), {})))
    assert result["handoff_reason"] == "no_answer" and result["handoff_topic"] == "prices"
    # the same yes after a health answer's booking offer is a booking
    events[0:4] = [
        user("what is tui na", "ask_tuina"),
        {"event": "action", "name": "action_answer_health"},
        {"event": "slot", "name": "health_offer", "value": "booking"},
        {"event": "action", "name": "utter_offer_booking"},
        {"event": "action", "name": "action_listen"},
    ]
    result = slots_of(run(ActionPrepareHandoff().run(CollectingDispatcher(), tracker(events=events), {})))
    assert result["handoff_reason"] == "booking" and result["handoff_topic"] == "Tui Na"
    # ...and yes when the article has nothing more on a topic and passing it on is offered
    events[1:5] = [
        {"event": "action", "name": "action_answer_health"},
        {"event": "slot", "name": "health_offer", "value": "pass_on"},
        {"event": "action", "name": "utter_offer_pass_on"},
        {"event": "action", "name": "action_listen"},
    ]
    result = slots_of(run(ActionPrepareHandoff().run(CollectingDispatcher(), tracker(events=events), {})))
    assert result["handoff_reason"] == "no_answer" and result["handoff_topic"] == "Tui Na"


def test_yes_to_the_offer_after_how_back_pain_is_treated_is_about_back_pain():
    events = [
        user("what is tui na", "ask_tuina"),
        user("thanks", "thank"),
        user("how is back pain usually treated?", "ask_back_pain_treatment"),
        {"event": "action", "name": "action_answer_health"},
        {"event": "slot", "name": "health_offer", "value": "booking"},
        {"event": "action", "name": "utter_offer_booking"},
        {"event": "action", "name": "action_listen"},
        user("yes please", "affirm"),
    ]
    result = slots_of(run(ActionPrepareHandoff().run(CollectingDispatcher(), tracker(events=events), {})))
    assert result["handoff_reason"] == "booking" and "back pain" in (result["handoff_topic"] or "")


def test_prepare_for_a_person_without_a_topic_leaves_topic_to_ask():
    result = slots_of(
        run(
            ActionPrepareHandoff().run(
                CollectingDispatcher(), tracker(events=[user("human please", "request_human")]), {}
            )
        )
    )
    assert result["handoff_reason"] == "person" and result["handoff_topic"] is None


def test_prepare_takes_the_topic_from_an_earlier_session_when_this_one_has_none():
    # A new session (idle hour or long chat) began after the visitor asked about headaches.
    events = [
        user("back then", "ask_headache"),
        {"event": "session_started"},
        user("hi", "greet"),
        user("book", "book_appointment"),
    ]
    result = slots_of(
        run(
            ActionPrepareHandoff().run(
                CollectingDispatcher(), tracker({"earlier_intents": ["ask_headache", "greet"]}, events), {}
            )
        )
    )
    assert result["handoff_topic"] == "headaches"


def test_prepare_prefers_this_sessions_topic_to_an_earlier_one():
    events = [user("what is tui na", "ask_tuina"), user("book", "book_appointment")]
    result = slots_of(
        run(
            ActionPrepareHandoff().run(
                CollectingDispatcher(), tracker({"earlier_intents": ["ask_headache"]}, events), {}
            )
        )
    )
    assert result["handoff_topic"] == "Tui Na"


def test_the_route_words_and_time_of_an_emergency_reach_the_request(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    slots = {
        "handoff_consent": True,
        "handoff_name": "Jo",
        "handoff_contact": "07911 123456",
        "handoff_contact_kind": "phone",
        "handoff_times": "mornings",
        "handoff_topic": "back pain",
        "handoff_reason": "booking",
    }
    emergency = user("I'm 34 weeks and have flashing lights", "red_flag")
    emergency["timestamp"] = 1_800_000_000
    emergency["parse_data"]["triage"] = {
        "route": "pregnancy",
        "reason": "pregnancy warning sign",
        "matched": ["34 weeks", "flashing"],
        "ask_if_now": False,
    }
    events = [{"event": "session_started"}, emergency, user("book", "book_appointment")]
    run(ActionSubmitHandoff().run(CollectingDispatcher(), tracker(slots, events), {}))
    with sqlite3.connect(tmp_path / "h.db") as db:
        row = db.execute("SELECT urgent, summary, triage_route, triage_words, triage_at FROM handoffs").fetchone()
    assert row[0] == 1 and row[2] == "pregnancy" and row[3] == "34 weeks; flashing" and row[4].startswith("2027-01-15")
    assert "maternity unit" in row[1]


def test_a_question_confirmed_as_happening_now_counts_as_an_emergency(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    slots = {
        "handoff_consent": True,
        "handoff_name": "Jo",
        "handoff_contact": "07911 123456",
        "handoff_contact_kind": "phone",
        "handoff_times": "mornings",
        "handoff_topic": "back pain",
        "handoff_reason": "booking",
    }
    check = user("my legs went numb last week", "triage_check")
    check["parse_data"]["triage"] = {
        "route": "ae_now",
        "reason": "cauda equina",
        "matched": ["legs went numb"],
        "ask_if_now": True,
    }
    unconfirmed = [{"event": "session_started"}, check, user("no", "deny"), user("book", "book_appointment")]
    confirmed = [{"event": "session_started"}, check, user("yes", "affirm"), user("book", "book_appointment")]
    for events in (unconfirmed, confirmed):
        run(ActionSubmitHandoff().run(CollectingDispatcher(), tracker(slots, events), {}))
    with sqlite3.connect(tmp_path / "h.db") as db:
        assert db.execute("SELECT urgent, triage_route FROM handoffs ORDER BY id").fetchall() == [
            (0, None),
            (1, "ae_now"),
        ]


def test_an_emergency_in_an_earlier_session_still_marks_the_request_urgent(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    slots = {
        "handoff_consent": True,
        "handoff_name": "Jo",
        "handoff_contact": "07911 123456",
        "handoff_contact_kind": "phone",
        "handoff_times": "mornings",
        "handoff_topic": "back pain",
        "handoff_reason": "booking",
        "earlier_intents": ["ask_back_pain", "red_flag"],
    }
    events = [{"event": "session_started"}, user("book", "book_appointment")]
    result = slots_of(run(ActionSubmitHandoff().run(CollectingDispatcher(), tracker(slots, events), {})))
    assert result["handoff_outcome"] == "stored"
    with sqlite3.connect(tmp_path / "h.db") as db:
        urgent, summary = db.execute("SELECT urgent, summary FROM handoffs").fetchone()
    assert urgent == 1 and "emergency" in summary


@pytest.mark.parametrize(
    "value,expected", [("07911 123456", ("07911 123456", "phone")), ("JO@Example.org", ("JO@example.org", "email"))]
)
def test_contact_validation_accepts_and_normalises(value, expected):
    result = ValidateHandoffForm().validate_handoff_contact(
        value, CollectingDispatcher(), tracker({"requested_slot": "handoff_contact"}), {}
    )
    assert (result["handoff_contact"], result["handoff_contact_kind"]) == expected and result["handoff_invalid"] is None


@pytest.mark.parametrize("value", ["", "123", "nope", "x" * 5000, None, 12345])
def test_contact_validation_refuses_and_marks_the_retry(value):
    result = ValidateHandoffForm().validate_handoff_contact(
        value, CollectingDispatcher(), tracker({"requested_slot": "handoff_contact"}), {}
    )
    assert result == {"handoff_contact": None, "handoff_contact_kind": None, "handoff_invalid": "contact"}


def test_name_validation_prefers_the_spacy_person():
    latest = {
        "intent": {"name": "greet"},
        "entities": [{"entity": "PERSON", "value": "Jo Bloggs"}],
        "text": "hi I'm Jo Bloggs",
    }
    result = ValidateHandoffForm().validate_handoff_name(
        "hi I'm Jo Bloggs", CollectingDispatcher(), tracker(latest=latest), {}
    )
    assert result == {"handoff_name": "Jo Bloggs", "handoff_invalid": None}


def test_submit_without_consent_stores_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    result = slots_of(run(ActionSubmitHandoff().run(CollectingDispatcher(), tracker({"handoff_consent": None}), {})))
    assert result == {"handoff_outcome": "failed"}
    assert not (tmp_path / "h.db").exists()


def test_submit_stores_then_reports_the_reference(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    slots = {
        "handoff_consent": True,
        "handoff_name": "Jo",
        "handoff_contact": "07911 123456",
        "handoff_contact_kind": "phone",
        "handoff_times": "mornings",
        "handoff_times_normalised": "morning",
        "handoff_topic": "back pain",
        "handoff_reason": "booking",
    }
    events = [user("my legs are numb", "red_flag"), user("book", "book_appointment")]
    result = slots_of(run(ActionSubmitHandoff().run(CollectingDispatcher(), tracker(slots, events), {})))
    assert result["handoff_outcome"] == "stored"
    with sqlite3.connect(tmp_path / "h.db") as db:
        reference, urgent, summary = db.execute("SELECT reference, urgent, summary FROM handoffs").fetchone()
    assert reference == result["handoff_reference"] and urgent == 1 and "emergency" in summary


def test_submit_with_the_database_down_reports_failure(monkeypatch):
    monkeypatch.setenv("HANDOFF_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/test")
    _engine_for.cache_clear()
    slots = {
        "handoff_consent": True,
        "handoff_name": "Jo",
        "handoff_contact": "jo@example.org",
        "handoff_contact_kind": "email",
        "handoff_times": "any",
        "handoff_topic": "x",
        "handoff_reason": "booking",
    }
    result = slots_of(run(ActionSubmitHandoff().run(CollectingDispatcher(), tracker(slots), {})))
    assert result == {"handoff_outcome": "failed"}


@pytest.mark.parametrize("action", [ActionSubmitHandoff, ActionRecordEmergency])
def test_storing_a_request_does_not_stall_other_visitors(tmp_path, monkeypatch, action):
    """The database write runs off the action server's event loop: while one request is
    being stored (here a slow database, 0.4 s), other visitors' actions keep running."""
    import time

    import actions.handoff_form as handoff_form

    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    real_save = handoff_form.save_handoff

    def slow_save(engine, request):
        time.sleep(0.4)
        return real_save(engine, request)

    monkeypatch.setattr(handoff_form, "save_handoff", slow_save)
    slots = {"handoff_consent": True, "handoff_name": "Jo", "handoff_contact": "07911 123456"}
    slots.update(handoff_contact_kind="phone", handoff_times="any", handoff_topic="back", handoff_reason="booking")

    async def both():
        ticks = []
        started = time.monotonic()

        async def other_visitors():
            while time.monotonic() - started < 0.4:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        await asyncio.gather(action().run(CollectingDispatcher(), tracker(slots), {}), other_visitors())
        return ticks

    ticks = run(both())
    assert len(ticks) >= 20, f"the event loop ran {len(ticks)} times in 0.4 s"
    with sqlite3.connect(tmp_path / "h.db") as db:
        assert db.execute("SELECT count(*) FROM handoffs").fetchone() == (1,)

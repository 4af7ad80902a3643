"""Long conversations start new sessions (components/long_conversations.py) without the visitor noticing.

The server here starts a new session before every message it can (SESSION_MAX_EVENTS=1),
so every boundary case is crossed: a reply to the bot's last question, a booking's topic
asked about sessions ago, an emergency sessions ago, a form in progress.
"""

import sqlite3
import uuid

import pytest
from sqlalchemy import create_engine

from handoff.transcripts import transcript
from tests.integration.test_conversation_server import text_of
from tests.integration.test_handoff_form import CONSENT, ask, rows, texts
from tests.servers import start_assistant
from tests.test_approved_content import emergency_text


@pytest.fixture(scope="module")
def short_sessions(tmp_path_factory, details_file):
    handoffs = tmp_path_factory.mktemp("long-handoffs") / "handoffs.db"
    running = start_assistant(
        tmp_path_factory.mktemp("long-conversations"),
        details_file=details_file,
        extra_env={"HANDOFF_DATABASE_URL": f"sqlite:///{handoffs}", "SESSION_MAX_EVENTS": "1"},
    )
    running.handoffs = handoffs
    yield running
    running.stop()


def visitor() -> str:
    return f"long-{uuid.uuid4().hex}"


def sessions_started(assistant, sender) -> int:
    with sqlite3.connect(assistant.workdir / "trackers.db") as db:
        return db.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'session_started'", (sender,)
        ).fetchone()[0]


def test_a_yes_to_the_booking_offer_still_books_after_a_new_session(short_sessions):
    sender = visitor()
    assert texts(short_sessions.send(sender, "what is tui na?")) == [
        text_of("utter_ask_tuina"),
        text_of("utter_health_note"),
        text_of("utter_offer_booking"),
    ]
    assert texts(short_sessions.send(sender, "yes please")) == [CONSENT]
    assert sessions_started(short_sessions, sender) == 2
    assert texts(short_sessions.send(sender, "yes")) == [ask("utter_ask_handoff_name")]
    assert texts(short_sessions.send(sender, "Sam Patel")) == [ask("utter_ask_handoff_contact")]
    assert texts(short_sessions.send(sender, "sam.patel@example.com")) == [ask("utter_ask_handoff_times")]
    assert "your reference is" in texts(short_sessions.send(sender, "weekday mornings"))[0]
    # The form ran to the end in one session; the topic came from the session before it.
    assert sessions_started(short_sessions, sender) == 2
    stored = rows(short_sessions.handoffs, sender)
    assert len(stored) == 1 and stored[0]["topic"] == "Tui Na" and stored[0]["name"] == "Sam Patel"


def test_a_no_to_the_booking_offer_holds_after_a_new_session(short_sessions):
    sender = visitor()
    assert texts(short_sessions.send(sender, "what is tui na?"))[-1] == text_of("utter_offer_booking")
    assert texts(short_sessions.send(sender, "no thanks")) == [text_of("utter_no_problem")]
    assert texts(short_sessions.send(sender, "thanks")) == [text_of("utter_thank")]
    # Sessions later, a treatment answer: the visitor said no, so no offer again.
    assert texts(short_sessions.send(sender, "what can I do myself to help my back?")) == [
        text_of("utter_ask_lifestyle")
    ]
    assert sessions_started(short_sessions, sender) == 4


def test_an_emergency_sessions_ago_still_marks_the_booking_urgent(short_sessions):
    sender = visitor()
    assert texts(short_sessions.send(sender, "my back is agony and I can't feel my legs")) == [emergency_text("ae_now")]
    short_sessions.send(sender, "what is tui na?")
    assert texts(short_sessions.send(sender, "I'd like to book an appointment")) == [CONSENT]
    for message in ["yes", "Jo Bloggs", "07911 123456"]:
        short_sessions.send(sender, message)
    assert "your reference is" in texts(short_sessions.send(sender, "any time"))[0]
    assert sessions_started(short_sessions, sender) == 3
    stored = rows(short_sessions.handoffs, sender)
    assert stored[0]["urgent"] == 1 and "emergency" in stored[0]["summary"]


def test_every_answer_and_the_whole_transcript_survive_many_sessions(short_sessions):
    """What was said carries over: the note once, the next fact on a second question, no
    booking offer twice in a row."""
    sender = visitor()
    questions = [
        ("hello", ["utter_greet"]),
        ("are headaches and back pain linked", ["utter_ask_headache_back_pain_link", "utter_health_note"]),
        ("no thanks", ["utter_no_problem"]),
        ("does smoking make my back worse", ["utter_ask_smoking"]),
        ("what is tui na?", ["utter_ask_tuina", "utter_offer_booking"]),
        ("hello", ["utter_greet"]),
        ("are headaches and back pain linked", ["utter_fact_research_size"]),
        ("no thanks", ["utter_no_problem"]),
        ("does smoking make my back worse", ["utter_ask_lifestyle", "utter_offer_booking"]),
        ("what is tui na?", ["utter_ask_tuina_conditions"]),
    ]
    said = []
    for message, expected in questions:
        replies = texts(short_sessions.send(sender, message))
        assert replies == [text_of(name) for name in expected], message
        said += [message] + replies
    assert sessions_started(short_sessions, sender) == len(questions)
    engine = create_engine(f"sqlite:///{short_sessions.workdir / 'trackers.db'}")
    assert [line.text for line in transcript(engine, sender) if line.text] == said

"""stores/tracker_store.py on real SQLite and the machine's PostgreSQL: Rasa's behaviour, plus its indexes."""

import asyncio
import os
import sqlite3
import uuid

import psycopg2
import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import INSIGHTS_INDEXES, SESSION_INDEXES, URLSQLTrackerStore
from tests.servers import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain"))
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def two_sessions(sender: str) -> DialogueStateTracker:
    listen = ActionExecuted("action_listen")
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start", timestamp=1),
            SessionStarted(timestamp=1),
            listen,
            UserUttered("what is tui na", {"name": "ask_tuina", "confidence": 1.0}, timestamp=2),
            ActionExecuted("action_answer_health", timestamp=3),
            SlotSet("health_offer", "booking", timestamp=3),
            ActionExecuted("utter_offer_booking", timestamp=3),
            ActionExecuted("action_listen", timestamp=3),
            ActionExecuted("action_session_start", timestamp=10),
            SessionStarted(timestamp=10),
            SlotSet("earlier_intents", ["ask_tuina"], timestamp=10),
            ActionExecuted("action_listen", timestamp=10),
            UserUttered("hello", {"name": "greet", "confidence": 1.0}, timestamp=11),
        ],
        slots=DOMAIN.slots,
    )


def check_sessions(store: URLSQLTrackerStore) -> None:
    sender = f"store-{uuid.uuid4().hex}"
    asyncio.run(store.save(two_sessions(sender)))
    current = asyncio.run(store.retrieve(sender))
    assert [e.text for e in current.events if isinstance(e, UserUttered)] == ["hello"]
    assert current.get_slot("earlier_intents") == ["ask_tuina"]
    everything = asyncio.run(store.retrieve_full_tracker(sender))
    assert [e.text for e in everything.events if isinstance(e, UserUttered)] == ["what is tui na", "hello"]


def test_sqlite_store_reads_the_current_session_through_its_indexes(tmp_path):
    path = tmp_path / "trackers.db"
    store = URLSQLTrackerStore(DOMAIN, url=f"sqlite:///{path}")
    URLSQLTrackerStore(DOMAIN, url=f"sqlite:///{path}")  # a restart finds the indexes there
    check_sessions(store)
    with sqlite3.connect(path) as db:
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        plan = " ".join(
            str(row)
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT max(timestamp) FROM events WHERE sender_id = 'x' AND type_name = 'session_started'"
            )
        )
    assert set(SESSION_INDEXES) | set(INSIGHTS_INDEXES) <= indexes
    assert "ix_events_sender_type_time" in plan


@pytest.fixture
def postgres_schema():
    """A schema of its own in the machine's PostgreSQL, selected the way Rasa selects one."""
    schema = f"store_test_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(POSTGRES)
    connection.autocommit = True
    connection.cursor().execute(f"CREATE SCHEMA {schema}")
    os.environ["POSTGRESQL_SCHEMA"] = schema
    yield connection, schema
    del os.environ["POSTGRESQL_SCHEMA"]
    connection.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
    connection.close()


def test_postgresql_store_created_by_two_servers_has_the_indexes_once(postgres_schema):
    connection, schema = postgres_schema
    first, second = URLSQLTrackerStore(DOMAIN, url=POSTGRES), URLSQLTrackerStore(DOMAIN, url=POSTGRES)
    check_sessions(first)
    cursor = connection.cursor()
    cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = 'events'", (schema,))
    assert set(SESSION_INDEXES) | set(INSIGHTS_INDEXES) <= {row[0] for row in cursor.fetchall()}
    first.engine.dispose()
    second.engine.dispose()

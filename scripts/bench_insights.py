"""make bench (ONLY=insights): the staff console's insights on 100,000 generated conversations
in PostgreSQL. A benchmark, not a test: it prints timings and writes reports/bench_insights.md.

Two steps, one per environment, run by scripts/bench.py:

- `events URL` (Rasa's environment): Rasa's own `events` table (its SQLTrackerStore model)
  filled with generated conversations by COPY, then the tracker store's indexes
  (stores/tracker_store.py), as a running assistant would have them;
- `time URL` (the console's environment): the handoff database migrated into the same
  schema, requests and "contacted" changes for a tenth of the conversations, then
  handoff/insights.py timed on the whole range and on the default 30 days.

The conversations are random but repeatable (a fixed seed): visitors ask 1-8 things,
some hit the fallback or say something out of scope, a few are emergencies, many say
goodbye and some answer "Was this helpful?". No text is a real visitor's.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone

CONVERSATIONS = 100_000
DAYS = 90  # the conversations' span, ending today
SEED = 17
TOPICS = [
    ("ask_tuina", 12),
    ("ask_prices", 10),
    ("ask_opening_hours", 8),
    ("ask_location", 6),
    ("ask_back_pain", 9),
    ("ask_headache", 8),
    ("ask_headache_back_pain_link", 7),
    ("book_appointment", 6),
    ("greet", 10),
    ("thank", 6),
    ("ask_acupuncture", 4),
    ("request_human", 2),
    ("out_of_scope", 4),
    ("nlu_fallback", 5),
    ("red_flag", 1),
]
ROUTES = ["life_threatening", "ae_now", "urgent", "mental_health", "pregnancy"]
CHANNELS = ["rest", "socketio", "whatsapp", "telegram", "messenger"]
REASONS = ["booking", "person", "no_answer"]


def _today() -> date:
    return datetime.now(timezone.utc).date()


def conversations(seed: int = SEED):
    """(sender, start timestamp, [(type_name, intent, action, data)]) per generated conversation."""
    rng = random.Random(seed)
    names, weights = zip(*TOPICS)
    first = datetime.combine(_today() - timedelta(days=DAYS - 1), datetime.min.time(), tzinfo=timezone.utc)
    span = DAYS * 86400 - 3600
    for number in range(CONVERSATIONS):
        sender = f"bench-{number:06d}"
        start = first.timestamp() + rng.random() * span
        rows = [
            ("action", None, "action_session_start", {"event": "action", "name": "action_session_start"}),
            ("session_started", None, None, {"event": "session_started"}),
            ("action", None, "action_listen", {"event": "action", "name": "action_listen"}),
        ]
        for _ in range(rng.randint(1, 8)):
            intent = rng.choices(names, weights)[0]
            parse = {"intent": {"name": intent, "confidence": round(rng.random(), 3)}, "entities": []}
            rows.append(("user", intent, None, {"event": "user", "text": "a generated message", "parse_data": parse}))
            if intent == "red_flag":
                route = rng.choice(ROUTES)
                rows.append(("slot", None, "triage_route", {"event": "slot", "name": "triage_route", "value": route}))
                rows.append(("action", None, "utter_emergency", {"event": "action", "name": "utter_emergency"}))
            else:
                rows.append(("action", None, f"utter_{intent}", {"event": "action", "name": f"utter_{intent}"}))
            rows.append(("bot", None, None, {"event": "bot", "text": "a generated reply", "data": {}}))
            rows.append(("action", None, "action_listen", {"event": "action", "name": "action_listen"}))
        if rng.random() < 0.4:
            rows.append(("user", "goodbye", None, {"event": "user", "text": "bye", "parse_data": {}}))
            rows.append(("action", None, "utter_goodbye", {"event": "action", "name": "utter_goodbye"}))
            rows.append(("action", None, "utter_ask_feedback", {"event": "action", "name": "utter_ask_feedback"}))
            if rng.random() < 0.3:
                answer = "feedback_helpful" if rng.random() < 0.7 else "feedback_not_helpful"
                rows.append(("user", answer, None, {"event": "user", "text": f"/{answer}", "parse_data": {}}))
        yield sender, start, rows


def load_events(url: str) -> int:
    """Rasa's events table, filled by COPY, then indexed as the tracker store does; returns rows."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    from stores.tracker_store import INSIGHTS_INDEXES, SESSION_INDEXES, rasa_engine_url

    engine = sa.create_engine(rasa_engine_url(url))
    SQLTrackerStore.Base.metadata.create_all(engine)
    written = 0
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        buffer = io.StringIO()
        for sender, start, rows in conversations():
            for offset, (type_name, intent, action, data) in enumerate(rows):
                stamp = start + offset * 2
                data = json.dumps({**data, "timestamp": stamp}).replace("\\", "\\\\")
                buffer.write(
                    f"{sender}\t{type_name}\t{stamp}\t{intent or chr(92) + 'N'}\t{action or chr(92) + 'N'}\t{data}\n"
                )
                written += 1
            if buffer.tell() > 8_000_000:
                buffer.seek(0)
                cursor.copy_expert(
                    "COPY events (sender_id, type_name, timestamp, intent_name, action_name, data) FROM STDIN", buffer
                )
                buffer = io.StringIO()
        buffer.seek(0)
        cursor.copy_expert(
            "COPY events (sender_id, type_name, timestamp, intent_name, action_name, data) FROM STDIN", buffer
        )
        connection.commit()
    finally:
        connection.close()
    with engine.begin() as connection:
        for name, columns in {**SESSION_INDEXES, **INSIGHTS_INDEXES}.items():
            connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON events ({columns})"))
    engine.dispose()
    return written


def load_handoffs_and_time(url: str) -> dict:
    """Requests for a tenth of the conversations, then the dashboard's numbers timed."""
    from sqlalchemy import insert

    from handoff.db import make_engine, migrate
    from handoff.insights import DateRange, insights
    from handoff.models import Handoff, StatusChange

    migrate(url)
    engine = make_engine(url)
    rng = random.Random(SEED + 1)
    now = datetime.now(timezone.utc)
    first = now - timedelta(days=DAYS - 1)
    handoffs, changes = [], []
    for number in range(0, CONVERSATIONS, 10):
        created = first + timedelta(seconds=rng.random() * (DAYS - 1) * 86400)
        handoffs.append(
            dict(
                id=number // 10 + 1,
                reference=f"B{number // 10:07d}",
                sender_id=f"bench-{number:06d}",
                channel=rng.choice(CHANNELS),
                reason=rng.choice(REASONS),
                status="contacted",
                urgent=False,
                name="",
                contact_kind="phone",
                contact="",
                preferred_times="",
                preferred_times_normalised="",
                topic="",
                summary="",
                consent_at=created,
                created_at=created,
                updated_at=created,
                notification_status="sent",
                notification_attempts=1,
            )
        )
        if rng.random() < 0.7:
            changes.append(
                dict(
                    handoff_id=number // 10 + 1,
                    author="bench",
                    from_status="new",
                    to_status="contacted",
                    created_at=created + timedelta(minutes=rng.expovariate(1 / 240)),
                )
            )
    with engine.begin() as connection:
        connection.execute(insert(Handoff), handoffs)
        connection.execute(insert(StatusChange), changes)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does on a live database
    today = now.date()
    timings = {}
    for label, span in (
        (f"all {DAYS} days ({CONVERSATIONS:,} conversations)", DateRange(today - timedelta(days=DAYS - 1), today)),
        ("the default 30 days", DateRange(today - timedelta(days=29), today)),
    ):
        seconds, numbers = [], None
        for _ in range(6):
            started = time.perf_counter()
            numbers = insights(engine, engine, span)
            seconds.append(time.perf_counter() - started)
        timings[label] = {
            "first": seconds[0],
            "median": statistics.median(seconds[1:]),
            "conversations": numbers["totals"]["conversations"],
            "handoffs": numbers["totals"]["handoffs"],
        }
    engine.dispose()
    return timings


def main() -> None:
    step, url = sys.argv[1], sys.argv[2]
    if step == "events":
        print(json.dumps({"rows": load_events(url)}))
    elif step == "time":
        print(json.dumps(load_handoffs_and_time(url)))
    else:
        raise SystemExit("usage: python -m scripts.bench_insights events|time URL")


if __name__ == "__main__":
    main()

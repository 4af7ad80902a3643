"""How the assistant is doing over a date range: aggregates only, never a visitor's words.

Read from two databases, each with SQL aggregations (GROUP BY, COUNT DISTINCT), on
SQLite and PostgreSQL alike:

- Rasa's tracker store `events` table (one row per event; `intent_name` on visitor
  messages, `action_name` on actions and, for slot events, the slot's name): conversations,
  visitor messages, topics, fallbacks, emergencies and "Was this helpful?" answers;
- the handoff database (handoff/models.py): requests by reason and channel, bookings, and
  the time from a request to its first "contacted".

A day is a UTC calendar day; `first` and `last` are both included. A conversation is one
Rasa conversation id with at least one visitor message in the range. What each number
means: docs/insights.md. The indexes these queries use: handoff/migrations (0008) for the
handoff database; for `events`, which Rasa creates, stores/tracker_store.py (INSIGHTS_INDEXES).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    func,
    inspect,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from handoff.models import REASONS, Handoff, StatusChange, as_utc
from handoff.transcripts import CONVERSATION_DAYS, ConversationStoreError, _no_events_table

# Rasa's table, as its SQLTrackerStore defines it (read only here; Rasa creates it).
events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

FALLBACK_INTENT = "nlu_fallback"  # the FallbackClassifier's verdict (config.yml)
FALLBACK_ACTION = "action_default_fallback"  # the RulePolicy's core fallback
OUT_OF_SCOPE_INTENT = "out_of_scope"
EMERGENCY_ACTION = "utter_emergency"  # the emergency reply, one variation per route (domain/safety.yml)
ROUTE_SLOT = "triage_route"
FEEDBACK_QUESTION = "utter_ask_feedback"  # "Was this helpful?" (domain/feedback.yml)
HELPFUL, NOT_HELPFUL = "feedback_helpful", "feedback_not_helpful"
# Intents the triage or the buttons give: not topics a visitor asked about.
NOT_TOPICS = {HELPFUL, NOT_HELPFUL}
LONGEST_RANGE_DAYS = 366  # a year (and a leap day): the dashboard's widest view
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
DAY_SECONDS = 86400


class InsightsRangeError(ValueError):
    """A date range the dashboard cannot show; the message says why, for a 400 answer."""


@dataclass(frozen=True)
class DateRange:
    first: date
    last: date  # included

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=timezone.utc)

    @property
    def end(self) -> datetime:  # excluded
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=timezone.utc)

    def days(self) -> List[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def parse_range(first: Optional[str], last: Optional[str], today: date, default_days: int = 30) -> DateRange:
    """`from` and `to` as YYYY-MM-DD (either may be left out: the last `default_days` days
    up to today); refused with a sentence saying why when malformed, reversed or too long."""

    def one(raw: Optional[str], name: str) -> Optional[date]:
        if raw is None or raw.strip() == "":
            return None
        raw = raw.strip()
        if not ISO_DATE.fullmatch(raw):
            raise InsightsRangeError(f"{name} must be a date written YYYY-MM-DD")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise InsightsRangeError(f"{name} is not a real date (YYYY-MM-DD)") from None
        if not EARLIEST <= day <= LATEST:
            raise InsightsRangeError(f"{name} must be between {EARLIEST} and {LATEST}")
        return day

    last_day = one(last, "to") or today
    first_day = one(first, "from") or last_day - timedelta(days=default_days - 1)
    if first_day > last_day:
        raise InsightsRangeError("from must be on or before to")
    if (last_day - first_day).days + 1 > LONGEST_RANGE_DAYS:
        raise InsightsRangeError(f"the range may be at most {LONGEST_RANGE_DAYS} days long")
    return DateRange(first_day, last_day)


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def percentile(values: Sequence[float], pct: float) -> Optional[float]:
    """Linear interpolation between closest ranks (as PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# Tracker store -------------------------------------------------------------------------


def _event_day(connection: Connection):
    """The UTC day number (days since 1970-01-01) of an event's timestamp."""
    # Plain float division: SQLAlchemy's `/` makes PostgreSQL divide in (slow) NUMERIC.
    days = events.c.timestamp.op("/")(literal_column(f"{DAY_SECONDS}.0"))
    if connection.dialect.name == "postgresql":
        return cast(func.floor(days), Integer)
    return cast(days, Integer)  # SQLite truncates; timestamps are positive


def _in_range(span: DateRange):
    return events.c.timestamp >= span.start.timestamp(), events.c.timestamp < span.end.timestamp()


# Roll-ups of closed days, kept in the tracker store's database beside `events`: which
# conversations spoke on a day, and how many messages of each intent. A day is folded
# once, at the first view after it ended (FOLD_AFTER_SECONDS later, so a turn being
# saved at midnight is in); the open day is always read from `events`. Erasing a
# conversation deletes its rows here too (handoff/transcripts.py).
rollups = MetaData()
folded_days = Table("insights_folded_days", rollups, Column("day", Integer, primary_key=True, autoincrement=False))
conversation_days = Table(
    CONVERSATION_DAYS,
    rollups,
    Column("day", Integer, primary_key=True, autoincrement=False),
    Column("sender_id", String(255), primary_key=True),
)
intent_days = Table(
    "insights_intent_days",
    rollups,
    Column("day", Integer, primary_key=True, autoincrement=False),
    Column("intent_name", String(255), primary_key=True),
    Column("messages", Integer, nullable=False),
)
FOLD_AFTER_SECONDS = 600


def _day_number(moment: datetime) -> int:
    return math.floor(moment.timestamp() / DAY_SECONDS)


def _between(first_day: int, end_day: int):
    """Events from the start of day `first_day` to the start of day `end_day` (excluded)."""
    return events.c.timestamp >= first_day * DAY_SECONDS, events.c.timestamp < end_day * DAY_SECONDS


def _fold_closed_days(engine: Engine, span: DateRange, now: datetime) -> int:
    """Fold the range's closed days not folded yet; returns the first day that is not closed."""
    open_from = math.floor((now.timestamp() - FOLD_AFTER_SECONDS) / DAY_SECONDS)
    first, end = _day_number(span.start), min(_day_number(span.end), open_from)
    if first >= end:
        return open_from
    rollups.create_all(engine)
    with engine.connect() as connection:
        done = {
            row[0]
            for row in connection.execute(
                select(folded_days.c.day).where(folded_days.c.day >= first, folded_days.c.day < end)
            )
        }
    for number in sorted(set(range(first, end)) - done):
        try:
            with engine.begin() as connection:
                day = _event_day(connection)
                user = (events.c.type_name == "user", *_between(number, number + 1))
                connection.execute(
                    conversation_days.insert().from_select(
                        ["day", "sender_id"],
                        select(day, events.c.sender_id).where(*user).group_by(day, events.c.sender_id),
                    )
                )
                connection.execute(
                    intent_days.insert().from_select(
                        ["day", "intent_name", "messages"],
                        select(day, func.coalesce(events.c.intent_name, "(none)"), func.count())
                        .where(*user)
                        .group_by(day, events.c.intent_name),
                    )
                )
                connection.execute(folded_days.insert().values(day=number))
        except IntegrityError:
            continue  # another console process folded this day at the same moment
    return open_from


def _conversation_numbers(connection: Connection, span: DateRange, open_from: int) -> Dict[str, Any]:
    """Conversations per day and in all, messages per day and by intent: closed days from
    the roll-ups, the open day from `events`."""
    first, end = _day_number(span.start), _day_number(span.end)
    closed_end = max(first, min(end, open_from))
    live = (events.c.type_name == "user", *_between(max(first, open_from), end))
    day = _event_day(connection).label("day")
    spoke_live = select(day, events.c.sender_id).where(*live).group_by(day, events.c.sender_id)
    spoke_closed = select(conversation_days.c.day, conversation_days.c.sender_id).where(
        conversation_days.c.day >= first, conversation_days.c.day < closed_end
    )
    has_rollups = closed_end > first and inspect(connection).has_table(conversation_days.name)
    spoke = (union_all(spoke_closed, spoke_live) if has_rollups else spoke_live).cte("spoke")
    # One statement, so the (day, conversation) pairs are found once: per day, and in all (day -1).
    counted = connection.execute(
        union_all(
            select(spoke.c.day, func.count()).group_by(spoke.c.day),
            # DISTINCT in a subquery is hashed; COUNT(DISTINCT ...) would sort.
            select(literal(-1), func.count()).select_from(select(spoke.c.sender_id).distinct().subquery()),
        )
    ).all()
    per_day = [(number, count) for number, count in counted if int(number) >= 0]
    conversations = sum(int(count) for number, count in counted if int(number) < 0)
    said = list(
        connection.execute(
            select(day, events.c.intent_name, func.count()).where(*live).group_by(day, events.c.intent_name)
        )
    )
    if has_rollups:
        said += list(
            connection.execute(
                select(intent_days.c.day, intent_days.c.intent_name, intent_days.c.messages).where(
                    intent_days.c.day >= first, intent_days.c.day < closed_end
                )
            )
        )
    messages: Dict[int, int] = {}
    intents: Dict[str, int] = {}
    for number, intent, count in said:
        messages[int(number)] = messages.get(int(number), 0) + int(count)
        intents[intent or "(none)"] = intents.get(intent or "(none)", 0) + int(count)
    fallback_senders = {
        row[0]
        for row in connection.execute(
            select(events.c.sender_id)
            .where(events.c.type_name == "user", events.c.intent_name == FALLBACK_INTENT, *_in_range(span))
            .union_all(  # the set below drops the repeats
                select(events.c.sender_id).where(
                    events.c.type_name == "action", events.c.action_name == FALLBACK_ACTION, *_in_range(span)
                )
            )
        )
    }
    talked = {int(number): int(count) for number, count in per_day}
    return {
        "per_day": {n: (talked.get(n, 0), messages.get(n, 0)) for n in set(talked) | set(messages)},
        "conversations": int(conversations or 0),
        "intents": intents,
        "fallback_senders": fallback_senders,
    }


def _emergencies(connection: Connection, span: DateRange) -> Dict[str, int]:
    """Emergency replies by route: each utter_emergency, with the route the triage set
    last before it in the same conversation (the slot that picks the reply's variation)."""
    # Two index range scans (an OR of the two would read the whole range), merged in order.
    rows = sorted(
        [
            *connection.execute(
                select(events.c.sender_id, events.c.id, events.c.type_name, events.c.data).where(
                    events.c.type_name == "action", events.c.action_name == EMERGENCY_ACTION, *_in_range(span)
                )
            ),
            *connection.execute(
                select(events.c.sender_id, events.c.id, events.c.type_name, events.c.data).where(
                    events.c.type_name == "slot", events.c.action_name == ROUTE_SLOT, *_in_range(span)
                )
            ),
        ],
        key=lambda row: (row[0], row[1]),
    )
    by_route: Dict[str, int] = {}
    route_of: Dict[str, Optional[str]] = {}
    for sender, _id, type_name, data in rows:
        if type_name == "slot":
            try:
                route_of[sender] = json.loads(data or "{}").get("value")
            except ValueError:
                route_of[sender] = None
            continue
        route = route_of.get(sender) or "unknown"
        by_route[route] = by_route.get(route, 0) + 1
    return by_route


def _satisfaction(connection: Connection, span: DateRange) -> Dict[str, Any]:
    asked = connection.execute(
        select(func.count()).select_from(
            select(events.c.sender_id)
            .where(events.c.type_name == "action", events.c.action_name == FEEDBACK_QUESTION, *_in_range(span))
            .distinct()
            .subquery()
        )
    ).scalar()
    # A visitor may press both buttons: the last answer in the range is the conversation's.
    order = func.row_number().over(partition_by=events.c.sender_id, order_by=events.c.timestamp.desc())
    answered = (
        select(events.c.intent_name, order.label("newest"))
        .where(events.c.type_name == "user", events.c.intent_name.in_((HELPFUL, NOT_HELPFUL)), *_in_range(span))
        .subquery()
    )
    answers = dict(
        connection.execute(
            select(answered.c.intent_name, func.count()).where(answered.c.newest == 1).group_by(answered.c.intent_name)
        ).all()
    )
    helpful, not_helpful = int(answers.get(HELPFUL, 0)), int(answers.get(NOT_HELPFUL, 0))
    return {
        "asked": int(asked or 0),
        "helpful": helpful,
        "not_helpful": not_helpful,
        "helpful_rate": _rate(helpful, helpful + not_helpful),
    }


def _tracker_numbers(engine: Engine, span: DateRange) -> Dict[str, Any]:
    try:
        open_from = _fold_closed_days(engine, span, datetime.now(timezone.utc))
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # Room for the hash aggregations of a busy quarter (100,000 conversations) in
                # memory instead of sorting on disk; for this transaction only.
                connection.exec_driver_sql("SET LOCAL work_mem = '64MB'")
            return {
                **_conversation_numbers(connection, span, open_from),
                "emergencies": _emergencies(connection, span),
                "satisfaction": _satisfaction(connection, span),
            }
    except (OperationalError, ProgrammingError) as error:
        if _no_events_table(error):  # Rasa has not stored a conversation yet
            return {
                "per_day": {},
                "conversations": 0,
                "intents": {},
                "fallback_senders": set(),
                "emergencies": {},
                "satisfaction": {"asked": 0, "helpful": 0, "not_helpful": 0, "helpful_rate": None},
            }
        raise ConversationStoreError(type(error).__name__) from error


# Handoff database -------------------------------------------------------------------------


def _handoff_day(connection: Connection):
    if connection.dialect.name == "postgresql":
        return cast(func.timezone("UTC", Handoff.created_at), Date)
    return func.date(Handoff.created_at)


def _handoff_numbers(engine: Engine, span: DateRange) -> Dict[str, Any]:
    in_range = (Handoff.created_at >= span.start, Handoff.created_at < span.end)
    with engine.connect() as connection:
        day = _handoff_day(connection).label("day")
        grouped = connection.execute(
            select(day, Handoff.reason, Handoff.channel, func.count())
            .where(*in_range)
            .group_by(day, Handoff.reason, Handoff.channel)
        ).all()
        senders = {row[0] for row in connection.execute(select(func.distinct(Handoff.sender_id)).where(*in_range))}
        booked = connection.execute(
            select(func.count()).where(*in_range, Handoff.status == "booked").select_from(Handoff)
        ).scalar()
        first_contacted = (
            select(StatusChange.handoff_id, func.min(StatusChange.created_at).label("at"))
            .where(StatusChange.to_status == "contacted")
            .group_by(StatusChange.handoff_id)
            .subquery()
        )
        waits = connection.execute(
            select(Handoff.created_at, first_contacted.c.at)
            .join(first_contacted, first_contacted.c.handoff_id == Handoff.id)
            .where(*in_range)
        ).all()
    minutes = [(as_utc(_moment(at)) - as_utc(_moment(created))).total_seconds() / 60 for created, at in waits]
    return {
        "grouped": [(str(d)[:10], reason, channel, int(count)) for d, reason, channel, count in grouped],
        "senders": senders,
        "booked": int(booked or 0),
        "contact_minutes": minutes,
    }


def _moment(value: Any) -> datetime:
    """SQLite hands back a string from a subquery column; PostgreSQL a datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


# Together -------------------------------------------------------------------------------


def insights(handoffs: Engine, trackers: Engine, span: DateRange) -> Dict[str, Any]:
    """Every dashboard number for the range, as plain JSON-ready values."""
    tracker = _tracker_numbers(trackers, span)
    handoff = _handoff_numbers(handoffs, span)
    conversations = tracker["conversations"]
    messages = sum(m for _, m in tracker["per_day"].values())
    intents = tracker["intents"]
    fallback_messages = intents.get(FALLBACK_INTENT, 0)
    out_of_scope_messages = intents.get(OUT_OF_SCOPE_INTENT, 0)
    not_contained = handoff["senders"] | tracker["fallback_senders"]
    contained = max(0, conversations - len(not_contained))

    handoffs_per_day: Dict[str, int] = {}
    by_reason: Dict[str, int] = {reason: 0 for reason in REASONS}
    by_channel: Dict[str, int] = {}
    for day, reason, channel, count in handoff["grouped"]:
        handoffs_per_day[day] = handoffs_per_day.get(day, 0) + count
        by_reason[reason] = by_reason.get(reason, 0) + count
        by_channel[channel] = by_channel.get(channel, 0) + count
    total_handoffs = sum(by_reason.values())
    epoch = date(1970, 1, 1)
    days = []
    for day in span.days():
        number = (day - epoch).days
        talked, said = tracker["per_day"].get(number, (0, 0))
        days.append(
            {
                "date": day.isoformat(),
                "conversations": talked,
                "visitor_messages": said,
                "handoffs": handoffs_per_day.get(day.isoformat(), 0),
            }
        )
    waits = handoff["contact_minutes"]
    topics = sorted(
        ({"intent": name, "messages": count} for name, count in intents.items() if name not in NOT_TOPICS),
        key=lambda topic: (-topic["messages"], topic["intent"]),
    )
    emergencies = dict(sorted(tracker["emergencies"].items()))
    return {
        "from": span.first.isoformat(),
        "to": span.last.isoformat(),
        "totals": {
            "conversations": conversations,
            "visitor_messages": messages,
            "contained": contained,
            "containment_rate": _rate(contained, conversations),
            "handoffs": total_handoffs,
            "fallback_messages": fallback_messages,
            "fallback_rate": _rate(fallback_messages, messages),
            "out_of_scope_messages": out_of_scope_messages,
            "out_of_scope_rate": _rate(out_of_scope_messages, messages),
            "emergencies": sum(emergencies.values()),
            "booking_requests": by_reason.get("booking", 0),
            "bookings_per_conversation": _rate(by_reason.get("booking", 0), conversations),
            "booked": handoff["booked"],
        },
        "days": days,
        "handoffs": {
            "by_day": [
                {"date": day, "reason": reason, "channel": channel, "count": count}
                for day, reason, channel, count in sorted(handoff["grouped"])
            ],
            "by_reason": by_reason,
            "by_channel": dict(sorted(by_channel.items())),
        },
        "emergencies_by_route": emergencies,
        "topics": topics,
        "time_to_contacted": {
            "requests_contacted": len(waits),
            "median_minutes": _round(percentile(waits, 50)),
            "p90_minutes": _round(percentile(waits, 90)),
        },
        "satisfaction": tracker["satisfaction"],
    }


def _round(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 1)


def csv_rows(numbers: Dict[str, Any]) -> List[Tuple[str, str, str, Any]]:
    """The same numbers as rows of (measure, date, breakdown, value) for a CSV file."""
    rows: List[Tuple[str, str, str, Any]] = [("range", "", "from", numbers["from"]), ("range", "", "to", numbers["to"])]
    rows += [(name, "", "", value) for name, value in numbers["totals"].items()]
    for day in numbers["days"]:
        rows += [(name, day["date"], "", day[name]) for name in ("conversations", "visitor_messages", "handoffs")]
    for entry in numbers["handoffs"]["by_day"]:
        rows.append(("handoffs", entry["date"], f"{entry['reason']}/{entry['channel']}", entry["count"]))
    rows += [("handoffs_by_reason", "", reason, n) for reason, n in numbers["handoffs"]["by_reason"].items()]
    rows += [("handoffs_by_channel", "", channel, n) for channel, n in numbers["handoffs"]["by_channel"].items()]
    rows += [("emergencies_by_route", "", route, n) for route, n in numbers["emergencies_by_route"].items()]
    rows += [("topic", "", topic["intent"], topic["messages"]) for topic in numbers["topics"]]
    rows += [("time_to_contacted", "", name, value) for name, value in numbers["time_to_contacted"].items()]
    rows += [("satisfaction", "", name, value) for name, value in numbers["satisfaction"].items()]
    return rows

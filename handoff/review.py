"""The review queue: visitor messages the assistant was unsure about, for staff to label.

Filled from Rasa's tracker store (`events`, as handoff/transcripts.py reads it): a message
the FallbackClassifier gave up on (`nlu_fallback`), one no rule or story fitted (the core
fallback action, config.yml), a topic picked with low confidence, `out_of_scope`, a
warning sign at an unclear time (the triage's "is this happening now?",
domain/safety.yml) and the question before a visitor said the answer did not help
(`feedback_not_helpful`). Each message is queued once (its conversation and Rasa's
message id are unique), however often the queue is filled.

Staff label an item with a topic (an intent of domain/intents.yml), or mark it "new topic"
or "ignore" (console/review.py); `make review-export` turns the labelled ones into
training data (scripts/review_export.py) and `make review-check` stores, per item, what the
current model makes of it.

The visitor's words stay here only as long as their conversation does: the console's
erase and the retention purge delete a conversation's items with it (`erase_items_of`),
and filling the queue drops items whose conversation is gone from the tracker store
(`drop_orphans`).

Written with SQLAlchemy Core only, so that the Rasa environment (SQLAlchemy 1.4) can read
the labels and store the model's results (`list_items`, `store_check`); filling the queue
and labelling run in the console's (SQLAlchemy 2), and labels are audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from handoff.db import PROJECT_ROOT, forget_deleted

# What the queue says about why a message is there (the page and the API).
REASONS: Dict[str, str] = {
    "triage_question": "Asked whether a warning sign is happening now",
    "fallback": "Not understood (fallback)",
    "out_of_scope": "Out of scope",
    "low_confidence": "Unsure of the topic",
    "not_helpful": "Visitor said the answer did not help",
}
STATUSES = ("open", "labelled", "new_topic", "ignored")
STATUS_LABELS = {"open": "Open", "labelled": "Labelled", "new_topic": "New topic", "ignored": "Ignored"}
# A topic the classifier chose with less confidence than this is queued; below config.yml's
# FallbackClassifier threshold (0.3) it is a fallback instead.
LOW_CONFIDENCE = 0.5
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
NOT_HELPFUL_INTENT = "feedback_not_helpful"
# The triage's own intents (components/triage_net.py). A message the triage routed may be
# labelled only with one of these: an emergency is never taught as an everyday topic.
TRIAGE_LABELS = ("red_flag", "triage_check")
CHECK_INTENT = "triage_check"
TRIAGE_QUESTIONS = ("utter_ask_triage_now", "utter_triage_check_in_form")  # domain/safety.yml
# Intents no reviewer label can teach: set by a component, never by examples.
NOT_LABELS = ("other_language",)
# Conversation, not a question: "did not help" is about the question before these.
NOT_QUESTIONS = {"greet", "goodbye", "thank", "affirm", "deny", "feedback_helpful", NOT_HELPFUL_INTENT}
MAX_TEXT = 4000  # the website channels refuse longer messages
SCAN_OVERLAP = 1000  # events re-read below the last one seen: PostgreSQL may commit ids out of order
CHUNK = 500

metadata = sa.MetaData()
review_items = sa.Table(
    "review_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("message_id", sa.String(255), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("said_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.String(20), nullable=False),
    sa.Column("intent", sa.String(100), nullable=True),  # what the assistant thought, and how sure
    sa.Column("confidence", sa.Float, nullable=True),
    sa.Column("triage_route", sa.String(30), nullable=True),  # the triage's route, from the parse data
    sa.Column("status", sa.String(12), nullable=False, index=True),
    sa.Column("label", sa.String(100), nullable=True),
    sa.Column("reviewer", sa.String(100), nullable=True),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("check_intent", sa.String(100), nullable=True),  # make review-check: the current model's answer
    sa.Column("check_confidence", sa.Float, nullable=True),
    sa.Column("check_route", sa.String(30), nullable=True),
    sa.Column("check_right", sa.Boolean, nullable=True),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("sender_id", "message_id", name="uq_review_items_message"),
)
review_state = sa.Table(
    "review_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
)


class ReviewError(ValueError):
    """A label that cannot be given as asked; the message says why."""


class RedFlagLabel(ReviewError):
    """An everyday topic for a message the triage routed as an emergency."""


def now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(moment: Optional[datetime]) -> Optional[datetime]:
    if moment is not None and moment.tzinfo is None:  # SQLite hands times back without a zone
        return moment.replace(tzinfo=timezone.utc)
    return moment


# Which messages -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def fallback_actions() -> frozenset:
    """Rasa's own fallback action and the one config.yml names for "no rule or story fits"."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8")) or {}
    named = {p.get("core_fallback_action_name") for p in config.get("policies") or [] if isinstance(p, dict)}
    return frozenset({"action_default_fallback"} | {name for name in named if name})


def intents(domain: Path = PROJECT_ROOT / "domain") -> List[str]:
    """The topics a reviewer may pick: every intent of the domain an example can teach."""
    found: List[str] = []
    for path in sorted(domain.glob("*.yml")):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []:
            name = next(iter(entry)) if isinstance(entry, dict) else str(entry)
            if name not in found and name not in NOT_LABELS:
                found.append(name)
    return found


@dataclass(frozen=True)
class Candidate:
    sender_id: str
    message_id: str
    text: str
    said_at: datetime
    reason: str
    intent: Optional[str]
    confidence: Optional[float]
    triage_route: Optional[str]


def _user_message(sender_id: str, row_id: int, timestamp: float, event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    said = event.get("text")
    if not isinstance(said, str) or not said.strip() or said.startswith("/"):  # a button's payload
        return None
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    triage = parse.get("triage") or {}
    route = triage.get("route")
    if not route:
        route = next(
            (e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "triage_route"),
            None,
        )
    confidence = intent.get("confidence")
    return {
        "sender_id": sender_id,
        "message_id": str(event.get("message_id") or f"event-{row_id}"),
        "text": " ".join(said.split())[:MAX_TEXT],
        "said_at": datetime.fromtimestamp(timestamp or 0, tz=timezone.utc),
        "intent": intent.get("name"),
        "confidence": float(confidence) if isinstance(confidence, (int, float)) else None,
        "triage_route": str(route)[:30] if route else None,
        "ask_if_now": bool(triage.get("ask_if_now")),
    }


def _reason_of(message: Dict[str, Any]) -> Optional[str]:
    intent, confidence = message["intent"], message["confidence"]
    if intent == CHECK_INTENT or (message["triage_route"] and message["ask_if_now"]):
        return "triage_question"
    if intent == FALLBACK_INTENT:
        return "fallback"
    if intent == OUT_OF_SCOPE_INTENT:
        return "out_of_scope"
    if intent not in TRIAGE_LABELS and confidence is not None and confidence < LOW_CONFIDENCE:
        return "low_confidence"
    return None


def candidates(rows: Iterable[Tuple[int, str, str, float, str]]) -> List[Candidate]:
    """The messages to queue among one or more conversations' events (id, sender, type,
    timestamp, data), in the order they happened within each conversation: user, action and
    active_loop events."""
    found: Dict[Tuple[str, str], Candidate] = {}
    last: Dict[str, Dict[str, Any]] = {}  # each conversation's latest visitor message
    last_question: Dict[str, Dict[str, Any]] = {}
    # Inside a form (the booking handoff) the visitor answers its questions (a name, a phone
    # number): not a topic the assistant was unsure of, and personal. Only the triage's
    # question is queued there.
    in_form: Dict[str, bool] = {}

    def queue(message: Dict[str, Any], reason: str) -> None:
        key = (message["sender_id"], message["message_id"])
        if key not in found:
            fields = {k: v for k, v in message.items() if k != "ask_if_now"}
            found[key] = Candidate(reason=reason, **fields)

    for row_id, sender_id, type_name, timestamp, data in rows:
        try:
            event = json.loads(data or "{}")
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        if type_name == "active_loop":
            in_form[sender_id] = bool(event.get("name"))
        elif type_name == "user":
            parse = event.get("parse_data") or {}
            if (parse.get("intent") or {}).get("name") == NOT_HELPFUL_INTENT and sender_id in last_question:
                queue(last_question[sender_id], "not_helpful")
            message = _user_message(sender_id, row_id, timestamp, event)
            last[sender_id] = message
            if message is None:
                continue
            reason = _reason_of(message)
            if in_form.get(sender_id):
                if reason == "triage_question":
                    queue(message, reason)
                continue
            if message["intent"] not in NOT_QUESTIONS:
                last_question[sender_id] = message
            if reason:
                queue(message, reason)
        elif type_name == "action" and last.get(sender_id):
            name = event.get("name")
            if name in TRIAGE_QUESTIONS:
                queue(last[sender_id], "triage_question")
            elif name in fallback_actions() and not in_form.get(sender_id):
                queue(last[sender_id], "fallback")
    return list(found.values())


# Filling the queue ----------------------------------------------------------------------------


def _missing_events_table(error: Exception) -> bool:
    message = str(getattr(error, "orig", error)).lower()
    return "no such table" in message or ("events" in message and "does not exist" in message)


def _chunks(values: Sequence[str], size: int = CHUNK):
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _last_event_id(connection) -> int:
    return connection.execute(sa.select(review_state.c.last_event_id).where(review_state.c.id == 1)).scalar() or 0


def collect(handoffs: Engine, trackers: Engine) -> int:
    """Queue the new messages the assistant was unsure about; returns how many were added.

    Reads only the conversations with events past the last one seen (less SCAN_OVERLAP),
    whole, so a fallback action finds the message before it. Raises OperationalError when
    the tracker store cannot be read; an empty store (no events table) adds nothing.
    """
    with handoffs.connect() as connection:
        since = max(0, _last_event_id(connection) - SCAN_OVERLAP)
    try:
        with trackers.connect() as connection:
            top = connection.execute(sa.text("SELECT MAX(id) FROM events")).scalar() or 0
            senders = [
                row[0]
                for row in connection.execute(
                    sa.text("SELECT DISTINCT sender_id FROM events WHERE id > :since AND id <= :top"),
                    {"since": since, "top": top},
                )
            ]
            found: List[Candidate] = []
            for chunk in _chunks(senders):
                query = sa.text(
                    "SELECT id, sender_id, type_name, timestamp, data FROM events "
                    "WHERE sender_id IN :senders AND type_name IN ('user', 'action', 'active_loop') AND id <= :top "
                    "ORDER BY sender_id, id"
                ).bindparams(sa.bindparam("senders", expanding=True))
                found.extend(candidates(connection.execute(query, {"senders": chunk, "top": top})))
    except (OperationalError, ProgrammingError) as error:
        if _missing_events_table(error):
            return 0
        raise
    added = _insert(handoffs, found)
    with handoffs.begin() as connection:  # two consoles filling at once: the row once, the highest id kept
        connection.execute(
            _insert_statement(handoffs)(review_state).values(id=1, last_event_id=0).on_conflict_do_nothing()
        )
        connection.execute(
            sa.update(review_state)
            .where(review_state.c.id == 1, review_state.c.last_event_id < top)
            .values(last_event_id=top)
        )
    return added


def _insert_statement(engine: Engine):
    """INSERT ... ON CONFLICT DO NOTHING, in the dialect's words (SQLite or PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _insert(handoffs: Engine, found: Sequence[Candidate]) -> int:
    if not found:
        return 0
    insert = _insert_statement(handoffs)
    stamp, added = now(), 0
    with handoffs.begin() as connection:
        for candidate in found:
            statement = (
                insert(review_items)
                .values(status="open", created_at=stamp, **candidate.__dict__)
                .on_conflict_do_nothing(index_elements=["sender_id", "message_id"])
                .returning(review_items.c.id)  # psycopg's rowcount says nothing here
            )
            added += len(connection.execute(statement).fetchall())
    return added


def drop_orphans(handoffs: Engine, trackers: Engine) -> int:
    """Delete the items whose conversation is no longer in the tracker store (erased or
    purged elsewhere); returns how many. Nothing is deleted when the store has no events
    table at all (a wrong TRACKER_DATABASE_URL must not empty the queue)."""
    with handoffs.connect() as connection:
        senders = [row[0] for row in connection.execute(sa.select(review_items.c.sender_id).distinct())]
    if not senders:
        return 0
    present = set()
    try:
        with trackers.connect() as connection:
            for chunk in _chunks(senders):
                query = sa.text("SELECT DISTINCT sender_id FROM events WHERE sender_id IN :senders").bindparams(
                    sa.bindparam("senders", expanding=True)
                )
                present.update(row[0] for row in connection.execute(query, {"senders": chunk}))
    except (OperationalError, ProgrammingError) as error:
        if _missing_events_table(error):
            return 0
        raise
    return erase_items_of(handoffs, [sender for sender in senders if sender not in present])


def refresh(handoffs: Engine, trackers: Engine) -> bool:
    """Fill the queue and drop what lost its conversation; False when the tracker store
    could not be read (the queue is then shown as it was)."""
    try:
        collect(handoffs, trackers)
        drop_orphans(handoffs, trackers)
    except (OperationalError, ProgrammingError):
        return False
    return True


def erase_items_of(handoffs: Engine, sender_ids: Iterable[str]) -> int:
    """Delete every queued message of these conversations (GDPR erase, retention)."""
    senders = sorted(set(sender_ids))
    if not senders:
        return 0
    with handoffs.begin() as connection:
        removed = sum(
            connection.execute(sa.delete(review_items).where(review_items.c.sender_id.in_(chunk))).rowcount or 0
            for chunk in _chunks(senders)
        )
    if removed:
        forget_deleted(handoffs)
    return removed


# Reading and labelling ------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    id: int
    sender_id: str
    text: str
    said_at: datetime
    reason: str
    intent: Optional[str]
    confidence: Optional[float]
    triage_route: Optional[str]
    status: str
    label: Optional[str]
    reviewer: Optional[str]
    reviewed_at: Optional[datetime]
    check_intent: Optional[str]
    check_confidence: Optional[float]
    check_route: Optional[str]
    check_right: Optional[bool]
    checked_at: Optional[datetime]

    @property
    def red_flag(self) -> bool:
        return bool(self.triage_route or self.check_route)


def _item(row) -> Item:
    values = dict(row._mapping)
    for name in ("said_at", "reviewed_at", "checked_at"):
        values[name] = _utc(values[name])
    return Item(**{name: values[name] for name in Item.__dataclass_fields__})


def list_items(
    engine: Engine, status: Optional[str] = "open", limit: Optional[int] = None, offset: int = 0
) -> List[Item]:
    """Oldest first (the order they came in), optionally with one status."""
    if status is not None and status not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)}")
    query = sa.select(review_items).order_by(review_items.c.said_at, review_items.c.id)
    if status is not None:
        query = query.where(review_items.c.status == status)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with engine.connect() as connection:
        return [_item(row) for row in connection.execute(query)]


def count_open(engine: Engine) -> int:
    with engine.connect() as connection:
        query = sa.select(sa.func.count()).select_from(review_items).where(review_items.c.status == "open")
        return connection.execute(query).scalar() or 0


def get_item(engine: Engine, item_id: int) -> Optional[Item]:
    with engine.connect() as connection:
        row = connection.execute(sa.select(review_items).where(review_items.c.id == item_id)).first()
    return _item(row) if row is not None else None


def allowed_label(item: Item, label: str, known: Sequence[str]) -> None:
    """Raises ReviewError for an unknown topic, RedFlagLabel for an everyday topic on a
    message the triage routed."""
    if label not in known:
        raise ReviewError("intent must be one of the domain's intents (see GET /api/review)")
    if item.red_flag and label not in TRIAGE_LABELS:
        raise RedFlagLabel(
            f"the triage routed this message ({item.triage_route or item.check_route}): it can be labelled "
            f"only {' or '.join(TRIAGE_LABELS)}, 'new topic' or 'ignore', never as an everyday topic"
        )


def review(engine: Engine, item_id: int, actor: str, status: str, label: Optional[str] = None) -> Item:
    """Label an item with a topic (status "labelled"), or mark it "new_topic", "ignored" or
    "open" again; who and when are kept, and the change is in the audit log."""
    from sqlalchemy.orm import Session  # the console's environment: audited with the other changes

    from handoff.store import audit

    if status not in STATUSES:
        raise ReviewError(f"status must be one of {', '.join(STATUSES)}")
    if (status == "labelled") != (label is not None):
        raise ReviewError("give an intent with status 'labelled', and only then")
    with Session(engine) as session, session.begin():
        row = session.execute(sa.select(review_items).where(review_items.c.id == item_id).with_for_update()).first()
        if row is None:
            raise LookupError(item_id)
        if label is not None:
            allowed_label(_item(row), label, intents())
        session.execute(
            sa.update(review_items)
            .where(review_items.c.id == item_id)
            .values(
                status=status,
                label=label,
                reviewer=None if status == "open" else actor,
                reviewed_at=None if status == "open" else now(),
                check_intent=None,
                check_confidence=None,
                check_route=None,
                check_right=None,
                checked_at=None,
            )
        )
        audit(session, actor, "review_" + status, f"review item {item_id}", label or "")
    return get_item(engine, item_id)


# The current model's answer (make review-check) -----------------------------------------------


def is_right(label: str, intent: Optional[str], route: Optional[str]) -> bool:
    """Whether the model's parse gives the reviewer's topic (an emergency label: the route)."""
    if label == "red_flag":
        return bool(route) and intent == "red_flag"
    return intent == label


def store_check(
    engine: Engine, item_id: int, intent: Optional[str], confidence: Optional[float], route: Optional[str]
) -> None:
    with engine.begin() as connection:
        row = connection.execute(sa.select(review_items.c.label).where(review_items.c.id == item_id)).first()
        if row is None or row[0] is None:
            return
        connection.execute(
            sa.update(review_items)
            .where(review_items.c.id == item_id)
            .values(
                check_intent=intent,
                check_confidence=confidence,
                check_route=route,
                check_right=is_right(row[0], intent, route),
                checked_at=now(),
            )
        )


def item_json(item: Item) -> Dict[str, Any]:
    def iso(moment: Optional[datetime]) -> Optional[str]:
        return moment.isoformat() if moment else None

    return {
        "id": item.id,
        "text": item.text,
        "said_at": iso(item.said_at),
        "reason": item.reason,
        "reason_label": REASONS.get(item.reason, item.reason),
        "assistant": {"intent": item.intent, "confidence": item.confidence},
        "triage_route": item.triage_route,
        "status": item.status,
        "label": item.label,
        "reviewer": item.reviewer,
        "reviewed_at": iso(item.reviewed_at),
        "check": None
        if item.checked_at is None
        else {
            "intent": item.check_intent,
            "confidence": item.check_confidence,
            "route": item.check_route,
            "right": item.check_right,
            "at": iso(item.checked_at),
        },
    }

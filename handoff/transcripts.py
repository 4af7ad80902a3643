"""Reading (and erasing) a conversation in Rasa's SQL tracker store.

Rasa keeps one row per event in its `events` table; the console shows the visitor's
and the assistant's messages with their times, including anything said after the
handoff, and the clinic team's own messages of a live takeover (a bot event with
`{"staff": name}` in its metadata: channels/staff.py). A visitor message the triage
routed to an emergency is marked, so the console can highlight it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, List, Optional, Tuple

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from handoff.db import forget_deleted

# The insights' roll-up naming conversations by day (handoff/insights.py): erased with them.
CONVERSATION_DAYS = "insights_conversation_days"


class ConversationStoreError(RuntimeError):
    """The conversation store could not be read or changed (not: it has no conversations yet)."""


def _no_events_table(error: Exception) -> bool:
    """Only a missing events table means "nothing stored yet"; anything else is a failure."""
    message = str(getattr(error, "orig", error)).lower()
    return "no such table" in message or ("events" in message and "does not exist" in message)


@dataclass(frozen=True)
class Line:
    time: datetime
    speaker: str  # "visitor", "assistant" or "staff"
    text: str
    staff: Optional[str] = None  # the staff member who wrote it
    emergency: bool = False  # a visitor message the triage routed to an emergency
    id: int = 0  # the event's row: later lines have larger ones


def _line(row_id: int, type_name: str, timestamp: Optional[float], data: Optional[str]) -> Optional[Line]:
    event = json.loads(data or "{}")
    said = event.get("text")
    if type_name == "bot" and not said:
        buttons = (event.get("data") or {}).get("buttons") or []
        said = " / ".join(b.get("title", "") for b in buttons)
    if said is None:
        return None
    staff = (event.get("metadata") or {}).get("staff") if type_name == "bot" else None
    triage = (event.get("parse_data") or {}).get("triage") or {} if type_name == "user" else {}
    return Line(
        time=datetime.fromtimestamp(timestamp or 0, tz=timezone.utc),
        speaker="visitor" if type_name == "user" else "staff" if isinstance(staff, str) else "assistant",
        text=str(said),
        staff=staff if isinstance(staff, str) else None,
        emergency=bool(triage.get("route")) and not triage.get("ask_if_now"),
        id=row_id,
    )


def transcript(engine: Engine, sender_id: str, after: int = 0) -> List[Line]:
    """The conversation's lines in order; only those after event row `after` if given."""
    query = text(
        "SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :sender AND id > :after "
        "AND type_name IN ('user', 'bot') ORDER BY id"
    )
    try:
        with engine.connect() as connection:
            rows = connection.execute(query, {"sender": sender_id, "after": after}).fetchall()
    except (OperationalError, ProgrammingError):  # no conversation stored yet
        return []
    return [line for line in (_line(*row) for row in rows) if line is not None]


@dataclass(frozen=True)
class LiveConversation:
    sender_id: str
    last_at: datetime
    paused: bool


def live_conversations(engine: Engine, since: datetime, limit: int = 100) -> List[LiveConversation]:
    """Conversations with a visitor message since `since`, newest first, and whether each is paused."""
    recent = text(
        "SELECT sender_id, MAX(timestamp) FROM events WHERE type_name = 'user' AND timestamp >= :since "
        "GROUP BY sender_id ORDER BY MAX(timestamp) DESC LIMIT :limit"
    )
    state = text(
        "SELECT type_name FROM events WHERE sender_id = :sender AND type_name IN ('pause', 'resume', 'restart') "
        "ORDER BY id DESC LIMIT 1"
    )
    try:
        with engine.connect() as connection:
            found: List[Tuple[str, float]] = connection.execute(
                recent, {"since": since.timestamp(), "limit": limit}
            ).fetchall()
            return [
                LiveConversation(
                    sender_id=sender,
                    last_at=datetime.fromtimestamp(last or 0, tz=timezone.utc),
                    paused=connection.execute(state, {"sender": sender}).scalar() == "pause",
                )
                for sender, last in found
            ]
    except (OperationalError, ProgrammingError):
        return []


def _forget_in_rollups(connection, sender_ids: List[str]) -> None:
    """The insights' roll-up names conversations: erase them there too, in the same transaction."""
    if sender_ids and inspect(connection).has_table(CONVERSATION_DAYS):
        for sender in sender_ids:
            connection.execute(text(f"DELETE FROM {CONVERSATION_DAYS} WHERE sender_id = :s"), {"s": sender})


def erase_conversations(engine: Engine, sender_ids: Iterable[str]) -> int:
    """Delete every stored event of these conversations, all in one transaction; returns how many.

    Raises ConversationStoreError when the store cannot be reached or changed (and then
    nothing is deleted), so that an erase never goes on to delete the requests that
    record the conversations' ids.
    """
    try:
        with engine.begin() as connection:
            erased = sum(
                connection.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender}).rowcount
                for sender in sorted(set(sender_ids))
            )
            _forget_in_rollups(connection, sorted(set(sender_ids)))
        forget_deleted(engine)
        return erased
    except (OperationalError, ProgrammingError) as error:
        if _no_events_table(error):
            return 0
        raise ConversationStoreError(type(error).__name__) from error


def erase_conversations_older_than(engine: Engine, cutoff: datetime) -> int:
    """Delete whole conversations whose last event is older than the cutoff."""
    stale = text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff")
    try:
        with engine.begin() as connection:
            senders = [row[0] for row in connection.execute(stale, {"cutoff": cutoff.timestamp()})]
            removed = 0
            for sender in senders:
                removed += connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}).rowcount
            _forget_in_rollups(connection, senders)
        forget_deleted(engine)
        return removed
    except (OperationalError, ProgrammingError):
        return 0

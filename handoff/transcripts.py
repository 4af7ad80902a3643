"""Reading (and erasing) a conversation in Rasa's SQL tracker store.

Rasa keeps one row per event in its `events` table; the console shows the visitor's
and the assistant's messages with their times, including anything said after the
handoff.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, List

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
    speaker: str  # "visitor" or "assistant"
    text: str


def transcript(engine: Engine, sender_id: str) -> List[Line]:
    query = text(
        "SELECT type_name, timestamp, data FROM events WHERE sender_id = :sender AND type_name IN ('user', 'bot') ORDER BY id"
    )
    try:
        with engine.connect() as connection:
            rows = connection.execute(query, {"sender": sender_id}).fetchall()
    except (OperationalError, ProgrammingError):  # no conversation stored yet
        return []
    lines = []
    for type_name, timestamp, data in rows:
        event = json.loads(data or "{}")
        said = event.get("text")
        if type_name == "bot" and not said:
            buttons = (event.get("data") or {}).get("buttons") or []
            said = " / ".join(b.get("title", "") for b in buttons)
        if said is None:
            continue
        lines.append(
            Line(
                time=datetime.fromtimestamp(timestamp or 0, tz=timezone.utc),
                speaker="visitor" if type_name == "user" else "assistant",
                text=str(said),
            )
        )
    return lines


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

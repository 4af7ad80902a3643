"""Who holds which conversation: the takeover lock, in the handoff database.

One `takeovers` row per conversation; taking over sets its `staff` only where nobody holds
it, in one statement, so of two staff racing for one conversation exactly one wins (on
SQLite and PostgreSQL alike: the row's primary key, or the `staff IS NULL` condition,
decides). Every take over, message and hand back is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Optional

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handoff.models import Takeover, as_utc
from handoff.store import audit, now


class TakenByAnother(RuntimeError):
    """Another staff member holds the conversation; the message names them."""

    def __init__(self, staff: str) -> None:
        super().__init__(f"{staff} has already taken this conversation over")
        self.staff = staff


class NotHeld(RuntimeError):
    """The conversation is not held by this staff member."""


@dataclass(frozen=True)
class Held:
    sender_id: str
    staff: str
    started_at: datetime


def holder(engine: Engine, sender_id: str) -> Optional[Held]:
    with Session(engine) as session:
        row = session.get(Takeover, sender_id)
        if row is None or row.staff is None:
            return None
        return Held(row.sender_id, row.staff, as_utc(row.started_at))


def all_held(engine: Engine) -> Dict[str, Held]:
    with Session(engine) as session:
        rows = session.scalars(select(Takeover).where(Takeover.staff.is_not(None)))
        return {r.sender_id: Held(r.sender_id, r.staff, as_utc(r.started_at)) for r in rows}


def _ensure_row(engine: Engine, sender_id: str) -> None:
    """The conversation's row, unheld, if it has none yet (another request may be adding it now)."""
    try:
        with Session(engine) as session, session.begin():
            if session.get(Takeover, sender_id) is None:
                session.add(Takeover(sender_id=sender_id))
    except IntegrityError:
        pass  # added by a concurrent request: the same row


def take_over(engine: Engine, sender_id: str, staff: str) -> Held:
    """The lock for `staff`; TakenByAnother if someone else holds it (holding it already is fine)."""
    _ensure_row(engine, sender_id)
    started = now()
    with Session(engine) as session, session.begin():
        claimed = session.execute(
            update(Takeover)
            .where(Takeover.sender_id == sender_id, Takeover.staff.is_(None))
            .values(staff=staff, started_at=started)
        ).rowcount
        if claimed:
            audit(session, staff, "took_over", sender_id[:100])
            return Held(sender_id, staff, started)
    current = holder(engine, sender_id)
    if current is not None and current.staff == staff:
        return current
    raise TakenByAnother(current.staff if current else "someone")


def check_held_by(engine: Engine, sender_id: str, staff: str) -> Held:
    current = holder(engine, sender_id)
    if current is None:
        raise NotHeld("take this conversation over first")
    if current.staff != staff:
        raise TakenByAnother(current.staff)
    return current


def record_staff_message(engine: Engine, sender_id: str, staff: str, length: int) -> None:
    """Audited without the text, which is in the conversation itself."""
    with Session(engine) as session, session.begin():
        audit(session, staff, "staff_message", sender_id[:100], f"{length} characters")


def release(engine: Engine, sender_id: str, staff: str) -> None:
    """Hands the conversation back; NotHeld / TakenByAnother if `staff` does not hold it."""
    with Session(engine) as session, session.begin():
        released = session.execute(
            update(Takeover)
            .where(Takeover.sender_id == sender_id, Takeover.staff == staff)
            .values(staff=None, started_at=None)
        ).rowcount
        if released:
            audit(session, staff, "handed_back", sender_id[:100])
            return
    check_held_by(engine, sender_id, staff)  # raises with the reason
    raise NotHeld("take this conversation over first")


def mark_told_later(engine: Engine, sender_id: str) -> bool:
    """Records that the visitor was told the team will reply later; False if already told or
    someone holds the conversation (then nothing is to be said)."""
    _ensure_row(engine, sender_id)
    with Session(engine) as session, session.begin():
        marked = session.execute(
            update(Takeover)
            .where(Takeover.sender_id == sender_id, Takeover.staff.is_(None), Takeover.told_later_at.is_(None))
            .values(told_later_at=now())
        ).rowcount
        if marked:
            audit(session, "assistant", "told_reply_later", sender_id[:100])
        return bool(marked)


def told_later(engine: Engine) -> List[str]:
    with Session(engine) as session:
        return list(session.scalars(select(Takeover.sender_id).where(Takeover.told_later_at.is_not(None))))

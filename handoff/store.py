"""Saving, listing and changing handoff requests; GDPR erasure and retention.

Every function takes an Engine and commits before it returns, so a caller that
gets a reference back knows the request is on disk.
"""

from __future__ import annotations

import secrets
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Tuple

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic import settings as clinic_settings
from handoff.db import forget_deleted
from handoff.models import REASONS, STATUSES, AuditEntry, Handoff, Note, StatusChange

# No 0/O or 1/I: references are read out over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_NOTE_LENGTH = 5000


class HandoffError(ValueError):
    """A change that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class NewHandoff:
    sender_id: str
    channel: str
    reason: str
    urgent: bool
    name: str
    contact_kind: str
    contact: str
    preferred_times: str
    preferred_times_normalised: str
    topic: str
    summary: str
    triage_route: Optional[str] = None
    triage_reason: Optional[str] = None
    triage_words: Optional[str] = None
    triage_at: Optional[datetime] = None


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


# The client address of the request being served; the console sets it for each request, and
# asyncio.to_thread carries it into the data layer's threads.
AUDIT_ADDRESS: ContextVar[Optional[str]] = ContextVar("audit_address", default=None)


def audit(session: Session, actor: str, action: str, target: str, detail: str = "") -> None:
    session.add(
        AuditEntry(
            actor=actor, action=action, target=target, detail=detail, created_at=now(), address=AUDIT_ADDRESS.get()
        )
    )


def record(engine: Engine, actor: str, action: str, target: str, detail: str = "") -> None:
    """One audit entry in its own transaction (a list viewed, a logout)."""
    with Session(engine) as session, session.begin():
        audit(session, actor, action, target, detail)


class HandoffLimitReached(HandoffError):
    """More new requests in the last hour than the clinic could ever get: a flood, refused."""


# A conversation asking again within a day adds to its last request instead of filing
# another; more than MAX_PER_HOUR requests an hour is a flood. Urgent ones always count.
# HANDOFF_MAX_PER_CONVERSATION and HANDOFF_MAX_PER_HOUR change them (clinic/settings.py).
MAX_PER_CONVERSATION = clinic_settings.default("HANDOFF_MAX_PER_CONVERSATION")
MAX_PER_HOUR = clinic_settings.default("HANDOFF_MAX_PER_HOUR")


def _limit(name: str) -> int:
    """Read for every request: a bad value means the default (clinic/settings.py)."""
    return clinic_settings.integer(name)


def save_handoff(engine: Engine, request: NewHandoff) -> str:
    """Store a request durably and return its reference (raises on any database failure).

    Past HANDOFF_MAX_PER_CONVERSATION requests from one conversation in 24 hours, a
    non-urgent request becomes a note on that conversation's latest request (whose
    reference is returned): nothing is lost, the inbox is not flooded. Past
    HANDOFF_MAX_PER_HOUR requests in all in the last hour, non-urgent ones are refused
    (HandoffLimitReached). Urgent requests are always filed.
    """
    if request.reason not in REASONS:
        raise HandoffError(f"unknown reason {request.reason!r}")
    if not request.urgent:
        folded = _fold_into_latest(engine, request)
        if folded:
            return folded
        with Session(engine) as session:
            last_hour = session.scalar(
                select(func.count()).select_from(Handoff).where(Handoff.created_at > now() - timedelta(hours=1))
            )
        if last_hour >= _limit("HANDOFF_MAX_PER_HOUR"):
            raise HandoffLimitReached("too many new requests in the last hour")
    for _ in range(5):
        reference = new_reference()
        stamp = now()
        try:
            with Session(engine) as session, session.begin():
                session.add(
                    Handoff(
                        reference=reference,
                        status="new",
                        consent_at=stamp,
                        created_at=stamp,
                        updated_at=stamp,
                        notification_status="pending",
                        notification_attempts=0,
                        **request.__dict__,
                    )
                )
                audit(session, "assistant", "handoff_created", reference, request.reason)
            return reference
        except IntegrityError:  # the same reference twice: pick another
            continue
    raise HandoffError("could not allocate a unique reference")


def _fold_into_latest(engine: Engine, request: NewHandoff) -> Optional[str]:
    since = now() - timedelta(hours=24)
    with Session(engine) as session, session.begin():
        recent = list(
            session.scalars(
                select(Handoff)
                .where(Handoff.sender_id == request.sender_id, Handoff.created_at > since)
                .order_by(Handoff.created_at.desc(), Handoff.id.desc())
            )
        )
        if len(recent) < _limit("HANDOFF_MAX_PER_CONVERSATION"):
            return None
        latest = recent[0]
        details = "; ".join(
            f"{label}: {value}"
            for label, value in (
                ("reason", request.reason),
                ("name", request.name),
                (request.contact_kind or "contact", request.contact),
                ("preferred times", request.preferred_times),
                ("summary", request.summary),
            )
            if value
        )
        session.add(
            Note(
                handoff_id=latest.id,
                author="assistant",
                text=f"Asked again in the same conversation. {details}",
                created_at=now(),
            )
        )
        latest.updated_at = now()
        audit(session, "assistant", "handoff_repeated", latest.reference, request.reason)
        return latest.reference


def list_handoffs(
    engine: Engine, status: Optional[str] = None, limit: Optional[int] = None, offset: int = 0
) -> List[Handoff]:
    """Newest first, optionally with one status; a page of `limit` from `offset` if given."""
    if status and status not in STATUSES:
        raise HandoffError(f"unknown status {status!r}")
    query = select(Handoff).order_by(Handoff.created_at.desc(), Handoff.id.desc())
    if status:
        query = query.where(Handoff.status == status)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(query))


def page_of_handoffs(
    engine: Engine, actor: str, status: Optional[str], limit: int, offset: int, where: str = ""
) -> Tuple[List[Handoff], bool]:
    """A page of requests, newest first, and whether more follow; audited as a list view
    ("all requests", "new requests (API)"...)."""
    found = list_handoffs(engine, status, limit + 1, offset)
    page = found[:limit]
    record(engine, actor, "listed", f"{status or 'all'} requests{where}", f"{len(page)} shown from {offset}")
    return page, len(found) > limit


def count_new(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Handoff).where(Handoff.status == "new")) or 0


def get_handoff(engine: Engine, handoff_id: int) -> Optional[Handoff]:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Handoff, handoff_id)


def notes_for(engine: Engine, handoff_id: int) -> List[Note]:
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.scalars(select(Note).where(Note.handoff_id == handoff_id).order_by(Note.created_at, Note.id))
        )


def status_history(engine: Engine, handoff_id: int) -> List[StatusChange]:
    with Session(engine, expire_on_commit=False) as session:
        query = (
            select(StatusChange)
            .where(StatusChange.handoff_id == handoff_id)
            .order_by(StatusChange.created_at, StatusChange.id)
        )
        return list(session.scalars(query))


def update_handoff(
    engine: Engine,
    handoff_id: int,
    actor: str,
    status: Optional[str] = None,
    assignee: Optional[str] = None,
    note: Optional[str] = None,
) -> Handoff:
    """Change status and/or assignee and/or add a note; every change is recorded with who and when."""
    if status is not None and status not in STATUSES:
        raise HandoffError(f"status must be one of {', '.join(STATUSES)}")
    if assignee is not None and len(assignee) > 100:
        raise HandoffError("assignee is longer than 100 characters")
    if note is not None:
        note = note.strip()
        if not note:
            raise HandoffError("the note is empty")
        if len(note) > MAX_NOTE_LENGTH:
            raise HandoffError(f"the note is longer than {MAX_NOTE_LENGTH} characters")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            raise LookupError(handoff_id)
        stamp = now()
        if status is not None and status != handoff.status:
            session.add(
                StatusChange(
                    handoff_id=handoff.id, author=actor, from_status=handoff.status, to_status=status, created_at=stamp
                )
            )
            audit(session, actor, "status_changed", handoff.reference, f"{handoff.status} -> {status}")
            handoff.status = status
        if assignee is not None and assignee.strip() != (handoff.assignee or ""):
            handoff.assignee = assignee.strip() or None
            audit(session, actor, "assigned", handoff.reference, handoff.assignee or "(nobody)")
        if note is not None:
            session.add(Note(handoff_id=handoff.id, author=actor, text=note, created_at=stamp))
            audit(session, actor, "note_added", handoff.reference)
        handoff.updated_at = stamp
        return handoff


def record_view(engine: Engine, actor: str, target: str) -> None:
    record(engine, actor, "viewed", target)


def audit_entries(engine: Engine, limit: int = 200) -> List[AuditEntry]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def erase_handoff(engine: Engine, handoff_id: int, actor: str) -> str:
    """Delete a visitor's handoff (notes and history go with it); returns its sender id for the transcript erase."""
    with Session(engine) as session, session.begin():
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            raise LookupError(handoff_id)
        sender_id, reference = handoff.sender_id, handoff.reference
        session.execute(delete(Note).where(Note.handoff_id == handoff_id))
        session.execute(delete(StatusChange).where(StatusChange.handoff_id == handoff_id))
        session.delete(handoff)
        audit(session, actor, "erased", reference)
    forget_deleted(engine)
    return sender_id


def handoffs_unchanged_for(engine: Engine, days: int) -> List[Handoff]:
    """Requests whose last change is older than `days` days, closed or not: retention."""
    cutoff = now() - timedelta(days=days)
    with Session(engine, expire_on_commit=False) as session:
        query = select(Handoff).where(Handoff.updated_at < cutoff)
        return list(session.scalars(query))


def pending_notifications(engine: Engine, max_attempts: int) -> List[Handoff]:
    with Session(engine, expire_on_commit=False) as session:
        query = select(Handoff).where(
            Handoff.notification_status != "sent", Handoff.notification_attempts < max_attempts
        )
        return list(session.scalars(query.order_by(Handoff.id)))


def mark_notification(engine: Engine, handoff_id: int, error: Optional[str]) -> None:
    with Session(engine) as session, session.begin():
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            return
        handoff.notification_attempts += 1
        handoff.notification_status = "failed" if error else "sent"
        handoff.notification_error = error[:500] if error else None

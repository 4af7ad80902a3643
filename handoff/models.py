"""Tables of the handoff database. Schema changes go through handoff/migrations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Optional

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

STATUSES = ("new", "contacted", "booked", "closed")


def as_utc(moment: Optional[datetime]) -> Optional[datetime]:
    """Every time is stored in UTC; SQLite hands them back without a zone."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


@dataclass(frozen=True)
class Reason:
    """Why a conversation was handed to the team, as each place says it."""

    label: str  # the staff console's column
    words: str  # the notification e-mail: "New enquiry ABC123: a booking request"
    sentence: str  # the first sentence of the request's summary


REASON_WORDING: Dict[str, Reason] = {
    "booking": Reason("Booking request", "a booking request", "Asked to book an appointment"),
    "person": Reason("Asked for a person", "asked for a person", "Asked to talk to a person at the clinic"),
    "no_answer": Reason(
        "No approved answer",
        "a question with no approved answer",
        "Asked a question the assistant has no approved answer for",
    ),
}
REASONS = tuple(REASON_WORDING)


class Base(DeclarativeBase):
    pass


class Handoff(Base):
    __tablename__ = "handoffs"
    # The insights dashboard counts requests in a range by reason and channel (migration 0008).
    __table_args__ = (Index("ix_handoffs_created_reason_channel", "created_at", "reason", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    assignee: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200))
    contact_kind: Mapped[str] = mapped_column(String(10))
    contact: Mapped[str] = mapped_column(String(320))
    preferred_times: Mapped[str] = mapped_column(Text)
    preferred_times_normalised: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # What the emergency triage decided in the conversation (clinic/triage), if anything.
    triage_route: Mapped[Optional[str]] = mapped_column(String(30), nullable=True)
    triage_reason: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    triage_words: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    triage_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    notification_status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, sent, failed
    notification_attempts: Mapped[int] = mapped_column(Integer, default=0)
    notification_error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)


class Note(Base):
    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatusChange(Base):
    __tablename__ = "handoff_status_changes"
    # The insights dashboard's first "contacted" per request (migration 0008).
    __table_args__ = (Index("ix_status_changes_to_handoff", "to_status", "handoff_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(100))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when an administrator disables the account: no login, every session ended.
    disabled_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    # A one-time password (from `make staff-user`) must be changed at first login, and
    # stops working at password_expires_at if it never was.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_expires_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    # Space-separated roles (ROLES below), given with `make staff-user NAME=… DO=…`.
    roles: Mapped[str] = mapped_column(String(200), default="")


class StaffSession(Base):
    """Console sessions and API tokens: only a SHA-256 of the secret is stored."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # cookie or api
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The client address of the console request that did it (None from the command line).
    address: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)


class Takeover(Base):
    """A conversation a staff member has taken over (handoff/takeovers.py): one row per
    conversation, so two staff cannot hold the same one; the row goes when it is handed back.
    `told_later_at`: when a visitor waiting for a person was told the team will reply later."""

    __tablename__ = "takeovers"

    sender_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    staff: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    started_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    told_later_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)


# Staff roles (StaffUser.roles, space-separated): who may approve emergency and safety replies.
SAFETY_OFFICER = "clinical-safety-officer"
ROLES = (SAFETY_OFFICER,)
# A content version's life: a draft is approved (live; the live one before it is superseded) or rejected.
CONTENT_STATUSES = ("draft", "live", "superseded", "rejected")


class ContentVersion(Base):
    """One version of an answer variation (`utter_*` response, keyed by response name and a
    stable variation key) or of a clinic detail: see handoff/content.py."""

    __tablename__ = "content_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)  # "utter_hello.default", "clinic_details.phone"
    kind: Mapped[str] = mapped_column(String(10))  # response or detail
    response: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # utter_* name; None for a detail
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {title, payload}
    condition: Mapped[str] = mapped_column(Text, default="[]")  # JSON: Rasa's [{type: slot, name, value}]
    channel: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    source: Mapped[str] = mapped_column(String(50))  # article, NHS guidance, NICE guidance, clinic details, ...
    source_reference: Mapped[str] = mapped_column(Text, default="")  # the passage or page it rests on
    review_by: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approver: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    approved_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    rejected_by: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    rejected_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")  # the approver's (or rejecter's) comment
    claims_acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)


class ContentState(Base):
    """One row: a counter raised by every approval, so each process knows its cache is stale;
    and when the weekly e-mail of answers due for review was last sent (handoff/notify.py)."""

    __tablename__ = "content_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    review_reminder_sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)

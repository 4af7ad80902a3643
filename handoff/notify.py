"""E-mail notifications of new handoffs, with retries.

A request is stored first and marked "pending"; `deliver_pending` sends what is
pending or failed. The staff console calls it every few seconds (console/app.py), so a
failed notification is retried until it succeeds and never loses the request. The e-mail holds no health details: only the reference, the
reason, whether it is urgent, and where to read it.

The same task e-mails the clinic, at most once a week, the answers and clinic details past
their review-by date (`send_review_reminder`): keys and dates only, never visitor data.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import List, Mapping, Optional, Tuple

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from clinic import settings as clinic_settings
from clinic.triage.routes import LABELS
from handoff.content import due_for_review
from handoff.models import REASON_WORDING, ContentState, Handoff, as_utc
from handoff.store import audit, mark_notification, now, pending_notifications

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 50
REVIEW_REMINDER_INTERVAL = timedelta(days=7)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipient: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    console_url: str = ""

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> Optional["SmtpSettings"]:
        """None when no clinic address is configured: notifications then stay pending.
        Raises SettingsError naming a variable that cannot be used (clinic/settings.py)."""
        recipient = clinic_settings.text("CLINIC_NOTIFY_EMAIL", environ)
        if not recipient:
            return None
        return cls(
            host=clinic_settings.text("SMTP_HOST", environ),
            port=clinic_settings.integer("SMTP_PORT", environ),
            sender=clinic_settings.text("SMTP_FROM", environ),
            recipient=recipient,
            username=clinic_settings.text("SMTP_USERNAME", environ) or "",
            password=clinic_settings.text("SMTP_PASSWORD", environ) or "",
            starttls=clinic_settings.flag("SMTP_STARTTLS", environ),
            console_url=clinic_settings.url("CONSOLE_URL", environ) or "",
        )


def build_message(handoff: Handoff, settings: SmtpSettings) -> EmailMessage:
    message = EmailMessage()
    urgent = "URGENT - " if handoff.urgent else ""
    message["Subject"] = f"{urgent}New enquiry {handoff.reference}: {_words(handoff.reason)}"
    message["From"] = settings.sender
    message["To"] = settings.recipient
    where = f"{settings.console_url}/handoffs/{handoff.id}" if settings.console_url else "the staff console"
    lines = [
        f"A visitor's request {handoff.reference} was handed to the team ({handoff.channel}).",
        f"Reason: {_words(handoff.reason)}.",
    ]
    if handoff.urgent:
        route = LABELS.get(handoff.triage_route or "", "emergency advice")
        lines.append(f"URGENT: the conversation included emergency symptoms; the visitor was told: {route}.")
    lines.append(f"Read it and the whole conversation in {where}.")
    message.set_content("\n".join(lines) + "\n")
    return message


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    with smtplib.SMTP(settings.host, settings.port, timeout=10) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message)


def _words(reason: str) -> str:
    return REASON_WORDING[reason].words if reason in REASON_WORDING else reason


def deliver_pending(engine: Engine, settings: Optional[SmtpSettings]) -> int:
    """Try every pending or failed notification once; returns how many were sent."""
    if settings is None:
        return 0
    sent = 0
    for handoff in pending_notifications(engine, MAX_ATTEMPTS):
        try:
            send(build_message(handoff, settings), settings)
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("Notification for %s failed: %s", handoff.reference, error)
            mark_notification(engine, handoff.id, f"{type(error).__name__}: {error}")
            continue
        mark_notification(engine, handoff.id, None)
        sent += 1
    return sent


def build_review_message(due: List[Tuple[str, datetime]], settings: SmtpSettings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"{len(due)} answer(s) due for review"
    message["From"] = settings.sender
    message["To"] = settings.recipient
    where = f"{settings.console_url}/content" if settings.console_url else "the staff console (Answers)"
    lines = [
        "These answers and clinic details are past their review-by date. The assistant keeps",
        "sending them; check each and approve a new version (or the same text) to set a new date.",
        "",
        *(f"- {key}, review by {as_utc(review_by).date().isoformat()}" for key, review_by in due),
        "",
        f"Open them in {where}.",
    ]
    message.set_content("\n".join(lines) + "\n")
    return message


def send_review_reminder(engine: Engine, settings: Optional[SmtpSettings], moment: Optional[datetime] = None) -> bool:
    """E-mail the content past its review-by date, unless an e-mail went in the last 7 days (the
    time is kept in the database, claimed before sending, so neither a restart nor a second
    console sends it twice). Returns whether it was sent; a failed send is tried again later."""
    if settings is None:
        return False
    moment = moment or now()
    due = due_for_review(engine, moment)
    if not due:
        return False
    with Session(engine) as session, session.begin():
        before = session.scalar(select(ContentState.review_reminder_sent_at).where(ContentState.id == 1))
        claimed = session.execute(
            update(ContentState)
            .where(
                ContentState.id == 1,
                or_(
                    ContentState.review_reminder_sent_at.is_(None),
                    ContentState.review_reminder_sent_at <= moment - REVIEW_REMINDER_INTERVAL,
                ),
            )
            .values(review_reminder_sent_at=moment)
        ).rowcount
    if not claimed:
        return False
    try:
        send(build_review_message(due, settings), settings)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("The e-mail of %d answer(s) due for review failed: %s", len(due), error)
        with Session(engine) as session, session.begin():
            session.execute(update(ContentState).where(ContentState.id == 1).values(review_reminder_sent_at=before))
        return False
    with Session(engine) as session, session.begin():
        audit(session, "notifier", "review_reminder_sent", "content store", f"{len(due)} due: {settings.recipient}")
    return True

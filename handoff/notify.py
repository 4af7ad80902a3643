"""E-mail notifications of new handoffs, with retries.

A request is stored first and marked "pending"; `deliver_pending` sends what is
pending or failed. The staff console calls it every few seconds (console/app.py), so a
failed notification is retried until it succeeds and never loses the request. The e-mail holds no health details: only the reference, the
reason, whether it is urgent, and where to read it.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Mapping, Optional

from sqlalchemy.engine import Engine

from clinic import settings as clinic_settings
from clinic.triage.routes import LABELS
from handoff.models import REASON_WORDING, Handoff
from handoff.store import mark_notification, pending_notifications

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 50


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

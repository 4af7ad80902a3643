"""Content past its review-by date: listed on the inbox page, and e-mailed to the clinic once a
week over a real SMTP server on loopback (a clock set by the test, no sleeping)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import message_from_string, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handoff.content import live_versions, seed_content
from handoff.db import make_engine, migrate
from handoff.models import AuditEntry, ContentVersion
from handoff.notify import SmtpSettings, send_review_reminder
from tests.console.support import Inbox
from tests.servers import free_port

PAST_DUE = "utter_offer_pass_on.default"
NOT_YET_DUE = "utter_goodbye.default"


def set_review_by(engine, key: str, moment) -> None:
    with Session(engine) as session, session.begin():
        session.execute(
            update(ContentVersion)
            .where(ContentVersion.key == key, ContentVersion.status == "live")
            .values(review_by=moment)
        )


def review_by(engine, key: str):
    with Session(engine) as session:
        return session.scalar(
            select(ContentVersion.review_by).where(ContentVersion.key == key, ContentVersion.status == "live")
        )


@pytest.fixture
def dated(console, handoffs):
    """Two live answers in the console's store: one a year past its review date, one due next year."""
    keep = {key: review_by(handoffs, key) for key in (PAST_DUE, NOT_YET_DUE)}
    assert all(keep.values()), "the console seeds both answers"
    set_review_by(handoffs, PAST_DUE, datetime(2001, 1, 31, tzinfo=timezone.utc))
    set_review_by(handoffs, NOT_YET_DUE, datetime.now(timezone.utc) + timedelta(days=365))
    yield
    for key, moment in keep.items():
        set_review_by(handoffs, key, moment)


def test_the_inbox_lists_an_answer_past_its_review_date_and_not_one_due_later(dated, signed_in):
    page = signed_in.get("/").text
    assert "Answers due for review" in page
    section = page[page.index("Answers due for review") : page.index("</section>")]
    assert f'<a href="/content/{PAST_DUE}">{PAST_DUE}</a>' in section
    assert "review by <time" in section and "2001-01-31" in section
    assert NOT_YET_DUE not in section
    assert signed_in.get(f"/content/{PAST_DUE}").status_code == 200  # the link opens the answer


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_the_review_email_is_sent_once_a_week_and_not_again_after_a_restart(tmp_path, smtp):
    inbox, port = smtp
    url = f"sqlite:///{tmp_path / 'reminders.db'}"
    migrate(url)
    engine = make_engine(url)
    seed_content(engine)
    start = datetime.now(timezone.utc) + timedelta(days=400)  # every seeded answer is due by then
    set_review_by(engine, PAST_DUE, start - timedelta(days=30))
    settings = SmtpSettings(
        host="127.0.0.1",
        port=port,
        sender="assistant@clinic.example",
        recipient="reception@clinic.example",
        console_url="http://localhost:5080",
    )

    assert send_review_reminder(engine, settings, start) is True
    [message] = inbox.messages
    assert message["to"] == ["reception@clinic.example"] and message["from"] == "assistant@clinic.example"
    email = message_from_string(message["content"], policy=policy.default)
    assert email["Subject"].endswith("answer(s) due for review")
    body = email.get_content().replace("\r\n", "\n")
    due_on = (start - timedelta(days=30)).date().isoformat()
    assert f"- {PAST_DUE}, review by {due_on}\n" in body
    assert "Open them in http://localhost:5080/content." in body
    assert "Sam" not in body and "@" not in body  # keys and dates, nothing about visitors

    engine.dispose()
    engine = make_engine(url)  # a restart: the time sent is in the database
    for later in (timedelta(hours=1), timedelta(days=3), timedelta(days=6, hours=23)):
        assert send_review_reminder(engine, settings, start + later) is False
    assert len(inbox.messages) == 1

    assert send_review_reminder(engine, settings, start + timedelta(days=7)) is True
    assert len(inbox.messages) == 2
    _counter, live = live_versions(engine)
    assert PAST_DUE in {row.key for row in live}  # the assistant keeps sending it
    with Session(engine) as session:
        sent = session.scalars(select(AuditEntry).where(AuditEntry.action == "review_reminder_sent")).all()
    assert len(sent) == 2
    engine.dispose()


def test_a_failed_review_email_is_tried_again_and_nothing_is_sent_when_nothing_is_due(tmp_path, smtp):
    inbox, port = smtp
    url = f"sqlite:///{tmp_path / 'reminders.db'}"
    migrate(url)
    engine = make_engine(url)
    seed_content(engine)
    settings = SmtpSettings(host="127.0.0.1", port=port, sender="a@clinic.example", recipient="r@clinic.example")
    start = datetime.now(timezone.utc) + timedelta(days=400)

    down = SmtpSettings(host="127.0.0.1", port=free_port(), sender="a@clinic.example", recipient="r@clinic.example")
    assert send_review_reminder(engine, down, start) is False  # nobody listens there
    assert send_review_reminder(engine, settings, start + timedelta(minutes=1)) is True
    assert len(inbox.messages) == 1

    fresh = f"sqlite:///{tmp_path / 'nothing-due.db'}"
    migrate(fresh)
    other = make_engine(fresh)
    seed_content(other)
    with Session(other) as session, session.begin():
        session.execute(update(ContentVersion).values(review_by=start + timedelta(days=365)))
    assert send_review_reminder(other, settings, start) is False
    assert len(inbox.messages) == 1
    engine.dispose()
    other.dispose()

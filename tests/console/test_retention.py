"""make purge: nothing about a visitor is kept longer than the retention period after its last change."""

import time
from datetime import timedelta

from sqlalchemy import text

from handoff.cli import purge
from handoff.store import audit_entries, get_handoff, now
from handoff.transcripts import transcript
from tests.console.support import add_conversation

DAYS = 365


def age(handoffs, handoff_id, days, status="new"):
    """As if the request's last change (to `status`) was `days` days ago."""
    with handoffs.begin() as connection:
        connection.execute(
            text("UPDATE handoffs SET updated_at = :when, status = :status WHERE id = :id"),
            {"when": now() - timedelta(days=days), "status": status, "id": handoff_id},
        )


def test_purge_erases_requests_untouched_for_the_period_whatever_their_status(make_handoff, handoffs, trackers):
    long_ago = time.time() - (DAYS + 35) * 86400
    forgotten = make_handoff(name="Old Open", contact="+447700900801", turns=())
    add_conversation(trackers, forgotten.sender_id, [("visitor", "book me in"), ("assistant", "ok")], start=long_ago)
    done = make_handoff(name="Old Closed", contact="+447700900802", turns=())
    add_conversation(trackers, done.sender_id, [("visitor", "book me in"), ("assistant", "ok")], start=long_ago)
    recent = make_handoff(name="Still Open", contact="+447700900803")
    age(handoffs, forgotten.id, DAYS + 30)
    age(handoffs, done.id, DAYS + 30, status="closed")
    age(handoffs, recent.id, DAYS - 30)

    erased, events = purge(DAYS, handoffs, trackers)

    assert get_handoff(handoffs, forgotten.id) is None, "a request nobody closed is kept for ever"
    assert get_handoff(handoffs, done.id) is None
    assert transcript(trackers, forgotten.sender_id) == [] and transcript(trackers, done.sender_id) == []
    assert get_handoff(handoffs, recent.id) is not None and transcript(trackers, recent.sender_id)
    assert erased >= 2
    purged = [e for e in audit_entries(handoffs, 50) if e.action == "purged"]
    assert purged and f"{erased} handoffs" in purged[0].detail

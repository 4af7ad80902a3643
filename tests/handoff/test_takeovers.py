"""The takeover lock (handoff/takeovers.py) on SQLite and PostgreSQL: of many staff racing for one
conversation exactly one holds it; only the holder writes or hands back; every step is audited."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from handoff.store import audit_entries
from handoff.takeovers import (
    NotHeld,
    TakenByAnother,
    all_held,
    check_held_by,
    holder,
    mark_told_later,
    release,
    take_over,
    told_later,
)


def test_of_many_racing_staff_exactly_one_holds_the_conversation(engine):
    names = [f"staff{n}" for n in range(8)]

    def attempt(name):
        try:
            return take_over(engine, "whatsapp:+447700900123", name).staff
        except TakenByAnother as taken:
            return f"refused:{taken.staff}"

    with ThreadPoolExecutor(len(names)) as pool:
        results = list(pool.map(attempt, names))
    winners = [r for r in results if not r.startswith("refused:")]
    assert len(winners) == 1
    assert all(r == f"refused:{winners[0]}" for r in results if r.startswith("refused:"))
    assert holder(engine, "whatsapp:+447700900123").staff == winners[0]
    took = [e for e in audit_entries(engine) if e.action == "took_over"]
    assert [e.actor for e in took] == winners


def test_only_the_holder_writes_and_hands_back_then_another_may_take_it(engine):
    take_over(engine, "web-1", "sam")
    assert take_over(engine, "web-1", "sam").staff == "sam"  # again: still sam's, no error
    with pytest.raises(TakenByAnother, match="sam"):
        check_held_by(engine, "web-1", "alex")
    with pytest.raises(TakenByAnother):
        release(engine, "web-1", "alex")
    release(engine, "web-1", "sam")
    assert holder(engine, "web-1") is None and all_held(engine) == {}
    with pytest.raises(NotHeld):
        release(engine, "web-1", "sam")
    assert take_over(engine, "web-1", "alex").staff == "alex"


def test_a_waiting_visitor_is_told_once_and_never_while_someone_holds_it(engine):
    take_over(engine, "held", "sam")
    assert mark_told_later(engine, "held") is False
    assert mark_told_later(engine, "waiting") is True
    assert mark_told_later(engine, "waiting") is False
    assert told_later(engine) == ["waiting"]
    assert take_over(engine, "waiting", "sam").staff == "sam"  # staff may still come later

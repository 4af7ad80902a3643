"""The same store and the same console against PostgreSQL (127.0.0.1:5432, database `test`),
each run in a schema of its own that is dropped afterwards."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import text

from handoff.content import add_draft, approve_draft, live_versions, seed_content
from handoff.db import make_engine
from handoff.staff import check_login, create_staff_user, session_for, start_session
from handoff.store import (
    NewHandoff,
    count_new,
    erase_handoff,
    get_handoff,
    list_handoffs,
    notes_for,
    save_handoff,
    status_history,
    update_handoff,
)
from tests.console.support import EVENTS_TABLE, PASSWORD, add_conversation, start_console


@pytest.fixture(scope="module")
def pg(pg_url):
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def request(**overrides) -> NewHandoff:
    fields = dict(
        sender_id=f"pg-{uuid.uuid4().hex[:8]}",
        channel="rest",
        reason="booking",
        urgent=False,
        name="Pat <b>Postgres</b>",
        contact_kind="email",
        contact="pat@example.com",
        preferred_times="Monday",
        preferred_times_normalised="Mon",
        topic="headaches",
        summary="Wants a call.",
    )
    fields.update(overrides)
    return NewHandoff(**fields)


def test_store_round_trip_on_postgresql(pg):
    with pg.connect() as connection:
        assert connection.execute(text("SELECT current_schema()")).scalar().startswith("console_test_")
    first = save_handoff(pg, request())
    second = save_handoff(pg, request(reason="person", urgent=True))
    listed = list_handoffs(pg)
    assert [h.reference for h in listed[:2]] == [second, first]
    assert count_new(pg) == 2
    target = listed[1]
    update_handoff(pg, target.id, "reception", status="contacted", assignee="Jo", note="Called.\x01 '; DROP TABLE x;--")
    assert [(c.author, c.from_status, c.to_status) for c in status_history(pg, target.id)] == [
        ("reception", "new", "contacted")
    ]
    assert notes_for(pg, target.id)[0].text.endswith("DROP TABLE x;--")
    assert [h.reference for h in list_handoffs(pg, "contacted")] == [first]
    assert erase_handoff(pg, target.id, "reception") == target.sender_id
    assert get_handoff(pg, target.id) is None and count_new(pg) == 1


def test_staff_accounts_and_sessions_on_postgresql(pg):
    create_staff_user(pg, "pg-reception", PASSWORD)
    assert check_login(pg, "pg-reception", PASSWORD) == (True, "")
    assert check_login(pg, "pg-reception", "wrong")[0] is False
    token, csrf = start_session(pg, "pg-reception", "cookie")
    found = session_for(pg, token, "cookie")
    assert found.username == "pg-reception" and found.csrf_token == csrf
    assert session_for(pg, token, "api") is None


def test_wrong_passwords_sent_at_once_all_count_on_postgresql(pg):
    create_staff_user(pg, "pg-race", PASSWORD)
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda i: check_login(pg, "pg-race", f"wrong-{i}"), range(10)))
    assert not any(ok for ok, _ in results)
    assert check_login(pg, "pg-race", PASSWORD)[0] is False  # locked, as after five in a row


def test_the_content_store_on_postgresql_keeps_one_live_version_when_approvals_race(pg):
    assert seed_content(pg) > 70 and seed_content(pg) == 0
    create_staff_user(pg, "pg-writer", PASSWORD)
    create_staff_user(pg, "pg-checker", PASSWORD)
    key = "utter_no_problem.default"
    drafts = [add_draft(pg, key, "pg-writer", f"No problem ({n}).").id for n in range(6)]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda draft_id: approve_draft(pg, draft_id, "pg-checker"), drafts))
    _counter, rows = live_versions(pg)
    assert len([row for row in rows if row.key == key]) == 1


def test_the_console_runs_on_postgresql(pg_url, pg, tmp_path):
    """The whole console with its handoff database on PostgreSQL (the tracker store stays SQLite here)."""
    trackers_url = f"sqlite:///{tmp_path / 'trackers.db'}"
    trackers = make_engine(trackers_url)
    with trackers.begin() as connection:
        connection.execute(text(EVENTS_TABLE))
    create_staff_user(pg, "pg-api", PASSWORD)
    made = request()
    reference = save_handoff(pg, made)
    add_conversation(trackers, made.sender_id, [("visitor", "Can I book for Monday?"), ("assistant", "Of course.")])
    console = start_console(
        tmp_path, {"HANDOFF_DATABASE_URL": pg_url, "TRACKER_DATABASE_URL": trackers_url, "CLINIC_NOTIFY_EMAIL": ""}
    )
    try:
        token = requests.post(
            f"{console.url}/api/login", json={"username": "pg-api", "password": PASSWORD}, timeout=30
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        listed = requests.get(f"{console.url}/api/handoffs", headers=auth, timeout=30).json()["handoffs"]
        handoff_id = next(h["id"] for h in listed if h["reference"] == reference)
        changed = requests.patch(
            f"{console.url}/api/handoffs/{handoff_id}",
            headers=auth,
            timeout=30,
            json={"status": "booked", "note": "Booked for Monday"},
        )
        assert changed.status_code == 200 and changed.json()["history"][0]["author"] == "pg-api"
        detail = requests.get(f"{console.url}/api/handoffs/{handoff_id}", headers=auth, timeout=30).json()
        assert [line["text"] for line in detail["transcript"]] == ["Can I book for Monday?", "Of course."]
        nul = requests.patch(
            f"{console.url}/api/handoffs/{handoff_id}", headers=auth, timeout=30, json={"note": "a\u0000b"}
        )
        assert nul.status_code == 400  # PostgreSQL cannot store NUL: refused as bad input, not a 500
    finally:
        console.stop()
        trackers.dispose()
    assert "Traceback" not in console.log_text()


def test_the_review_queue_on_postgresql_queues_each_message_once_even_filled_twice_at_once(pg):
    from handoff.review import collect, erase_items_of, list_items, review
    from tests.console.test_review import action, add_events, new_sender, unique, user

    with pg.begin() as connection:
        connection.execute(text(EVENTS_TABLE.replace("id INTEGER PRIMARY KEY", "id SERIAL PRIMARY KEY")))
    sender, words = new_sender("pg-review"), [unique("pg fallback"), unique("pg out of scope")]
    add_events(
        pg,
        sender,
        [user(words[0], "nlu_fallback", 0.7), action("utter_out_of_scope"), user(words[1], "out_of_scope", 0.9)],
    )
    with ThreadPoolExecutor(2) as pool:
        added = list(pool.map(lambda _: collect(pg, pg), range(2)))
    mine = [item for item in list_items(pg, "open") if item.sender_id == sender]
    assert sorted(item.text for item in mine) == sorted(words) and sum(added) == 2
    labelled = review(pg, mine[0].id, "reception", "labelled", "ask_prices")
    assert (labelled.status, labelled.label, labelled.reviewer) == ("labelled", "ask_prices", "reception")
    assert erase_items_of(pg, [sender]) == 2
    assert not [item for item in list_items(pg, None) if item.sender_id == sender]

"""The handoff store on real SQLite and real PostgreSQL."""

import time

import pytest

from handoff import staff
from handoff.db import make_engine, migrate
from handoff.staff import AccountError, check_login, create_staff_user, end_session, session_for, start_session
from handoff.store import (
    HandoffError,
    HandoffLimitReached,
    NewHandoff,
    audit_entries,
    count_new,
    erase_handoff,
    get_handoff,
    list_handoffs,
    notes_for,
    save_handoff,
    status_history,
    update_handoff,
)


def request(**overrides):
    values = dict(
        sender_id="visitor-1",
        channel="rest",
        reason="booking",
        urgent=False,
        name="Jo Bloggs",
        contact_kind="phone",
        contact="07911 123456",
        preferred_times="Tuesday pm",
        preferred_times_normalised="Tuesday; afternoon",
        topic="back pain",
        summary="Asked to book.",
    )
    values.update(overrides)
    return NewHandoff(**values)


def test_saved_request_can_be_read_back_with_a_short_reference(engine):
    reference = save_handoff(engine, request())
    assert len(reference) == 6 and reference.isalnum() and not set(reference) & set("01IO")
    [stored] = list_handoffs(engine)
    assert stored.reference == reference and stored.status == "new" and stored.notification_status == "pending"
    assert count_new(engine) == 1


def test_inbox_is_newest_first_and_filters_by_status(engine):
    first = save_handoff(engine, request(name="First"))
    time.sleep(0.01)
    second = save_handoff(engine, request(name="Second"))
    assert [h.reference for h in list_handoffs(engine)] == [second, first]
    update_handoff(engine, list_handoffs(engine)[1].id, "alice", status="contacted")
    assert [h.reference for h in list_handoffs(engine, "contacted")] == [first]
    with pytest.raises(HandoffError):
        list_handoffs(engine, "bogus")


def test_status_changes_and_notes_record_who_and_when(engine):
    save_handoff(engine, request())
    handoff_id = list_handoffs(engine)[0].id
    update_handoff(engine, handoff_id, "alice", status="contacted", assignee="alice", note="Left a voicemail")
    update_handoff(engine, handoff_id, "bob", status="booked")
    history = status_history(engine, handoff_id)
    assert [(h.author, h.from_status, h.to_status) for h in history] == [
        ("alice", "new", "contacted"),
        ("bob", "contacted", "booked"),
    ]
    assert [(n.author, n.text) for n in notes_for(engine, handoff_id)] == [("alice", "Left a voicemail")]
    assert get_handoff(engine, handoff_id).assignee == "alice"
    assert {"status_changed", "note_added", "assigned"} <= {a.action for a in audit_entries(engine)}


@pytest.mark.parametrize(
    "change", [dict(status="done"), dict(note="   "), dict(note="x" * 6000), dict(assignee="x" * 101)]
)
def test_bad_changes_are_refused_and_nothing_changes(engine, change):
    save_handoff(engine, request())
    handoff_id = list_handoffs(engine)[0].id
    with pytest.raises(HandoffError):
        update_handoff(engine, handoff_id, "alice", **change)
    assert get_handoff(engine, handoff_id).status == "new" and notes_for(engine, handoff_id) == []


def test_hostile_text_is_stored_exactly(engine):
    hostile = "Robert'); DROP TABLE handoffs;-- <script>alert(1)</script>"
    save_handoff(engine, request(name=hostile, topic=hostile))
    assert list_handoffs(engine)[0].name == hostile


def test_erase_removes_the_request_its_notes_and_history(engine):
    save_handoff(engine, request(sender_id="to-forget"))
    handoff_id = list_handoffs(engine)[0].id
    update_handoff(engine, handoff_id, "alice", status="contacted", note="called")
    assert erase_handoff(engine, handoff_id, "alice") == "to-forget"
    assert get_handoff(engine, handoff_id) is None and list_handoffs(engine) == []
    assert "erased" in {a.action for a in audit_entries(engine)}


def test_unknown_reason_is_refused(engine):
    with pytest.raises(HandoffError):
        save_handoff(engine, request(reason="spam"))


def test_staff_login_lockout_and_sessions(engine, monkeypatch):
    password = create_staff_user(engine, "alice", "a long enough password")
    assert check_login(engine, "alice", "a long enough password") == (True, "")
    assert check_login(engine, "nobody", "whatever")[0] is False
    for _ in range(staff.MAX_FAILED_LOGINS):
        assert check_login(engine, "alice", "wrong")[0] is False
    ok, reason = check_login(engine, "alice", password)
    assert not ok and "locked" in reason
    token, csrf = start_session(engine, "alice", "api")
    assert session_for(engine, token, "api").username == "alice"
    assert session_for(engine, token, "cookie") is None and session_for(engine, "forged", "api") is None
    end_session(engine, token)
    assert session_for(engine, token, "api") is None


@pytest.mark.parametrize(
    "name,password",
    [
        ("", "long enough password"),
        ("bad name!", "long enough password"),
        ("bob", "short"),
        ("x" * 101, "long enough password"),
    ],
)
def test_bad_accounts_are_refused(engine, name, password):
    with pytest.raises(AccountError):
        create_staff_user(engine, name, password)


def test_no_duplicate_accounts(engine):
    create_staff_user(engine, "carol", "a long enough password")
    with pytest.raises(AccountError):
        create_staff_user(engine, "carol", "another long password")


# Floods ----------------------------------------------------------------------------------


def test_asking_again_and_again_in_one_conversation_adds_to_the_last_request(engine):
    references = [save_handoff(engine, request(sender_id="repeat", summary=f"ask {n}")) for n in range(5)]
    assert len(set(references)) == 5
    again = save_handoff(engine, request(sender_id="repeat", contact="07000 000999", summary="sixth time"))
    assert again == references[-1]  # the visitor is given the request that holds their details
    mine = [h for h in list_handoffs(engine) if h.sender_id == "repeat"]
    assert len(mine) == 5
    [note] = notes_for(engine, mine[0].id)
    assert "07000 000999" in note.text and "sixth time" in note.text  # nothing they said is lost
    urgent = save_handoff(engine, request(sender_id="repeat", urgent=True, triage_route="life_threatening"))
    assert urgent not in references  # an urgent request is always filed on its own


def test_a_flood_of_new_requests_is_refused_but_urgent_ones_still_go_in(engine, monkeypatch):
    monkeypatch.setenv("HANDOFF_MAX_PER_HOUR", "3")
    for n in range(3):
        save_handoff(engine, request(sender_id=f"flood-{n}"))
    with pytest.raises(HandoffLimitReached):
        save_handoff(engine, request(sender_id="flood-4"))
    assert save_handoff(engine, request(sender_id="flood-5", urgent=True, triage_route="mental_health"))
    assert len(list_handoffs(engine)) == 4


def test_lists_come_in_pages(engine):
    for n in range(7):
        save_handoff(engine, request(sender_id=f"page-{n}"))
    everything = list_handoffs(engine)
    pages = [list_handoffs(engine, None, 3, offset) for offset in (0, 3, 6)]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [h.id for page in pages for h in page] == [h.id for h in everything]


def test_an_erased_request_leaves_no_trace_in_the_sqlite_files(tmp_path):
    """SQLite keeps deleted rows in free pages and in its write-ahead log until overwritten:
    after a GDPR erase, the visitor's details must not be readable from the files."""
    url = f"sqlite:///{tmp_path / 'handoffs.db'}"
    migrate(url)
    engine = make_engine(url)
    reference = save_handoff(engine, request(name="Zebedee Quartermaine", contact="07912 345678", sender_id="gone"))
    handoff_id = next(h.id for h in list_handoffs(engine) if h.reference == reference)
    update_handoff(engine, handoff_id, "reception", note="Quartermaine called back")
    erase_handoff(engine, handoff_id, "reception")
    for path in tmp_path.glob("handoffs.db*"):
        data = path.read_bytes()
        assert b"Quartermaine" not in data and b"07912 345678" not in data, path.name
    engine.dispose()

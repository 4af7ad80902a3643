"""The JSON API: login, list, detail with transcript, change; bad input gets a 4xx JSON answer, never a 500."""

from __future__ import annotations

import pytest
import requests

from handoff.store import get_handoff, status_history


def test_login_returns_a_bearer_token(console, staff):
    response = requests.post(f"{console.url}/api/login", json={"username": staff[0], "password": staff[1]}, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and len(body["token"]) >= 40 and body["expires_in"] == 8 * 3600
    assert response.headers["Cache-Control"] == "no-store"


def test_list_filter_and_detail_with_transcript(api, make_handoff, handoffs, staff):
    made = make_handoff(name="Api Person", urgent=True)
    listed = api.get("/api/handoffs")
    assert listed.status_code == 200
    body = listed.json()
    assert body["new"] >= 1
    mine = next(h for h in body["handoffs"] if h["id"] == made.id)
    assert mine == {
        **mine,
        "reference": made.reference,
        "sender_id": made.sender_id,
        "status": "new",
        "urgent": True,
        "name": "Api Person",
        "reason": "booking",
        "channel": "rest",
        "contact": "+44 7700 900123",
        "preferred_times": "Tuesday mornings",
        "assignee": None,
    }
    assert mine["notification"]["status"] in ("pending", "failed", "sent")
    stamps = [h["created_at"] for h in body["handoffs"]]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    assert all(h["status"] == "new" for h in api.get("/api/handoffs", params={"status": "new"}).json()["handoffs"])
    assert made.id not in [h["id"] for h in api.get("/api/handoffs", params={"status": "closed"}).json()["handoffs"]]

    detail = api.get(f"/api/handoffs/{made.id}").json()
    assert detail["handoff"]["reference"] == made.reference
    assert [(line["speaker"], line["text"]) for line in detail["transcript"]] == [
        ("visitor", "Hello, I'd like to book Tui Na for my back"),
        ("assistant", "I can pass a booking request to the clinic. What is your name?"),
        ("visitor", "Sam Taylor"),
        ("assistant", "Thank you. Your reference is on its way."),
    ]
    assert detail["transcript"][0]["time"].endswith("+00:00")
    assert detail["notes"] == [] and detail["history"] == []


def test_patch_changes_status_assignee_and_note_with_the_author(api, make_handoff, handoffs, staff):
    made = make_handoff()
    response = api.patch(
        f"/api/handoffs/{made.id}", json={"status": "booked", "assignee": "Dr Li", "note": "Booked Tue 10:00"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["handoff"]["status"] == "booked" and body["handoff"]["assignee"] == "Dr Li"
    assert body["history"][0] == {**body["history"][0], "author": staff[0], "from": "new", "to": "booked"}
    assert body["notes"][0]["author"] == staff[0] and body["notes"][0]["text"] == "Booked Tue 10:00"
    assert [(c.author, c.to_status) for c in status_history(handoffs, made.id)] == [(staff[0], "booked")]
    assert (
        api.patch(f"/api/handoffs/{made.id}", json={"note": "second note"}).json()["notes"][1]["text"] == "second note"
    )


HUGE = b'{"note": "' + b"x" * 100_000 + b'"}'
DEEP = b"[" * 30_000 + b"]" * 30_000

BAD_BODIES = [
    pytest.param(b"", "application/json", 400, id="empty"),
    pytest.param(b"{", "application/json", 400, id="malformed"),
    pytest.param(b'{"status": "booked",}', "application/json", 400, id="trailing-comma"),
    pytest.param(b"\xff\xfe{}", "application/json", 400, id="not-utf8"),
    pytest.param(b"[]", "application/json", 400, id="array"),
    pytest.param(b'"booked"', "application/json", 400, id="string"),
    pytest.param(b"null", "application/json", 400, id="null"),
    pytest.param(DEEP, "application/json", 400, id="deeply-nested"),
    pytest.param(b"{}", "application/json", 400, id="nothing-to-change"),
    pytest.param(b'{"status": null}', "application/json", 400, id="only-null"),
    pytest.param(b'{"status": 3}', "application/json", 400, id="number"),
    pytest.param(b'{"status": true}', "application/json", 400, id="bool"),
    pytest.param(b'{"status": ["booked"]}', "application/json", 400, id="list-value"),
    pytest.param(b'{"status": {"$ne": null}}', "application/json", 400, id="object-value"),
    pytest.param(b'{"status": "done"}', "application/json", 400, id="unknown-status"),
    pytest.param(b'{"status": "booked\\u0000"}', "application/json", 400, id="nul-char"),
    pytest.param(b'{"assignee": "' + b"x" * 101 + b'"}', "application/json", 400, id="long-assignee"),
    pytest.param(b'{"note": "   "}', "application/json", 400, id="blank-note"),
    pytest.param(b'{"note": "' + b"x" * 5001 + b'"}', "application/json", 400, id="long-note"),
    pytest.param(b'{"status": "booked", "admin": true}', "application/json", 400, id="unknown-field"),
    pytest.param(b'{"id": 1, "sender_id": "x"}', "application/json", 400, id="read-only-fields"),
    pytest.param(b'{"status": "booked"}', "text/plain", 415, id="not-json-content-type"),
    pytest.param(b"status=booked", "application/x-www-form-urlencoded", 415, id="form"),
    pytest.param(HUGE, "application/json", 413, id="huge"),
]


@pytest.mark.parametrize("body, content_type, status", BAD_BODIES)
def test_patch_refuses_bad_input_with_a_json_4xx(api, make_handoff, handoffs, body, content_type, status):
    made = make_handoff()
    response = api.patch(f"/api/handoffs/{made.id}", data=body, headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["error"], str) and response.json()["error"]
    after = get_handoff(handoffs, made.id)
    assert after.status == "new" and after.assignee is None


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        pytest.param(b"", "application/json", 400, id="empty"),
        pytest.param(b"{'username': 'a'}", "application/json", 400, id="malformed"),
        pytest.param(b"[]", "application/json", 400, id="array"),
        pytest.param(b'{"username": "reception"}', "application/json", 400, id="missing-password"),
        pytest.param(b'{"username": 1, "password": "x"}', "application/json", 400, id="number"),
        pytest.param(b'{"username": "reception", "password": ["x"]}', "application/json", 400, id="list"),
        pytest.param(
            b'{"username": "a", "password": "b", "role": "admin"}', "application/json", 400, id="unknown-field"
        ),
        pytest.param(b'{"username": "a\\u0000", "password": "b"}', "application/json", 400, id="nul-char"),
        pytest.param(b'{"username": null, "password": null}', "application/json", 401, id="nulls"),
        pytest.param(b'{"username": "", "password": ""}', "application/json", 401, id="blank"),
        pytest.param(b"username=a&password=b", "application/x-www-form-urlencoded", 415, id="form"),
        pytest.param(b'{"username": "a", "password": "' + b"x" * 70_000 + b'"}', "application/json", 413, id="huge"),
    ],
)
def test_login_refuses_bad_input_with_a_json_4xx(console, body, content_type, status):
    response = requests.post(f"{console.url}/api/login", data=body, headers={"Content-Type": content_type}, timeout=30)
    assert response.status_code == status, response.text
    assert response.json()["error"] and "token" not in response.json()


@pytest.mark.parametrize(
    "path, status",
    [
        ("/api/handoffs/0", 404),
        ("/api/handoffs/-1", 404),
        ("/api/handoffs/2147483647", 404),
        ("/api/handoffs/99999999999999999999999", 404),
        ("/api/handoffs/abc", 404),
        ("/api/handoffs/1.5", 404),
        ("/api/handoffs?status=bogus", 400),
        ("/api/handoffs?status=%00", 400),
        ("/api/nowhere", 404),
    ],
)
def test_unknown_ids_and_bad_queries_are_4xx(api, path, status):
    response = api.get(path)
    assert response.status_code == status, response.text
    assert response.json()["error"]


def test_wrong_method_and_unknown_handoff_in_patch(api):
    assert api.patch("/api/handoffs/2147483000", json={"status": "closed"}).status_code == 404
    assert api.patch("/api/handoffs/99999999999999999999", json={"status": "closed"}).status_code == 404
    response = api.delete("/api/handoffs/1")
    assert response.status_code == 405 and response.json()["error"]

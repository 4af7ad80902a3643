"""The audit log records every look at personal data (lists included), logins and logouts,
failed logins for names that do not exist, erase confirmations and audit views, each with
the address the request came from."""

from __future__ import annotations

import requests

from handoff.store import audit_entries
from tests.console.support import Client


def entries_since(handoffs, last_id):
    return [e for e in audit_entries(handoffs, 2000) if e.id > last_id]


def test_every_look_at_personal_data_is_audited_with_the_address(console, handoffs, make_handoff, new_user):
    username, password = new_user("auditor")
    made = make_handoff()
    before = max((e.id for e in audit_entries(handoffs, 1)), default=0)

    browser = Client(console.url)
    browser.login_form(username, password)
    browser.get("/")
    browser.get("/?status=new")
    browser.get(f"/handoffs/{made.id}")
    browser.get(f"/handoffs/{made.id}/erase")
    browser.get("/audit")
    token = requests.post(
        f"{console.url}/api/login", json={"username": username, "password": password}, timeout=30
    ).json()["token"]
    requests.get(f"{console.url}/api/handoffs", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    requests.post(f"{console.url}/api/login", json={"username": "no-such-person", "password": "guess"}, timeout=30)
    browser.post("/logout", data={"csrf": browser.csrf()})

    seen = entries_since(handoffs, before)
    actions = [(e.actor, e.action, e.target) for e in seen]
    assert (username, "logged_in", username) in actions
    assert (username, "listed", "all requests") in actions
    assert (username, "listed", "new requests") in actions
    assert (username, "viewed", made.reference) in actions
    assert (username, "erase_confirmation_viewed", made.reference) in actions
    assert (username, "audit_viewed", "audit log") in actions
    assert (username, "listed", "all requests (API)") in actions
    assert ("no-such-person", "login_failed", "no-such-person") in actions
    assert (username, "logged_out", username) in actions
    assert all(e.address == "127.0.0.1" for e in seen), [(e.action, e.address) for e in seen]
    assert "127.0.0.1" in browser_after_login(console, username, password).get("/audit").text


def browser_after_login(console, username, password):
    browser = Client(console.url)
    browser.login_form(username, password)
    return browser

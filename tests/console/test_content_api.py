"""Staff changing the assistant's answers through the API: one drafts, another approves; safety
replies need a clinical safety officer; claims need a source or an explicit acknowledgement;
every step is in the audit log; bad input gets a clear 4xx and changes nothing."""

from __future__ import annotations

import json

import pytest
import requests

from handoff.models import SAFETY_OFFICER
from handoff.staff import set_role
from handoff.store import audit_entries
from tests.console.support import NLG_TOKEN, api_session


def live_text(console, response, slots=None):
    body = {"response": response, "arguments": {}, "tracker": {"slots": slots or {}}, "channel": {"name": "rest"}}
    return requests.post(f"{console.url}/nlg", params={"token": NLG_TOKEN}, json=body, timeout=30).json()["text"]


def item(api, key):
    listed = api.get("/api/content")
    assert listed.status_code == 200, listed.text
    return next(entry for entry in listed.json()["content"] if entry["key"] == key)


@pytest.fixture
def pair(console, new_user):
    """A writer and a checker, each with an API session."""
    writer, checker = new_user("writer")[0], new_user("checker")[0]
    return (writer, api_session(console, writer)), (checker, api_session(console, checker))


def test_the_list_shows_each_answer_live_with_its_review_date_and_last_approver(api):
    entry = item(api, "utter_contact_route.clinic_contact_route-phone")
    assert entry["live"]["text"] == "You can call the clinic on {clinic_phone}."
    assert entry["live"]["condition"] == [{"type": "slot", "name": "clinic_contact_route", "value": "phone"}]
    assert entry["review_by"] and entry["last_approver"] and entry["safety"] is False
    assert item(api, "utter_emergency.default")["safety"] is True
    assert item(api, "clinic_details.phone")["kind"] == "detail"


def test_a_draft_approved_by_someone_else_goes_live_and_everything_is_audited(console, handoffs, pair):
    (writer, writer_api), (checker, checker_api) = pair
    before = max(e.id for e in audit_entries(handoffs, 1))
    key = "utter_goodbye.default"
    draft = writer_api.post(f"/api/content/{key}/drafts", json={"text": "Goodbye for now, and take care."})
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["draft"]["id"]
    assert draft.json()["draft"]["status"] == "draft" and draft.json()["draft"]["author"] == writer

    own = writer_api.post(f"/api/content/drafts/{draft_id}/approve", json={})
    assert own.status_code == 403 and "own draft" in own.json()["error"]
    assert live_text(console, "utter_goodbye") != "Goodbye for now, and take care."

    approved = checker_api.post(f"/api/content/drafts/{draft_id}/approve", json={"comment": "Checked with the team."})
    assert approved.status_code == 200, approved.text
    assert live_text(console, "utter_goodbye") == "Goodbye for now, and take care."
    entry = item(checker_api, key)
    assert entry["live"]["id"] == draft_id and entry["last_approver"] == checker
    assert entry["live"]["comment"] == "Checked with the team."
    assert checker_api.post(f"/api/content/drafts/{draft_id}/approve").status_code == 409  # decided already

    second = writer_api.post(f"/api/content/{key}/drafts", json={"text": "Bye!"}).json()["draft"]["id"]
    refused = checker_api.post(f"/api/content/drafts/{second}/reject", json={"comment": "Too casual."})
    assert refused.status_code == 200 and refused.json()["rejected"]["status"] == "rejected"
    assert live_text(console, "utter_goodbye") == "Goodbye for now, and take care."

    actions = [(e.actor, e.action, e.target) for e in audit_entries(handoffs, 500) if e.id > before]
    assert (writer, "content_drafted", key) in actions
    assert (checker, "content_approved", key) in actions
    assert (checker, "content_rejected", key) in actions
    assert actions.count((writer, "content_drafted", key)) == 2


def test_a_safety_reply_needs_a_clinical_safety_officer(console, handoffs, pair, new_user):
    (writer, writer_api), (checker, checker_api) = pair
    key = "utter_ask_diagnosis.default"
    text = "I can't diagnose symptoms. Please speak to your GP or a pharmacist, or call NHS 111; 999 in an emergency."
    draft_id = writer_api.post(f"/api/content/{key}/drafts", json={"text": text}).json()["draft"]["id"]
    refused = checker_api.post(f"/api/content/drafts/{draft_id}/approve")
    assert refused.status_code == 403 and SAFETY_OFFICER in refused.json()["error"]
    assert live_text(console, "utter_ask_diagnosis") != text

    officer = new_user("officer")[0]
    set_role(handoffs, officer, SAFETY_OFFICER, True)
    approved = api_session(console, officer).post(f"/api/content/drafts/{draft_id}/approve")
    assert approved.status_code == 200, approved.text
    assert live_text(console, "utter_ask_diagnosis") == text


def test_a_claim_without_guidance_behind_it_needs_an_explicit_acknowledgement(console, pair):
    (_writer, writer_api), (_checker, checker_api) = pair
    key = "utter_out_of_scope.default"
    text = "Sorry, I can only help with questions about the clinic. Tui Na relieves back pain."
    draft_id = writer_api.post(f"/api/content/{key}/drafts", json={"text": text}).json()["draft"]["id"]
    blocked = checker_api.post(f"/api/content/drafts/{draft_id}/approve", json={"comment": "fine"})
    assert blocked.status_code == 409 and "relieves" in blocked.json()["error"]
    assert live_text(console, "utter_out_of_scope") != text
    approved = checker_api.post(f"/api/content/drafts/{draft_id}/approve", json={"acknowledge_claims": True})
    assert approved.status_code == 200 and approved.json()["live"]["claims_acknowledged"] is True
    assert live_text(console, "utter_out_of_scope") == text


def test_a_claim_backed_by_nice_guidance_needs_no_acknowledgement(pair):
    (_writer, writer_api), (_checker, checker_api) = pair
    body = {
        "text": "NICE guidance says acupuncture can be considered for preventing chronic tension-type headaches; it is effective for some people.",
        "source": "NICE guidance",
        "source_reference": "https://www.nice.org.uk/guidance/cg150",
    }
    draft = writer_api.post("/api/content/utter_hello.default/drafts", json=body)
    assert draft.status_code == 201, draft.text
    approved = checker_api.post(f"/api/content/drafts/{draft.json()['draft']['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["live"]["claims_acknowledged"] is False


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \u202e'


def test_hostile_text_is_stored_as_text_and_never_rendered_unescaped(console, handoffs, pair, signed_in):
    (_writer, writer_api), (_checker, checker_api) = pair
    key = "utter_bot_challenge.default"
    draft = writer_api.post(f"/api/content/{key}/drafts", json={"text": HOSTILE})
    assert draft.status_code == 201, draft.text
    assert draft.json()["draft"]["text"] == HOSTILE.strip()
    draft_id = draft.json()["draft"]["id"]
    rejected = checker_api.post(f"/api/content/drafts/{draft_id}/reject", json={"comment": HOSTILE})
    assert rejected.json()["rejected"]["comment"] == HOSTILE.strip()
    audit_page = signed_in.get("/audit").text
    assert "<script>alert" not in audit_page and "&lt;script&gt;alert" in audit_page


BAD_DRAFTS = [
    (b"", "empty", 400),
    (b"{not json", "not valid JSON", 400),
    (b"[1, 2]", "JSON object", 400),
    (b'{"text": 5}', "text must be a string", 400),
    (b'{"text": "Hi", "colour": "red"}', "unknown field", 400),
    (b'{"buttons": []}', "missing field", 400),
    (b'{"text": ""}', "empty", 400),
    (b'{"text": "   "}', "empty", 400),
    (b'{"text": "Hi", "buttons": "yes"}', "buttons must be a list", 400),
    (b'{"text": "Hi", "buttons": [{"title": "Yes"}]}', "title and a payload", 400),
    (b'{"text": "Hi", "buttons": [{"title": "Yes", "payload": "javascript:alert(1)"}]}', "payload like /affirm", 400),
    (b'{"text": "Hi {visitor_password}"}', "unknown placeholder", 400),
    (b'{"text": "Hi {unclosed"}', "unmatched", 400),
    (b'{"text": "Hi", "source": "my blog"}', "source must be one of", 400),
    (b'{"text": "Hi", "review_by": "tomorrow"}', "review_by", 400),
    (b'{"text": "Hi", "review_by": "2001-01-01"}', "after today", 400),
    (b'{"text": "Hi\\u0000there"}', "NUL", 400),
    (json.dumps({"text": "x" * 2001}).encode(), "longer than 2000", 400),
    (json.dumps({"text": "x" * 70000}).encode(), "", 413),
]


@pytest.mark.parametrize("body,message,status", BAD_DRAFTS, ids=[m or str(s) for _, m, s in BAD_DRAFTS])
def test_a_bad_draft_gets_a_clear_4xx_and_changes_nothing(console, api, body, message, status):
    key = "utter_offer_booking.default"
    before = item(api, key)
    response = api.post(f"/api/content/{key}/drafts", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status, response.text
    assert message.lower() in response.json()["error"].lower()
    after = item(api, key)
    assert after["live"] == before["live"] and after["drafts"] == before["drafts"]


def test_unknown_keys_drafts_and_wrong_types_on_decisions_are_refused(api, pair):
    (_writer, writer_api), (_checker, checker_api) = pair
    assert api.post("/api/content/utter_nothing.default/drafts", json={"text": "Hi"}).status_code == 404
    assert api.post("/api/content/<script>/drafts", json={"text": "Hi"}).status_code == 404
    assert api.post("/api/content/drafts/999999999/approve", json={}).status_code == 404
    assert api.post("/api/content/drafts/99999999999/reject", json={"comment": "x"}).status_code == 404
    key = "utter_thank.default"
    draft_id = writer_api.post(f"/api/content/{key}/drafts", json={"text": "Thank you!"}).json()["draft"]["id"]
    wrong = checker_api.post(f"/api/content/drafts/{draft_id}/approve", json={"acknowledge_claims": "yes"})
    assert wrong.status_code == 400 and "acknowledge_claims must be a bool" in wrong.json()["error"]
    assert checker_api.post(f"/api/content/drafts/{draft_id}/reject", json={}).status_code == 400
    blank = checker_api.post(f"/api/content/drafts/{draft_id}/reject", json={"comment": "  "})
    assert blank.status_code == 400 and "say why" in blank.json()["error"]
    assert [d["status"] for d in item(checker_api, key)["drafts"] if d["id"] == draft_id] == ["draft"]  # still open


def test_without_a_staff_token_the_content_api_is_closed(console):
    assert requests.get(f"{console.url}/api/content", timeout=30).status_code == 401
    nlg_token_as_staff = requests.get(
        f"{console.url}/api/content", headers={"Authorization": f"Bearer {NLG_TOKEN}"}, timeout=30
    )
    assert nlg_token_as_staff.status_code == 401


def test_the_history_of_an_answer_names_who_drafted_approved_and_rejected_what(pair):
    (writer, writer_api), (checker, checker_api) = pair
    key = "utter_no_problem.default"
    first = writer_api.post(f"/api/content/{key}/drafts", json={"text": "Not a problem, happy to help."}).json()[
        "draft"
    ]
    assert checker_api.post(f"/api/content/drafts/{first['id']}/approve", json={"comment": "fine"}).status_code == 200
    second = writer_api.post(f"/api/content/{key}/drafts", json={"text": "No worries!"}).json()["draft"]
    checker_api.post(f"/api/content/drafts/{second['id']}/reject", json={"comment": "too casual"})

    history = writer_api.get(f"/api/content/{key}")
    assert history.status_code == 200, history.text
    versions = history.json()["history"]
    assert [(v["id"], v["status"]) for v in versions[:2]] == [(second["id"], "rejected"), (first["id"], "live")]
    assert (versions[0]["rejected_by"], versions[0]["comment"]) == (checker, "too casual")
    assert (versions[1]["author"], versions[1]["approver"], versions[1]["comment"]) == (writer, checker, "fine")
    assert versions[2]["status"] == "superseded" and versions[2]["approved_at"] < versions[1]["approved_at"]


@pytest.mark.parametrize("key", ["utter_nothing_like_this.default", "x" * 5000, "%00", "..%2F..%2Fetc"])
def test_the_history_of_no_such_answer_is_a_clear_404(api, key):
    answer = api.get(f"/api/content/{key}")
    assert answer.status_code == 404 and "no such content key" in answer.json()["error"]

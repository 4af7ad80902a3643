"""Rasa calling the console's NLG endpoint: the answer it gets for a response name, the slots
and the channel, as Rasa's own templated generator would give it, with approved edits live."""

from __future__ import annotations

import logging
import random
import statistics
import time

import requests

from console.nlg import LiveContent, choose_variations, fill
from handoff.content import add_draft, approve_draft
from handoff.db import make_engine
from tests.console.support import NLG_TOKEN, api_session, wait_for

CONTRACT_KEYS = {"text", "buttons", "image", "elements", "attachments", "custom"}


def rasa_request(response, slots=None, channel="rest", arguments=None):
    """The body Rasa 3.6's CallbackNaturalLanguageGenerator posts."""
    return {
        "response": response,
        "arguments": arguments or {},
        "id": None,
        "tracker": {
            "sender_id": "visitor-1",
            "slots": slots or {},
            "latest_message": {},
            "events": [],
            "paused": False,
        },
        "channel": {"name": channel},
    }


def ask(console, body, token=NLG_TOKEN):
    return requests.post(f"{console.url}/nlg", params={"token": token} if token else None, json=body, timeout=30)


# The choice, as Rasa makes it -----------------------------------------------------------------

VARIATIONS = [
    {"text": "plain"},
    {"text": "plain on telegram", "channel": "telegram"},
    {"text": "phone {clinic_phone}", "condition": [{"type": "slot", "name": "route", "value": "phone"}]},
    {
        "text": "phone on telegram",
        "channel": "telegram",
        "condition": [{"type": "slot", "name": "route", "value": "phone"}],
    },
]


def texts(chosen):
    return sorted(v["text"] for v in chosen)


def test_a_met_condition_wins_and_the_channel_s_own_variation_comes_first():
    assert texts(choose_variations(VARIATIONS, {"route": "phone"}, "telegram")) == ["phone on telegram"]
    assert texts(choose_variations(VARIATIONS, {"route": "phone"}, "rest")) == ["phone {clinic_phone}"]
    assert texts(choose_variations(VARIATIONS, {"route": "email"}, "telegram")) == ["plain on telegram"]
    assert texts(choose_variations(VARIATIONS, {}, "rest")) == ["plain"]
    assert texts(choose_variations(VARIATIONS, {}, None)) == ["plain"]


def test_placeholders_are_filled_from_slots_and_arguments_and_an_unknown_one_leaves_the_text_as_written():
    assert fill("Call {clinic_phone}.", {"clinic_phone": "01234 567890"}) == "Call 01234 567890."
    assert fill("Call {clinic_phone} ({missing}).", {"clinic_phone": "01234"}) == "Call {clinic_phone} ({missing})."
    assert fill([{"title": "{a}", "payload": "/x"}], {"a": "Yes"}) == [{"title": "Yes", "payload": "/x"}]


# The endpoint -------------------------------------------------------------------------------


def test_rasa_gets_the_documented_answer_without_a_staff_login(console):
    response = ask(console, rasa_request("utter_offer_pass_on"))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == CONTRACT_KEYS
    assert answer["text"] == "Would you like me to pass your question to the team, so they can get back to you?"
    assert answer["buttons"] == [
        {"title": "Yes, please", "payload": "/affirm"},
        {"title": "No, thanks", "payload": "/deny"},
    ]
    assert (answer["image"], answer["elements"], answer["attachments"], answer["custom"]) == (None, [], [], {})
    bearer = requests.post(
        f"{console.url}/nlg",
        json=rasa_request("utter_offer_pass_on"),
        headers={"Authorization": f"Bearer {NLG_TOKEN}"},
        timeout=30,
    )
    assert bearer.status_code == 200


def test_the_emergency_reply_follows_the_triage_route_slot(console):
    ask_route = ask(console, rasa_request("utter_emergency", {"triage_route": "mental_health"})).json()["text"]
    default = ask(console, rasa_request("utter_emergency", {})).json()["text"]
    assert "Samaritans" in ask_route and ask_route != default
    assert default.startswith("This could be an emergency. Please call 999")


def test_without_the_token_or_with_a_wrong_one_rasa_is_refused(console):
    assert ask(console, rasa_request("utter_offer_pass_on"), token=None).status_code == 401
    assert ask(console, rasa_request("utter_offer_pass_on"), token="guess").status_code == 401
    staff_token = requests.post(
        f"{console.url}/nlg",
        json=rasa_request("utter_offer_pass_on"),
        headers={"Authorization": "Bearer not-the-nlg-token"},
        timeout=30,
    )
    assert staff_token.status_code == 401 and "error" in staff_token.json()


def test_bad_requests_get_a_clear_4xx(console):
    unknown = ask(console, rasa_request("utter_no_such_thing"))
    assert unknown.status_code == 404 and "utter_no_such_thing" in unknown.json()["error"]
    for body in (
        b"",
        b"{not json",
        b"[]",
        b'{"response": 5}',
        b'{"response": "utter_hello", "tracker": {"slots": []}}',
    ):
        response = requests.post(
            f"{console.url}/nlg", params={"token": NLG_TOKEN}, data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, (body, response.status_code, response.text)
        assert "error" in response.json()


def test_an_approved_edit_is_sent_on_the_next_request(console, new_user):
    writer, checker = new_user("writer"), new_user("checker")
    key, new_text = "utter_no_problem.default", "No problem at all."
    draft = api_session(console, writer[0]).post(f"/api/content/{key}/drafts", json={"text": new_text})
    assert draft.status_code == 201, draft.text
    assert ask(console, rasa_request("utter_no_problem")).json()["text"] != new_text  # a draft is not live
    approved = api_session(console, checker[0]).post(f"/api/content/drafts/{draft.json()['draft']['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert ask(console, rasa_request("utter_no_problem")).json()["text"] == new_text


def test_another_process_sees_an_approval_within_a_few_seconds(handoffs, console, new_user):
    other = LiveContent(handoffs)  # another console process's cache, on the same database
    other.refresh()
    before = other.generate("utter_other_language", {"visitor_language": "other"}, "rest", {})["text"]
    writer, checker = new_user("writer")[0], new_user("checker")[0]
    key = "utter_other_language.default"
    draft = add_draft(handoffs, key, writer, "Sorry, I can only answer in English.")
    approve_draft(handoffs, draft.id, checker)
    approved_at = time.monotonic()

    def seen():
        other.refresh()
        return other.generate("utter_other_language", {}, "rest", {})["text"] == "Sorry, I can only answer in English."

    wait_for(seen, timeout=5, interval=0.05, message="the approval in the other process")
    assert time.monotonic() - approved_at < 3
    assert before != "Sorry, I can only answer in English."


def test_an_approved_clinic_detail_fills_the_answers_at_once(console, new_user):
    writer, checker = new_user("writer")[0], new_user("checker")[0]
    draft = api_session(console, writer).post(
        "/api/content/clinic_details.prices/drafts", json={"text": "Test price list (not real)."}
    )
    assert draft.status_code == 201, draft.text
    api_session(console, checker).post(f"/api/content/drafts/{draft.json()['draft']['id']}/approve")
    # Rasa's slots still say the clinic gave no prices; the live detail is used all the same.
    answer = ask(console, rasa_request("utter_prices", {"clinic_prices": None})).json()["text"]
    assert "Test price list (not real)." in answer


def test_an_unreadable_store_answers_from_the_domain_files_with_a_warning(tmp_path, caplog):
    broken = LiveContent(make_engine(f"sqlite:///{tmp_path / 'never-migrated.db'}"))
    with caplog.at_level(logging.WARNING, logger="console.nlg"):
        broken.refresh()
    answer = broken.generate("utter_offer_pass_on", {}, "rest", {})
    assert answer["text"] == "Would you like me to pass your question to the team, so they can get back to you?"
    assert any("answering from the domain files" in record.getMessage() for record in caplog.records)


def test_the_lookup_is_cheap(handoffs, console):
    content = LiveContent(handoffs)
    content.refresh()
    timings = []
    rng = random.Random(1)
    for _ in range(200):
        start = time.perf_counter()
        content.generate("utter_contact_route", {"clinic_contact_route": "phone", "clinic_phone": "0"}, "rest", {}, rng)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.005

"""The review queue in the console: what gets queued from Rasa's events, labelling through the
API and the page, the red-flag rule, bad input, and the visitor's words leaving with the
conversation (GDPR erase, retention purge, a conversation gone from the tracker store)."""

from __future__ import annotations

import json
import os
import time
import uuid
from itertools import count
from typing import Optional
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from handoff.cli import purge
from handoff.review import collect, get_item, list_items, store_check
from handoff.store import audit_entries, now
from tests.console.support import csrf_of
from tests.console.test_api_fuzz import FUZZ, assert_clear, bodies, field_values

_conversations = count()


def new_sender(prefix: str = "review") -> str:
    return f"{prefix}-{next(_conversations)}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def user(said: str, intent: str, confidence: float = 0.95, route: Optional[str] = None, ask_if_now: bool = False):
    parse = {
        "text": said,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [],
        "triage": {"route": route, "reason": "", "matched": [], "ask_if_now": ask_if_now, "set_aside": []},
    }
    return ("user", {"event": "user", "text": said, "parse_data": parse, "message_id": uuid.uuid4().hex})


def action(name: str):
    return ("action", {"event": "action", "name": name})


def bot(said: str):
    return ("bot", {"event": "bot", "text": said, "data": {}})


def add_events(trackers, sender: str, events, start: Optional[float] = None) -> None:
    """Rows as Rasa's SQL tracker store writes them, a few seconds apart."""
    start = start if start is not None else time.time() - 600
    with trackers.begin() as connection:
        for number, (type_name, data) in enumerate(events):
            stamp = start + 5 * number
            data = dict(data, timestamp=stamp)
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (:s, :t, :ts, :i, :a, :d)"
                ),
                {
                    "s": sender,
                    "t": type_name,
                    "ts": stamp,
                    "i": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                    "a": data.get("name"),
                    "d": json.dumps(data),
                },
            )


def queued(api, status: str = "open"):
    """Every item of one status, through the API (which first fills the queue)."""
    items, offset = [], 0
    while offset is not None:
        response = api.get(f"/api/review?status={status}&limit=200&offset={offset}")
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        offset = response.json()["next_offset"]
    return {item["text"]: item for item in items}


def unique(words: str) -> str:
    return f"{words} {uuid.uuid4().hex[:8]}"


def test_the_messages_the_assistant_was_unsure_about_are_queued_once(api, trackers, handoffs):
    said = {
        name: unique(words)
        for name, words in {
            "fallback": "gibberish about the moon and teapots",
            "out_of_scope": "can you recommend a good plumber",
            "low": "is it the wobbly thing again",
            "check": "my legs went numb last week",
            "core": "what about prices then",
            "question": "do you treat tennis elbow",
            "confident": "what are your opening hours",
        }.items()
    }
    sender = new_sender()
    add_events(
        trackers,
        sender,
        [
            user(said["fallback"], "nlu_fallback", 0.7),
            action("utter_out_of_scope"),
            user(said["out_of_scope"], "out_of_scope", 0.9),
            action("utter_out_of_scope"),
            user(said["low"], "ask_back_pain", 0.41),
            action("utter_back_pain"),
            user(said["check"], "triage_check", 1.0, route="ae_now", ask_if_now=True),
            action("utter_ask_triage_now"),
            user("/affirm", "affirm", 1.0),  # a button: not the visitor's words
            user(said["core"], "ask_prices", 0.93),
            action("utter_out_of_scope"),  # no rule fitted: the core fallback
            user(said["confident"], "ask_opening_hours", 0.99),
            action("utter_opening_hours"),
            user(said["question"], "ask_tuina_conditions", 0.88),
            action("utter_tuina_conditions"),
            user("thanks", "thank", 0.99),
            user("that did not help", "feedback_not_helpful", 0.99),
        ],
    )
    items = queued(api)
    reasons = {name: items[words]["reason"] if words in items else None for name, words in said.items()}
    assert reasons == {
        "fallback": "fallback",
        "out_of_scope": "out_of_scope",
        "low": "low_confidence",
        "check": "triage_question",
        "core": "fallback",
        "question": "not_helpful",
        "confident": None,
    }
    assert items[said["check"]]["triage_route"] == "ae_now"
    assert items[said["low"]]["assistant"] == {"intent": "ask_back_pain", "confidence": 0.41}
    assert "sender_id" not in items[said["fallback"]], "the API names no conversation (a WhatsApp id is a phone number)"
    assert not any(text.startswith("/") or text == "thanks" for text in items)

    # Filling again, by the API or directly, queues nothing twice.
    again = queued(api)
    assert [t for t in again if t in said.values()] == [t for t in items if t in said.values()]
    assert collect(handoffs, trackers) == 0
    with handoffs.connect() as connection:
        rows = connection.execute(
            text("SELECT COUNT(*) FROM review_items WHERE sender_id = :s"), {"s": sender}
        ).scalar()
    assert rows == 6


def loop(name):
    return ("active_loop", {"event": "active_loop", "name": name})


def test_answers_to_the_booking_form_are_not_queued_but_its_triage_question_is(api, trackers):
    """A name or a phone number given to the form is not a topic the assistant missed."""
    name, phone = unique("Sam Taylor"), unique("07700 900123")
    numb, after = unique("my arm went numb yesterday"), unique("blorf after the form")
    add_events(
        trackers,
        new_sender("form"),
        [
            user("I want to book", "book_appointment", 0.97),
            action("handoff_form"),
            loop("handoff_form"),
            user(name, "out_of_scope", 0.6),
            action("handoff_form"),
            user(phone, "nlu_fallback", 0.4),
            action("utter_out_of_scope"),
            user(numb, "triage_check", 1.0, route="urgent", ask_if_now=True),
            action("utter_triage_check_in_form"),
            loop(None),
            user(after, "nlu_fallback", 0.5),
            action("utter_out_of_scope"),
        ],
    )
    items = queued(api)
    assert name not in items and phone not in items
    assert items[numb]["reason"] == "triage_question" and items[after]["reason"] == "fallback"


def _fallbacks(trackers, number: int = 3):
    sender, texts = new_sender(), [unique(f"fallback number {n} zzq") for n in range(number)]
    add_events(
        trackers,
        sender,
        [event for t in texts for event in (user(t, "nlu_fallback", 0.7), action("utter_out_of_scope"))],
    )
    return sender, texts


def test_staff_label_three_fallback_messages_through_the_api(api, trackers, handoffs, staff):
    _sender, texts = _fallbacks(trackers)
    items = queued(api)
    ids = [items[t]["id"] for t in texts]
    answers = [
        api.patch(f"/api/review/{ids[0]}", json={"status": "labelled", "intent": "ask_prices"}),
        api.patch(f"/api/review/{ids[1]}", json={"status": "new_topic"}),
        api.patch(f"/api/review/{ids[2]}", json={"status": "ignored"}),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
    first = answers[0].json()["item"]
    assert (first["status"], first["label"], first["reviewer"]) == ("labelled", "ask_prices", staff[0])
    assert first["reviewed_at"] and first["check"] is None
    open_now = queued(api)
    assert not any(t in open_now for t in texts), "a reviewed message stays in the open queue"
    assert texts[0] in queued(api, "labelled") and texts[1] in queued(api, "new_topic")
    assert texts[2] in queued(api, "ignored")
    audited = [(e.action, e.target, e.detail) for e in audit_entries(handoffs, 100)]
    assert ("review_labelled", f"review item {ids[0]}", "ask_prices") in audited
    assert ("review_ignored", f"review item {ids[2]}", "") in audited
    # Back to open: who and when are cleared.
    reopened = api.patch(f"/api/review/{ids[2]}", json={"status": "open"}).json()["item"]
    assert (reopened["status"], reopened["reviewer"], reopened["label"]) == ("open", None, None)


def test_a_red_flag_is_never_labelled_as_an_everyday_topic(api, trackers, handoffs):
    said = unique("my legs went numb last week and my back hurts")
    add_events(trackers, new_sender(), [user(said, "triage_check", 1.0, route="ae_now", ask_if_now=True)])
    item = queued(api)[said]
    refused = api.patch(f"/api/review/{item['id']}", json={"status": "labelled", "intent": "ask_back_pain"})
    assert refused.status_code == 409
    assert "red_flag" in refused.json()["error"] and "ae_now" in refused.json()["error"]
    assert get_item(handoffs, item["id"]).status == "open"
    assert api.patch(f"/api/review/{item['id']}", json={"status": "labelled", "intent": "red_flag"}).status_code == 200
    assert api.patch(f"/api/review/{item['id']}", json={"status": "new_topic"}).status_code == 200


HOSTILE = "<script>alert('x')</script>\"'; DROP TABLE review_items; --"


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (None, "application/json", 400),  # empty
        ("not json", "application/json", 400),
        ("[]", "application/json", 400),
        ("{}", "application/json", 400),  # no status
        ('{"status": "labelled"}', "application/json", 400),  # no intent
        ('{"status": "ignored", "intent": "ask_prices"}', "application/json", 400),
        ('{"status": "labelled", "intent": "not_an_intent"}', "application/json", 400),
        ('{"status": "labelled", "intent": "other_language"}', "application/json", 400),
        ('{"status": "labelled", "intent": "nlu_fallback"}', "application/json", 400),
        ('{"status": "done"}', "application/json", 400),
        ('{"status": 1}', "application/json", 400),
        ('{"status": ["open"]}', "application/json", 400),
        ('{"status": "open", "reviewer": "mallory"}', "application/json", 400),  # unknown field
        ('{"status": "labelled", "intent": "ask_prices\\u0000"}', "application/json", 400),
        (json.dumps({"status": "labelled", "intent": HOSTILE}), "application/json", 400),
        (json.dumps({"status": "labelled", "intent": "a" * 50_000}), "application/json", 400),
        (json.dumps({"status": "open", "intent": "x" * 70_000}), "application/json", 413),
        ('{"status": "ignored"}', "text/plain", 415),
        ('{"status": "ignored"}', "application/x-www-form-urlencoded", 415),
    ],
)
def test_bad_input_to_the_api_is_refused_and_changes_nothing(api, trackers, handoffs, body, content_type, status):
    _sender, (said,) = _fallbacks(trackers, 1)
    item = queued(api)[said]
    response = api.patch(f"/api/review/{item['id']}", data=body, headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert response.json()["error"]
    unchanged = get_item(handoffs, item["id"])
    assert (unchanged.status, unchanged.label, unchanged.reviewer) == ("open", None, None)


@pytest.mark.parametrize(
    "path, status",
    [
        ("/api/review/0", 404),
        ("/api/review/999999999", 404),
        (f"/api/review/{2**31}", 404),
        (f"/api/review/{10**30}", 404),
        ("/api/review/-1", 404),
        ("/api/review/abc", 404),
    ],
)
def test_unknown_items_are_404(api, path, status):
    response = api.patch(path, json={"status": "ignored"})
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    "query", ["status=done", "status=%00", "limit=0", "limit=201", "limit=x", "offset=-1", f"status={'a' * 5000}"]
)
def test_bad_queries_are_400(api, query):
    response = api.get(f"/api/review?{query}")
    assert response.status_code == 400 and response.json()["error"]


@pytest.mark.parametrize("path", ["/api/review", "/api/handoffs"])
@pytest.mark.parametrize("number", ["\u00b9", "\u00b2\u00b3", "\u0663", "\uff11"])
def test_digits_that_are_not_ascii_are_400_not_a_server_error(api, path, number):
    """Found by fuzzing: str.isdigit() accepts '¹', which int() then refuses (a 500)."""
    response = api.get(f"{path}?limit={quote(number)}")
    assert response.status_code == 400 and "whole number" in response.json()["error"]


def test_the_review_page_lists_open_items_and_labels_them_with_csrf(signed_in, trackers, handoffs):
    _sender, texts = _fallbacks(trackers, 2)
    hostile = unique(HOSTILE)
    add_events(trackers, new_sender(), [user(hostile, "nlu_fallback", 0.6)])
    page = signed_in.get("/review")
    assert page.status_code == 200
    assert all(t in page.text for t in texts)
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "<option>ask_prices</option>" in page.text and "other_language" not in page.text
    item = next(i for i in list_items(handoffs, "open") if i.text == texts[0])
    form = {"decision": "labelled", "intent": "ask_opening_hours"}
    assert signed_in.post(f"/review/{item.id}", data=form).status_code == 403, "no CSRF token, no change"
    assert get_item(handoffs, item.id).status == "open"
    done = signed_in.post(f"/review/{item.id}", data={**form, "csrf": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["Location"] == "/review"
    assert (get_item(handoffs, item.id).status, get_item(handoffs, item.id).label) == ("labelled", "ask_opening_hours")
    assert texts[0] not in signed_in.get("/review").text
    labelled = signed_in.get("/review?status=labelled").text
    assert texts[0] in labelled and "Not checked against the current model yet" in labelled

    # What make review-check stored is shown on the page.
    store_check(handoffs, item.id, "ask_prices", 0.62, None)
    assert "still wrong" in signed_in.get("/review?status=labelled").text
    store_check(handoffs, item.id, "ask_opening_hours", 0.97, None)
    shown = signed_in.get("/review?status=labelled").text
    assert "gets it right" in shown and "ask_opening_hours (97%)" in shown


@pytest.mark.parametrize(
    "form, status",
    [
        ({"decision": "labelled", "intent": "no_such_topic"}, 400),
        ({"decision": "labelled"}, 400),
        ({"decision": "approve", "intent": "ask_prices"}, 400),
        ({}, 400),
        ({"decision": "labelled", "intent": HOSTILE}, 400),
        ({"decision": "labelled", "intent": "ask_prices\x00"}, 400),
        ({"decision": "labelled", "intent": "x" * 70_000}, 413),
    ],
)
def test_bad_input_on_the_page_is_refused_and_changes_nothing(signed_in, trackers, handoffs, form, status):
    _sender, (said,) = _fallbacks(trackers, 1)
    csrf = signed_in.csrf("/review")
    item = next(i for i in list_items(handoffs, "open") if i.text == said)
    response = signed_in.post(f"/review/{item.id}", data={**form, "csrf": csrf})
    assert response.status_code == status
    if status == 400:
        assert 'role="alert"' in response.text and "<script>alert" not in response.text
    assert get_item(handoffs, item.id).status == "open"


def test_a_red_flag_on_the_page_is_refused_with_a_reason(signed_in, trackers, handoffs):
    said = unique("I had chest pain yesterday")
    add_events(trackers, new_sender(), [user(said, "triage_check", 1.0, route="life_threatening", ask_if_now=True)])
    page = signed_in.get("/review")
    assert "Red flag" in page.text
    item = next(i for i in list_items(handoffs, "open") if i.text == said)
    response = signed_in.post(
        f"/review/{item.id}", data={"decision": "labelled", "intent": "ask_back_pain", "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 409 and "never as an everyday topic" in response.text
    assert get_item(handoffs, item.id).status == "open"
    assert (
        signed_in.post("/review/99999999", data={"decision": "ignored", "csrf": csrf_of(page.text)}).status_code == 404
    )


def test_the_review_page_needs_a_login(client):
    response = client.get("/review")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")


def test_erasing_a_conversation_erases_its_queued_messages(signed_in, make_handoff, trackers, handoffs, api):
    made = make_handoff(name="Erin Example", contact="+447700900555")
    mine = unique("do you do cupping for my cat")
    add_events(trackers, made.sender_id, [user(mine, "nlu_fallback", 0.6), action("utter_out_of_scope")])
    _other, (kept,) = _fallbacks(trackers, 1)
    items = queued(api)
    mine_id = items[mine]["id"]
    assert api.patch(f"/api/review/{mine_id}", json={"status": "labelled", "intent": "ask_tuina"}).status_code == 200

    confirm = signed_in.get(f"/handoffs/{made.id}/erase")
    assert signed_in.post(f"/handoffs/{made.id}/erase", data={"csrf": csrf_of(confirm.text)}).status_code == 200

    assert get_item(handoffs, mine_id) is None, "the visitor's words outlived the erased conversation"
    with handoffs.connect() as connection:
        left = connection.execute(text("SELECT COUNT(*) FROM review_items WHERE text = :t"), {"t": mine}).scalar()
    assert left == 0
    assert mine not in queued(api, "labelled") and kept in queued(api)
    assert api.patch(f"/api/review/{mine_id}", json={"status": "ignored"}).status_code == 404


def test_retention_and_conversations_gone_elsewhere_take_their_queued_messages(api, trackers, handoffs, make_handoff):
    days = 365
    old = make_handoff(name="Old Visitor", contact="+447700900556", turns=())
    old_words = unique("an old question nobody understood")
    add_events(trackers, old.sender_id, [user(old_words, "nlu_fallback", 0.6)], start=time.time() - (days + 40) * 86400)
    idle_sender, idle_words = new_sender(), unique("an idle conversation nobody understood")
    add_events(trackers, idle_sender, [user(idle_words, "out_of_scope", 0.8)], start=time.time() - (days + 40) * 86400)
    gone_sender, gone_words = new_sender(), unique("a conversation deleted by Rasa itself")
    add_events(trackers, gone_sender, [user(gone_words, "out_of_scope", 0.8)])
    _sender, (recent,) = _fallbacks(trackers, 1)
    before = queued(api)
    assert {old_words, idle_words, gone_words, recent} <= set(before)
    with handoffs.begin() as connection:
        connection.execute(
            text("UPDATE handoffs SET updated_at = :when WHERE id = :id"),
            {"when": now().replace(year=now().year - 2), "id": old.id},
        )

    purge(days, handoffs, trackers)
    with trackers.begin() as connection:  # e.g. a tracker deleted with Rasa's own tools
        connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": gone_sender})

    after = queued(api)
    assert old_words not in after and idle_words not in after and gone_words not in after
    assert recent in after
    for words in (old_words, idle_words, gone_words):
        with handoffs.connect() as connection:
            assert not connection.execute(text("SELECT id FROM review_items WHERE text = :t"), {"t": words}).first()


@FUZZ
@given(
    body=st.one_of(
        bodies,
        st.fixed_dictionaries({}, optional={"status": field_values, "intent": field_values, "extra": field_values}).map(
            lambda value: json.dumps(value).encode()
        ),
    ),
    content_type=st.sampled_from(["application/json", "text/plain", ""]),
)
def test_any_body_to_the_review_api_gets_a_clear_answer_and_a_refusal_changes_nothing(
    api, trackers, handoffs, body, content_type
):
    _sender, (said,) = _fallbacks(trackers, 1)
    collect(handoffs, trackers)
    item = next(i for i in list_items(handoffs, "open") if i.text == said)
    response = api.patch(f"/api/review/{item.id}", data=body, headers={"Content-Type": content_type})
    assert_clear(response)
    after = get_item(handoffs, item.id)
    if response.status_code >= 400:
        assert (after.status, after.label, after.reviewer) == ("open", None, None)
    else:
        assert response.json()["item"]["status"] == after.status and after.reviewer


@FUZZ
@given(path=st.text(max_size=30), query=st.text(max_size=30))
def test_random_review_paths_and_queries_are_answered_clearly(api, path, query):
    assert_clear(api.get(f"/api/review?status={quote(query, safe='')}&limit={quote(path, safe='')}"))
    assert_clear(api.patch(f"/api/review/{quote(path, safe='')}", json={"status": "ignored"}))

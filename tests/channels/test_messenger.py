"""Facebook Messenger, end to end: the verification handshake, signed events in, Send API calls out."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Dict, List, Optional

import pytest
import requests

from tests.channels.conftest import UNSUPPORTED_CONTENT_TEXT, conversation_events
from tests.channels.payloads import (
    MESSENGER_APP_SECRET,
    MESSENGER_PAGE_ACCESS_TOKEN,
    MESSENGER_UNSUPPORTED,
    MESSENGER_VERIFY_TOKEN,
    hub_signature,
    messenger_event,
    messenger_psid,
    to_json,
)

SEND_PATH = "/v25.0/me/messages"


def post(assistant, payload: Dict[str, Any], signature: Optional[str] = "sign") -> requests.Response:
    body = to_json(payload)
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = hub_signature(body)
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(f"{assistant.url}/webhooks/messenger/webhook", data=body, headers=headers, timeout=60)


def sent_to(fake_provider, psid: str) -> List[Dict[str, Any]]:
    return [r.json["message"] for r in fake_provider.requests(SEND_PATH) if r.json["recipient"]["id"] == psid]


def as_messenger(rest_messages: List[Dict]) -> List[Dict[str, Any]]:
    """How the website's messages look on Messenger: buttons become quick replies."""
    expected = []
    for message in rest_messages:
        item: Dict[str, Any] = {"text": message["text"]}
        if message.get("buttons"):
            item["quick_replies"] = [
                {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in message["buttons"]
            ]
        expected.append(item)
    return expected


def handshake(assistant, **params: str) -> requests.Response:
    return requests.get(f"{assistant.url}/webhooks/messenger/webhook", params=params, timeout=30)


def test_the_verification_handshake_echoes_the_challenge_for_our_verify_token(channels_assistant):
    reply = handshake(
        channels_assistant,
        **{"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert reply.status_code == 200 and reply.text == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": MESSENGER_VERIFY_TOKEN, "hub.challenge": "1"},
    ],
    ids=["wrong token", "no token", "wrong mode"],
)
def test_the_handshake_is_refused_without_our_verify_token(channels_assistant, params):
    assert handshake(channels_assistant, **params).status_code == 403


def test_a_question_gets_the_websites_answer_with_quick_replies(channels_assistant, fake_provider):
    psid = messenger_psid()
    reply = post(channels_assistant, messenger_event(psid, {"text": "what is tui na"}))
    assert reply.status_code == 200 and reply.text == "EVENT_RECEIVED"

    assert sent_to(fake_provider, psid) == as_messenger(channels_assistant.send(f"web-{psid}", "what is tui na"))
    no_thanks = {"content_type": "text", "title": "No, thanks", "payload": "/deny"}
    assert sent_to(fake_provider, psid)[-1]["quick_replies"][1] == no_thanks


def test_replies_use_the_send_api_with_the_page_token(channels_assistant, fake_provider):
    psid = messenger_psid()
    post(channels_assistant, messenger_event(psid, {"text": "hello"}))
    requests_for_psid = [r for r in fake_provider.requests(SEND_PATH) if r.json["recipient"]["id"] == psid]
    assert requests_for_psid
    for request in requests_for_psid:
        assert request.method == "POST" and request.query == {"access_token": MESSENGER_PAGE_ACCESS_TOKEN}
        assert request.json["messaging_type"] == "RESPONSE"


def test_a_quick_reply_answers_like_the_website_button(channels_assistant, fake_provider):
    psid, web = messenger_psid(), f"web-{messenger_psid()}"
    post(channels_assistant, messenger_event(psid, {"text": "what is tui na"}))
    already_sent = len(sent_to(fake_provider, psid))
    post(channels_assistant, messenger_event(psid, {"text": "Yes, please", "quick_reply": {"payload": "/affirm"}}))

    channels_assistant.send(web, "what is tui na")
    assert sent_to(fake_provider, psid)[already_sent:] == as_messenger(channels_assistant.send(web, "/affirm"))


def test_a_red_flag_gets_only_the_emergency_message(channels_assistant, fake_provider):
    psid = messenger_psid()
    message = "I wanted to book but since this morning I can't feel my legs"
    post(channels_assistant, messenger_event(psid, {"text": message}))
    website = channels_assistant.send(f"web-{psid}", message)
    assert len(website) == 1 and sent_to(fake_provider, psid) == as_messenger(website)


@pytest.mark.parametrize("kind", sorted(MESSENGER_UNSUPPORTED))
def test_unsupported_content_gets_the_polite_approved_reply(channels_assistant, fake_provider, kind):
    psid = messenger_psid()
    assert post(channels_assistant, messenger_event(psid, MESSENGER_UNSUPPORTED[kind])).status_code == 200
    assert sent_to(fake_provider, psid) == [{"text": UNSUPPORTED_CONTENT_TEXT}]


def test_our_own_messages_echoed_back_get_no_answer(channels_assistant, fake_provider):
    psid = messenger_psid()
    post(channels_assistant, messenger_event(psid, {"text": "hello", "is_echo": True, "app_id": 1}))
    assert sent_to(fake_provider, psid) == []


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=" + "0" * 64,
        "sha256=" + hmac.new(b"another-app-secret", b"{}", hashlib.sha256).hexdigest(),
    ],
    ids=["missing", "empty", "zeros", "other secret"],
)
def test_a_missing_or_wrong_signature_is_refused_without_touching_the_conversation(
    channels_assistant, fake_provider, signature
):
    psid = messenger_psid()
    assert post(channels_assistant, messenger_event(psid, {"text": "hello"}), signature=signature).status_code == 403
    assert sent_to(fake_provider, psid) == []
    assert conversation_events(channels_assistant, f"messenger:{psid}") == []


def test_the_old_sha1_signature_alone_is_not_enough(channels_assistant, fake_provider):
    psid = messenger_psid()
    body = to_json(messenger_event(psid, {"text": "hello"}))
    sha1 = "sha1=" + hmac.new(MESSENGER_APP_SECRET.encode(), body, hashlib.sha1).hexdigest()
    reply = requests.post(
        f"{channels_assistant.url}/webhooks/messenger/webhook",
        data=body,
        headers={"X-Hub-Signature": sha1, "Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 403
    assert conversation_events(channels_assistant, f"messenger:{psid}") == []


def test_a_message_delivered_twice_is_answered_once(channels_assistant, fake_provider):
    psid = messenger_psid()
    payload = messenger_event(psid, {"text": "how much is a session"})
    assert post(channels_assistant, payload).status_code == 200
    answered = sent_to(fake_provider, psid)
    assert answered
    assert post(channels_assistant, payload).status_code == 200
    assert sent_to(fake_provider, psid) == answered
    assert conversation_events(channels_assistant, f"messenger:{psid}").count("user") == 1


def test_a_batch_of_events_answers_each_visitor(channels_assistant, fake_provider):
    first, second = messenger_psid(), messenger_psid()
    payload = messenger_event(first, {"text": "hello"})
    payload["entry"][0]["messaging"] += messenger_event(second, {"text": "hello"})["entry"][0]["messaging"]
    assert post(channels_assistant, payload).status_code == 200
    assert sent_to(fake_provider, first) and sent_to(fake_provider, first) == sent_to(fake_provider, second)

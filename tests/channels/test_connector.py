"""What every channel does alike: hostile payloads get a 4xx, the server stays up, no secret is logged."""

from __future__ import annotations

import json
from typing import Callable, Dict, List, Tuple

import pytest
import requests

from tests.channels.conftest import server_is_answering
from tests.channels.payloads import (
    MESSENGER_VERIFY_TOKEN,
    SECRETS,
    TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET,
    encode_form,
    hub_signature,
    messenger_event,
    messenger_psid,
    telegram_chat,
    telegram_text,
    to_json,
    twilio_form,
    twilio_signature,
    whatsapp_sender,
)

HUGE = b'{"update_id": 1, "padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
DEEP = b"[" * 100_000 + b"]" * 100_000  # under the size limit: the JSON reader itself must cope
NOT_JSON = b"update_id=1&message=hello"
INVALID_UTF8 = b'{"update_id": 1, "message": {"text": "\xff\xfe\xc3\x28"}}'


def telegram_post(assistant, body: bytes) -> requests.Response:
    return requests.post(
        f"{assistant.url}/webhooks/telegram/webhook",
        data=body,
        timeout=60,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_WEBHOOK_SECRET, "Content-Type": "application/json"},
    )


def messenger_post(assistant, body: bytes) -> requests.Response:
    """Signed with the real app secret: only Meta could send these, so they must not crash anything either."""
    return requests.post(
        f"{assistant.url}/webhooks/messenger/webhook",
        data=body,
        timeout=60,
        headers={"X-Hub-Signature-256": hub_signature(body), "Content-Type": "application/json"},
    )


def whatsapp_post(assistant, form_or_body) -> requests.Response:
    if isinstance(form_or_body, dict):
        body, signature = encode_form(form_or_body), twilio_signature(form_or_body)
    else:
        body, signature = form_or_body, "c29tZXRoaW5n"
    return requests.post(
        f"{assistant.url}/webhooks/whatsapp/webhook",
        data=body,
        timeout=60,
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )


def _telegram_update(**changes) -> bytes:
    update = telegram_text(telegram_chat(), "hello")
    for path, value in changes.items():
        target = update
        *parents, last = path.split("__")
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return to_json(update)


def _messenger(mutate: Callable[[Dict], None]) -> bytes:
    payload = messenger_event(messenger_psid(), {"text": "hello"})
    mutate(payload)
    return to_json(payload)


def _twilio_form_without(field: str) -> Dict[str, str]:
    form = twilio_form(whatsapp_sender(), "hi")
    del form[field]
    return form


def _event(payload: Dict) -> Dict:
    return payload["entry"][0]["messaging"][0]


HOSTILE: List[Tuple[str, Callable, object]] = [
    # Telegram: the secret token is right, the body is not an Update.
    ("telegram empty body", telegram_post, b""),
    ("telegram not JSON", telegram_post, NOT_JSON),
    ("telegram invalid UTF-8", telegram_post, INVALID_UTF8),
    ("telegram JSON list", telegram_post, b"[1, 2, 3]"),
    ("telegram JSON string", telegram_post, b'"update"'),
    ("telegram deeply nested", telegram_post, DEEP),
    ("telegram huge body", telegram_post, HUGE),
    ("telegram update_id missing", telegram_post, _telegram_update(update_id=KeyError)),
    ("telegram update_id text", telegram_post, _telegram_update(update_id="42")),
    ("telegram update_id true", telegram_post, _telegram_update(update_id=True)),
    ("telegram update_id float", telegram_post, b'{"update_id": 1e400, "message": {}}'),
    ("telegram message not an object", telegram_post, _telegram_update(message="hello")),
    ("telegram chat missing", telegram_post, _telegram_update(message__chat=KeyError)),
    ("telegram chat id text", telegram_post, _telegram_update(message__chat__id="123")),
    ("telegram text a number", telegram_post, _telegram_update(message__text=12345)),
    ("telegram callback without id", telegram_post, to_json({"update_id": 5, "callback_query": {"data": "/affirm"}})),
    # Messenger: signed with the app secret, but not what Meta sends.
    ("messenger empty body", messenger_post, b""),
    ("messenger not JSON", messenger_post, NOT_JSON),
    ("messenger invalid UTF-8", messenger_post, INVALID_UTF8),
    ("messenger deeply nested", messenger_post, DEEP),
    ("messenger huge body", messenger_post, HUGE),
    ("messenger not a page", messenger_post, _messenger(lambda p: p.update(object="user"))),
    ("messenger entry missing", messenger_post, _messenger(lambda p: p.pop("entry"))),
    ("messenger entry not a list", messenger_post, _messenger(lambda p: p.update(entry={"id": 1}))),
    ("messenger messaging not a list", messenger_post, _messenger(lambda p: p["entry"][0].update(messaging="x"))),
    ("messenger sender missing", messenger_post, _messenger(lambda p: _event(p).pop("sender"))),
    ("messenger sender id a number", messenger_post, _messenger(lambda p: _event(p).update(sender={"id": 12}))),
    ("messenger mid missing", messenger_post, _messenger(lambda p: _event(p)["message"].pop("mid"))),
    ("messenger text a list", messenger_post, _messenger(lambda p: _event(p)["message"].update(text=["hi"]))),
    (
        "messenger quick reply payload a number",
        messenger_post,
        _messenger(lambda p: _event(p)["message"].update(quick_reply={"payload": 1})),
    ),
    (
        "messenger attachments not a list",
        messenger_post,
        _messenger(lambda p: _event(p)["message"].update(text=None, attachments="x")),
    ),
    # WhatsApp: bodies Twilio never sends.
    ("whatsapp MessageSid missing", whatsapp_post, _twilio_form_without("MessageSid")),
    ("whatsapp From missing", whatsapp_post, _twilio_form_without("From")),
    ("whatsapp NumMedia not a number", whatsapp_post, twilio_form(whatsapp_sender(), "hi", NumMedia="lots")),
    ("whatsapp invalid UTF-8", whatsapp_post, b"From=whatsapp%3A%2B4477&Body=\xff\xfe&MessageSid=SM1"),
    ("whatsapp percent-encoded invalid UTF-8", whatsapp_post, b"From=whatsapp%3A%2B4477&Body=%FF%FE&MessageSid=SM1"),
    ("whatsapp repeated field", whatsapp_post, b"From=whatsapp%3A%2B4477&From=whatsapp%3A%2B4478&MessageSid=SM1"),
    ("whatsapp JSON body", whatsapp_post, b'{"From": "whatsapp:+4477", "Body": "hi"}'),
    ("whatsapp huge body", whatsapp_post, b"Body=" + b"x" * (2 * 1024 * 1024)),
]


@pytest.mark.parametrize("name,post,body", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_payload_gets_a_4xx_not_a_500(channels_assistant, name, post, body):
    reply = post(channels_assistant, body)
    assert 400 <= reply.status_code < 500, f"{name}: {reply.status_code} {reply.text[:200]}"


def test_the_server_keeps_answering_after_hostile_payloads(channels_assistant, fake_provider):
    for _, post, body in HOSTILE:
        post(channels_assistant, body)
    assert server_is_answering(channels_assistant)
    chat_id = telegram_chat()
    telegram_post(channels_assistant, to_json(telegram_text(chat_id, "hello")))
    assert [r for r in fake_provider.requests("/sendMessage") if r.json["chat_id"] == chat_id]
    log = (channels_assistant.workdir / "rasa.log").read_text()
    assert "Traceback" not in log and "Exception occurred while handling uri" not in log


def test_a_provider_outage_is_logged_and_the_webhook_still_succeeds(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    fake_provider.failing_marker = json.dumps(chat_id).encode()
    try:
        reply = telegram_post(channels_assistant, to_json(telegram_text(chat_id, "hello")))
    finally:
        fake_provider.failing_marker = None
    assert reply.status_code == 200  # a 500 would only make Telegram deliver it again
    log = (channels_assistant.workdir / "rasa.log").read_text()
    assert "telegram: the provider's sendMessage endpoint answered HTTP 500" in log
    assert server_is_answering(channels_assistant)


def test_no_secret_reaches_the_log(channels_assistant, fake_provider):
    # Traffic that logs: refused signatures, a provider failure, normal answers on all three channels,
    # Meta's handshake (its verify token travels in the query string).
    requests.get(
        f"{channels_assistant.url}/webhooks/messenger/webhook",
        timeout=30,
        params={"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY_TOKEN, "hub.challenge": "1"},
    )
    telegram_post(channels_assistant, to_json(telegram_text(telegram_chat(), "hello")))
    messenger_post(channels_assistant, to_json(messenger_event(messenger_psid(), {"text": "hello"})))
    whatsapp_post(channels_assistant, twilio_form(whatsapp_sender(), "hello"))
    requests.post(
        f"{channels_assistant.url}/webhooks/telegram/webhook",
        data=b"{}",
        timeout=30,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_BOT_TOKEN},
    )
    chat_id = telegram_chat()
    fake_provider.failing_marker = json.dumps(chat_id).encode()
    try:
        telegram_post(channels_assistant, to_json(telegram_text(chat_id, "hello")))
    finally:
        fake_provider.failing_marker = None

    for log in ("rasa.log", "actions.log"):
        text = (channels_assistant.workdir / log).read_text()
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, f"{log} contains {len(leaked)} secret(s)"

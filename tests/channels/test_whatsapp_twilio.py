"""WhatsApp through Twilio, end to end: signed webhooks in, Twilio Messages API calls out."""

from __future__ import annotations

import base64
from typing import Dict, List, Optional

import pytest
import requests

from tests.channels.conftest import UNSUPPORTED_CONTENT_TEXT, conversation_events
from tests.channels.payloads import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_WHATSAPP_NUMBER,
    encode_form,
    twilio_form,
    twilio_signature,
    whatsapp_sender,
)

MESSAGES_PATH = f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json"


def post(assistant, form: Dict[str, str], signature: Optional[str] = "sign") -> requests.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature == "sign":
        signature = twilio_signature(form)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    url = f"{assistant.url}/webhooks/whatsapp/webhook"
    return requests.post(url, data=encode_form(form), headers=headers, timeout=60)


def say(assistant, sender: str, text: str) -> requests.Response:
    reply = post(assistant, twilio_form(sender, text))
    assert reply.status_code == 200
    return reply


def bodies_sent_to(fake_provider, sender: str) -> List[str]:
    return [r.form["Body"] for r in fake_provider.requests(MESSAGES_PATH) if r.form["To"] == sender]


def as_whatsapp(rest_messages: List[Dict]) -> List[str]:
    """How the website's messages look on WhatsApp: buttons become numbered options."""
    bodies = []
    for message in rest_messages:
        options = "\n".join(f"{n}. {b['title']}" for n, b in enumerate(message.get("buttons") or [], start=1))
        bodies.append(message["text"] + (f"\n\n{options}" if options else ""))
    return bodies


def test_a_question_gets_the_websites_answer_with_numbered_options(channels_assistant, fake_provider):
    sender = whatsapp_sender()
    reply = say(channels_assistant, sender, "what is tui na")

    assert reply.headers["Content-Type"].startswith("text/xml")
    website = channels_assistant.send(whatsapp_sender(), "what is tui na")
    assert bodies_sent_to(fake_provider, sender) == as_whatsapp(website)
    assert bodies_sent_to(fake_provider, sender)[-1].endswith("\n\n1. Yes, please\n2. No, thanks")


def test_messages_go_to_twilios_messages_api_from_the_clinic_number(channels_assistant, fake_provider):
    sender = whatsapp_sender()
    say(channels_assistant, sender, "hello")

    sent = [r for r in fake_provider.requests(MESSAGES_PATH) if r.form["To"] == sender]
    assert sent and all(r.method == "POST" and r.form["From"] == TWILIO_WHATSAPP_NUMBER for r in sent)
    credentials = base64.b64encode(f"{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}".encode()).decode()
    assert all(r.headers["Authorization"] == f"Basic {credentials}" for r in sent)


def test_replying_with_a_number_picks_that_option(channels_assistant, fake_provider):
    sender, visitor = whatsapp_sender(), whatsapp_sender()
    say(channels_assistant, sender, "what is tui na")
    already_sent = len(bodies_sent_to(fake_provider, sender))
    say(channels_assistant, sender, "2")

    channels_assistant.send(visitor, "what is tui na")
    website = channels_assistant.send(visitor, "/deny")  # the website's "No, thanks" button
    assert bodies_sent_to(fake_provider, sender)[already_sent:] == as_whatsapp(website)


def test_a_number_with_no_options_on_offer_is_an_ordinary_message(channels_assistant, fake_provider):
    sender, visitor = whatsapp_sender(), whatsapp_sender()
    say(channels_assistant, sender, "2")
    assert bodies_sent_to(fake_provider, sender) == as_whatsapp(channels_assistant.send(visitor, "2"))


def test_a_red_flag_gets_only_the_emergency_message_as_on_the_website(channels_assistant, fake_provider):
    sender = whatsapp_sender()
    message = "I wanted to book but since this morning I can't feel my legs"
    say(channels_assistant, sender, message)

    website = channels_assistant.send(whatsapp_sender(), message)
    assert len(website) == 1
    assert bodies_sent_to(fake_provider, sender) == [website[0]["text"]]


def test_booking_reaches_the_same_handoff_as_the_website(channels_assistant, fake_provider):
    sender = whatsapp_sender()
    say(channels_assistant, sender, "I want to book an appointment")

    website = channels_assistant.send(whatsapp_sender(), "I want to book an appointment")
    assert website
    assert bodies_sent_to(fake_provider, sender) == as_whatsapp(website)


MEDIA_URL = f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/MM1/Media/ME1"


@pytest.mark.parametrize(
    "content",
    [
        {"NumMedia": "1", "MediaContentType0": "audio/ogg", "MediaUrl0": MEDIA_URL, "MessageType": "audio"},
        {"NumMedia": "1", "MediaContentType0": "image/jpeg", "MediaUrl0": MEDIA_URL, "MessageType": "image"},
        {"NumMedia": "1", "MediaContentType0": "image/webp", "MediaUrl0": MEDIA_URL, "MessageType": "sticker"},
        {"Latitude": "53.4808", "Longitude": "-2.2426", "MessageType": "location"},
    ],
    ids=["voice note", "image", "sticker", "location"],
)
def test_unsupported_content_gets_the_polite_approved_reply(channels_assistant, fake_provider, content):
    sender = whatsapp_sender()
    assert post(channels_assistant, twilio_form(sender, "", **content)).status_code == 200
    assert bodies_sent_to(fake_provider, sender) == [UNSUPPORTED_CONTENT_TEXT]
    assert "user" not in conversation_events(channels_assistant, sender)


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "not-a-signature",
        twilio_signature(twilio_form("whatsapp:+447700900000", "hello"), token="another-auth-token"),
    ],
    ids=["missing", "empty", "garbage", "wrong auth token"],
)
def test_a_missing_or_wrong_signature_is_refused_without_touching_the_conversation(
    channels_assistant, fake_provider, signature
):
    sender = whatsapp_sender()
    form = twilio_form(sender, "hello")
    reply = post(channels_assistant, form, signature=signature)

    assert reply.status_code == 403
    assert bodies_sent_to(fake_provider, sender) == []
    assert conversation_events(channels_assistant, sender) == []


def test_a_signature_for_another_url_is_refused(channels_assistant, fake_provider):
    """Signed for the address this server sees, not the public one Twilio was given."""
    sender = whatsapp_sender()
    form = twilio_form(sender, "hello")
    local_url = f"{channels_assistant.url}/webhooks/whatsapp/webhook"
    assert post(channels_assistant, form, signature=twilio_signature(form, url=local_url)).status_code == 403
    assert conversation_events(channels_assistant, sender) == []


def test_a_tampered_message_is_refused(channels_assistant, fake_provider):
    sender = whatsapp_sender()
    form = twilio_form(sender, "what are your prices")
    signature = twilio_signature(form)
    form["Body"] = "I want to book an appointment"
    assert post(channels_assistant, form, signature=signature).status_code == 403
    assert conversation_events(channels_assistant, sender) == []


def test_a_message_delivered_twice_is_answered_once(channels_assistant, fake_provider):
    sender = whatsapp_sender()
    form = twilio_form(sender, "what is tui na")
    assert post(channels_assistant, form).status_code == 200
    answered = bodies_sent_to(fake_provider, sender)
    assert post(channels_assistant, form).status_code == 200

    assert bodies_sent_to(fake_provider, sender) == answered
    assert conversation_events(channels_assistant, sender).count("user") == 1


def test_an_sms_to_the_same_number_gets_no_whatsapp_answer(channels_assistant, fake_provider):
    sender = "+447700900123"
    assert post(channels_assistant, twilio_form(sender, "hello")).status_code == 200
    assert bodies_sent_to(fake_provider, sender) == []

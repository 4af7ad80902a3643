"""Security: a website request can never write into a messaging-channel conversation.

WhatsApp, Telegram and Messenger conversations are keyed by guessable ids
("whatsapp:+44...", "telegram:<chat id>", "messenger:<psid>"). Whoever knows a patient's
phone number must not be able to add messages to that patient's conversation (staff
would read them as the patient's words) or finish their half-filled booking through the
REST or socket.io channel.
"""

import pytest
import requests

from tests.integration.test_hostile_input import UNREADABLE, socket_exchange

MESSAGING_IDS = ["whatsapp:+447700900123", "telegram:123456789", "messenger:2710000000000001"]


def events_of(assistant, sender):
    reply = requests.get(f"{assistant.url}/conversations/{sender}/tracker", timeout=30)
    reply.raise_for_status()
    return [e for e in reply.json()["events"] if e["event"] == "user"]


@pytest.mark.parametrize("sender", MESSAGING_IDS)
def test_rest_cannot_write_into_a_messaging_conversation(assistant, sender):
    reply = requests.post(
        f"{assistant.url}/webhooks/rest/webhook", json={"sender": sender, "message": "yes"}, timeout=30
    )
    assert reply.status_code == 400 and "sender" in reply.json()["error"]
    assert events_of(assistant, sender) == []


@pytest.mark.parametrize("session_id", MESSAGING_IDS)
def test_socketio_cannot_write_into_a_messaging_conversation(assistant, session_id):
    texts, _ = socket_exchange(
        assistant.url,
        [
            ("session_request", {"session_id": session_id}),
            ("user_uttered", {"message": "yes", "session_id": session_id}),
        ],
    )
    assert texts == [UNREADABLE]
    assert events_of(assistant, session_id) == []

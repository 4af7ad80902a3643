"""Live takeover in a messaging thread (Telegram, against the fake provider): the staff member's
messages go out through our connector with their name, the assistant is silent while they hold
the conversation, an emergency still gets its reply, and after hand back the assistant answers."""

from __future__ import annotations

import time

import requests

from tests.channels.conftest import TAKEOVER_TOKEN, conversation_events
from tests.channels.payloads import telegram_chat, telegram_text
from tests.channels.test_telegram import post, sent_to
from tests.test_approved_content import RESPONSES


def staff(assistant, conversation: str, what: str, **body) -> requests.Response:
    return requests.post(
        f"{assistant.url}/webhooks/staff/conversations/{conversation}/{what}",
        json=body,
        headers={"Authorization": f"Bearer {TAKEOVER_TOKEN}"},
        timeout=60,
    )


def emergency_text(route: str) -> str:
    return next(v["text"] for v in RESPONSES["utter_emergency"] if any(c["value"] == route for c in v["condition"]))


def test_staff_write_into_a_telegram_thread_and_hand_it_back(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    conversation = f"telegram:{chat_id}"
    assert post(channels_assistant, telegram_text(chat_id, "what is tui na")).status_code == 200
    answered = len(sent_to(fake_provider, chat_id))
    assert answered

    assert staff(channels_assistant, conversation, "takeover", staff="Sam").status_code == 200
    joined = len(sent_to(fake_provider, chat_id))  # the "has joined" line, where the model has it

    assert staff(channels_assistant, conversation, "messages", staff="Sam", text="Hello, Sam here").json() == {
        "paused": True,
        "delivered": True,
    }
    assert sent_to(fake_provider, chat_id)[-1]["text"] == "Sam: Hello, Sam here"

    assert post(channels_assistant, telegram_text(chat_id, "how much is a session?")).status_code == 200
    time.sleep(1)
    assert len(sent_to(fake_provider, chat_id)) == joined + 1  # the assistant said nothing

    assert post(channels_assistant, telegram_text(chat_id, "worst headache of my life, came on suddenly")).ok
    assert sent_to(fake_provider, chat_id)[-1]["text"] == emergency_text("life_threatening")

    assert staff(channels_assistant, conversation, "release", staff="Sam").json()["paused"] is False
    before = len(sent_to(fake_provider, chat_id))
    assert post(channels_assistant, telegram_text(chat_id, "what is tui na")).status_code == 200
    assert len(sent_to(fake_provider, chat_id)) > before  # answering again

    stored = conversation_events(channels_assistant, conversation)
    assert stored.count("pause") == 1 and stored.count("resume") == 1

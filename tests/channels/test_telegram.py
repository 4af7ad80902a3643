"""Telegram, end to end: updates with the webhook secret token in, Bot API calls out."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
import requests

from tests.channels.conftest import UNSUPPORTED_CONTENT_TEXT, conversation_events
from tests.channels.payloads import (
    TELEGRAM_BOT_TOKEN,
    TELEGRAM_UNSUPPORTED,
    TELEGRAM_WEBHOOK_SECRET,
    telegram_button_press,
    telegram_chat,
    telegram_message,
    telegram_text,
    to_json,
)

SEND_MESSAGE_PATH = f"/bot{TELEGRAM_BOT_TOKEN}/sendMessage"


def post(assistant, update: Dict[str, Any], secret: Optional[str] = TELEGRAM_WEBHOOK_SECRET) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return requests.post(
        f"{assistant.url}/webhooks/telegram/webhook", data=to_json(update), headers=headers, timeout=60
    )


def sent_to(fake_provider, chat_id: int) -> List[Dict[str, Any]]:
    return [r.json for r in fake_provider.requests(SEND_MESSAGE_PATH) if r.json["chat_id"] == chat_id]


def as_telegram(rest_messages: List[Dict]) -> List[Dict[str, Any]]:
    """How the website's messages look on Telegram: buttons become an inline keyboard, one per row."""
    expected = []
    for message in rest_messages:
        item: Dict[str, Any] = {"text": message["text"]}
        if message.get("buttons"):
            item["reply_markup"] = {
                "inline_keyboard": [[{"text": b["title"], "callback_data": b["payload"]}] for b in message["buttons"]]
            }
        expected.append(item)
    return expected


def without_chat_id(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [{k: v for k, v in m.items() if k != "chat_id"} for m in messages]


def test_a_question_gets_the_websites_answer_with_an_inline_keyboard(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    assert post(channels_assistant, telegram_text(chat_id, "what is tui na")).status_code == 200

    website = channels_assistant.send(f"web-{chat_id}", "what is tui na")
    assert without_chat_id(sent_to(fake_provider, chat_id)) == as_telegram(website)
    assert sent_to(fake_provider, chat_id)[-1]["reply_markup"]["inline_keyboard"] == [
        [{"text": "Yes, please", "callback_data": "/affirm"}],
        [{"text": "No, thanks", "callback_data": "/deny"}],
    ]


def test_opening_the_bot_greets_with_topic_buttons(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    assert post(channels_assistant, telegram_text(chat_id, "/start")).status_code == 200

    greeting = sent_to(fake_provider, chat_id)
    assert without_chat_id(greeting) == as_telegram(channels_assistant.send(f"web-{chat_id}", "hello"))
    assert [{"text": "What is Tui Na?", "callback_data": "/ask_tuina"}] in greeting[0]["reply_markup"][
        "inline_keyboard"
    ]


def test_pressing_a_button_answers_like_the_website_and_stops_the_spinner(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    post(channels_assistant, telegram_text(chat_id, "what is tui na"))
    already_sent = len(sent_to(fake_provider, chat_id))
    press = telegram_button_press(chat_id, "/deny")
    assert post(channels_assistant, press).status_code == 200

    web = f"web-{chat_id}"
    channels_assistant.send(web, "what is tui na")
    assert without_chat_id(sent_to(fake_provider, chat_id)[already_sent:]) == as_telegram(
        channels_assistant.send(web, "/deny")
    )
    acknowledged = [r.json for r in fake_provider.requests(f"/bot{TELEGRAM_BOT_TOKEN}/answerCallbackQuery")]
    assert {"callback_query_id": press["callback_query"]["id"]} in acknowledged


def test_a_red_flag_gets_only_the_emergency_message(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    message = "I wanted to book but since this morning I can't feel my legs"
    post(channels_assistant, telegram_text(chat_id, message))
    assert without_chat_id(sent_to(fake_provider, chat_id)) == as_telegram(
        channels_assistant.send(f"web-{chat_id}", message)
    )
    assert len(sent_to(fake_provider, chat_id)) == 1


def test_typed_intent_syntax_is_read_as_words_not_as_a_button(channels_assistant, fake_provider):
    """Typing "/affirm" must not skip NLU and the red-flag net the way a button press does."""
    chat_id = telegram_chat()
    post(channels_assistant, telegram_text(chat_id, "/ask_prices"))
    as_words = channels_assistant.send(f"web-{chat_id}", "ask_prices")
    assert [m["text"] for m in sent_to(fake_provider, chat_id)] == [m["text"] for m in as_words]


@pytest.mark.parametrize("kind", sorted(TELEGRAM_UNSUPPORTED))
def test_unsupported_content_gets_the_polite_approved_reply(channels_assistant, fake_provider, kind):
    chat_id = telegram_chat()
    assert post(channels_assistant, telegram_message(chat_id, TELEGRAM_UNSUPPORTED[kind])).status_code == 200
    assert without_chat_id(sent_to(fake_provider, chat_id)) == [{"text": UNSUPPORTED_CONTENT_TEXT}]


@pytest.mark.parametrize(
    "secret",
    [None, "", "wrong-secret", TELEGRAM_WEBHOOK_SECRET + "x", TELEGRAM_BOT_TOKEN],
    ids=["missing", "empty", "wrong", "longer", "the bot token"],
)
def test_a_missing_or_wrong_secret_token_is_refused_without_touching_the_conversation(
    channels_assistant, fake_provider, secret
):
    chat_id = telegram_chat()
    assert post(channels_assistant, telegram_text(chat_id, "hello"), secret=secret).status_code == 403
    assert sent_to(fake_provider, chat_id) == []
    assert conversation_events(channels_assistant, f"telegram:{chat_id}") == []


def test_an_update_delivered_twice_is_answered_once(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    update = telegram_text(chat_id, "where are you")
    assert post(channels_assistant, update).status_code == 200
    answered = sent_to(fake_provider, chat_id)
    assert answered
    assert post(channels_assistant, update).status_code == 200
    assert sent_to(fake_provider, chat_id) == answered
    assert conversation_events(channels_assistant, f"telegram:{chat_id}").count("user") == 1


def test_group_chats_get_no_answer(channels_assistant, fake_provider):
    chat_id = telegram_chat()
    assert post(channels_assistant, telegram_text(chat_id, "what is tui na", chat_type="group")).status_code == 200
    assert sent_to(fake_provider, -chat_id) == []
    assert conversation_events(channels_assistant, f"telegram:{-chat_id}") == []

"""Buttons per channel and numbered replies, without a server."""

import pytest

from channels.buttons import (
    buttons_on_offer,
    messenger_quick_replies,
    numbered_options,
    payload_for_numbered_reply,
    telegram_inline_keyboard,
    with_numbered_options,
)

YES_NO = [{"title": "Yes, please", "payload": "/affirm"}, {"title": "No, thanks", "payload": "/deny"}]


def test_whatsapp_options_are_numbered_from_one():
    assert numbered_options(YES_NO) == "1. Yes, please\n2. No, thanks"


@pytest.mark.parametrize(
    "reply,payload",
    [
        ("2", "/deny"),
        (" 2 ", "/deny"),
        ("2.", "/deny"),
        ("2)", "/deny"),
        ("2\ufe0f\u20e3", "/deny"),
        ("1", "/affirm"),
        ("3", None),
        ("0", None),
        ("-1", None),
        ("2 please", None),
        ("two", None),
        ("", None),
        (None, None),
        ("12", None),
    ],
)
def test_a_numbered_reply_selects_that_options_payload(reply, payload):
    assert payload_for_numbered_reply(reply, YES_NO) == payload


def test_options_go_at_the_end_of_the_last_message_when_they_fit():
    assert with_numbered_options(["Intro.", "Question?"], YES_NO, 100) == [
        "Intro.",
        "Question?\n\n1. Yes, please\n2. No, thanks",
    ]
    assert with_numbered_options(["Q" * 95], YES_NO, 100) == ["Q" * 95, "1. Yes, please\n2. No, thanks"]


def test_messenger_quick_replies_carry_title_and_payload():
    assert messenger_quick_replies(YES_NO) == [
        {"content_type": "text", "title": "Yes, please", "payload": "/affirm"},
        {"content_type": "text", "title": "No, thanks", "payload": "/deny"},
    ]


def test_more_than_thirteen_options_cannot_be_quick_replies():
    assert messenger_quick_replies([{"title": str(n), "payload": f"/n{n}"} for n in range(14)]) is None


def test_telegram_keyboard_has_one_button_per_row():
    assert telegram_inline_keyboard(YES_NO) == {
        "inline_keyboard": [
            [{"text": "Yes, please", "callback_data": "/affirm"}],
            [{"text": "No, thanks", "callback_data": "/deny"}],
        ]
    }


def test_a_payload_over_64_bytes_is_never_cut_for_telegram():
    long_payload = '/inform{"condition": "' + "x" * 60 + '"}'
    assert telegram_inline_keyboard([{"title": "Long", "payload": long_payload}]) is None


def test_buttons_without_a_payload_are_left_out():
    assert (
        numbered_options([{"title": "Website", "url": "https://example.com"}, *YES_NO])
        == "1. Yes, please\n2. No, thanks"
    )


def test_the_options_on_offer_are_those_of_the_latest_bot_message_since_the_visitor_wrote():
    newest_first = [
        {"event": "action", "name": "action_listen"},
        {"event": "bot", "text": "Would you like to book?", "data": {"buttons": YES_NO}},
        {"event": "bot", "text": "Tui Na is...", "data": {}},
        {"event": "user", "text": "what is tui na"},
        {"event": "bot", "text": "Hello", "data": {"buttons": [{"title": "Old", "payload": "/old"}]}},
    ]
    assert buttons_on_offer(newest_first) == YES_NO
    assert buttons_on_offer([{"event": "user", "text": "2"}, *newest_first]) == []
    assert buttons_on_offer([]) == []

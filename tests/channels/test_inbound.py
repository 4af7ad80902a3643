"""Reading provider payloads into visitor messages, without a server."""

import pytest

from channels.inbound import (
    InboundMessage,
    MalformedPayload,
    message_from_telegram,
    message_from_twilio,
    messages_from_messenger,
    parse_form_body,
    parse_json_body,
    typed_text,
)
from tests.channels.payloads import (
    MESSENGER_UNSUPPORTED,
    TELEGRAM_UNSUPPORTED,
    messenger_event,
    telegram_button_press,
    telegram_message,
    telegram_text,
    twilio_form,
)


def test_typed_text_cannot_pose_as_a_button_press():
    assert typed_text("  /affirm ") == "affirm"
    assert typed_text('//book_appointment{"x": 1}') == 'book_appointment{"x": 1}'
    assert typed_text(" / ") is None
    assert typed_text("what is tui na") == "what is tui na"


# --- Telegram --------------------------------------------------------------------


def test_telegram_text():
    update = telegram_text(42, "what is tui na", update_id=7)
    assert message_from_telegram(update) == InboundMessage("7", "42", text="what is tui na")


def test_telegram_start_command_is_a_greeting():
    assert message_from_telegram(telegram_text(42, "/start")).payload == "/greet"
    assert message_from_telegram(telegram_text(42, "/start campaign-1")).payload == "/greet"


def test_telegram_button_press_carries_its_payload_and_query_id():
    press = telegram_button_press(42, "/affirm")
    message = message_from_telegram(press)
    assert (message.sender, message.payload, message.button_press_id) == (
        "42",
        "/affirm",
        press["callback_query"]["id"],
    )
    assert message.text is None


@pytest.mark.parametrize(
    "kind,expected",
    [
        ("voice note", "voice"),
        ("sticker", "sticker"),
        ("photo", "image"),
        ("location", "location"),
    ],
)
def test_telegram_unsupported_content(kind, expected):
    assert message_from_telegram(telegram_message(42, TELEGRAM_UNSUPPORTED[kind])).unsupported == expected


def test_telegram_group_chats_edits_and_service_messages_need_no_answer():
    assert message_from_telegram(telegram_text(42, "hello", chat_type="group")) is None
    assert message_from_telegram({"update_id": 1, "edited_message": telegram_text(42, "hi")["message"]}) is None
    assert message_from_telegram(telegram_message(42, {"pinned_message": {}})) is None


@pytest.mark.parametrize(
    "update",
    [
        [],
        "x",
        {},
        {"update_id": "1", "message": {}},
        {"update_id": True},
        {"update_id": 1, "message": {"chat": {"id": "42", "type": "private"}, "text": "hi"}},
        {"update_id": 1, "message": {"chat": {"id": 42, "type": "private"}, "text": ["hi"]}},
        {"update_id": 1, "message": {"text": "hi"}},
        {"update_id": 1, "callback_query": {"data": "/affirm"}},
    ],
)
def test_telegram_malformed_updates(update):
    with pytest.raises(MalformedPayload):
        message_from_telegram(update)


# --- Messenger ---------------------------------------------------------------------


def test_messenger_text_and_quick_reply():
    text_event = messenger_event("111", {"text": "hello"})
    [message] = messages_from_messenger(text_event)
    mid = text_event["entry"][0]["messaging"][0]["message"]["mid"]
    assert (message.sender, message.text, message.delivery_id) == ("111", "hello", mid)
    [pressed] = messages_from_messenger(
        messenger_event("111", {"text": "No, thanks", "quick_reply": {"payload": "/deny"}})
    )
    assert (pressed.payload, pressed.text) == ("/deny", None)


def test_messenger_postback_payload():
    postback = {"mid": "m_9", "title": "Get Started", "payload": "/greet"}
    [message] = messages_from_messenger(messenger_event("111", postback=postback))
    assert message == InboundMessage("m_9", "111", payload="/greet")


@pytest.mark.parametrize(
    "kind,expected",
    [
        ("voice note", "audio"),
        ("sticker", "sticker"),
        ("image", "image"),
        ("location", "location"),
    ],
)
def test_messenger_unsupported_content(kind, expected):
    [message] = messages_from_messenger(messenger_event("111", MESSENGER_UNSUPPORTED[kind]))
    assert message.unsupported == expected


def test_messenger_echoes_deliveries_and_reads_need_no_answer():
    assert messages_from_messenger(messenger_event("111", {"text": "hi", "is_echo": True})) == []
    assert messages_from_messenger(messenger_event("111", delivery={"mids": ["m_1"], "watermark": 1})) == []
    assert messages_from_messenger(messenger_event("111", read={"watermark": 1})) == []


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"object": "user", "entry": []},
        {"object": "page"},
        {"object": "page", "entry": {}},
        {"object": "page", "entry": [{"messaging": [{"message": {"mid": "m", "text": "hi"}}]}]},
        {"object": "page", "entry": [{"messaging": [{"sender": {"id": 1}, "message": {"mid": "m", "text": "hi"}}]}]},
        {"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, "message": {"text": "hi"}}]}]},
        {
            "object": "page",
            "entry": [{"messaging": [{"sender": {"id": "1"}, "message": {"mid": "m", "quick_reply": {}}}]}],
        },
    ],
)
def test_messenger_malformed_payloads(payload):
    with pytest.raises(MalformedPayload):
        messages_from_messenger(payload)


# --- WhatsApp through Twilio -------------------------------------------------------


def test_whatsapp_text():
    form = twilio_form("whatsapp:+447700900001", "what is tui na")
    assert message_from_twilio(form) == InboundMessage(
        form["MessageSid"], "whatsapp:+447700900001", text="what is tui na"
    )


@pytest.mark.parametrize(
    "extra,expected",
    [
        ({"NumMedia": "1", "MediaContentType0": "audio/ogg"}, "voice"),
        ({"NumMedia": "1", "MediaContentType0": "image/jpeg"}, "image"),
        ({"NumMedia": "1", "MediaContentType0": "image/webp"}, "sticker"),
        ({"NumMedia": "1", "MediaContentType0": "application/pdf"}, "file"),
        ({"Latitude": "53.48", "Longitude": "-2.24"}, "location"),
    ],
)
def test_whatsapp_unsupported_content(extra, expected):
    assert message_from_twilio(twilio_form("whatsapp:+447700900001", "", **extra)).unsupported == expected


def test_sms_and_empty_messages_need_no_answer():
    assert message_from_twilio(twilio_form("+447700900001", "hello")) is None
    assert message_from_twilio(twilio_form("whatsapp:+447700900001", "")) is None


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_whatsapp_missing_fields(missing):
    form = twilio_form("whatsapp:+447700900001", "hi")
    del form[missing]
    with pytest.raises(MalformedPayload):
        message_from_twilio(form)


# --- bodies --------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"", b"not json", b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b'{"a": 1'])
def test_bodies_that_are_not_utf8_json(body):
    with pytest.raises(MalformedPayload):
        parse_json_body(body)


def test_form_bodies_keep_blank_values_as_twilio_signs_them():
    assert parse_form_body(b"Body=&From=whatsapp%3A%2B44") == {"Body": "", "From": "whatsapp:+44"}


@pytest.mark.parametrize(
    "body", [b"Body=\xff", b"Body=%FF", b"From=a&From=b", b"&".join(b"f%d=1" % n for n in range(500))]
)
def test_form_bodies_that_twilio_never_sends(body):
    with pytest.raises(MalformedPayload):
        parse_form_body(body)

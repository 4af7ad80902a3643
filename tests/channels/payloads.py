"""Inbound webhooks in each provider's real format, signed (or not) as the provider does."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
from typing import Any, Dict, Optional
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

# The secrets the test assistant is configured with (through environment variables).
TWILIO_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TWILIO_AUTH_TOKEN = "twilio-auth-token-for-tests-5f2c"
TWILIO_WHATSAPP_NUMBER = "whatsapp:+441610000000"
# What Twilio's console says: the public address of the reverse proxy, not the loopback one.
TWILIO_WEBHOOK_URL = "https://clinic.example/webhooks/whatsapp/webhook"
TELEGRAM_BOT_TOKEN = "123456:telegram-bot-token-for-tests"
TELEGRAM_WEBHOOK_SECRET = "telegram-webhook-secret-for-tests"
MESSENGER_APP_SECRET = "messenger-app-secret-for-tests-91ab"
MESSENGER_VERIFY_TOKEN = "messenger-verify-token-for-tests"
MESSENGER_PAGE_ACCESS_TOKEN = "messenger-page-access-token-for-tests"
SECRETS = [
    TWILIO_AUTH_TOKEN,
    TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET,
    MESSENGER_APP_SECRET,
    MESSENGER_VERIFY_TOKEN,
    MESSENGER_PAGE_ACCESS_TOKEN,
]

_ids = itertools.count(random.randint(10**6, 10**7))


def next_id() -> int:
    return next(_ids)


# --- WhatsApp through Twilio -----------------------------------------------------


def whatsapp_sender() -> str:
    return f"whatsapp:+4477009{next_id() % 100000:05d}"


def twilio_form(sender: str, body: str = "", message_sid: Optional[str] = None, **extra: str) -> Dict[str, str]:
    """An incoming WhatsApp message as Twilio posts it (form fields)."""
    form = {
        "SmsMessageSid": "",
        "NumMedia": "0",
        "ProfileName": "Visitor",
        "MessageType": "text",
        "SmsSid": "",
        "WaId": sender.split("+")[-1],
        "SmsStatus": "received",
        "Body": body,
        "To": TWILIO_WHATSAPP_NUMBER,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": message_sid or f"SM{next_id():032x}",
        "AccountSid": TWILIO_ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }
    form["SmsMessageSid"] = form["SmsSid"] = form["MessageSid"]
    form.update(extra)
    return form


def twilio_signature(form: Dict[str, str], url: str = TWILIO_WEBHOOK_URL, token: str = TWILIO_AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def encode_form(form: Dict[str, str]) -> bytes:
    return urlencode(form).encode("utf-8")


# --- Telegram ----------------------------------------------------------------------


def telegram_chat() -> int:
    return next_id()


def telegram_text(
    chat_id: int, text: str, update_id: Optional[int] = None, chat_type: str = "private"
) -> Dict[str, Any]:
    return telegram_message(chat_id, {"text": text}, update_id, chat_type)


def telegram_message(
    chat_id: int, content: Dict[str, Any], update_id: Optional[int] = None, chat_type: str = "private"
) -> Dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Visitor", "language_code": "en"}
    chat = {"id": chat_id, "first_name": "Visitor", "type": chat_type}
    if chat_type != "private":
        chat = {"id": -chat_id, "title": "Family", "type": chat_type}
    return {
        "update_id": update_id or next_id(),
        "message": {"message_id": next_id(), "from": user, "chat": chat, "date": 1795000000, **content},
    }


def telegram_button_press(chat_id: int, data: str) -> Dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Visitor"}
    return {
        "update_id": next_id(),
        "callback_query": {
            "id": str(next_id()),
            "from": user,
            "chat_instance": "-123",
            "data": data,
            "message": {
                "message_id": next_id(),
                "from": {"id": 1, "is_bot": True, "first_name": "Clinic"},
                "chat": {"id": chat_id, "first_name": "Visitor", "type": "private"},
                "date": 1795000000,
                "text": "Would you like to book with the clinic?",
            },
        },
    }


TELEGRAM_UNSUPPORTED = {
    "voice note": {
        "voice": {"duration": 3, "mime_type": "audio/ogg", "file_id": "AwAD", "file_unique_id": "u1", "file_size": 9000}
    },
    "sticker": {
        "sticker": {
            "width": 512,
            "height": 512,
            "emoji": "\U0001f44d",
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "file_id": "CAAC",
            "file_unique_id": "u2",
        }
    },
    "photo": {"photo": [{"file_id": "AgAC", "file_unique_id": "u3", "width": 90, "height": 90}]},
    "location": {"location": {"latitude": 53.48, "longitude": -2.24}},
}


# --- Facebook Messenger --------------------------------------------------------------

PAGE_ID = "1122334455"


def messenger_psid() -> str:
    return str(10**15 + next_id())


def messenger_event(psid: str, message: Optional[Dict[str, Any]] = None, **event: Any) -> Dict[str, Any]:
    """One webhook body with one messaging event, as Meta posts it."""
    messaging = {"sender": {"id": psid}, "recipient": {"id": PAGE_ID}, "timestamp": 1795000000000, **event}
    if message is not None:
        messaging["message"] = {"mid": f"m_{next_id()}", **message}
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": 1795000000000, "messaging": [messaging]}]}


MESSENGER_UNSUPPORTED = {
    "voice note": {"attachments": [{"type": "audio", "payload": {"url": "https://cdn.example/a.mp4"}}]},
    "sticker": {
        "attachments": [
            {"type": "image", "payload": {"url": "https://cdn.example/s.png", "sticker_id": 369239263222822}}
        ],
        "sticker_id": 369239263222822,
    },
    "image": {"attachments": [{"type": "image", "payload": {"url": "https://cdn.example/i.jpg"}}]},
    "location": {"attachments": [{"type": "location", "payload": {"coordinates": {"lat": 53.48, "long": -2.24}}}]},
}


def hub_signature(body: bytes, secret: str = MESSENGER_APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def to_json(payload: Any) -> bytes:
    return json.dumps(payload).encode("utf-8")

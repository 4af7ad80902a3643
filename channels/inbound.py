"""What did the visitor send? Provider webhook payloads read into one shape.

Each reader accepts exactly what its provider documents and raises `MalformedPayload`
(answered 400) for anything else: missing fields, wrong types, bodies that are not
UTF-8 or not JSON. Events that need no answer (delivery receipts, edits, echoes of our
own messages, group chats) read as nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import parse_qsl

# Telegram sends "/start" when someone opens the bot: answer it as a greeting.
TELEGRAM_START_PAYLOAD = "/greet"

# Telegram message fields holding content the assistant cannot read, and what to call it.
_TELEGRAM_UNSUPPORTED = {
    "voice": "voice",
    "audio": "audio",
    "video_note": "video",
    "video": "video",
    "sticker": "sticker",
    "animation": "animation",
    "photo": "image",
    "document": "file",
    "location": "location",
    "venue": "location",
    "contact": "contact",
    "poll": "poll",
    "dice": "dice",
}
_MAX_FORM_FIELDS = 100


class MalformedPayload(ValueError):
    """The body is not something the provider sends."""


@dataclass(frozen=True)
class InboundMessage:
    """One thing a visitor sent: typed text, a pressed button's payload, or unsupported content."""

    delivery_id: str  # the provider's id for this message; the same on a retried delivery
    sender: str  # whom to answer: Messenger PSID, Telegram chat id, "whatsapp:+44..."
    text: Optional[str] = None
    payload: Optional[str] = None
    unsupported: Optional[str] = None  # "voice", "sticker", "image", "location", ...
    button_press_id: Optional[str] = None  # Telegram's callback query, acknowledged so the spinner stops


def typed_text(text: str) -> Optional[str]:
    """What the visitor typed, unable to pose as a button press.

    Rasa reads a message starting with "/" as an intent with entities
    ("/affirm{...}"), which would let typing skip NLU, the red-flag net and form
    validation; only real button presses may do that, so leading slashes go.
    """
    cleaned = text.strip().lstrip("/").strip()
    return cleaned or None


def parse_json_body(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedPayload("the body is not UTF-8 JSON") from None


def parse_form_body(body: bytes) -> Dict[str, str]:
    """An `application/x-www-form-urlencoded` body; blank values kept, as Twilio signs them."""
    try:
        pairs = parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=_MAX_FORM_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise MalformedPayload("the body is not a UTF-8 form") from None
    form: Dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise MalformedPayload(f"the field {name} is repeated")
        form[name] = value
    return form


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedPayload(f"{what} is not an object")
    return value


def _required(container: Mapping[str, Any], key: str, kind: type) -> Any:
    value = container.get(key)
    # bool is an int in Python, but never a valid id.
    if not isinstance(value, kind) or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise MalformedPayload(f"{key} is missing or not of type {kind.__name__}")
    return value


def _optional(container: Mapping[str, Any], key: str, kind: type) -> Any:
    value = container.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise MalformedPayload(f"{key} is not of type {kind.__name__}")
    return value


def _list(container: Mapping[str, Any], key: str) -> List[Any]:
    value = container.get(key, [])
    if not isinstance(value, list):
        raise MalformedPayload(f"{key} is not a list")
    return value


# --- Facebook Messenger -------------------------------------------------------------


def messages_from_messenger(payload: Any) -> List[InboundMessage]:
    """The visitor messages in a Messenger webhook (Meta batches several events in one)."""
    payload = _mapping(payload, "the payload")
    if payload.get("object") != "page":
        raise MalformedPayload("not a Page subscription event")
    if "entry" not in payload:
        raise MalformedPayload("entry is missing")
    messages = []
    for entry in _list(payload, "entry"):
        for event in _list(_mapping(entry, "an entry"), "messaging"):
            message = _message_from_messenger_event(_mapping(event, "a messaging event"))
            if message:
                messages.append(message)
    return messages


def _message_from_messenger_event(event: Mapping[str, Any]) -> Optional[InboundMessage]:
    sender = _required(_mapping(event.get("sender"), "sender"), "id", str)
    if "message" in event:
        message = _mapping(event["message"], "message")
        if message.get("is_echo"):
            return None  # our own reply, echoed back
        mid = _required(message, "mid", str)
        quick_reply = message.get("quick_reply")
        if quick_reply is not None:
            return InboundMessage(mid, sender, payload=_required(_mapping(quick_reply, "quick_reply"), "payload", str))
        text = _optional(message, "text", str)
        if text is not None:
            cleaned = typed_text(text)
            return InboundMessage(mid, sender, text=cleaned) if cleaned else None
        attachments = _list(message, "attachments")
        if attachments:
            first = _mapping(attachments[0], "an attachment")
            payload = first.get("payload")
            kind = (
                "sticker"
                if isinstance(payload, Mapping) and payload.get("sticker_id")
                else _optional(first, "type", str)
            )
            return InboundMessage(mid, sender, unsupported=kind or "attachment")
        return None
    if "postback" in event:
        postback = _mapping(event["postback"], "postback")
        mid = _optional(postback, "mid", str) or f"postback-{sender}-{event.get('timestamp')}"
        return InboundMessage(mid, sender, payload=_required(postback, "payload", str))
    return None  # deliveries, reads, reactions


# --- Telegram ----------------------------------------------------------------------


def message_from_telegram(update: Any) -> Optional[InboundMessage]:
    """The visitor message in a Telegram Update, from private chats only.

    In a group the assistant would answer health questions in front of others; it
    stays silent there.
    """
    update = _mapping(update, "the update")
    delivery_id = str(_required(update, "update_id", int))
    if "callback_query" in update:
        query = _mapping(update["callback_query"], "callback_query")
        query_id = _required(query, "id", str)
        data = _optional(query, "data", str)
        message = query.get("message")
        if message is not None:
            chat = _mapping(_mapping(message, "callback_query.message").get("chat"), "chat")
            if chat.get("type") != "private":
                return None
            chat_id = _required(chat, "id", int)
        else:
            chat_id = _required(_mapping(query.get("from"), "from"), "id", int)
        if not data:
            return None
        return InboundMessage(delivery_id, str(chat_id), payload=data, button_press_id=query_id)
    if "message" not in update:
        return None  # edits, channel posts, membership changes: nothing to answer
    message = _mapping(update["message"], "message")
    chat = _mapping(message.get("chat"), "chat")
    chat_id = _required(chat, "id", int)
    if _required(chat, "type", str) != "private":
        return None
    text = _optional(message, "text", str)
    if text is not None:
        if text.strip().split(maxsplit=1)[:1] == ["/start"]:
            return InboundMessage(delivery_id, str(chat_id), payload=TELEGRAM_START_PAYLOAD)
        cleaned = typed_text(text)
        return InboundMessage(delivery_id, str(chat_id), text=cleaned) if cleaned else None
    for field, kind in _TELEGRAM_UNSUPPORTED.items():
        if field in message:
            return InboundMessage(delivery_id, str(chat_id), unsupported=kind)
    return None  # service messages (pins, joins...)


# --- WhatsApp through Twilio -------------------------------------------------------


def message_from_twilio(form: Mapping[str, str]) -> Optional[InboundMessage]:
    """The visitor message in a Twilio incoming-message webhook, WhatsApp senders only.

    An SMS to the same Twilio number gets no answer here: the channel is WhatsApp.
    """
    message_sid = _required(form, "MessageSid", str)
    sender = _required(form, "From", str)
    if not sender.startswith("whatsapp:"):
        return None
    if form.get("Latitude") or form.get("Longitude"):
        return InboundMessage(message_sid, sender, unsupported="location")
    try:
        media_count = int(form.get("NumMedia") or 0)
    except ValueError:
        raise MalformedPayload("NumMedia is not a number") from None
    if media_count > 0:
        return InboundMessage(message_sid, sender, unsupported=_twilio_media_kind(form.get("MediaContentType0", "")))
    cleaned = typed_text(form.get("Body", ""))
    return InboundMessage(message_sid, sender, text=cleaned) if cleaned else None


def _twilio_media_kind(content_type: str) -> str:
    if content_type == "image/webp":
        return "sticker"  # WhatsApp stickers arrive as WebP images
    return {"audio": "voice", "image": "image", "video": "video"}.get(content_type.split("/")[0], "file")

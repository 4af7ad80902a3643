"""Buttons rendered the way each channel can show them, and numbered replies read back.

Messenger shows quick replies, Telegram an inline keyboard; WhatsApp (through Twilio,
without pre-approved interactive templates) shows numbered options, and a reply of "2"
then means the second option's payload. Where a channel cannot show a set of buttons
natively (too many for Messenger, a payload too long for Telegram) it falls back to
numbered options too.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from channels.text_split import length

MESSENGER_MAX_QUICK_REPLIES = 13
# Messenger shows 20 characters of a quick reply's title and truncates the rest itself.
TELEGRAM_MAX_CALLBACK_DATA_BYTES = 64

Button = Mapping[str, Any]

_NUMBERED_REPLY = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def usable_buttons(buttons: Optional[Iterable[Any]]) -> List[Dict[str, str]]:
    """The buttons a visitor can press: a title and a payload, both text."""
    return [
        {"title": button["title"], "payload": button["payload"]}
        for button in buttons or []
        if isinstance(button, Mapping)
        and isinstance(button.get("title"), str)
        and isinstance(button.get("payload"), str)
        and button["title"].strip()
        and button["payload"].strip()
    ]


def numbered_options(buttons: Sequence[Button]) -> str:
    """'1. Yes, please' / '2. No, thanks': one line per option, numbered from 1."""
    return "\n".join(f"{number}. {button['title']}" for number, button in enumerate(usable_buttons(buttons), start=1))


def with_numbered_options(parts: List[str], buttons: Sequence[Button], limit: int) -> List[str]:
    """The answer's messages with the numbered options at the end of the last one (or after it, if too long)."""
    options = numbered_options(buttons)
    if not options:
        return list(parts)
    if parts and length(f"{parts[-1]}\n\n{options}") <= limit:
        return parts[:-1] + [f"{parts[-1]}\n\n{options}"]
    return list(parts) + [options]


def chosen_number(reply: Optional[str]) -> Optional[int]:
    """The option number a reply such as '2' (or '2.', '2)', '2️⃣') names, or None for any other text."""
    if not reply:
        return None
    match = _NUMBERED_REPLY.match(reply.replace("\ufe0f", "").replace("\u20e3", ""))
    return int(match.group(1)) if match else None


def payload_for_numbered_reply(reply: Optional[str], buttons: Sequence[Button]) -> Optional[str]:
    """The payload of the option a numbered reply selects, or None if it selects none of `buttons`."""
    number = chosen_number(reply)
    options = usable_buttons(buttons)
    if number is None or not 1 <= number <= len(options):
        return None
    return options[number - 1]["payload"]


def buttons_on_offer(events_newest_first: Iterable[Mapping[str, Any]]) -> List[Dict[str, str]]:
    """The buttons of the bot's latest message with buttons since the visitor last wrote.

    Events are Rasa tracker events as dicts (`{"event": "bot", "data": {"buttons": ...}}`),
    newest first. Once the visitor has written again, earlier options no longer apply.
    """
    for event in events_newest_first:
        if event.get("event") == "user":
            return []
        if event.get("event") == "bot":
            data = event.get("data") or {}
            offered = usable_buttons(data.get("buttons") or data.get("quick_replies"))
            if offered:
                return offered
    return []


def messenger_quick_replies(buttons: Sequence[Button]) -> Optional[List[Dict[str, str]]]:
    """Messenger `quick_replies`, or None when Messenger cannot show them (more than 13)."""
    options = usable_buttons(buttons)
    if not options or len(options) > MESSENGER_MAX_QUICK_REPLIES:
        return None
    return [{"content_type": "text", "title": button["title"], "payload": button["payload"]} for button in options]


def telegram_inline_keyboard(buttons: Sequence[Button]) -> Optional[Dict[str, Any]]:
    """A Telegram `reply_markup` with one button per row (titles are sentences, rows stay readable).

    None when a payload does not fit Telegram's 64-byte `callback_data`: cutting it would
    send a different intent, so those buttons become numbered options instead.
    """
    options = usable_buttons(buttons)
    if not options or any(
        len(button["payload"].encode("utf-8")) > TELEGRAM_MAX_CALLBACK_DATA_BYTES for button in options
    ):
        return None
    return {"inline_keyboard": [[{"text": button["title"], "callback_data": button["payload"]}] for button in options]}

"""Logs without the visitor: conversation ids, phone numbers and e-mail addresses are
replaced by a pseudonym before any record is written.

A messaging conversation's id is the visitor's phone number (`whatsapp:+44…`) or an
account number, and any error message may quote one. `Pseudonymise` is a logging filter
on every handler of the Rasa server and the action server (deploy/logging.yml, given to
both with `--logging-config-file`); `pseudonym()` is for our own log lines. A pseudonym
is a keyed hash (HMAC-SHA-256): the same id always gives the same pseudonym, so log lines
about one conversation can be matched, but the id cannot be recovered from it without the
key (LOG_PSEUDONYM_KEY, else a random key kept in var/log-pseudonym.key, mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import List, Tuple

from clinic import settings as clinic_settings

KEY_FILE = Path(__file__).resolve().parents[1] / "var" / "log-pseudonym.key"

# Conversation ids of the messaging channels, phone numbers (UK and international) and
# e-mail addresses; website ids are random and left alone unless they hold a number.
_SENSITIVE = re.compile(
    r"(?P<conversation>\b(?:whatsapp|telegram|messenger|facebook|twilio):\+?[\w.-]+)"  # a messaging conversation
    r"|(?P<id>\b[A-Za-z][\w.]*-\+?\d{9,15}\b)"  # an id made of a phone number ("caller-447700900123")
    r"|(?P<phone>(?<![\w+])(?:\+\d[\d ]{8,16}\d|0\d{3,4}[ -]?\d{3}[ -]?\d{3,4}|\d{10,15})\b)"  # a phone number
    r"|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",  # an e-mail address
)


@lru_cache(maxsize=1)
def _key() -> bytes:
    given = clinic_settings.text("LOG_PSEUDONYM_KEY")
    if given:
        return given.encode()
    try:
        return KEY_FILE.read_bytes().strip()
    except FileNotFoundError:
        KEY_FILE.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = secrets.token_hex(32).encode()
        descriptor = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        return key
    except FileExistsError:  # another process wrote it first
        return KEY_FILE.read_bytes().strip()


def pseudonym(value: str) -> str:
    digest = hmac.new(_key(), str(value).encode(), hashlib.sha256).hexdigest()
    return f"id-{digest[:12]}"


def sensitive_spans(text: str) -> List[Tuple[int, int, str]]:
    """Where the text names a conversation, a phone number or an e-mail address: (start, end,
    kind), kind one of conversation, id, phone, email. Also used to take them out of
    training examples (clinic/anonymise.py)."""
    return [(match.start(), match.end(), match.lastgroup or "") for match in _SENSITIVE.finditer(text)]


def scrub(text: str) -> str:
    return _SENSITIVE.sub(lambda match: pseudonym(match.group(0)), text)


class ScrubFirst(logging.Handler):
    """Writes nothing: placed first on the root logger, its Pseudonymise filter rewrites each
    record before the handlers after it (Rasa's own coloured console handler) format it."""

    def emit(self, record: logging.LogRecord) -> None:
        pass


class Pseudonymise(logging.Filter):
    """Rewrites each record's message (and traceback) with pseudonyms; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is still logged, as its template
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True

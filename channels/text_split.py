"""Long answers split into messages a channel accepts, at sentence or word boundaries."""

from __future__ import annotations

import re
from typing import List

# Provider limits on one text message. Counted in UTF-16 code units (see `length`).
WHATSAPP_TEXT_LIMIT = 1600  # Twilio's limit for a WhatsApp message body
TELEGRAM_TEXT_LIMIT = 4096  # Bot API sendMessage
MESSENGER_TEXT_LIMIT = 2000  # Send API text message

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): an emoji counts twice.

    The strictest of the three providers' counts, so a part that fits here fits everywhere.
    """
    return len(text.encode("utf-16-le")) // 2


def split_for_channel(text: str, limit: int) -> List[str]:
    """The messages to send for one answer, each at most `limit` long.

    Paragraphs (blank-line separated) become separate messages, as Rasa's own channels
    and the website do. A paragraph within the limit is sent verbatim; a longer one is
    cut between sentences, a sentence over the limit between words, and only a single
    word over the limit (a long link) mid-word.
    """
    parts: List[str] = []
    for paragraph in (text or "").strip().split("\n\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if length(paragraph) <= limit:
            parts.append(paragraph)
        else:
            sentences = _SENTENCE_END.split(paragraph)
            parts.extend(_pack([piece for sentence in sentences for piece in _sentence_pieces(sentence, limit)], limit))
    return parts


def _sentence_pieces(sentence: str, limit: int) -> List[str]:
    if length(sentence) <= limit:
        return [sentence]
    return [piece for word in sentence.split() for piece in _word_pieces(word, limit)]


def _word_pieces(word: str, limit: int) -> List[str]:
    if length(word) <= limit:
        return [word]
    pieces, current = [], ""
    for character in word:
        if length(current + character) > limit:
            pieces.append(current)
            current = ""
        current += character
    return pieces + [current]


def _pack(pieces: List[str], limit: int) -> List[str]:
    """Join consecutive pieces (each within the limit) with spaces, greedily, into chunks within the limit."""
    chunks: List[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}" if current else piece
        if length(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks

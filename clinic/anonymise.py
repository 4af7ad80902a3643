"""Taking the visitor out of a message before it becomes a training example.

Names, places and addresses are found by spaCy's named-entity recogniser (the model the
NLU pipeline uses, config.yml); phone numbers, e-mail addresses and messaging ids by the
same patterns that keep them out of the logs (clinic/logs.py); UK postcodes, street
addresses and the words after "my name is" by the patterns below, because a small English
model misses most of them. Each is replaced by a placeholder that says what was there
("<NAME>", "<PHONE>"...), so the sentence still reads as a visitor would write it.
"""

from __future__ import annotations

import re
from typing import Callable, Collection, Iterable, List, Tuple

from clinic.logs import sensitive_spans

# spaCy's labels for people, places and buildings; not ORG ("the NHS", "Samaritans").
ENTITY_PLACEHOLDERS = {"PERSON": "<NAME>", "GPE": "<PLACE>", "LOC": "<PLACE>", "FAC": "<ADDRESS>"}
PATTERN_PLACEHOLDERS = {"phone": "<PHONE>", "email": "<EMAIL>", "conversation": "<ID>", "id": "<ID>"}
ADDRESS = "<ADDRESS>"
NAME = "<NAME>"

_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_STREET = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:[A-Za-z'-]+\s+){1,3}"
    r"(?:road|rd|street|st|avenue|ave|lane|ln|drive|dr|close|court|crescent|gardens|grove|place|square|terrace|way|"
    r"walk|hill|row|mews|parade|park)\b\.?",
    re.I,
)
_INTRODUCTION = re.compile(
    r"\b(?:my name is|my name's|name's|i am called|i'm called|call me|this is|signed)\s+"
    r"(?P<name>[A-Za-z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)?)",
    re.I,
)
# Words that follow "this is" or "call me" without being a name.
_NOT_NAMES = {"about", "a", "an", "the", "my", "me", "it", "on", "at", "back", "urgent", "really", "not", "so", "very"}

Span = Tuple[int, int, str]


def _entities(text: str, nlp: Callable, keep: Collection[str]) -> List[Span]:
    return [
        (entity.start_char, entity.end_char, ENTITY_PLACEHOLDERS[entity.label_])
        for entity in nlp(text).ents
        if entity.label_ in ENTITY_PLACEHOLDERS and " ".join(entity.text.lower().split()) not in keep
    ]


def _patterns(text: str) -> List[Span]:
    spans = [(start, end, PATTERN_PLACEHOLDERS[kind]) for start, end, kind in sensitive_spans(text)]
    spans += [(m.start(), m.end(), ADDRESS) for pattern in (_POSTCODE, _STREET) for m in pattern.finditer(text)]
    for match in _INTRODUCTION.finditer(text):
        words = match.group("name").split()
        if words[0].lower() in _NOT_NAMES:
            continue
        spans.append((match.start("name"), match.end("name"), NAME))
    return spans


def _merged(spans: Iterable[Span]) -> List[Span]:
    """Overlapping spans become one (the first found's placeholder), in text order."""
    merged: List[Span] = []
    for start, end, placeholder in sorted(spans, key=lambda span: (span[0], -span[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, placeholder))
    return merged


def anonymise(text: str, nlp: Callable, keep: Collection[str] = ()) -> str:
    """The text with names, places, addresses, phone numbers, e-mail addresses and messaging
    ids replaced by placeholders. `nlp` is a loaded spaCy pipeline with an NER; `keep`, the
    clinic's own words (lower case) the NER may take for a name or place ("Tui Na")."""
    spans = _merged(_patterns(text) + _entities(text, nlp, frozenset(keep)))
    out, position = [], 0
    for start, end, placeholder in spans:
        out.append(text[position:start])
        out.append(placeholder)
        position = end
    out.append(text[position:])
    return " ".join("".join(out).split())


def placeholders_only(text: str) -> bool:
    """Nothing left to learn from: only placeholders and punctuation."""
    rest = re.sub(r"<(?:NAME|PLACE|ADDRESS|PHONE|EMAIL|ID)>", " ", text)
    return not re.search(r"[^\W\d_]{2,}", rest)

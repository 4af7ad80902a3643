"""Validating what a visitor types in the handoff form: contact details, names, times.

phonenumbers and email-validator do the real checking; nothing here is a
hand-written phone or e-mail regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_NAME_LENGTH = 100
MAX_FREE_TEXT = 300
_NOT_NAMES = {"yes", "no", "yeah", "nope", "ok", "okay", "hi", "hello", "thanks", "skip", "none", "n/a", "na", "?"}


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" or "email"
    value: str  # E.164 phone number or normalised e-mail address


def parse_contact(text: str) -> Optional[Contact]:
    """A UK phone number or an e-mail address found in the visitor's words, or None."""
    text = (text or "").strip()
    if not text or len(text) > MAX_FREE_TEXT:
        return None
    for word in re.split(r"[\s,;<>()]+", text):
        if "@" in word:
            try:
                checked = validate_email(word.strip(".:"), check_deliverability=False)
            except EmailNotValidError:
                continue
            return Contact("email", checked.normalized)
    for match in phonenumbers.PhoneNumberMatcher(text, "GB"):
        number = match.number
        if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) in {
            "GB",
            "GG",
            "JE",
            "IM",
        }:
            return Contact("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return None


def display_phone(e164: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(e164, "GB"), phonenumbers.PhoneNumberFormat.NATIONAL)


def clean_name(text: str, person_entities: Iterable[str] = ()) -> Optional[str]:
    """The visitor's name: a spaCy PERSON entity if there is one, else their words, tidied."""
    people = [p.strip() for p in person_entities if p and p.strip()]
    candidate = re.sub(
        r"^(?:hi|hello|hiya)?[\s,]*(?:my name is|my name's|i'm|i am|it's|this is|call me|name:)\s+",
        "",
        (text or "").strip(),
        flags=re.I,
    )
    # The visitor's own words, unless they wrote a whole sentence around their name.
    if len(candidate.split()) > 5 and people:
        candidate = people[0]
    candidate = " ".join(candidate.split()).strip(" .,!")
    if not candidate or len(candidate) > MAX_NAME_LENGTH or candidate.lower() in _NOT_NAMES:
        return None
    if not re.search(r"[^\W\d_]", candidate) or re.search(r"[<>{}\[\]\\/@]|https?:", candidate):
        return None
    return candidate


def clean_free_text(text: str) -> Optional[str]:
    text = " ".join((text or "").split())
    if not text or len(text) > MAX_FREE_TEXT:
        return None
    return text


_DAYS = {
    "Monday": r"mon(?:day)?s?",
    "Tuesday": r"tue(?:s|sday)?s?",
    "Wednesday": r"wed(?:s|nesday)?s?",
    "Thursday": r"thu(?:r|rs|rsday)?s?",
    "Friday": r"fri(?:day)?s?",
    "Saturday": r"sat(?:urday)?s?",
    "Sunday": r"sun(?:day)?s?",
}
_PARTS = ("morning", "afternoon", "evening", "lunchtime")
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b|\b(\d{1,2}):(\d{2})\b", re.I)


def normalise_times(text: str, date_time_entities: Iterable[str] = ()) -> str:
    """A short normalised form of preferred days/times ("Tuesday afternoon; 15:00"); the visitor's words are kept separately."""
    lowered = (text or "").lower()
    found = []
    for day, pattern in _DAYS.items():
        if re.search(rf"\b{pattern}\b", lowered):
            found.append(day)
    if re.search(r"\bweekdays?\b", lowered):
        found.append("Weekdays")
    if re.search(r"\bweekends?\b", lowered):
        found.append("Weekends")
    for part in _PARTS:
        if part in lowered or (part == "morning" and re.search(r"\bmornings?\b", lowered)):
            found.append(part)
    for match in _TIME.finditer(text or ""):
        if match.group(3):
            hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "pm" else 0)
            minute = int(match.group(2) or 0)
        else:
            hour, minute = int(match.group(4)), int(match.group(5))
        if hour < 24 and minute < 60:
            found.append(f"{hour:02d}:{minute:02d}")
    for entity in date_time_entities:
        entity = " ".join(str(entity).split())
        if entity and not any(entity.lower() in f.lower() or f.lower() in entity.lower() for f in found):
            found.append(entity)
    unique = list(dict.fromkeys(found))
    return "; ".join(unique)

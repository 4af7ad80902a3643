"""What the visitor has asked in a conversation, whichever side reads it; and whether a
message opens with a greeting the assistant has not returned yet.

Rasa (components/long_conversations.py) and the action server (actions/handoff_form.py)
see the same conversation as different objects; both ask the same question of it: the
visitor's intents, newest first, in this session and then in earlier ones (which a new
session carries in the slot `earlier_intents`).
"""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Tuple

EARLIER_INTENTS_SLOT = "earlier_intents"  # domain/intents.yml


def intents_newest_first(events_newest_first: Iterable[Tuple[str, Optional[str]]], earlier: Iterable[str]) -> List[str]:
    """Distinct intents, newest first. `events_newest_first` gives each event's type
    ("user", "session_started"...) and, for a visitor's message, its intent."""
    names: List[str] = []
    for kind, intent in events_newest_first:
        if kind == "session_started":
            break
        if kind == "user" and intent:
            names.append(intent)
    return list(dict.fromkeys([*names, *(str(name) for name in earlier or [])]))


# A message that opens with a greeting before its question ("hi, is there a link between...",
# "good morning, what's your covid policy?"): the assistant says hello before it answers,
# once per session.
GREETING_OPENER = re.compile(
    r"^\W*(?:(?:hi+|hiya|hey+|heya|hello+|hallo|howdy|greetings|good (?:morning|afternoon|evening|day)|ey up|ay up|"
    r"bout ye|howya|wassup)\b|(?:morning|afternoon|evening|alright|awright|alreet|now then|yo)(?:\s*[,.!]|\s*$))",
    re.IGNORECASE,
)
GREETINGS = ("utter_greet", "utter_hello")  # domain/conversation.yml


def greets_first(text: str, events_newest_first: Iterable[Tuple[str, Optional[str]]]) -> bool:
    """Whether to say hello before answering: the message opens with a greeting and the
    assistant has not greeted in this session yet. `events_newest_first` gives each
    event's type and the response it said (an action's name, or a bot message's
    `utter_action`: a response an action sends is recorded as a bot message)."""
    if not GREETING_OPENER.search(text or ""):
        return False
    for kind, name in events_newest_first:
        if kind == "session_started":
            break
        if kind in ("action", "bot") and name in GREETINGS:
            return False
    return True

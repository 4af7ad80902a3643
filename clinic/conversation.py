"""What the visitor has asked in a conversation, whichever side reads it.

Rasa (components/long_conversations.py) and the action server (actions/handoff_form.py)
see the same conversation as different objects; both ask the same question of it: the
visitor's intents, newest first, in this session and then in earlier ones (which a new
session carries in the slot `earlier_intents`).
"""

from __future__ import annotations

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

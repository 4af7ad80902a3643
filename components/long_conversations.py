"""Long conversations start a new Rasa session, so no message gets slower as a chat grows.

For every message Rasa reads the current conversation session back from the tracker
store, replays it, and lets each policy compute the dialogue state of every turn so
far. All three grow with the session: measured here, a visitor's 1,000th message in one
session took 15 times as long as the first ones. Rasa's own bound is the conversation
session (`session_config` in the domain), but it only ends a session after an idle time.

This module ends it after a length too: when a visitor writes and the current session
holds more than SESSION_MAX_EVENTS events (default 200, about 25 visitor messages),
Rasa's own `action_session_start` runs first, exactly as after an idle hour. Slots carry
over (`carry_over_slots_to_new_session: true`), the staff console still shows the whole
conversation (it reads every session), and the tracker store loads only the new session.

Three things keep the visitor from noticing:
- never while a form is active (a half-typed booking would lose its place);
- the actions of the bot's last turn are recorded again at the start of the new session,
  so a reply to it still means what it meant ("Would you like to book?" - "yes");
- the slot `earlier_intents` keeps what the visitor asked before (also after an idle
  hour), so a booking's topic and an earlier emergency still reach the staff.

A new session carries each slot over once, with its latest value (Rasa copies every
SlotSet event, so its sessions started longer each time).
"""

from __future__ import annotations

import logging
from typing import List, Optional

from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME, SESSION_START_METADATA_SLOT
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from clinic import conversation
from clinic import settings as clinic_settings
from clinic.conversation import EARLIER_INTENTS_SLOT

logger = logging.getLogger(__name__)

DEFAULT_MAX_EVENTS = clinic_settings.default("SESSION_MAX_EVENTS")
_rasas_update_session = MessageProcessor._update_tracker_session


def max_session_events() -> int:
    """Read for every message: a bad value means the default (clinic/settings.py)."""
    return clinic_settings.integer("SESSION_MAX_EVENTS")


def events_in_current_session(tracker: DialogueStateTracker) -> int:
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        count += 1
    return count


def should_roll_over(tracker: DialogueStateTracker, limit: int) -> bool:
    return tracker.active_loop_name is None and events_in_current_session(tracker) > limit


def last_bot_turn(tracker: DialogueStateTracker) -> List[str]:
    """Names of the actions the bot ran after the visitor's last message (not listening)."""
    actions: List[str] = []
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name and event.action_name != ACTION_LISTEN_NAME:
            actions.append(event.action_name)
    return list(reversed(actions))


def intents_newest_first(tracker: DialogueStateTracker) -> List[str]:
    """Distinct intents of the whole conversation, newest first: this session's, then earlier ones."""
    return conversation.intents_newest_first(
        ((event.type_name, getattr(event, "intent_name", None)) for event in reversed(tracker.events)),
        tracker.get_slot(EARLIER_INTENTS_SLOT) or [],
    )


async def update_tracker_session(
    self: MessageProcessor, tracker: DialogueStateTracker, output_channel, metadata: Optional[dict] = None
) -> None:
    """Rasa's session update, plus a new session when the current one is long.

    Whenever a session follows an earlier one, `earlier_intents` keeps what was asked.
    """
    if not tracker.applied_events():
        return await _rasas_update_session(self, tracker, output_channel, metadata)
    expired = self._has_session_expired(tracker)
    limit = max_session_events()
    if not expired and not should_roll_over(tracker, limit):
        return None
    earlier = intents_newest_first(tracker)
    if expired:
        await _rasas_update_session(self, tracker, output_channel, metadata)
        tracker.update(SlotSet(EARLIER_INTENTS_SLOT, earlier), self.domain)
        return None
    carried = last_bot_turn(tracker)
    logger.debug("Conversation '%s' has over %d events in this session: starting a new one.", tracker.sender_id, limit)
    if metadata:  # as Rasa does for a new session
        tracker.update(SlotSet(SESSION_START_METADATA_SLOT, metadata), self.domain)
    await self._run_action(
        action=self._get_action(ACTION_SESSION_START_NAME),
        tracker=tracker,
        output_channel=output_channel,
        nlg=self.nlg,
        prediction=PolicyPrediction.for_action_name(self.domain, ACTION_SESSION_START_NAME),
    )
    replayed: List[Event] = [SlotSet(EARLIER_INTENTS_SLOT, earlier)]
    if carried:
        replayed += [ActionExecuted(name) for name in carried] + [ActionExecuted(ACTION_LISTEN_NAME)]
    for event in replayed:
        tracker.update(event, self.domain)


def latest_slot_values(tracker: DialogueStateTracker) -> List[SlotSet]:
    """Rasa's carry-over, one event per slot: its latest value.

    Rasa's own `action_session_start` copies every SlotSet of the old session, including
    those it copied into that session, so each new session started longer than the last.
    """
    latest = {}
    for event in tracker.applied_events():
        if isinstance(event, SlotSet):
            latest.pop(event.key, None)  # keep the order in which the values were last set
            latest[event.key] = SlotSet(key=event.key, value=event.value, metadata=event.metadata)
    return list(latest.values())

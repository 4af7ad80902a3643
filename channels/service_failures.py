"""What a visitor is told when part of the service fails while their message is answered.

Rasa 3.6 keeps going when a part behind it fails, and the visitor cannot tell:

- a custom action that cannot run (the action server is down) is logged, its events
  are dropped and the dialogue carries on, so the visitor gets silence or an answer
  that follows from a step that never happened;
- a tracker store that cannot be read or written is replaced, for that message, by an
  empty conversation in memory (Rasa's FailSafeTrackerStore), so the answer ignores
  everything said before and is never stored;
- a lock store (Redis) that cannot be reached raises, and the REST channel answers 200
  with an empty list.

`answer_or_apologise` runs one visitor message with its bot messages held back. If an
action failed, the visitor gets `utter_booking_system_unavailable`; if the stores
failed, `utter_message_not_processed`; each with the clinic's contact route, and of the
held messages only an emergency answer. Otherwise the held messages go out unchanged.
The failures are noticed where they happen, not from log text: components/rasa_patches.py
wraps the remote action call (`RemoteAction.run`) and the two error hooks of Rasa's
FailSafeTrackerStore, and each wrapper marks the message being answered, found through
a context variable (each message is its own task).
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from clinic.answers import clinic_detail_slots
from clinic.details import ClinicDetailsError, load_clinic_details
from clinic.logs import pseudonym

logger = logging.getLogger(__name__)

ACTION_FAILED_RESPONSE = "utter_booking_system_unavailable"
NOT_PROCESSED_RESPONSE = "utter_message_not_processed"
CONTACT_ROUTE_RESPONSE = "utter_contact_route"
# Sent even from a failed turn: an emergency answer must never be held back.
ALWAYS_SENT_RESPONSES = frozenset({"utter_emergency"})


@dataclass
class TurnFailures:
    action_failed: bool = False
    store_failed: bool = False


_current_turn: contextvars.ContextVar[Optional[TurnFailures]] = contextvars.ContextVar("clinic_turn", default=None)


def _mark(kind: str) -> None:
    turn = _current_turn.get()
    if turn is not None:
        setattr(turn, kind, True)


_rasas_remote_run = RemoteAction.run
_rasas_store_error = FailSafeTrackerStore.on_tracker_store_error
_rasas_store_retrieve_error = FailSafeTrackerStore.on_tracker_store_retrieve_error


async def remote_action_run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """Rasa's remote action call; a failure (not a form's rejection) marks the turn."""
    try:
        return await _rasas_remote_run(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise
    except Exception:
        _mark("action_failed")
        raise


def tracker_store_error(self: FailSafeTrackerStore, error: Exception) -> None:
    """Rasa's hook when the tracker store cannot save (then it keeps going in memory)."""
    _mark("store_failed")
    _rasas_store_error(self, error)


def tracker_store_retrieve_error(self: FailSafeTrackerStore, error: Exception) -> None:
    """Rasa's hook when the tracker store cannot be read (then it starts an empty tracker)."""
    _mark("store_failed")
    _rasas_store_retrieve_error(self, error)


class HeldOutputChannel(OutputChannel):
    """Holds a turn's bot messages until the turn is known to have worked."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.held: List[Tuple[str, Dict[str, Any]]] = []

    def name(self) -> str:  # channel-specific response variations follow the real channel
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.held.append((recipient_id, message))

    async def release(self, only: Optional[frozenset] = None) -> None:
        """Send the held messages (or only those of the responses named in `only`)."""
        for recipient_id, message in self.held:
            if only is None or message.get("utter_action") in only:
                await self.inner.send_response(recipient_id, message)
        self.held = []


async def apology(agent: Any, response: str, sender_id: str, channel: str) -> List[Dict[str, Any]]:
    """The apology and the clinic's contact route, from the approved responses.

    The contact route is filled from the clinic's details file here, because the
    conversation's own slots may be exactly what could not be read.
    """
    tracker = DialogueStateTracker(sender_id, agent.domain.slots)
    try:
        for name, value in clinic_detail_slots(load_clinic_details()).items():
            if name in tracker.slots:
                tracker.slots[name].value = value
    except ClinicDetailsError as error:
        logger.error("The apology goes without the contact route: %s", error)
    messages = []
    for name in (response, CONTACT_ROUTE_RESPONSE):
        message = await agent.nlg.generate(name, tracker, channel)
        if message:
            messages.append(message)
        else:
            logger.error("The served model has no response %s; retrain it (make train)", name)
    return messages


async def answer_or_apologise(
    agent: Any, message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> TurnFailures:
    """Answer `message` through Rasa; send an honest apology instead if a part failed."""
    real_output = message.output_channel
    held = HeldOutputChannel(real_output)
    message.output_channel = held
    turn = TurnFailures()
    token = _current_turn.set(turn)
    try:
        await on_new_message(message)
    except Exception:  # whatever failed, the visitor must hear about it
        logger.exception("Could not answer a message of conversation %s", pseudonym(message.sender_id))
        turn.store_failed = True
    finally:
        _current_turn.reset(token)
        message.output_channel = real_output
    if turn.store_failed or turn.action_failed:
        response = NOT_PROCESSED_RESPONSE if turn.store_failed else ACTION_FAILED_RESPONSE
        logger.warning("Conversation %s: told the visitor %s", pseudonym(message.sender_id), response)
        await held.release(only=ALWAYS_SENT_RESPONSES)
        for reply in await apology(agent, response, message.sender_id, real_output.name()):
            await real_output.send_response(message.sender_id, reply)
    else:
        await held.release()
    return turn

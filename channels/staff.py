"""Live takeover, the Rasa side: the staff console joins a conversation, writes in it and hands it back.

A custom input channel (enabled in credentials.yml) whose routes only the console calls,
with the shared secret TAKEOVER_TOKEN as a bearer token (503 while it is unset, 401
without it):

    POST /webhooks/staff/conversations/<id>/takeover  {"staff": "Sam"}
    POST /webhooks/staff/conversations/<id>/messages  {"staff": "Sam", "text": "..."}
    POST /webhooks/staff/conversations/<id>/release   {"staff": "Sam"}
    POST /webhooks/staff/conversations/<id>/later     {}

Each runs under Rasa's lock store for that conversation (as a visitor's message does), so
its events never interleave with an answer being written. Taking over appends Rasa's own
`ConversationPaused` and the approved "Sam from the clinic team has joined" line
(domain/takeover.yml); a staff message is a `BotUttered` with `{"staff": name}` in its
metadata; handing back appends `ConversationResumed` and "You're back with the automated
assistant". Everything is in the tracker, so it survives restarts and shows in the
transcript. Each line also goes to the visitor through the output channel of the channel
the conversation last came in on: the website's socket.io room (with the staff name in
`metadata.staff`, which the widget shows) or a messaging channel's connector. A REST
conversation has nowhere to push to: the lines are stored only.

While paused, Rasa's processor says nothing (`tracker.is_paused()`), except that an
emergency never waits: `should_handle_message` (installed by components/rasa_patches.py
in place of MessageProcessor._should_handle_message) lets a message the triage routed to
an emergency (components/triage_net.py: `triage.route` in its parse data, not a question
"is it happening now?") be answered at once, with the emergency reply its rule gives.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.actions.action import create_bot_utterance
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ConversationPaused, ConversationResumed, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.signatures import tokens_match
from clinic import settings

logger = logging.getLogger(__name__)

JOINED_RESPONSE = "utter_staff_joined"
LEFT_RESPONSE = "utter_staff_left"
LATER_RESPONSE = "utter_staff_reply_later"
# Conversation ids of every channel: the website's and "whatsapp:+44...", "telegram:123".
MAX_ID_CHARS = 128
MAX_NAME_CHARS = 100
MAX_STAFF_TEXT_CHARS = 2000  # the console's own limit (console/takeover.py) is the one staff meet


class StaffRequestError(ValueError):
    """What is wrong with the console's request; safe to send back."""


# While paused ---------------------------------------------------------------------------


def is_emergency(tracker: DialogueStateTracker) -> bool:
    """The latest visitor message was routed to an emergency by the triage (not only asked about)."""
    latest = tracker.latest_message
    triage = (latest.parse_data.get("triage") or {}) if isinstance(latest, UserUttered) else {}
    return bool(triage.get("route")) and not triage.get("ask_if_now")


_rasas_should_handle_message = MessageProcessor._should_handle_message


def should_handle_message(tracker: DialogueStateTracker) -> bool:
    """Rasa's rule (not paused, or the visitor restarted), and: an emergency is always answered."""
    return _rasas_should_handle_message(tracker) or tracker.is_paused() and is_emergency(tracker)


# The channel ----------------------------------------------------------------------------


def _body(request: Request) -> Dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):
        raise StaffRequestError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise StaffRequestError("the body must be a JSON object")
    return body


def _text(body: Dict[str, Any], name: str, limit: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit or "\x00" in value:
        raise StaffRequestError(f"`{name}` must be a text of 1 to {limit} characters")
    return value.strip()


def _conversation_id(value: str) -> str:
    if not value or len(value) > MAX_ID_CHARS or any(ord(c) < 32 for c in value):
        raise StaffRequestError("no such conversation")
    return value


def _input_channel(tracker: DialogueStateTracker) -> Optional[str]:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered) and event.input_channel:
            return event.input_channel
    return None


class StaffInput(InputChannel):
    """The console's way into Rasa's conversations (see the module's docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "staff"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("clinic_staff_takeover", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/conversations/<conversation_id:str>/<what:str>", methods=["POST"])
        async def act(request: Request, conversation_id: str, what: str) -> HTTPResponse:
            token = settings.text("TAKEOVER_TOKEN")
            if not token:
                return response.json({"error": "live takeover is off: TAKEOVER_TOKEN is not set"}, status=503)
            header = request.headers.get("authorization") or ""
            if not header.lower().startswith("bearer ") or not tokens_match(token, header[7:].strip()):
                return response.json({"error": "send the takeover token as Authorization: Bearer …"}, status=401)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "the assistant is starting; try again shortly"}, status=503)
            if what not in ("takeover", "messages", "release", "later"):
                return response.json({"error": "no such action"}, status=404)
            try:
                body = _body(request)
                sender = _conversation_id(conversation_id)
                staff = _text(body, "staff", MAX_NAME_CHARS) if what != "later" else ""
                text = _text(body, "text", MAX_STAFF_TEXT_CHARS) if what == "messages" else ""
            except StaffRequestError as problem:
                return response.json({"error": str(problem)}, status=400)
            channels = getattr(request.app.ctx, "input_channels", None) or []
            async with agent.lock_store.lock(sender):
                tracker = await agent.processor.get_tracker(sender)
                if not any(isinstance(event, UserUttered) for event in tracker.events):
                    return response.json({"error": "no such conversation"}, status=404)
                if what == "messages" and not tracker.is_paused():
                    return response.json({"error": "take the conversation over first"}, status=409)
                messages, events = await self._turn(agent, tracker, what, staff, text)
                for event in events:
                    tracker.update(event)
                await agent.processor.save_tracker(tracker)
                delivered = await deliver(channels, tracker, messages)
            return response.json({"paused": tracker.is_paused(), "delivered": delivered})

        return blueprint

    async def _turn(
        self, agent: Any, tracker: DialogueStateTracker, what: str, staff: str, text: str
    ) -> "tuple[List[Dict[str, Any]], List[Event]]":
        """The visitor-facing messages and the events of one staff action."""
        events: List[Event] = []
        if what == "takeover" and not tracker.is_paused():
            events.append(ConversationPaused())
        if what == "release" and tracker.is_paused():
            events.append(ConversationResumed())
        if what == "messages":
            messages = [{"text": text, "staff": staff}]
        elif what == "release" and not events:
            messages = []  # not taken over: nothing to tell the visitor
        else:
            name = {"takeover": JOINED_RESPONSE, "release": LEFT_RESPONSE, "later": LATER_RESPONSE}[what]
            line = await agent.nlg.generate(name, tracker, _input_channel(tracker) or self.name(), staff_name=staff)
            if not line:
                logger.warning("%s is not in the model's domain or the content store: nothing said", name)
                messages = []
            else:
                messages = [dict(line, utter_action=name)]
        for message in messages:
            if "staff" in message:
                events.append(create_bot_utterance({"text": message["text"], "staff": message["staff"]}))
            else:
                events.append(create_bot_utterance(dict(message)))
        return messages, events


async def deliver(channels: List[InputChannel], tracker: DialogueStateTracker, messages: List[Dict[str, Any]]) -> bool:
    """Sends the messages through the output channel of the conversation's own channel; False if
    there is none (REST, or a channel not enabled on this server)."""
    if not messages:
        return True
    name = _input_channel(tracker)
    channel = next((c for c in channels if c.name() == name), None)
    output: Optional[OutputChannel] = channel.get_output_channel() if channel is not None else None
    if output is None:
        return False
    for message in messages:
        if isinstance(output, SocketIOOutput):
            await _emit(channel, output, tracker.sender_id, message)
        elif "staff" in message:
            await output.send_text_message(tracker.sender_id, f"{message['staff']}: {message['text']}")
        else:
            await output.send_response(tracker.sender_id, {k: v for k, v in message.items() if k != "utter_action"})
    return True


async def _emit(channel: SocketIOInput, output: SocketIOOutput, room: str, message: Dict[str, Any]) -> None:
    """To the visitor's socket.io room, as Rasa's bot_uttered, with the staff member's name for the widget."""
    data: Dict[str, Any] = {"text": message.get("text") or ""}
    if message.get("buttons"):
        data["quick_replies"] = message["buttons"]
    if "staff" in message:
        data["metadata"] = {"staff": message["staff"]}
    await output.sio.emit(output.bot_message_evt, data, room=room, namespace=channel.namespace)

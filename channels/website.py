"""The website's channels: Rasa's REST and socket.io inputs, strict about what they accept.

Same URLs and events as Rasa's own `rest` and `socketio` channels (the widget and any
REST client need no change), with two differences:

- a message is accepted only as a JSON object with a short `sender` (or socket.io
  `session_id`) and a non-empty text `message`, and never reaches the dialogue
  otherwise: a malformed request gets REST 400 with an `error`; a text the assistant
  cannot read (empty, over 4,096 characters) gets the approved "couldn't read that"
  answer, as does anything malformed on socket.io;
- every message is answered through `answer_or_apologise`, so a failing action server,
  tracker store or lock store gives the visitor an honest apology instead of silence;
- the socket.io handlers await `enter_room`, a coroutine since python-socketio 5.10,
  which Rasa 3.6's own handlers call without `await` (RasaHQ/rasa#13027): with them, no
  answer would reach a widget that keeps its session.

The body-size limit (1 MB → 413) is Sanic's REQUEST_MAX_SIZE, set for the Rasa server
by every launcher (deploy/commands.py, SANIC_REQUEST_MAX_SIZE).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.service_failures import answer_or_apologise

logger = logging.getLogger(__name__)

# The widget stops at 1,000 characters; WhatsApp allows 4,096.
MAX_MESSAGE_CHARS = 4096
# Conversation ids: the widget's are 32 hex digits; REST clients choose their own. No
# colon, @ or +: the messaging channels' conversations are "whatsapp:+44...",
# "telegram:<chat id>" and "messenger:<psid>", and a website request must never be able
# to name one of them (whoever knows a patient's phone number could otherwise write into
# that patient's conversation).
SENDER_ID = re.compile(r"[A-Za-z0-9_.\-]{1,128}")
UNREADABLE_RESPONSE = "utter_message_unreadable"


class InvalidMessage(ValueError):
    """Why a request cannot be accepted (a client's mistake); the text is safe to show to a client."""


class UnreadableText(InvalidMessage):
    """A well-formed message whose text the assistant cannot read: the visitor is told so."""


def read_visitor_text(value: Any) -> Text:
    if not isinstance(value, str):
        raise InvalidMessage("`message` must be a string")
    if not value.strip():
        raise UnreadableText("`message` is empty")
    if len(value) > MAX_MESSAGE_CHARS:
        raise UnreadableText(f"`message` is longer than {MAX_MESSAGE_CHARS} characters")
    if "\x00" in value:
        raise UnreadableText("`message` contains a NUL character")
    return value


def read_sender(value: Any, field: str) -> Text:
    if not isinstance(value, str) or not SENDER_ID.fullmatch(value):
        raise InvalidMessage(f"`{field}` must be 1-128 letters, digits or . _ -")
    return value


def read_rest_message(body: bytes) -> Tuple[Text, Text]:
    """(sender, text) from a REST webhook body, or InvalidMessage."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past Python's limit
        raise InvalidMessage("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise InvalidMessage("the body must be a JSON object")
    return read_sender(data.get("sender"), "sender"), read_visitor_text(data.get("message"))


def read_session_id(data: Any) -> Optional[Text]:
    """The session id a socket.io client asked for, if it is a usable one."""
    session_id = data.get("session_id") if isinstance(data, dict) else None
    try:
        return read_sender(session_id, "session_id")
    except InvalidMessage:
        return None


def _agent(app: Any) -> Any:
    agent = getattr(app.ctx, "agent", None) if app is not None else None
    return agent if agent is not None and agent.is_ready() else None


class WebsiteRestInput(RestInput):
    """POST /webhooks/rest/webhook {"sender": ..., "message": ...} → the bot's messages."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("clinic_website_rest", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            agent = _agent(request.app)
            if agent is None:
                return response.json({"error": "the assistant is starting; try again shortly"}, status=503)
            try:
                sender, text = read_rest_message(request.body or b"")
            except UnreadableText:
                # The visitor typed something unreadable: an approved answer, not an error.
                reply = await agent.nlg.generate(
                    UNREADABLE_RESPONSE, DialogueStateTracker("-", agent.domain.slots), self.name()
                )
                return response.json([{"text": reply["text"]}] if reply else [])
            except InvalidMessage as problem:
                return response.json({"error": str(problem)}, status=400)
            collector = CollectingOutputChannel()
            await answer_or_apologise(
                agent, UserMessage(text, collector, sender, input_channel=self.name()), on_new_message
            )
            return response.json(collector.messages)

        return blueprint


class WebsiteSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel (session_request / user_uttered / bot_uttered), strict and guarded."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        served: Dict[str, Any] = {}

        @blueprint.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            served["app"] = app

        async def refuse(sid: Text) -> None:
            agent = _agent(served.get("app"))
            if agent is None:
                return
            reply = await agent.nlg.generate(
                UNREADABLE_RESPONSE, DialogueStateTracker(sid, agent.domain.slots), self.name()
            )
            if reply:
                await sio.emit(self.bot_message_evt, {"text": reply["text"]}, room=sid, namespace=self.namespace)

        # Registered again under the same names, these replace Rasa's own handlers.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            session_id = read_session_id(data) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:  # a client may send no data at all
            try:
                if self.session_persistence:
                    sender = read_session_id(data)
                    if sender is None:
                        raise InvalidMessage("no session id: send session_request first")
                    if sender not in sio.rooms(sid, namespace=self.namespace):
                        await sio.enter_room(sid, sender, namespace=self.namespace)
                else:
                    sender = sid
                text = read_visitor_text(data.get("message") if isinstance(data, dict) else None)
            except InvalidMessage as problem:
                logger.info("socket.io: refused a message from %s: %s", sid, problem)
                await refuse(sid)
                return
            agent = _agent(served.get("app"))
            if agent is None:
                logger.warning("socket.io: a message arrived before the model was loaded")
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            await answer_or_apologise(
                agent, UserMessage(text, output, sender, input_channel=self.name()), on_new_message
            )

        return blueprint

"""What every clinic messaging channel does around its provider's specifics.

A webhook is handled in this order, so that nothing reaches a conversation before the
provider is proven to be the sender:

1. channel not configured (a secret unset) -> 503, no model loaded -> 503;
2. body over `MAX_WEBHOOK_BODY_BYTES` -> 413;
3. signature missing or wrong -> 403;
4. payload malformed (not JSON / not a form, missing fields, wrong types) -> 400;
5. each message not seen before is answered, in the request, then 200.

A failure while answering one message is logged, the visitor gets an honest apology
(channels/service_failures.py) and the webhook still gets its 200: answering 500 would
only make the provider deliver the same message again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.buttons import buttons_on_offer, chosen_number, payload_for_numbered_reply, with_numbered_options
from channels.deliveries import RecentDeliveries, SharedDeliveries, deliveries_from_environment
from channels.inbound import InboundMessage, MalformedPayload
from channels.service_failures import answer_or_apologise
from channels.settings import ChannelSettings, read_channel_settings
from channels.text_split import split_for_channel

logger = logging.getLogger(__name__)

# Real webhook bodies are a few kilobytes; Meta's largest batches stay well under this.
MAX_WEBHOOK_BODY_BYTES = 256 * 1024
# Sent (by name, through Rasa's NLG) when a visitor sends something we cannot read.
UNSUPPORTED_CONTENT_RESPONSE = "utter_unsupported_content"
OUTBOUND_TIMEOUT = aiohttp.ClientTimeout(total=15)


def refusal(status: int, error: str) -> HTTPResponse:
    return response.json({"error": error}, status=status)


class ProviderApi:
    """The provider's HTTP API for outbound messages, at a configurable base URL.

    Failures are logged by endpoint name and status only: the URL may carry a token
    (Telegram puts it in the path, Messenger in the query string).
    """

    def __init__(self, channel: str, base_url: str) -> None:
        self.channel = channel
        self.base_url = base_url.rstrip("/")
        self._session: Optional[aiohttp.ClientSession] = None

    async def post(
        self,
        endpoint: str,
        path: str,
        *,
        json: Any = None,
        data: Optional[Mapping[str, str]] = None,
        params: Optional[Mapping[str, str]] = None,
        auth: Optional[aiohttp.BasicAuth] = None,
    ) -> bool:
        if self._session is None or self._session.closed:
            # Created lazily so that it belongs to the server's running event loop.
            self._session = aiohttp.ClientSession(timeout=OUTBOUND_TIMEOUT)
        try:
            async with self._session.post(
                self.base_url + path, json=json, data=data, params=params, auth=auth
            ) as reply:
                if 200 <= reply.status < 300:
                    return True
                logger.error("%s: the provider's %s endpoint answered HTTP %s", self.channel, endpoint, reply.status)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error(
                "%s: could not reach the provider's %s endpoint (%s)", self.channel, endpoint, type(error).__name__
            )
        return False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class ClinicOutputChannel(OutputChannel):
    """Sends one bot message as one or more provider messages, split at the channel's limit."""

    channel: ClassVar[str]
    text_limit: ClassVar[int]
    conversation_prefix: ClassVar[str] = ""

    def __init__(self, api: ProviderApi, settings: ChannelSettings) -> None:
        super().__init__()
        self.api = api
        self.settings = settings

    @classmethod
    def name(cls) -> str:
        return cls.channel

    def recipient(self, conversation_id: str) -> str:
        """The provider's id for the visitor of a conversation (conversation ids carry a channel prefix)."""
        if self.conversation_prefix and conversation_id.startswith(self.conversation_prefix):
            return conversation_id[len(self.conversation_prefix) :]
        return conversation_id

    async def send_part(self, recipient: str, text: str, buttons: Sequence[Mapping[str, Any]] = ()) -> None:
        """One provider message; `buttons` are given only to channels that show them natively."""
        raise NotImplementedError

    def shows_buttons_as_numbers(self, buttons: Sequence[Mapping[str, Any]]) -> bool:
        """Whether this channel shows these buttons as numbered options (so "2" picks the second)."""
        return True

    async def acknowledge_button_press(self, button_press_id: str) -> None:
        """Tell the provider a button press was received (only Telegram needs it)."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_for_channel(text, self.text_limit):
            await self.send_part(self.recipient(recipient_id), part)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        recipient = self.recipient(recipient_id)
        parts = split_for_channel(text, self.text_limit)
        if self.shows_buttons_as_numbers(buttons) or not parts:
            for part in with_numbered_options(parts, buttons, self.text_limit):
                await self.send_part(recipient, part)
            return
        for part in parts[:-1]:
            await self.send_part(recipient, part)
        await self.send_part(recipient, parts[-1], buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        # Rasa's default would send the raw JSON to the visitor as text.
        logger.warning("%s: a custom payload is not sent on this channel", self.channel)


class ClinicInputChannel(InputChannel):
    """A provider's webhook at /webhooks/<channel>/webhook. Subclasses say how to verify and read it."""

    channel: ClassVar[str]
    output_class: ClassVar[type]
    required_settings: ClassVar[Tuple[str, ...]]
    default_settings: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self, settings: ChannelSettings, deliveries: Optional[Union[RecentDeliveries, SharedDeliveries]] = None
    ) -> None:
        self.settings = settings
        self.deliveries = deliveries or deliveries_from_environment()
        self.api = ProviderApi(self.channel, settings.values.get("api_base_url", ""))
        if not settings.is_configured:
            logger.warning("%s; its webhook answers 503 until then", settings.describe_missing())

    @classmethod
    def name(cls) -> str:
        return cls.channel

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "ClinicInputChannel":
        return cls(read_channel_settings(cls.channel, credentials, cls.required_settings, cls.default_settings))

    def get_output_channel(self) -> Optional[ClinicOutputChannel]:
        if not self.settings.is_configured:
            return None
        return self.output_class(self.api, self.settings)

    # --- what each provider does differently -------------------------------------

    def is_authentic(self, request: Request) -> bool:
        """Whether the provider signed this request. May raise MalformedPayload."""
        raise NotImplementedError

    def read_messages(self, request: Request) -> List[InboundMessage]:
        """The visitor messages in a verified request. Raises MalformedPayload."""
        raise NotImplementedError

    def acknowledgement(self) -> HTTPResponse:
        return response.json({"status": "ok"})

    def conversation_id(self, sender: str) -> str:
        return self.output_class.conversation_prefix + sender

    def add_routes(self, blueprint: Blueprint) -> None:
        """Routes besides the webhook POST (Messenger's verification handshake)."""

    # --- the same for every channel ----------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint(f"clinic_{self.channel}_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if not self.settings.is_configured:
                return refusal(503, "not configured")
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        @blueprint.listener("after_server_stop")
        async def close_provider_api(*_: Any) -> None:
            await self.api.close()

        self.add_routes(blueprint)
        return blueprint

    async def receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        if not self.settings.is_configured:
            return refusal(503, "not configured")
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or not agent.is_ready():
            return refusal(503, "no model loaded")
        if len(request.body or b"") > MAX_WEBHOOK_BODY_BYTES:
            return refusal(413, "payload too large")
        try:
            if not self.is_authentic(request):
                logger.warning("%s: refused a webhook with a missing or wrong signature", self.channel)
                return refusal(403, "invalid signature")
            messages = self.read_messages(request)
        except MalformedPayload as problem:
            logger.warning("%s: refused a malformed webhook: %r", self.channel, str(problem))
            return refusal(400, "malformed payload")
        for message in messages:
            if not self.deliveries.is_first_delivery(f"{self.channel}:{message.delivery_id}"):
                logger.info(
                    "%s: message %s was delivered again; answered once already", self.channel, message.delivery_id
                )
                continue
            try:
                await self.answer(message, agent, on_new_message)
            except Exception:  # see the module docstring
                logger.exception("%s: could not answer message %s", self.channel, message.delivery_id)
        return self.acknowledgement()

    async def answer(
        self, message: InboundMessage, agent: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        output = self.get_output_channel()
        conversation_id = self.conversation_id(message.sender)
        if message.button_press_id:
            await output.acknowledge_button_press(message.button_press_id)
        if message.unsupported:
            await self.send_unsupported_content_reply(agent, conversation_id, output)
            return
        text = (
            message.payload or await self.numbered_choice(agent, conversation_id, message.text, output) or message.text
        )
        await answer_or_apologise(
            agent,
            UserMessage(text, output, conversation_id, input_channel=self.channel, message_id=message.delivery_id),
            on_new_message,
        )

    async def numbered_choice(
        self, agent: Any, conversation_id: str, text: Optional[str], output: ClinicOutputChannel
    ) -> Optional[str]:
        """The payload a reply like "2" selects among the options the bot last showed as numbers.

        The options are read back from the conversation's tracker, so they survive a
        restart and need no state of our own.
        """
        if chosen_number(text) is None:
            return None
        tracker = await agent.tracker_store.retrieve(conversation_id)
        if tracker is None:
            return None
        offered = buttons_on_offer(event.as_dict() for event in reversed(tracker.events))
        if not offered or not output.shows_buttons_as_numbers(offered):
            return None
        return payload_for_numbered_reply(text, offered)

    async def send_unsupported_content_reply(
        self, agent: Any, conversation_id: str, output: ClinicOutputChannel
    ) -> None:
        """The approved reply to a voice note, sticker, picture or location, from Rasa's NLG.

        Sent outside the dialogue: the conversation (and any form waiting for an
        answer) is left exactly as it was, waiting for the visitor to type.
        """
        tracker = await agent.tracker_store.retrieve(conversation_id) or DialogueStateTracker(
            conversation_id, agent.domain.slots
        )
        reply = await agent.nlg.generate(UNSUPPORTED_CONTENT_RESPONSE, tracker, output.name())
        if not reply:
            logger.error(
                "%s: the served model has no response %s; retrain it (make train)",
                self.channel,
                UNSUPPORTED_CONTENT_RESPONSE,
            )
            return
        await output.send_response(conversation_id, reply)

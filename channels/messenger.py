"""Facebook Messenger webhook, verified by `X-Hub-Signature-256` (HMAC-SHA256 with the app secret).

Meta first checks the webhook with a GET handshake (`hub.verify_token` must match our
verify token, and we echo `hub.challenge`), then POSTs signed events, sometimes several
in one body. Buttons are shown as quick replies, whose payload comes back with the
visitor's tap.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.buttons import messenger_quick_replies
from channels.connector import ClinicInputChannel, ClinicOutputChannel, refusal
from channels.inbound import InboundMessage, messages_from_messenger, parse_json_body
from channels.signatures import is_valid_hub_signature, tokens_match
from channels.text_split import MESSENGER_TEXT_LIMIT

SIGNATURE_HEADER = "X-Hub-Signature-256"
# Meta's challenge is a short number; anything longer is not from Meta and is not echoed.
MAX_CHALLENGE_LENGTH = 256


class MessengerOutput(ClinicOutputChannel):
    channel = "messenger"
    text_limit = MESSENGER_TEXT_LIMIT
    conversation_prefix = "messenger:"

    async def send_part(self, recipient: str, text: str, buttons: Sequence[Mapping[str, Any]] = ()) -> None:
        message: dict = {"text": text}
        quick_replies = messenger_quick_replies(buttons) if buttons else None
        if quick_replies:
            message["quick_replies"] = quick_replies
        await self.api.post(
            "Send API",
            "/me/messages",
            json={"recipient": {"id": recipient}, "messaging_type": "RESPONSE", "message": message},
            params={"access_token": self.settings["page_access_token"]},
        )

    def shows_buttons_as_numbers(self, buttons: Sequence[Mapping[str, Any]]) -> bool:
        return messenger_quick_replies(buttons) is None


class MessengerInput(ClinicInputChannel):
    """Credentials: `app_secret_env`, `verify_token_env`, `page_access_token_env`, optional `api_base_url_env`."""

    channel = "messenger"
    output_class = MessengerOutput
    required_settings = ("app_secret", "verify_token", "page_access_token")
    default_settings = {"api_base_url": "https://graph.facebook.com/v25.0"}

    def is_authentic(self, request: Request) -> bool:
        return is_valid_hub_signature(
            self.settings["app_secret"], request.body or b"", request.headers.get(SIGNATURE_HEADER)
        )

    def read_messages(self, request: Request) -> List[InboundMessage]:
        return messages_from_messenger(parse_json_body(request.body))

    def acknowledgement(self) -> HTTPResponse:
        return response.text("EVENT_RECEIVED")

    def add_routes(self, blueprint: Blueprint) -> None:
        @blueprint.route("/webhook", methods=["GET"])
        async def verification_handshake(request: Request) -> HTTPResponse:
            if not self.settings.is_configured:
                return refusal(503, "not configured")
            if request.args.get("hub.mode") != "subscribe" or not tokens_match(
                self.settings["verify_token"], request.args.get("hub.verify_token")
            ):
                return refusal(403, "invalid verify token")
            challenge = request.args.get("hub.challenge") or ""
            if not challenge or len(challenge) > MAX_CHALLENGE_LENGTH:
                return refusal(400, "missing or oversized challenge")
            return response.text(challenge)

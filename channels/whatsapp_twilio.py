"""WhatsApp through Twilio, verified by `X-Twilio-Signature` against the configured public URL.

Twilio signs the exact URL set in its console (which differs from the one this server
sees behind a proxy) together with the form fields, so the URL comes from
configuration. Twilio's WhatsApp sender shows no buttons without pre-approved
templates, so options are numbered and a reply of "2" selects the second one.
Replies go out through Twilio's Messages API.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence

import aiohttp
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.connector import ClinicInputChannel, ClinicOutputChannel
from channels.inbound import InboundMessage, message_from_twilio, parse_form_body
from channels.signatures import is_valid_twilio_signature
from channels.text_split import WHATSAPP_TEXT_LIMIT

SIGNATURE_HEADER = "X-Twilio-Signature"
# An empty TwiML answer: the replies are sent through the Messages API instead.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def whatsapp_address(number: str) -> str:
    """Twilio addresses WhatsApp numbers as "whatsapp:+44...": accept the number with or without it."""
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


class WhatsAppTwilioOutput(ClinicOutputChannel):
    channel = "whatsapp"
    text_limit = WHATSAPP_TEXT_LIMIT
    # Twilio's sender ids already say "whatsapp:+44...", which is the conversation id as it is.
    conversation_prefix = ""

    async def send_part(self, recipient: str, text: str, buttons: Sequence[Mapping[str, Any]] = ()) -> None:
        account_sid = self.settings["account_sid"]
        await self.api.post(
            "Messages",
            f"/2010-04-01/Accounts/{account_sid}/Messages.json",
            data={"From": whatsapp_address(self.settings["whatsapp_number"]), "To": recipient, "Body": text},
            auth=aiohttp.BasicAuth(account_sid, self.settings["auth_token"]),
        )


class WhatsAppTwilioInput(ClinicInputChannel):
    """Credentials: `account_sid_env`, `auth_token_env`, `whatsapp_number_env`, `webhook_url_env`,
    optional `api_base_url_env`."""

    channel = "whatsapp"
    output_class = WhatsAppTwilioOutput
    required_settings = ("account_sid", "auth_token", "whatsapp_number", "webhook_url")
    default_settings = {"api_base_url": "https://api.twilio.com"}

    def is_authentic(self, request: Request) -> bool:
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            return False
        public_url = self.settings["webhook_url"]
        if request.query_string:
            public_url += "?" + request.query_string
        return is_valid_twilio_signature(
            self.settings["auth_token"], public_url, parse_form_body(request.body or b""), signature
        )

    def read_messages(self, request: Request) -> List[InboundMessage]:
        message = message_from_twilio(parse_form_body(request.body or b""))
        return [message] if message else []

    def acknowledgement(self) -> HTTPResponse:
        return response.text(EMPTY_TWIML, content_type="text/xml")

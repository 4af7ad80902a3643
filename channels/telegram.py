"""Telegram bot webhook, verified by the secret token given to `setWebhook`.

Telegram sends `X-Telegram-Bot-Api-Secret-Token` on every webhook call once the
webhook was set with `secret_token`; a request without it, or with another value, is
refused. Buttons are shown as an inline keyboard; pressing one sends its payload back
as a callback query, which is acknowledged so the button stops spinning.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.buttons import telegram_inline_keyboard
from channels.connector import ClinicInputChannel, ClinicOutputChannel
from channels.inbound import InboundMessage, message_from_telegram, parse_json_body
from channels.signatures import tokens_match
from channels.text_split import TELEGRAM_TEXT_LIMIT

SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramOutput(ClinicOutputChannel):
    channel = "telegram"
    text_limit = TELEGRAM_TEXT_LIMIT
    conversation_prefix = "telegram:"

    def _method_path(self, method: str) -> str:
        return f"/bot{self.settings['bot_token']}/{method}"

    async def send_part(self, recipient: str, text: str, buttons: Sequence[Mapping[str, Any]] = ()) -> None:
        body = {"chat_id": int(recipient) if recipient.lstrip("-").isdigit() else recipient, "text": text}
        keyboard = telegram_inline_keyboard(buttons) if buttons else None
        if keyboard:
            body["reply_markup"] = keyboard
        await self.api.post("sendMessage", self._method_path("sendMessage"), json=body)

    def shows_buttons_as_numbers(self, buttons: Sequence[Mapping[str, Any]]) -> bool:
        return telegram_inline_keyboard(buttons) is None

    async def acknowledge_button_press(self, button_press_id: str) -> None:
        await self.api.post(
            "answerCallbackQuery", self._method_path("answerCallbackQuery"), json={"callback_query_id": button_press_id}
        )


class TelegramInput(ClinicInputChannel):
    """Credentials: `bot_token_env`, `webhook_secret_env`, optional `api_base_url_env`."""

    channel = "telegram"
    output_class = TelegramOutput
    required_settings = ("bot_token", "webhook_secret")
    default_settings = {"api_base_url": "https://api.telegram.org"}

    def is_authentic(self, request: Request) -> bool:
        return tokens_match(self.settings["webhook_secret"], request.headers.get(SECRET_TOKEN_HEADER))

    def read_messages(self, request: Request) -> List[InboundMessage]:
        message = message_from_telegram(parse_json_body(request.body))
        return [message] if message else []

    def acknowledgement(self) -> HTTPResponse:
        return response.json({"ok": True})

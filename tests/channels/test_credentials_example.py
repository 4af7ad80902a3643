"""The example credentials file: no secret in it, and a channel whose secrets are unset
answers 503 while the server and the other channels keep working."""

from __future__ import annotations

import re

import pytest
import requests
import yaml

from tests.channels import payloads
from tests.channels.conftest import EXAMPLE_CREDENTIALS, channel_environment, credentials_with_rest, server_is_answering
from tests.servers import start_assistant

UNCONFIGURED = ["whatsapp", "messenger"]


@pytest.fixture(scope="module")
def telegram_only_assistant(tmp_path_factory, fake_provider, details_file):
    """Only Telegram's variables set; WhatsApp's and Messenger's unset (blank overrides any in the caller's shell)."""
    workdir = tmp_path_factory.mktemp("telegram-only")
    environment = {name: "" for name in channel_environment(fake_provider.url)}
    environment.update(
        {
            "TELEGRAM_BOT_TOKEN": payloads.TELEGRAM_BOT_TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": payloads.TELEGRAM_WEBHOOK_SECRET,
            "TELEGRAM_API_BASE_URL": fake_provider.url,
        }
    )
    running = start_assistant(
        workdir, credentials=credentials_with_rest(workdir), details_file=details_file, extra_env=environment
    )
    yield running
    running.stop()


def test_the_example_file_names_variables_and_holds_no_secret():
    channels = yaml.safe_load(EXAMPLE_CREDENTIALS.read_text())
    assert set(channels) == {
        "channels.whatsapp_twilio.WhatsAppTwilioInput",
        "channels.telegram.TelegramInput",
        "channels.messenger.MessengerInput",
        "channels.staff.StaffInput",  # live takeover: its secret is TAKEOVER_TOKEN (clinic/settings.py)
    }
    for settings in channels.values():
        for key, value in (settings or {}).items():
            assert key.endswith("_env") and re.fullmatch(r"[A-Z][A-Z0-9_]*", value), f"{key}: {value}"


@pytest.mark.parametrize("channel", UNCONFIGURED)
def test_an_unconfigured_channel_refuses_webhooks_with_503(telegram_only_assistant, channel):
    url = f"{telegram_only_assistant.url}/webhooks/{channel}/webhook"
    reply = requests.post(url, data=b'{"object": "page"}', timeout=30)
    assert reply.status_code == 503 and reply.json() == {"error": "not configured"}


def test_the_messenger_handshake_is_refused_until_configured(telegram_only_assistant):
    reply = requests.get(
        f"{telegram_only_assistant.url}/webhooks/messenger/webhook",
        timeout=30,
        params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
    )
    assert reply.status_code == 503


def test_the_log_says_which_variables_to_set(telegram_only_assistant):
    log = (telegram_only_assistant.workdir / "rasa.log").read_text()
    assert (
        "whatsapp is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER, "
        "TWILIO_WEBHOOK_URL"
    ) in log
    assert (
        "messenger is not configured: set MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN"
        in log
    )


def test_the_configured_channel_and_the_website_keep_working(telegram_only_assistant, fake_provider):
    chat_id = payloads.telegram_chat()
    reply = requests.post(
        f"{telegram_only_assistant.url}/webhooks/telegram/webhook",
        timeout=60,
        data=payloads.to_json(payloads.telegram_text(chat_id, "hello")),
        headers={"X-Telegram-Bot-Api-Secret-Token": payloads.TELEGRAM_WEBHOOK_SECRET},
    )
    assert reply.status_code == 200
    assert [r for r in fake_provider.requests("/sendMessage") if r.json["chat_id"] == chat_id]
    assert server_is_answering(telegram_only_assistant)

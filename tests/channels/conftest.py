"""One assistant for the channel tests: the real model and action server, the example
credentials file with the REST channel added, and a fake provider API on loopback."""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path
from typing import Dict, List

import pytest
import requests

from channels.connector import UNSUPPORTED_CONTENT_RESPONSE
from tests.channels import payloads
from tests.channels.fake_provider import FakeProviderApi
from tests.conftest import PROJECT_ROOT
from tests.servers import MODEL, start_assistant
from tests.test_approved_content import RESPONSES

EXAMPLE_CREDENTIALS = PROJECT_ROOT / "credentials.channels.yml"
UNSUPPORTED_CONTENT_TEXT = RESPONSES[UNSUPPORTED_CONTENT_RESPONSE][0]["text"]
TAKEOVER_TOKEN = "a-takeover-token-for-channel-tests"


def channel_environment(provider_url: str) -> Dict[str, str]:
    return {
        "TWILIO_ACCOUNT_SID": payloads.TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": payloads.TWILIO_AUTH_TOKEN,
        "TWILIO_WHATSAPP_NUMBER": payloads.TWILIO_WHATSAPP_NUMBER,
        "TWILIO_WEBHOOK_URL": payloads.TWILIO_WEBHOOK_URL,
        "TWILIO_API_BASE_URL": provider_url,
        "TELEGRAM_BOT_TOKEN": payloads.TELEGRAM_BOT_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": payloads.TELEGRAM_WEBHOOK_SECRET,
        "TELEGRAM_API_BASE_URL": provider_url,
        "MESSENGER_APP_SECRET": payloads.MESSENGER_APP_SECRET,
        "MESSENGER_VERIFY_TOKEN": payloads.MESSENGER_VERIFY_TOKEN,
        "MESSENGER_PAGE_ACCESS_TOKEN": payloads.MESSENGER_PAGE_ACCESS_TOKEN,
        "MESSENGER_API_BASE_URL": provider_url + "/v25.0",
    }


def credentials_with_rest(workdir: Path) -> Path:
    """The example credentials file, plus the REST channel to compare answers with the website's."""
    path = workdir / "credentials.yml"
    path.write_text("rest:\n\n" + EXAMPLE_CREDENTIALS.read_text())
    return path


def model_responses() -> set:
    with tarfile.open(MODEL) as archive:
        member = next(m for m in archive.getmembers() if m.name.lstrip("/") == "metadata.json")
        return set(json.load(archive.extractfile(member))["domain"]["responses"])


@pytest.fixture(scope="package")
def fake_provider():
    provider = FakeProviderApi().start()
    yield provider
    provider.stop()


@pytest.fixture(scope="package")
def channels_assistant(tmp_path_factory, fake_provider, details_file, handoff_db):
    if UNSUPPORTED_CONTENT_RESPONSE not in model_responses():
        pytest.fail(
            f"{MODEL.name} was trained before the domain gained {UNSUPPORTED_CONTENT_RESPONSE}: run `make train`"
        )
    workdir = tmp_path_factory.mktemp("channels")
    running = start_assistant(
        workdir,
        credentials=credentials_with_rest(workdir),
        details_file=details_file,
        extra_env={
            **channel_environment(fake_provider.url),
            "HANDOFF_DATABASE_URL": f"sqlite:///{handoff_db}",
            "TAKEOVER_TOKEN": TAKEOVER_TOKEN,
        },
    )
    yield running
    running.stop()


def rest_texts(assistant, sender: str, *messages: str) -> List[List[Dict]]:
    """What the website gets for the same messages: one list of bot messages per visitor message."""
    return [assistant.send(sender, message) for message in messages]


def conversation_events(assistant, conversation_id: str) -> List[str]:
    """The event types stored for a conversation, read straight from the tracker store."""
    with sqlite3.connect(assistant.workdir / "trackers.db") as database:
        rows = database.execute("SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (conversation_id,))
        return [row[0] for row in rows]


def server_is_answering(assistant) -> bool:
    return requests.get(f"{assistant.url}/status", timeout=10).ok and bool(assistant.send("still-up", "hello"))

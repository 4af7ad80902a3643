"""In the scale profile, an answer staff approve reaches visitors on every Rasa server within
5 seconds, with no restart: two Rasa servers, the staff console, PostgreSQL and Redis of the
tests' own. Each Rasa server is asked directly (not through the front door), so both are
known to answer with the approved text."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
import requests

from deploy import commands
from tests.conftest import PROJECT_ROOT
from tests.servers import staff_api, start_scale

PASSWORD = "a long test password for scale"
KEY = "utter_ask_tuina.default"
SEED_START = "Tui Na is a massage technique used in Chinese medicine"
APPROVED = "Tui Na is a form of Chinese massage. The clinic's team can tell you whether it suits you."
WITHIN_SECONDS = 5


def _actions_python(args, env) -> None:
    run = subprocess.run(
        [str(commands.ACTIONS_PYTHON), *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture(scope="module")
def profile(tmp_path_factory, postgres, redis_server, details_file):
    running = start_scale(
        tmp_path_factory.mktemp("scale-content"),
        instances=2,
        database_url=postgres.url,
        redis_url=redis_server.url,
        extra_env={"CLINIC_DETAILS_FILE": str(details_file)},
        console=True,
    )
    try:
        env = dict(os.environ, HANDOFF_DATABASE_URL=postgres.url, STAFF_PASSWORD=PASSWORD)
        for name in ("scale-writer", "scale-checker"):
            _actions_python(["-m", "handoff.cli", "staff-user", name], env)
        yield running
    finally:
        running.stop()


_visitors = iter(range(10_000))


def tuina_answer(rasa_url: str) -> str:
    reply = requests.post(
        f"{rasa_url}/webhooks/rest/webhook",
        json={"sender": f"scale-content-{next(_visitors)}", "message": "what is tui na?"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return "\n".join(message.get("text", "") for message in reply.json())


def test_both_rasa_servers_answer_with_an_approved_change_within_5_seconds(profile):
    settings = profile.settings
    console_url = f"http://127.0.0.1:{settings.console_port}"
    servers = [f"http://127.0.0.1:{settings.rasa_base_port + number}" for number in (1, 2)]
    for server in servers:
        assert SEED_START in tuina_answer(server), server

    writer, checker = (
        staff_api(console_url, "scale-writer", PASSWORD),
        staff_api(console_url, "scale-checker", PASSWORD),
    )
    draft = writer.post(f"{console_url}/api/content/{KEY}/drafts", json={"text": APPROVED}, timeout=30)
    assert draft.status_code == 201, draft.text
    for server in servers:  # a draft is not live anywhere
        assert APPROVED not in tuina_answer(server), server

    approved = checker.post(f"{console_url}/api/content/drafts/{draft.json()['draft']['id']}/approve", timeout=30)
    assert approved.status_code == 200, approved.text
    approved_at = time.monotonic()
    seen = {}
    while len(seen) < len(servers) and time.monotonic() - approved_at < WITHIN_SECONDS + 5:
        for server in servers:
            if server not in seen and APPROVED in tuina_answer(server):
                seen[server] = time.monotonic() - approved_at
        time.sleep(0.1)
    assert sorted(seen) == sorted(servers), f"only {sorted(seen)} answered with the approved text"
    assert max(seen.values()) <= WITHIN_SECONDS, seen

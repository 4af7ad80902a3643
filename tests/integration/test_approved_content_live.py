"""An answer changed in the staff console reaches visitors once a second person approves it.

The real assistant (Rasa server with the trained model, action server) asks the real
staff console's /nlg for every answer (components/approved_responses.py). Two staff
accounts: the writer drafts a reworded Tui Na answer and cannot approve it; visitors keep
getting the old text; the checker approves and the next visitor gets the new text, with no
restart; a rejected draft never reaches a visitor. Then the console stops, and visitors
get the domain files' text again instead of no answer.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time

import pytest
import requests

from deploy import commands
from tests.conftest import PROJECT_ROOT
from tests.servers import free_port, start_assistant

PASSWORD = "a long test password for two"
KEY = "utter_ask_tuina.default"
SEED_START = "Tui Na is a massage technique used in Chinese medicine"
REWORDED = (
    "Tui Na is a form of Chinese massage, often given alongside acupuncture. The clinic's "
    "practitioners can talk through with you whether it suits you."
)
REJECTED = "Tui Na is a massage technique. This wording was rejected by the clinic."


def _run_actions_python(args, env):
    run = subprocess.run(
        [str(commands.ACTIONS_PYTHON), *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _api(console_url: str, username: str) -> requests.Session:
    login = requests.post(f"{console_url}/api/login", json={"username": username, "password": PASSWORD}, timeout=30)
    assert login.status_code == 200, login.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return session


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("approved-content")
    token = secrets.token_urlsafe(24)
    port = free_port()
    env = dict(
        os.environ,
        HANDOFF_DATABASE_URL=f"sqlite:///{workdir / 'handoffs.db'}",
        TRACKER_DATABASE_URL=f"sqlite:///{workdir / 'trackers.db'}",
        CONSOLE_PORT=str(port),
        NLG_TOKEN=token,
        STAFF_PASSWORD=PASSWORD,
        LOG_MAX_BYTES="1000000",
        LOG_BACKUPS="1",
    )
    _run_actions_python(commands.migrate()[1:], env)  # the schema and the content store's seed
    for name in ("writer", "checker"):
        _run_actions_python(["-m", "handoff.cli", "staff-user", name], env)
    log = (workdir / "console.log").open("w")
    console = subprocess.Popen(
        commands.staff_console(), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    console_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{console_url}/login", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        assert console.poll() is None and time.monotonic() < deadline, (workdir / "console.log").read_text()[-3000:]
        time.sleep(0.3)
    shared = {"NLG_TOKEN": token, "NLG_URL": f"{console_url}/nlg", "HANDOFF_DATABASE_URL": env["HANDOFF_DATABASE_URL"]}
    assistant = start_assistant(workdir / "assistant", extra_env=shared)  # the action server reads the store too
    try:
        yield assistant, console, console_url
    finally:
        assistant.stop()
        if console.poll() is None:
            console.terminate()
            console.wait(timeout=30)


_visitors = iter(range(1000))


def tuina_answer(assistant) -> str:
    """What a new visitor asking about Tui Na is told (all the bot's texts of that turn)."""
    replies = assistant.send(f"content-visitor-{next(_visitors)}", "what is tui na?")
    return "\n".join(reply.get("text", "") for reply in replies)


def test_an_answer_changes_for_visitors_only_when_someone_else_approves_it(live):
    assistant, _, console_url = live
    assert SEED_START in tuina_answer(assistant)
    writer, checker = _api(console_url, "writer"), _api(console_url, "checker")

    draft = writer.post(f"{console_url}/api/content/{KEY}/drafts", json={"text": REWORDED}, timeout=30)
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["draft"]["id"]
    own = writer.post(f"{console_url}/api/content/drafts/{draft_id}/approve", json={}, timeout=30)
    assert own.status_code == 403
    time.sleep(1.5)  # past the console's once-a-second check: a draft is still not live
    answer = tuina_answer(assistant)
    assert SEED_START in answer and REWORDED not in answer

    approved = checker.post(f"{console_url}/api/content/drafts/{draft_id}/approve", json={}, timeout=30)
    assert approved.status_code == 200, approved.text
    answer = tuina_answer(assistant)  # the next message, no restart
    assert REWORDED in answer and SEED_START not in answer

    rejected_draft = writer.post(f"{console_url}/api/content/{KEY}/drafts", json={"text": REJECTED}, timeout=30)
    rejected_id = rejected_draft.json()["draft"]["id"]
    rejected = checker.post(
        f"{console_url}/api/content/drafts/{rejected_id}/reject", json={"comment": "Not our wording."}, timeout=30
    )
    assert rejected.status_code == 200, rejected.text
    time.sleep(1.5)
    answer = tuina_answer(assistant)
    assert REWORDED in answer and REJECTED not in answer


def test_an_approved_phone_number_is_given_to_the_next_visitor(live):
    assistant, _, console_url = live
    number = "01234 567890"  # a test number, in no clinic file

    def phone_answer():
        replies = assistant.send(f"content-visitor-{next(_visitors)}", "what's your phone number?")
        return "\n".join(reply.get("text", "") for reply in replies)

    assert number not in phone_answer()  # content/clinic_details.yml leaves the phone blank
    writer, checker = _api(console_url, "writer"), _api(console_url, "checker")
    draft = writer.post(f"{console_url}/api/content/clinic_details.phone/drafts", json={"text": number}, timeout=30)
    assert draft.status_code == 201, draft.text
    time.sleep(1.5)
    assert number not in phone_answer()
    approved = checker.post(
        f"{console_url}/api/content/drafts/{draft.json()['draft']['id']}/approve", json={}, timeout=30
    )
    assert approved.status_code == 200, approved.text
    assert number in phone_answer()


def test_with_the_console_stopped_visitors_get_the_domain_files_text(live):
    assistant, console, _ = live
    console.terminate()
    console.wait(timeout=30)
    assert SEED_START in tuina_answer(assistant)
    rasa_log = (assistant.workdir / "rasa.log").read_text()
    assert "answers come from the domain files until it does" in rasa_log

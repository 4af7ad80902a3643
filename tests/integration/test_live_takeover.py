"""Live takeover on the real Rasa server and model (channels/staff.py), driven by the real console.

While staff hold a conversation the assistant says nothing, except the emergency reply, which
is never held back; after hand back it answers again. Everything is in the tracker.
"""

from __future__ import annotations

import uuid

import pytest
import requests
import yaml

from tests.servers import PROJECT_ROOT, start_live_takeover

PASSWORD = "a long enough password for takeover"


def response_text(name: str, route: str = None) -> str:
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        variations = ((yaml.safe_load(path.read_text()) or {}).get("responses") or {}).get(name)
        if variations:
            for variation in variations:
                conditions = variation.get("condition") or []
                if route is None or any(c.get("value") == route for c in conditions):
                    return variation["text"]
    raise KeyError(name)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    running = start_live_takeover(tmp_path_factory.mktemp("takeover"), ["sam"], PASSWORD)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def sam(live):
    login = requests.post(f"{live.console_url}/api/login", json={"username": "sam", "password": PASSWORD}, timeout=30)
    assert login.status_code == 200, login.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return session


def texts(replies):
    return [reply.get("text") for reply in replies]


def test_paused_conversation_is_silent_except_for_an_emergency_and_answers_again_after_hand_back(live, sam):
    assistant, console = live.assistant, live.console_url
    sender = f"takeover-{uuid.uuid4().hex}"
    assert texts(assistant.send(sender, "what is tui na?"))  # the assistant answers

    taken = sam.post(f"{console}/api/conversations/{sender}/takeover", timeout=30)
    assert taken.status_code == 200, taken.text
    joined = response_text("utter_staff_joined").replace("{staff_name}", "sam")
    assert taken.json()["conversation"]["turns"][-1]["text"] == joined
    assert taken.json()["conversation"]["staff"] == "sam"

    assert assistant.send(sender, "how much is a session?") == []  # silent while staff have it

    sent = sam.post(f"{console}/api/conversations/{sender}/messages", json={"text": "Hello, I'm Sam <b>hi</b>"})
    assert sent.status_code == 200, sent.text
    staff_turn = sent.json()["conversation"]["turns"][-1]
    assert staff_turn["speaker"] == "staff" and staff_turn["staff"] == "sam"
    assert staff_turn["text"] == "Hello, I'm Sam <b>hi</b>"  # stored as typed; escaped where shown

    emergency = assistant.send(sender, "worst headache of my life, came on suddenly")
    assert texts(emergency) == [response_text("utter_emergency", "life_threatening")]  # never paused

    assert assistant.send(sender, "are you there?") == []  # still silent after the emergency reply

    back = sam.post(f"{console}/api/conversations/{sender}/release", timeout=30)
    assert back.status_code == 200, back.text
    assert back.json()["conversation"]["turns"][-1]["text"] == response_text("utter_staff_left")
    assert back.json()["conversation"]["staff"] is None

    assert texts(assistant.send(sender, "what is tui na?"))  # answers again

    # In order, as the console shows it: visitor, assistant and staff turns, the emergency marked.
    page = [(t["speaker"], t["text"]) for t in back.json()["conversation"]["turns"]]
    assert page.index(("visitor", "how much is a session?")) < page.index(("staff", "Hello, I'm Sam <b>hi</b>"))
    flagged = [t for t in back.json()["conversation"]["turns"] if t["emergency"]]
    assert [t["text"] for t in flagged] == ["worst headache of my life, came on suddenly"]

    # Rasa's own tracker has the pause, the staff message with its sender, and the resume.
    tracker = requests.get(f"{assistant.url}/conversations/{sender}/tracker", timeout=30).json()
    kinds = [e["event"] for e in tracker["events"]]
    assert kinds.count("pause") == 1 and kinds.count("resume") == 1 and kinds.index("pause") < kinds.index("resume")
    staff_events = [e for e in tracker["events"] if e["event"] == "bot" and (e.get("metadata") or {}).get("staff")]
    assert [(e["text"], e["metadata"]["staff"]) for e in staff_events] == [("Hello, I'm Sam <b>hi</b>", "sam")]
    assert tracker["paused"] is False


def test_the_staff_channel_refuses_anyone_without_the_token(live):
    url = f"{live.assistant.url}/webhooks/staff/conversations/someone/takeover"
    assert requests.post(url, json={"staff": "mallory"}, timeout=30).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert requests.post(url, json={"staff": "mallory"}, headers=wrong, timeout=30).status_code == 401


@pytest.mark.parametrize(
    "what,body,status",
    [
        ("takeover", b"not json", 400),
        ("takeover", b"[]", 400),
        ("takeover", b'{"staff": ""}', 400),
        ("takeover", b'{"staff": "' + b"x" * 101 + b'"}', 400),
        ("messages", b'{"staff": "sam"}', 400),
        ("messages", b'{"staff": "sam", "text": "' + b"y" * 2001 + b'"}', 400),
        ("takeover", b'{"staff": "sam"}', 404),  # nobody said anything in that conversation
        ("explode", b'{"staff": "sam"}', 404),
    ],
)
def test_the_staff_channel_refuses_bad_requests_and_changes_nothing(live, what, body, status):
    token = live.env["TAKEOVER_TOKEN"]
    sender = f"never-{uuid.uuid4().hex}"
    answer = requests.post(
        f"{live.assistant.url}/webhooks/staff/conversations/{sender}/{what}",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == status, answer.text
    assert "error" in answer.json()
    tracker = requests.get(f"{live.assistant.url}/conversations/{sender}/tracker", timeout=30).json()
    assert not [e for e in tracker["events"] if e["event"] in ("pause", "bot")]


def test_a_staff_message_without_a_takeover_is_refused(live):
    sender = f"unpaused-{uuid.uuid4().hex}"
    live.assistant.send(sender, "hello")
    answer = requests.post(
        f"{live.assistant.url}/webhooks/staff/conversations/{sender}/messages",
        json={"staff": "sam", "text": "hi"},
        headers={"Authorization": f"Bearer {live.env['TAKEOVER_TOKEN']}"},
        timeout=30,
    )
    assert answer.status_code == 409

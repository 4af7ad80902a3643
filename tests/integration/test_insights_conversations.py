"""End to end: conversations played through the real trained assistant (REST channel, real
action server, SQLite stores of their own) and the staff console's insights API counting
exactly them: an answered question rated helpful, a booking handed to the team and rated
not helpful, an emergency, and a message the assistant did not understand."""

import os
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from tests.servers import ACTIONS_PYTHON, PROJECT_ROOT, free_port, start_assistant
from tests.test_approved_content import RESPONSES, emergency_text

PASSWORD = "a long enough password"
QUESTION = RESPONSES["utter_ask_feedback"][0]["text"]
BUTTONS = [("Yes, it helped", "/feedback_helpful"), ("No, it didn't", "/feedback_not_helpful")]
# Messages the classifier may be unsure about; the test uses the first the model gives nlu_fallback.
UNCLEAR = ["hmm", "the", "what about it", "so then", "ok and", "?", "zxqv blorp wibble frotz", "it"]


def texts(replies):
    return [r.get("text") for r in replies]


def asked_for_feedback(replies) -> bool:
    question = [r for r in replies if r.get("text") == QUESTION]
    return len(question) == 1 and [(b["title"], b["payload"]) for b in question[0]["buttons"]] == BUTTONS


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("insights")
    handoff_db = workdir / "handoffs.db"
    assistant = start_assistant(workdir, extra_env={"HANDOFF_DATABASE_URL": f"sqlite:///{handoff_db}"})
    try:
        run = uuid.uuid4().hex[:8]
        intents = []  # what the model makes of every message sent, as the tracker store records it

        def say(sender, message):
            intents.append(assistant.parse(message)["intent"]["name"])
            return assistant.send(sender, message)

        answered, booked, emergency, fallback = (f"{run}-{name}" for name in ("a", "b", "e", "f"))

        say(answered, "what is tui na?")
        assert asked_for_feedback(say(answered, "bye"))
        assert texts(say(answered, "/feedback_helpful")) == [RESPONSES["utter_feedback_helpful"][0]["text"]]

        for message in ["I'd like to book an appointment", "yes", "Jo Bloggs", "07911 123456", "Tuesday afternoon"]:
            say(booked, message)
        finished = say(booked, "my lower back")
        assert "your reference is" in finished[0]["text"] and asked_for_feedback(finished)
        assert texts(say(booked, "/feedback_not_helpful")) == [RESPONSES["utter_feedback_not_helpful"][0]["text"]]

        assert texts(say(emergency, "my back is agony and I can't feel my legs")) == [emergency_text("ae_now")]

        unclear = [m for m in UNCLEAR if assistant.parse(m)["intent"]["name"] == "nlu_fallback"]
        assert unclear, "none of the unclear messages reaches the fallback: choose others"
        say(fallback, unclear[0])
        yield workdir, handoff_db, intents
    finally:
        assistant.stop()


@pytest.fixture(scope="module")
def console(played):
    workdir, handoff_db, _intents = played
    env = dict(
        os.environ,
        HANDOFF_DATABASE_URL=f"sqlite:///{handoff_db}",
        TRACKER_DATABASE_URL=f"sqlite:///{workdir / 'trackers.db'}",
        STAFF_PASSWORD=PASSWORD,
        CONSOLE_PORT=str(free_port()),
        NOTIFY_INTERVAL="3600",
    )
    subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "handoff.cli", "staff-user", "insights"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [str(ACTIONS_PYTHON), "-m", "console"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=(workdir / "console.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
    try:
        for _ in range(150):
            try:
                requests.get(f"{url}/login", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        token = requests.post(
            f"{url}/api/login", json={"username": "insights", "password": PASSWORD}, timeout=10
        ).json()["token"]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        yield url, session
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_api_counts_exactly_the_conversations_played(console, played):
    url, session = console
    intents = played[2]
    # An answer inside the booking form may be one the classifier was unsure of: it counts too.
    fallbacks = intents.count("nlu_fallback")
    [request] = session.get(f"{url}/api/handoffs", timeout=10).json()["handoffs"]
    assert session.patch(f"{url}/api/handoffs/{request['id']}", json={"status": "contacted"}, timeout=10).ok
    today = datetime.now(timezone.utc).date()
    span = {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()}  # safe across midnight
    numbers = session.get(f"{url}/api/insights", params=span, timeout=30).json()

    totals = numbers["totals"]
    assert totals["conversations"] == 4
    assert totals["visitor_messages"] == 3 + 7 + 1 + 1
    assert (totals["contained"], totals["containment_rate"]) == (2, 0.5)  # the answered one and the emergency
    assert (totals["handoffs"], totals["booking_requests"], totals["bookings_per_conversation"]) == (1, 1, 0.25)
    assert len(intents) == 12 and fallbacks >= 1
    assert (totals["fallback_messages"], totals["fallback_rate"]) == (fallbacks, round(fallbacks / 12, 4))
    assert totals["emergencies"] == 1 and numbers["emergencies_by_route"] == {"ae_now": 1}
    assert numbers["handoffs"]["by_reason"] == {"booking": 1, "person": 0, "no_answer": 0}
    assert numbers["handoffs"]["by_channel"] == {request["channel"]: 1}
    assert numbers["satisfaction"] == {"asked": 2, "helpful": 1, "not_helpful": 1, "helpful_rate": 0.5}
    waited = numbers["time_to_contacted"]
    assert waited["requests_contacted"] == 1 and 0 <= waited["median_minutes"] < 10
    topics = {t["intent"]: t["messages"] for t in numbers["topics"]}
    assert topics["red_flag"] == 1 and topics["nlu_fallback"] == fallbacks
    assert topics == {i: intents.count(i) for i in set(intents) - {"feedback_helpful", "feedback_not_helpful"}}
    assert "feedback_helpful" not in topics  # the buttons' answers are satisfaction, not topics
    assert "Jo Bloggs" not in str(numbers) and "07911" not in str(numbers)

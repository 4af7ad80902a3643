"""End to end: a booking conversation over the REST channel appears in the staff console's API."""

import os
import re
import subprocess
import time
import uuid

import requests

from tests.servers import ACTIONS_PYTHON, PROJECT_ROOT, free_port


def test_booking_over_rest_reaches_the_console_with_its_transcript(assistant, handoff_db, tmp_path):
    env = dict(
        os.environ,
        HANDOFF_DATABASE_URL=f"sqlite:///{handoff_db}",
        TRACKER_DATABASE_URL=f"sqlite:///{assistant.workdir / 'trackers.db'}",
        STAFF_PASSWORD="a long enough password",
        CONSOLE_PORT=str(free_port()),
        NOTIFY_INTERVAL="3600",
    )
    username = f"staff{uuid.uuid4().hex[:6]}"
    subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "handoff.cli", "staff-user", username],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    sender = f"e2e-{uuid.uuid4().hex}"
    for message in [
        "hello",
        "I'd like to book please",
        "yes",
        "Jo Bloggs",
        "jo@example.org",
        "Friday morning",
        "my back",
    ]:
        replies = assistant.send(sender, message)
    reference = re.search(r"your reference is ([A-Z0-9]{6})", replies[0]["text"]).group(1)
    assistant.send(sender, "thanks, one more thing: do you have parking?")

    console = subprocess.Popen(
        [str(ACTIONS_PYTHON), "-m", "console"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=(tmp_path / "console.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{url}/login", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        token = requests.post(
            f"{url}/api/login", json={"username": username, "password": "a long enough password"}, timeout=10
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        listed = requests.get(f"{url}/api/handoffs", headers=headers, timeout=10).json()["handoffs"]
        [mine] = [h for h in listed if h["reference"] == reference]
        assert mine["name"] == "Jo Bloggs" and mine["contact"] == "jo@example.org" and mine["status"] == "new"
        detail = requests.get(f"{url}/api/handoffs/{mine['id']}", headers=headers, timeout=10).json()
        said = [(line["speaker"], line["text"]) for line in detail["transcript"]]
        assert ("visitor", "I'd like to book please") in said and ("visitor", "Jo Bloggs") in said
        assert ("visitor", "thanks, one more thing: do you have parking?") in said  # said after the handoff
        assert any(speaker == "assistant" and reference in text for speaker, text in said)
    finally:
        console.terminate()
        console.wait(timeout=10)

"""Security: a visitor's name, phone number and what they said never reach a log.

A storage failure at the moment the request is written (here: a handoff database whose
schema lost a column) makes SQLAlchemy's error carry the statement's bound parameters;
logging that error as it is would write the visitor's health data to a plain-text log.
"""

import sqlite3
import subprocess

from tests.integration.test_handoff_form import texts, visitor
from tests.servers import ACTIONS_PYTHON, PROJECT_ROOT, start_assistant
from tests.test_approved_content import RESPONSES

NAME, PHONE, TOPIC = "Zebedee Quartermaine", "07912 345678", "back pain"
FAILED = next(
    v["text"]
    for v in RESPONSES["utter_handoff_outcome"]
    if {"type": "slot", "name": "handoff_outcome", "value": "failed"} in (v.get("condition") or [])
)


def test_a_storage_failure_logs_no_name_phone_or_topic(tmp_path):
    database = tmp_path / "drifted.db"
    # The handoff store lives in the action server's environment, with its migrations.
    subprocess.run(
        [str(ACTIONS_PYTHON), "-c", f"from handoff.db import migrate; migrate('sqlite:///{database}')"],
        cwd=PROJECT_ROOT,
        check=True,
    )
    with sqlite3.connect(database) as connection:
        connection.execute("ALTER TABLE handoffs DROP COLUMN triage_at")
    running = start_assistant(tmp_path / "run", extra_env={"HANDOFF_DATABASE_URL": f"sqlite:///{database}"})
    try:
        sender = visitor()
        for message in ["I want to book", "yes", NAME, PHONE, "mornings"]:
            running.send(sender, message)
        assert texts(running.send(sender, TOPIC))[0] == FAILED
    finally:
        running.stop()
    logs = {path.name: path.read_text(errors="replace") for path in (tmp_path / "run").rglob("*.log")}
    assert "actions.log" in logs and "could not be stored" in logs["actions.log"]
    for name, text in logs.items():
        for secret in (NAME, "Quartermaine", "345678"):
            assert secret not in text, f"{secret!r} found in {name}"

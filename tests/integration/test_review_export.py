"""From the review queue to training data: staff label fallback messages in the real staff
console (its JSON API), `make review-export` writes them as Rasa NLU training data with
the visitor's name, phone number, e-mail address and address gone, `rasa data validate`
(scripts/validate.sh, made strict) passes on the project's data with that file in it, a
red flag is never taught as an everyday topic, and `make review-check` stores what the
trained model now makes of each labelled message, which the console shows.

The console and the handoff database's migration run in the action server's environment
(deploy/commands.py), the export and the check in this one, as `make` runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid

import pytest
import requests
import yaml
from sqlalchemy import text

from clinic.anonymise import anonymise
from deploy import commands
from handoff.db import make_engine
from scripts.review import build, spacy_model
from tests.conftest import PROJECT_ROOT
from tests.servers import MODEL, free_port, start_assistant

PASSWORD = "a long password for the reviewer"
EVENTS_TABLE = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT
)"""
# Three messages the assistant did not understand; the first carries the visitor's details.
PLANTED = {"name": ("Sarah", "Jones"), "phone": ("07700", "900123"), "email": ("sarah.jones@example.com",)}
FALLBACKS = {
    "My name is Sarah Jones, ring me on 07700 900123 or sarah.jones@example.com about the cost of a session": "ask_prices",
    "whats the damage for a go on the needles": "ask_prices",
    "can the massage person sort my sore lower back out": "ask_back_pain",
}
RED_FLAGS = {
    # Routed when it was said (the parse data has the route), labelled in the database by
    # hand, as the API refuses it.
    "my legs went numb last week and I cannot feel my bottom": ("ask_back_pain", "ae_now"),
    # No route in its parse data, but the triage's rules route it when re-run.
    "crushing chest pain spreading down my left arm and I am sweating": ("ask_prices", None),
}


def _actions_python(args, env):
    run = subprocess.run(
        [str(commands.ACTIONS_PYTHON), *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _add_message(trackers, sender: str, said: str, intent: str, confidence: float, route=None) -> None:
    stamp = time.time() - 300
    events = [
        (
            "user",
            {
                "event": "user",
                "timestamp": stamp,
                "text": said,
                "message_id": uuid.uuid4().hex,
                "parse_data": {
                    "text": said,
                    "intent": {"name": intent, "confidence": confidence},
                    "entities": [],
                    "triage": {"route": route, "reason": "", "matched": [], "ask_if_now": bool(route)},
                },
            },
        ),
        ("action", {"event": "action", "timestamp": stamp + 1, "name": "utter_out_of_scope"}),
    ]
    with trackers.begin() as connection:
        for type_name, data in events:
            connection.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :t, :ts, :d)"),
                {"s": sender, "t": type_name, "ts": data["timestamp"], "d": json.dumps(data)},
            )


def _start_console(env, workdir):
    """The staff console (action server's environment) and an API session of the reviewer."""
    log = (workdir / "console.log").open("w")
    console = subprocess.Popen(
        commands.staff_console(), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/login", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        assert console.poll() is None and time.monotonic() < deadline, (workdir / "console.log").read_text()
        time.sleep(0.3)
    login = requests.post(f"{url}/api/login", json={"username": "reviewer", "password": PASSWORD}, timeout=30)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return console, url, api


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """A migrated handoff database, a tracker store with the messages, the console, and the
    labels given through its API."""
    workdir = tmp_path_factory.mktemp("review-export")
    env = dict(
        os.environ,
        HANDOFF_DATABASE_URL=f"sqlite:///{workdir / 'handoffs.db'}",
        TRACKER_DATABASE_URL=f"sqlite:///{workdir / 'trackers.db'}",
        CONSOLE_PORT=str(free_port()),
        STAFF_PASSWORD=PASSWORD,
    )
    _actions_python(["-m", "handoff.cli", "migrate"], env)
    _actions_python(["-m", "handoff.cli", "staff-user", "reviewer"], env)
    trackers = make_engine(env["TRACKER_DATABASE_URL"])
    with trackers.begin() as connection:
        connection.execute(text(EVENTS_TABLE))
    for number, said in enumerate(FALLBACKS):
        _add_message(trackers, f"visitor-{number}", said, "nlu_fallback", 0.7)
    for number, (said, (_label, route)) in enumerate(RED_FLAGS.items()):
        _add_message(trackers, f"flagged-{number}", said, "triage_check" if route else "nlu_fallback", 0.9, route)

    console, url, api = _start_console(env, workdir)
    try:
        queue = api.get(f"{url}/api/review?limit=200", timeout=30).json()["items"]
        ids = {item["text"]: item["id"] for item in queue}
        assert set(FALLBACKS) | set(RED_FLAGS) <= set(ids), sorted(ids)
        for said, intent in FALLBACKS.items():
            answer = api.patch(
                f"{url}/api/review/{ids[said]}", json={"status": "labelled", "intent": intent}, timeout=30
            )
            assert answer.status_code == 200, answer.text
        for said, (intent, route) in RED_FLAGS.items():
            answer = api.patch(
                f"{url}/api/review/{ids[said]}", json={"status": "labelled", "intent": intent}, timeout=30
            )
            if route:  # refused: labelled by hand, as a bug or a later change might
                assert answer.status_code == 409, answer.text
                with make_engine(env["HANDOFF_DATABASE_URL"]).begin() as connection:
                    connection.execute(
                        text("UPDATE review_items SET status = 'labelled', label = :l WHERE id = :i"),
                        {"l": intent, "i": ids[said]},
                    )
            else:
                assert answer.status_code == 200, answer.text
        yield {"env": env, "url": url, "api": api, "ids": ids, "workdir": workdir}
    finally:
        console.terminate()
        console.wait(timeout=30)


@pytest.fixture(scope="module")
def exported(reviewed):
    """`make review-export` into a copy of the project's data (setup is not re-run)."""
    project = reviewed["workdir"] / "project"
    shutil.copytree(PROJECT_ROOT / "data", project / "data")
    out = project / "data" / "nlu" / "reviewed.yml"
    run = subprocess.run(
        ["make", "--no-print-directory", "-o", "setup", "review-export", f"OUT={out}"],
        cwd=PROJECT_ROOT,
        env=reviewed["env"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return project, out, run.stdout


def test_reviewed_fallbacks_become_training_data_without_personal_data(exported):
    _project, out, printed = exported
    written = out.read_text()
    data = yaml.safe_load(written)
    examples = {
        entry["intent"]: [line[2:] for line in entry["examples"].splitlines() if line.startswith("- ")]
        for entry in data["nlu"]
    }
    assert data["version"] == "3.1"
    assert set(examples) == {"ask_prices", "ask_back_pain"}
    assert len(examples["ask_prices"]) == 2 and len(examples["ask_back_pain"]) == 1
    assert "whats the damage for a go on the needles" in examples["ask_prices"]
    planted = next(e for e in examples["ask_prices"] if "cost of a session" in e)
    assert "<NAME>" in planted and "<PHONE>" in planted and "<EMAIL>" in planted
    for words in PLANTED.values():
        for word in words:
            assert word.lower() not in written.lower(), f"{word!r} reached the training data"
    assert "@" not in written
    assert "Wrote 3 reviewed example(s) in 2 topic(s)" in printed


def test_a_red_flag_is_never_taught_as_an_everyday_topic(exported):
    _project, out, printed = exported
    written = out.read_text().lower()
    assert "numb" not in written and "chest pain" not in written
    assert "Left out 2: the triage routes it as an emergency" in printed


def test_rasa_data_validate_passes_with_the_reviewed_examples(exported, tmp_path):
    project, _out, _printed = exported
    for source in PROJECT_ROOT.iterdir():  # the project as it is, with the copied data
        target = project / source.name
        if source.name not in ("data", ".git") and not target.exists():
            target.symlink_to(source)
    run = subprocess.run(
        [str(project / "scripts" / "validate.sh")], cwd=project, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Training data, domain and config are valid." in run.stdout


def test_the_same_words_labelled_twice_or_already_known_are_left_out():
    """The validator fails on one example under two intents: the export never writes one."""
    from handoff.review import Item

    def item(number, words, label):
        return Item(number, "s", words, None, "fallback", None, None, None, "labelled", label, "r", None, *[None] * 5)

    done = build(
        [
            item(1, "is it sore after", "ask_tuina"),
            item(2, "is it sore after", "ask_back_pain"),
            item(3, "hello", "greet"),
        ],
        spacy_model(),
        known={"hello": {"greet"}},
        triage_now=lambda _text: None,
    )
    assert done.examples == {} and done.held_back == {"conflict": 2, "known": 1}


def test_anonymise_keeps_the_clinic_words_and_removes_addresses():
    nlp = spacy_model()
    assert anonymise("Does Tui Na help?", nlp, keep=["tui na"]) == "Does Tui Na help?"
    moved = anonymise("I live at 14 Mill Lane, Leeds LS1 4AB", nlp)
    assert "14 Mill Lane" not in moved and "LS1 4AB" not in moved and "Leeds" not in moved


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make train)")
def test_review_check_stores_whether_the_model_now_gets_each_example_right(reviewed):
    run = subprocess.run(
        [str(commands.RASA_PYTHON), "-m", "scripts.review", "check", "--model", str(MODEL)],
        cwd=PROJECT_ROOT,
        env=reviewed["env"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Checked 5 labelled message(s)" in run.stdout
    labelled = reviewed["api"].get(f"{reviewed['url']}/api/review?status=labelled", timeout=30).json()["items"]
    checks = {item["text"]: item["check"] for item in labelled}
    assert all(check and check["at"] and check["intent"] for check in checks.values()), checks
    chest = checks["crushing chest pain spreading down my left arm and I am sweating"]
    assert chest["route"] == "life_threatening" and chest["right"] is False
    for said, label in FALLBACKS.items():
        assert checks[said]["right"] is (checks[said]["intent"] == label)


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make train)")
def test_the_real_assistants_conversations_fill_the_queue(tmp_path):
    """Events as the real Rasa server stores them (trained model, SQLite tracker store)."""
    assistant = start_assistant(tmp_path / "assistant")
    said = {"gibberish": "xqzv blorf wibble snark", "check": "my legs went numb last week", "clear": "what is tui na?"}
    try:
        for key, message in said.items():
            assistant.send(f"review-visitor-{key}", message)
    finally:
        assistant.stop()
    env = dict(
        os.environ,
        HANDOFF_DATABASE_URL=f"sqlite:///{tmp_path / 'handoffs.db'}",
        TRACKER_DATABASE_URL=f"sqlite:///{tmp_path / 'assistant' / 'trackers.db'}",
        CONSOLE_PORT=str(free_port()),
        STAFF_PASSWORD=PASSWORD,
    )
    _actions_python(["-m", "handoff.cli", "migrate"], env)
    _actions_python(["-m", "handoff.cli", "staff-user", "reviewer"], env)
    console, url, api = _start_console(env, tmp_path)
    try:
        items = {item["text"]: item for item in api.get(f"{url}/api/review", timeout=30).json()["items"]}
    finally:
        console.terminate()
        console.wait(timeout=30)
    assert items[said["gibberish"]]["reason"] in ("fallback", "out_of_scope"), items
    assert items[said["check"]]["reason"] == "triage_question" and items[said["check"]]["triage_route"], items
    assert said["clear"] not in items

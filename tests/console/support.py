"""Fixtures and helpers for the console tests (loaded by conftest.py).

The real staff console, run as `python -m console` on a free loopback port, against
SQLite files of its own: a handoff database (migrated) and a tracker store with Rasa's
`events` table, filled by the tests. A real SMTP server (aiosmtpd) is started on a fixed
port when a test needs it, so "SMTP down" is simply nobody listening there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest
import requests
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from handoff.db import make_engine, migrate
from handoff.staff import create_staff_user
from handoff.store import NewHandoff, get_handoff, list_handoffs, save_handoff
from tests.servers import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "artifacts" / "console"
PASSWORD = "correct horse battery staple"
NLG_TOKEN = "a-long-random-nlg-test-token"

EVENTS_TABLE = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT
)"""


# The console process ----------------------------------------------------------------------


@dataclass
class Console:
    url: str
    process: subprocess.Popen
    log: Path
    env: Dict[str, str]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_console(workdir: Path, env: Dict[str, str], timeout: float = 30) -> Console:
    port = free_port()
    log = workdir / f"console-{port}.log"
    full_env = dict(os.environ, CONSOLE_PORT=str(port), PYTHONUNBUFFERED="1", **env)
    process = subprocess.Popen(
        [sys.executable, "-m", "console"],
        cwd=PROJECT_ROOT,
        env=full_env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    console = Console(url=f"http://127.0.0.1:{port}", process=process, log=log, env=full_env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the console exited with {process.returncode}:\n{console.log_text()[-3000:]}")
        try:
            if requests.get(f"{console.url}/login", timeout=1).status_code == 200:
                return console
        except requests.RequestException:
            pass
        time.sleep(0.2)
    console.stop()
    raise RuntimeError(f"the console did not come up in {timeout}s:\n{console.log_text()[-3000:]}")


@pytest.fixture(scope="session")
def console_workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("console")


@pytest.fixture(scope="session")
def handoff_url(console_workdir) -> str:
    url = f"sqlite:///{console_workdir / 'handoffs.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def tracker_url(console_workdir) -> str:
    url = f"sqlite:///{console_workdir / 'trackers.db'}"
    with make_engine(url).begin() as connection:
        connection.execute(text(EVENTS_TABLE))
    return url


@pytest.fixture(scope="session")
def handoffs(handoff_url):
    engine = make_engine(handoff_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def trackers(tracker_url):
    engine = make_engine(tracker_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def smtp_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def console(console_workdir, handoff_url, tracker_url, smtp_port):
    """The console as `make run` starts it (Secure cookies on), e-mailing every second. Every test
    logs in from 127.0.0.1, so the per-address limit is raised here (test_login_limits.py
    tests it on a console of its own)."""
    running = start_console(
        console_workdir,
        {
            "HANDOFF_DATABASE_URL": handoff_url,
            "TRACKER_DATABASE_URL": tracker_url,
            "NOTIFY_INTERVAL": "0.5",
            "CLINIC_NOTIFY_EMAIL": "reception@clinic.example",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_FROM": "assistant@clinic.example",
            "CONSOLE_URL": "http://localhost:5080",
            "CONSOLE_FAILED_LOGINS_PER_ADDRESS": "1000",
            "NLG_TOKEN": NLG_TOKEN,
        },
    )
    yield running
    running.stop()


# Accounts -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def staff(handoffs) -> Tuple[str, str]:
    create_staff_user(handoffs, "reception", PASSWORD)
    return "reception", PASSWORD


_users = iter(range(10_000))


@pytest.fixture
def new_user(handoffs):
    """A fresh account of its own (for lock-out tests, so the shared one stays usable)."""

    def make(prefix: str = "user") -> Tuple[str, str]:
        name = f"{prefix}-{next(_users)}-{os.getpid()}"
        create_staff_user(handoffs, name, PASSWORD)
        return name, PASSWORD

    return make


# Handoffs and conversations ---------------------------------------------------------------

_senders = iter(range(10_000))


def add_conversation(
    trackers, sender_id: str, turns: Sequence[Tuple[str, str]], start: float = None, buttons: Optional[List[str]] = None
) -> None:
    """Rasa-format events: ("visitor"|"assistant", text) turns, a minute apart, plus action events."""
    start = start if start is not None else time.time() - 3600
    rows = []
    for number, (speaker, said) in enumerate(turns):
        stamp = start + 60 * number
        if speaker == "visitor":
            data = {
                "event": "user",
                "timestamp": stamp,
                "text": said,
                "parse_data": {"intent": {"name": "book_appointment", "confidence": 0.98}},
            }
            rows.append(("user", stamp, "book_appointment", None, data))
        else:
            rows.append(("action", stamp, None, "utter_x", {"event": "action", "timestamp": stamp, "name": "utter_x"}))
            data = {"event": "bot", "timestamp": stamp, "text": said, "data": {}}
            rows.append(("bot", stamp, None, None, data))
    if buttons:
        stamp = start + 60 * len(turns)
        rows.append(
            (
                "bot",
                stamp,
                None,
                None,
                {
                    "event": "bot",
                    "timestamp": stamp,
                    "text": None,
                    "data": {"buttons": [{"title": t, "payload": "/x"} for t in buttons]},
                },
            )
        )
    with trackers.begin() as connection:
        for type_name, stamp, intent, action, data in rows:
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (:s, :t, :ts, :i, :a, :d)"
                ),
                {"s": sender_id, "t": type_name, "ts": stamp, "i": intent, "a": action, "d": json.dumps(data)},
            )


DEFAULT_TURNS = (
    ("visitor", "Hello, I'd like to book Tui Na for my back"),
    ("assistant", "I can pass a booking request to the clinic. What is your name?"),
    ("visitor", "Sam Taylor"),
    ("assistant", "Thank you. Your reference is on its way."),
)


@dataclass
class Made:
    id: int
    reference: str
    sender_id: str
    fields: Dict[str, object] = field(default_factory=dict)


@pytest.fixture
def make_handoff(handoffs, trackers):
    """Save a request with handoff.store.save_handoff, with a conversation in the tracker store."""

    def make(turns: Sequence[Tuple[str, str]] = DEFAULT_TURNS, **overrides) -> Made:
        sender = overrides.pop("sender_id", f"visitor-{next(_senders)}-{os.getpid()}")
        fields = dict(
            channel="rest",
            reason="booking",
            urgent=False,
            name="Sam Taylor",
            contact_kind="phone",
            contact="+44 7700 900123",
            preferred_times="Tuesday mornings",
            preferred_times_normalised="Tue 09:00-12:00",
            topic="back pain",
            summary="Would like Tui Na for lower back pain; prefers Tuesday mornings.",
        )
        fields.update(overrides)
        reference = save_handoff(handoffs, NewHandoff(sender_id=sender, **fields))
        if turns:
            add_conversation(trackers, sender, turns)
        found = next(h for h in list_handoffs(handoffs) if h.reference == reference)
        return Made(id=found.id, reference=reference, sender_id=sender, fields=fields)

    return make


# An HTTP client that keeps cookies itself -------------------------------------------------


class Client:
    """requests, with cookies kept by hand: the console's cookies are Secure, which
    http.cookiejar never sends over http (browsers do for localhost; see the browser test).
    """

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.cookies: Dict[str, str] = {}
        self.set_cookie_headers: List[str] = []

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.cookies and "Cookie" not in headers:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        self.http.cookies.clear()
        for raw in response.raw.headers.getlist("Set-Cookie"):
            self.set_cookie_headers.append(raw)
            name, _, rest = raw.partition("=")
            value = rest.split(";")[0]
            if re.search(r"max-age=0\b", raw, re.I) or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def login_form(self, username: str, password: str, next_page: str = "") -> requests.Response:
        page = self.get("/login" + (f"?next={next_page}" if next_page else ""))
        assert page.status_code == 200, page.text
        return self.post(
            "/login",
            data={
                "csrf": csrf_of(page.text),
                "username": username,
                "password": password,
                "next": re.search(r'name="next" value="([^"]*)"', page.text).group(1),
            },
        )

    def csrf(self, path: str = "/") -> str:
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        return csrf_of(page.text)


# PostgreSQL --------------------------------------------------------------------------------

SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def pg_url():
    """A migrated schema of its own on the local PostgreSQL (skipped when it is unreachable)."""
    admin = create_engine(SERVER, connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {SERVER}: {error.orig}")
    schema = f"console_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{SERVER}?options=-csearch_path%3D{schema}"
    migrate(url)
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


@pytest.fixture
def client(console) -> Client:
    return Client(console.url)


@pytest.fixture
def signed_in(console, staff) -> Client:
    browser = Client(console.url)
    response = browser.login_form(*staff)
    assert response.status_code == 303, response.text
    return browser


@pytest.fixture
def api_token(console, staff) -> str:
    response = requests.post(f"{console.url}/api/login", json={"username": staff[0], "password": staff[1]}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["token"]


class ConsoleApi(requests.Session):
    """requests.Session with a bearer token, against the console's base URL."""

    def __init__(self, base: str, token: str):
        super().__init__()
        self.base = base
        self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, path, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base + path, *args, **kwargs)


def api_session(console, username: str, password: str = PASSWORD) -> requests.Session:
    """requests.Session logged in to the API as this account, against the console's base URL."""
    response = requests.post(f"{console.url}/api/login", json={"username": username, "password": password}, timeout=30)
    assert response.status_code == 200, response.text
    return ConsoleApi(console.url, response.json()["token"])


@pytest.fixture
def api(console, api_token):
    """requests.Session with the bearer token, against the console's base URL."""
    session = ConsoleApi(console.url, api_token)
    yield session
    session.close()


# SMTP ----------------------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.messages: List[Dict[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "content": envelope.content.decode("utf-8", "replace"),
            }
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(smtp_port):
    """Starts a real SMTP server on the console's SMTP port when called; stopped after the test."""
    started = []

    def start() -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        started.append(controller)
        return inbox

    yield start
    for controller in started:
        controller.stop()


def wait_for(condition, timeout: float = 15, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture
def reload(handoffs):
    return lambda made: get_handoff(handoffs, made.id)

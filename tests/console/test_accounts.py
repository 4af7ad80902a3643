"""The life of a staff account: a one-time password changed at first login (and useless
once expired), disable and enable, a password reset, revoking every session, an idle
timeout; from the console, the API and the command line."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import requests
from sqlalchemy import update
from sqlalchemy.orm import Session

from handoff.models import SAFETY_OFFICER, StaffUser
from handoff.staff import (
    LOGIN_REFUSED,
    MUST_CHANGE,
    check_login,
    create_staff_user,
    disable_staff_user,
    enable_staff_user,
    has_role,
    reset_password,
    revoke_sessions,
)
from handoff.store import audit_entries, now
from tests.console.support import PROJECT_ROOT, Client, csrf_of, start_console

NEW_PASSWORD = "a brand new long passphrase"


def one_time_user(handoffs, name):
    return name, create_staff_user(handoffs, name)


def api_login(console, username, password):
    return requests.post(f"{console.url}/api/login", json={"username": username, "password": password}, timeout=30)


def change(browser: Client, current: str, new: str, repeat: str = None) -> requests.Response:
    page = browser.get("/password")
    return browser.post(
        "/password", data={"csrf": csrf_of(page.text), "current": current, "new": new, "repeat": repeat or new}
    )


def test_a_one_time_password_opens_only_the_change_password_page_until_changed(console, handoffs):
    username, one_time = one_time_user(handoffs, f"newcomer-{time.monotonic_ns()}")
    assert check_login(handoffs, username, one_time) == (True, MUST_CHANGE)
    browser = Client(console.url)
    first = browser.login_form(username, one_time)
    assert first.status_code == 303 and first.headers["Location"] == "/password"
    for path in ("/", "/audit"):
        held = browser.get(path)
        assert held.status_code == 303 and held.headers["Location"] == "/password"
    assert "one-time password" in browser.get("/password").text
    refused = api_login(console, username, one_time)
    assert refused.status_code == 403 and "one-time password" in refused.json()["error"]

    mismatch = change(browser, one_time, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert mismatch.status_code == 400 and "The two new passwords are not the same" in mismatch.text
    assert change(browser, "not it at all", NEW_PASSWORD).status_code == 400
    short = change(browser, one_time, "short")
    assert short.status_code == 400 and "at least 12 characters" in short.text
    assert change(browser, one_time, one_time).status_code == 400

    done = change(browser, one_time, NEW_PASSWORD)
    assert done.status_code == 303 and done.headers["Location"] == "/"
    assert browser.get("/").status_code == 200
    assert check_login(handoffs, username, one_time)[0] is False
    assert check_login(handoffs, username, NEW_PASSWORD) == (True, "")
    assert api_login(console, username, NEW_PASSWORD).status_code == 200
    assert ("password_changed", username) in {(e.action, e.target) for e in audit_entries(handoffs, 1000)}


def test_an_expired_one_time_password_gets_the_ordinary_refusal(handoffs):
    username, one_time = one_time_user(handoffs, f"late-{time.monotonic_ns()}")
    with Session(handoffs) as session, session.begin():
        session.execute(
            update(StaffUser)
            .where(StaffUser.username == username)
            .values(password_expires_at=now() - timedelta(minutes=1))
        )
    assert check_login(handoffs, username, one_time) == (False, LOGIN_REFUSED)
    assert ("login_refused_expired", username) in {(e.action, e.target) for e in audit_entries(handoffs, 1000)}


def test_disabling_ends_every_session_and_refuses_logins_until_enabled(console, handoffs, new_user):
    username, password = new_user("leaver")
    browser = Client(console.url)
    assert browser.login_form(username, password).status_code == 303
    token = api_login(console, username, password).json()["token"]
    disable_staff_user(handoffs, username)
    assert browser.get("/").headers["Location"].startswith("/login")
    assert (
        requests.get(
            f"{console.url}/api/handoffs", headers={"Authorization": f"Bearer {token}"}, timeout=30
        ).status_code
        == 401
    )
    refused = api_login(console, username, password)
    assert refused.status_code == 401 and refused.json()["error"] == LOGIN_REFUSED
    enable_staff_user(handoffs, username)
    assert api_login(console, username, password).status_code == 200


def test_a_reset_gives_a_new_one_time_password_and_ends_the_old_sessions(console, handoffs, new_user):
    username, password = new_user("forgetful")
    browser = Client(console.url)
    browser.login_form(username, password)
    for attempt in range(5):
        check_login(handoffs, username, f"wrong-{attempt}")  # locked
    new_one_time = reset_password(handoffs, username)
    assert browser.get("/").headers["Location"].startswith("/login")
    assert check_login(handoffs, username, password)[0] is False
    assert check_login(handoffs, username, new_one_time) == (True, MUST_CHANGE)  # the lock is lifted too


def test_revoking_ends_every_session_and_token(console, handoffs, new_user):
    username, password = new_user("stolen-laptop")
    browser = Client(console.url)
    browser.login_form(username, password)
    token = api_login(console, username, password).json()["token"]
    assert revoke_sessions(handoffs, username) == 2
    assert browser.get("/").headers["Location"].startswith("/login")
    assert (
        requests.get(
            f"{console.url}/api/handoffs", headers={"Authorization": f"Bearer {token}"}, timeout=30
        ).status_code
        == 401
    )


def test_a_session_left_idle_ends(console_workdir, handoff_url, tracker_url, new_user):
    username, password = new_user("idle")
    idle = start_console(
        console_workdir,
        {"HANDOFF_DATABASE_URL": handoff_url, "TRACKER_DATABASE_URL": tracker_url, "CONSOLE_IDLE_TIMEOUT": "2"},
    )
    try:
        browser = Client(idle.url)
        assert browser.login_form(username, password).status_code == 303
        for _ in range(3):  # in use: kept alive past the timeout
            time.sleep(0.8)
            assert browser.get("/").status_code == 200
        time.sleep(2.5)
        assert browser.get("/").headers["Location"].startswith("/login")
    finally:
        idle.stop()


def test_the_command_line_manages_accounts(handoff_url, handoffs):
    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "handoff.cli", "staff-user", *args],
            cwd=PROJECT_ROOT,
            env={"HANDOFF_DATABASE_URL": handoff_url, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )

    name = f"cli-{time.monotonic_ns()}"
    created = cli(name)
    assert created.returncode == 0 and "One-time password" in created.stdout
    one_time = created.stdout.rsplit(": ", 1)[1].strip()
    assert check_login(handoffs, name, one_time) == (True, MUST_CHANGE)
    assert cli(name, "--disable").returncode == 0 and check_login(handoffs, name, one_time)[0] is False
    assert cli(name, "--enable").returncode == 0
    reset = cli(name, "--reset")
    assert reset.returncode == 0 and check_login(handoffs, name, reset.stdout.rsplit(": ", 1)[1].strip())[0]
    assert "Ended 0 sessions" in cli(name, "--revoke").stdout
    assert cli(name, "--safety-officer").returncode == 0 and has_role(handoffs, name, SAFETY_OFFICER)
    assert cli(name, "--no-safety-officer").returncode == 0 and not has_role(handoffs, name, SAFETY_OFFICER)
    missing = cli("nobody-like-this", "--disable")
    assert missing.returncode == 1 and "there is no user" in missing.stderr
    assert cli(name).returncode == 1  # already exists


def test_the_change_password_form_refuses_empty_huge_and_hostile_input(console, handoffs, new_user):
    username, password = new_user("fuzzed")
    browser = Client(console.url)
    browser.login_form(username, password)
    for current, new in (
        ("", ""),
        (password, "x" * 5000),
        (password, "<script>alert(1)</script>"[:11]),
        (password, "\x00" * 20),
    ):
        response = change(browser, current, new)
        assert response.status_code in (400, 413), (current[:5], new[:12], response.status_code)
        assert "<script>" not in response.text
    huge = change(browser, password, "y" * 100_000)
    assert huge.status_code == 413
    assert check_login(handoffs, username, password) == (True, "")  # nothing changed

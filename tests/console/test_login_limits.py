"""Guessing passwords: every failure counts, nothing tells an attacker which names exist or
which accounts are locked, one address cannot keep guessing, and password hashing is bounded."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from handoff import staff
from handoff.staff import check_login
from handoff.store import audit_entries
from tests.console.support import csrf_of, start_console


def wrong_passwords_at_once(engine, username: str, count: int = 10) -> None:
    with ThreadPoolExecutor(count) as pool:
        results = list(pool.map(lambda i: check_login(engine, username, f"wrong-{i}"), range(count)))
    assert not any(ok for ok, _ in results)


def test_wrong_passwords_sent_at_once_all_count_and_lock_the_account(handoffs, new_user):
    username, password = new_user("race")
    wrong_passwords_at_once(handoffs, username)
    ok, _ = check_login(handoffs, username, password)
    assert not ok, "ten wrong passwords sent at once must lock the account like five in a row"


def test_unknown_locked_and_wrong_get_the_same_answer_after_the_same_work(handoffs, new_user):
    locked, _ = new_user("locked")
    for attempt in range(staff.MAX_FAILED_LOGINS):
        check_login(handoffs, locked, f"wrong-{attempt}")
    wrong, _ = new_user("wrong")

    def answer(username):
        best, reason = float("inf"), None
        for _ in range(3):
            started = time.perf_counter()
            ok, reason = check_login(handoffs, username, "a guessed password")
            best = min(best, time.perf_counter() - started)
            assert not ok
        return reason, best

    unknown_reason, unknown_time = answer("nobody-at-all")
    locked_reason, locked_time = answer(locked)
    wrong_reason, wrong_time = answer(wrong)
    assert unknown_reason == locked_reason == wrong_reason
    # The locked and unknown answers verify a password as well (argon2 takes tens of ms).
    assert locked_time > 0.5 * wrong_time and unknown_time > 0.5 * wrong_time, (unknown_time, locked_time, wrong_time)
    actions = {(e.action, e.target) for e in audit_entries(handoffs, 1000)}
    assert ("login_refused_locked", locked) in actions and ("login_failed", "nobody-at-all") in actions


def test_no_more_than_a_few_password_hashes_run_at_once(handoffs, new_user, monkeypatch):
    username, password = new_user("busy")
    running, peak, lock = 0, 0, threading.Lock()
    real = staff._hasher

    class Counting:
        def verify(self, stored, given):
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            try:
                time.sleep(0.05)
                return real.verify(stored, given)
            finally:
                with lock:
                    running -= 1

    monkeypatch.setattr(staff, "_hasher", Counting())
    with ThreadPoolExecutor(12) as pool:
        list(pool.map(lambda i: check_login(handoffs, username, password), range(12)))
    assert 1 <= peak <= staff.MAX_CONCURRENT_HASHES


def test_one_address_cannot_keep_guessing(console_workdir, handoff_url, tracker_url, new_user):
    username, password = new_user("limited")
    limited = start_console(
        console_workdir,
        {
            "HANDOFF_DATABASE_URL": handoff_url,
            "TRACKER_DATABASE_URL": tracker_url,
            "CONSOLE_LOGIN_DELAY": "0",
            "CONSOLE_FAILED_LOGINS_PER_ADDRESS": "3",
        },
    )
    try:
        for attempt in range(3):
            response = requests.post(
                f"{limited.url}/api/login", json={"username": username, "password": f"wrong-{attempt}"}, timeout=30
            )
            assert response.status_code == 401
        refused = requests.post(
            f"{limited.url}/api/login", json={"username": username, "password": password}, timeout=30
        )
        assert refused.status_code == 429
        assert "too many failed logins" in refused.json()["error"].lower()
        assert int(refused.headers["Retry-After"]) > 0
        token = csrf_of(requests.get(f"{limited.url}/login", timeout=30).text)
        form = requests.post(
            f"{limited.url}/login",
            data={"csrf": token, "username": username, "password": password},
            headers={"Cookie": f"console_login={token}"},
            allow_redirects=False,
            timeout=30,
        )
        assert form.status_code == 429 and "Too many failed logins" in form.text
        assert "console_session" not in form.headers.get("Set-Cookie", "")
    finally:
        limited.stop()

"""Console security: nothing answers without login, CSRF is enforced, guessing is slow and locks out."""

from __future__ import annotations

import re
import time

import pytest
import requests

from console.app import create_app
from console.settings import Settings
from handoff.staff import LOGIN_REFUSED
from handoff.store import audit_entries, get_handoff
from tests.console.support import Client, csrf_of

OPEN_ROUTES = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/login"),
    ("GET", "/static/<__file_uri__:path>"),
    ("HEAD", "/static/<__file_uri__:path>"),
}
# Called by other servers with a shared secret instead of a login (console/auth.py MACHINE_PATHS).
MACHINE_ROUTES = {("POST", "/nlg")}


def every_route():
    """Every (method, path) the console serves, read from the app itself, so a new route is covered here."""
    app = create_app(Settings(handoff_database_url="sqlite://", tracker_database_url="sqlite://"))
    return sorted({(method, "/" + route.path.lstrip("/")) for route in app.router.routes for method in route.methods})


def test_every_route_except_login_and_static_needs_a_login(console, make_handoff, handoffs):
    made = make_handoff()
    checked = 0
    for method, template in every_route():
        if (method, template) in OPEN_ROUTES:
            continue
        path = (
            template.replace("<handoff_id:int>", str(made.id))
            .replace("<draft_id:int>", "1")
            .replace("<item_id:int>", "1")
            .replace("<key>", "utter_goodbye.default")
        )
        response = requests.request(
            method,
            console.url + path,
            allow_redirects=False,
            timeout=30,
            data={"status": "closed", "note": "x", "assignee": "mallory"},
        )
        if (method, template) in MACHINE_ROUTES:
            assert response.status_code == 401 and "token" in response.json()["error"], (method, path)
        elif path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.text)
            assert response.json()["error"].startswith("log in first")
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["Location"].startswith("/login"), (method, path)
            assert made.reference not in response.text and "Sam Taylor" not in response.text
        checked += 1
    assert checked >= 12
    after = get_handoff(handoffs, made.id)  # the unauthenticated posts changed nothing, erased nothing
    assert after is not None and after.status == "new" and after.assignee is None


def test_a_page_asked_for_before_login_opens_after_login(client, staff, make_handoff):
    made = make_handoff()
    first = client.get(f"/handoffs/{made.id}")
    assert first.status_code == 303 and first.headers["Location"] == f"/login?next=%2Fhandoffs%2F{made.id}"
    after_login = client.login_form(*staff, next_page=f"%2Fhandoffs%2F{made.id}")
    assert after_login.status_code == 303 and after_login.headers["Location"] == f"/handoffs/{made.id}"
    assert made.reference in client.get(f"/handoffs/{made.id}").text


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_never_redirects_to_another_site(client, staff, target):
    page = client.get("/login", params={"next": target})
    assert 'name="next" value="/"' in page.text
    response = client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": staff[0], "password": staff[1], "next": target}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_session_cookie_is_secure_httponly_and_samesite_strict(client, staff):
    response = client.login_form(*staff)
    cookie = next(c for c in client.set_cookie_headers if c.startswith("console_session="))
    assert response.status_code == 303
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= flags
    login_cookie = next(c for c in client.set_cookie_headers if c.startswith("console_login="))
    assert "HttpOnly" in login_cookie and "SameSite=Strict" in login_cookie and "Secure" in login_cookie


def test_api_token_and_page_cookie_are_not_interchangeable(console, signed_in, api_token):
    cookie = signed_in.cookies["console_session"]
    as_api = requests.get(f"{console.url}/api/handoffs", headers={"Authorization": f"Bearer {cookie}"}, timeout=30)
    assert as_api.status_code == 401
    with_cookie = requests.get(
        f"{console.url}/api/handoffs", headers={"Cookie": f"console_session={cookie}"}, timeout=30
    )
    assert with_cookie.status_code == 401
    as_page = requests.get(
        f"{console.url}/", headers={"Cookie": f"console_session={api_token}"}, allow_redirects=False, timeout=30
    )
    assert as_page.status_code == 303
    for bad in ("Bearer", "Bearer ", "Basic abc", "Bearer " + "x" * 500, "Bearer not-a-token"):
        assert (
            requests.get(f"{console.url}/api/handoffs", headers={"Authorization": bad}, timeout=30).status_code == 401
        )


def test_logout_ends_the_session(signed_in):
    cookie = signed_in.cookies["console_session"]
    response = signed_in.post("/logout", data={"csrf": signed_in.csrf()})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "console_session" not in signed_in.cookies
    again = signed_in.get("/", headers={"Cookie": f"console_session={cookie}"})
    assert again.status_code == 303 and again.headers["Location"].startswith("/login")


def test_api_logout_revokes_the_token(console, api):
    assert api.get("/api/handoffs").status_code == 200
    assert api.post("/api/logout").status_code == 204
    assert api.get("/api/handoffs").status_code == 401


# CSRF ----------------------------------------------------------------------------------


def test_forms_without_the_right_csrf_token_are_refused(signed_in, staff, make_handoff, handoffs, console):
    made = make_handoff()
    other = Client(console.url)
    other.login_form(*staff)
    someone_elses = other.csrf()
    for token in (None, "", "wrong", someone_elses, signed_in.csrf() + "x"):
        data = {"status": "closed", "assignee": "mallory"}
        if token is not None:
            data["csrf"] = token
        for path, extra in (
            (f"/handoffs/{made.id}/status", {}),
            (f"/handoffs/{made.id}/notes", {"note": "forged"}),
            (f"/handoffs/{made.id}/erase", {}),
            ("/logout", {}),
        ):
            response = signed_in.post(path, data={**data, **extra})
            assert response.status_code == 403, (path, token, response.status_code)
            assert "This form has expired" in response.text
    # A JSON body or a query-string token is not a form token either.
    token = signed_in.csrf()
    assert signed_in.post(f"/handoffs/{made.id}/status", json={"csrf": token, "status": "closed"}).status_code == 403
    assert signed_in.post(f"/handoffs/{made.id}/status?csrf={token}", data={"status": "closed"}).status_code == 403
    after = get_handoff(handoffs, made.id)
    assert after.status == "new" and after.assignee is None
    assert signed_in.get("/").status_code == 200  # still logged in: the forged logouts did nothing


def test_login_form_needs_its_csrf_cookie(client, staff):
    page = client.get("/login")
    token = csrf_of(page.text)
    forged = requests.post(
        client.base + "/login",
        data={"csrf": token, **dict(zip(("username", "password"), staff))},
        allow_redirects=False,
        timeout=30,
    )  # the form's token without the browser's cookie
    assert forged.status_code == 403 and "console_session" not in forged.headers.get("Set-Cookie", "")
    mismatched = client.post("/login", data={"csrf": "x" + token, "username": staff[0], "password": staff[1]})
    assert mismatched.status_code == 403


# Wrong passwords -----------------------------------------------------------------------


def test_a_wrong_password_is_answered_slowly_and_says_nothing_more(client, staff):
    page = client.get("/login")
    started = time.monotonic()
    response = client.post("/login", data={"csrf": csrf_of(page.text), "username": staff[0], "password": "guess"})
    elapsed = time.monotonic() - started
    assert response.status_code == 401 and "Wrong username or password (after 5 failures" in response.text
    assert elapsed >= 0.9, elapsed  # CONSOLE_LOGIN_DELAY is 1 second
    assert "console_session" not in client.cookies
    started = time.monotonic()
    unknown = requests.post(client.base + "/api/login", json={"username": "nobody", "password": "guess"}, timeout=30)
    assert unknown.status_code == 401 and unknown.json() == {"error": LOGIN_REFUSED}
    assert time.monotonic() - started >= 0.9


def test_five_wrong_passwords_lock_the_account(client, new_user, handoffs, console):
    username, password = new_user("locked")
    for attempt in range(5):
        response = client.post(
            "/login",
            data={"csrf": csrf_of(client.get("/login").text), "username": username, "password": f"wrong-{attempt}"},
        )
        assert response.status_code == 401
    response = client.post(
        "/login", data={"csrf": csrf_of(client.get("/login").text), "username": username, "password": password}
    )
    assert response.status_code == 401 and "locked for 15 minutes" in response.text
    assert "console_session" not in client.cookies
    api = requests.post(f"{console.url}/api/login", json={"username": username, "password": password}, timeout=30)
    assert api.status_code == 401 and api.json()["error"] == LOGIN_REFUSED  # the same answer as a wrong password
    actions = [(e.action, e.target) for e in audit_entries(handoffs, 500)]
    assert ("locked_out", username) in actions and ("login_refused_locked", username) in actions


def test_pages_carry_security_headers(signed_in, make_handoff, console):
    made = make_handoff()
    for response in (
        signed_in.get("/"),
        signed_in.get(f"/handoffs/{made.id}"),
        signed_in.get("/audit"),
        requests.get(f"{console.url}/login", timeout=30),
        requests.get(f"{console.url}/api/handoffs", timeout=30),
    ):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
    page = signed_in.get(f"/handoffs/{made.id}").text
    assert not re.search(r"<script|\sstyle=|\son[a-z]+=", page, re.I)  # nothing the CSP would have to block

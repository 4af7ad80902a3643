"""Logging in and out, and the gate every other route passes through.

`require_login` runs before every routed request: pages need a session cookie (else a
redirect to the login page), the API needs a bearer token (else 401), and every form
post needs the session's CSRF token (else 403). Paths other servers call (MACHINE_PATHS:
Rasa's `/nlg`) need their own shared secret instead of a login. Only the login page, the API's login
and the static files are open, so a new route is protected without remembering to.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import time
from collections import defaultdict, deque
from datetime import timedelta
from typing import Deque, Dict, Optional
from urllib.parse import quote, urlsplit

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, redirect

from console.web import LOGIN_COOKIE, SESSION_COOKIE, db, form_value, render
from handoff.staff import (
    LOGIN_REFUSED,
    MUST_CHANGE,
    SESSION_LIFETIME,
    AccountError,
    change_password,
    check_login,
    end_session,
    session_for,
    start_session,
)
from handoff.store import AUDIT_ADDRESS, record

bp = Blueprint("auth")

OPEN_PATHS = {"/login", "/api/login"}
# Called by other servers, never by staff: each with its own shared secret (settings attribute).
MACHINE_PATHS = {"/nlg": "nlg_token"}
# While an account still has its one-time password, only these pages open.
ONE_TIME_PATHS = {"/password", "/logout"}
ONE_TIME_API = "this account still has its one-time password: log in to the console and change it first"
MAX_PASSWORD_LENGTH = 1024  # longer is never a real password; don't hash megabytes
LOGIN_FORM_LIFETIME = 3600
ADDRESS_WINDOW = 15 * 60  # seconds over which failed logins per address are counted
TOO_MANY = "too many failed logins from your address; try again in {minutes} minutes"


class FailedLoginsByAddress:
    """Failed logins per client address over the last ADDRESS_WINDOW seconds, in this process.

    The account lock-out stops guessing one password; this stops one address guessing many
    (or keeping every account locked). The scale profile's front door limits requests too.
    """

    def __init__(self, limit: int, window: float = ADDRESS_WINDOW, max_addresses: int = 10_000):
        self.limit, self.window, self.max_addresses = limit, window, max_addresses
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def _recent(self, address: str, at: float) -> Deque[float]:
        failures = self._failures[address]
        while failures and failures[0] <= at - self.window:
            failures.popleft()
        return failures

    def retry_after(self, address: str) -> int:
        """Seconds until this address may try again; 0 if it may now."""
        at = time.monotonic()
        failures = self._recent(address, at)
        if len(failures) < self.limit:
            if not failures:
                del self._failures[address]
            return 0
        return max(1, int(failures[0] + self.window - at) + 1)

    def failed(self, address: str) -> None:
        if len(self._failures) >= self.max_addresses:  # bounded memory: forget the oldest addresses
            for stale in list(self._failures)[: self.max_addresses // 10]:
                del self._failures[stale]
        self._failures[address].append(time.monotonic())


def client_address(request: Request) -> str:
    return request.remote_addr or request.ip or "unknown"


def safe_next(target: Optional[str]) -> str:
    """Only a path on this site: never another host (`//evil`, `\\evil`, `https://…`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return "/"
    return target


def bearer_token(request: Request) -> Optional[str]:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _matches(given: Optional[str], expected: Optional[str]) -> bool:
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def machine_gate(request: Request, secret: Optional[str]) -> Optional[HTTPResponse]:
    """A server's call: its shared secret as `?token=` (how Rasa sends an endpoint's token) or
    as a bearer token; 503 while no secret is configured, 401 without the right one."""
    if not secret:
        return json({"error": "this endpoint is off: its token is not configured"}, status=503)
    given = request.args.get("token") or bearer_token(request)
    if not _matches(given, secret):
        return json(
            {"error": "send the endpoint's token as ?token=… or Authorization: Bearer …"},
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="clinic assistant"'},
        )
    return None


async def forbidden(request: Request) -> HTTPResponse:
    return await render(
        request,
        "error.html",
        status_code=403,
        title="Form expired",
        message="This form has expired or did not come from the console. Go back, reload the page and try again.",
    )


async def require_login(request: Request) -> Optional[HTTPResponse]:
    AUDIT_ADDRESS.set(client_address(request)[:64])
    path = request.path
    if path.startswith("/static/") or path in OPEN_PATHS:
        return None
    if getattr(request.ctx, "failure", None) is not None:
        return None  # an error answer without any handler (see app._remember_failure): nothing to protect
    if path in MACHINE_PATHS:
        return machine_gate(request, getattr(request.app.ctx.settings, MACHINE_PATHS[path]))
    handoffs = request.app.ctx.handoffs
    if path.startswith("/api/"):
        token = bearer_token(request)
        session = await db(session_for, handoffs, token, "api", _idle(request))
        if session is None:
            return json(
                {"error": "log in first: POST /api/login, then send Authorization: Bearer <token>"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="clinic staff console"'},
            )
        request.ctx.staff, request.ctx.token = session.username, token
        return None
    token = request.cookies.get(SESSION_COOKIE)
    session = await db(session_for, handoffs, token, "cookie", _idle(request))
    if session is None:
        target = path + (f"?{request.query_string}" if request.query_string else "")
        where = "/login" if request.method != "GET" or target == "/" else f"/login?next={quote(target, safe='')}"
        return redirect(where, status=303)
    request.ctx.staff, request.ctx.csrf, request.ctx.token = session.username, session.csrf_token, token
    request.ctx.one_time_password = session.must_change_password
    if request.method not in ("GET", "HEAD") and not _matches(form_value(request, "csrf"), session.csrf_token):
        return await forbidden(request)
    if session.must_change_password and path not in ONE_TIME_PATHS:
        return redirect("/password", status=303)
    return None


def _idle(request: Request) -> timedelta:
    return timedelta(seconds=request.app.ctx.settings.idle_timeout)


def _set_cookie(request: Request, response: HTTPResponse, name: str, value: str, path: str, max_age: int) -> None:
    response.add_cookie(
        name,
        value,
        path=path,
        max_age=max_age,
        httponly=True,
        samesite="Strict",
        secure=request.app.ctx.settings.secure_cookies,
    )


@bp.get("/login")
async def login_page(request: Request) -> HTTPResponse:
    next_page = safe_next(request.args.get("next"))
    if await db(session_for, request.app.ctx.handoffs, request.cookies.get(SESSION_COOKIE), "cookie", _idle(request)):
        return redirect(next_page, status=303)
    # Before login there is no session to hold a CSRF token: a cookie holds it instead
    # (double submit), so a login form posted from another site is refused.
    # Reuse the token already given: a second tab (or a stray request for /login) must not
    # invalidate a login form that is already open.
    token = request.cookies.get(LOGIN_COOKIE) or ""
    if not 40 <= len(token) <= 64 or not token.replace("-", "").replace("_", "").isalnum():
        token = secrets.token_urlsafe(32)
    response = await render(
        request, "login.html", title="Log in", login_csrf=token, next_page=next_page, error=None, username=""
    )
    _set_cookie(request, response, LOGIN_COOKIE, token, "/login", LOGIN_FORM_LIFETIME)
    return response


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    expected = request.cookies.get(LOGIN_COOKIE)
    if not _matches(form_value(request, "csrf"), expected):
        return await forbidden(request)
    username = (form_value(request, "username") or "").strip()
    password = form_value(request, "password") or ""
    next_page = safe_next(form_value(request, "next"))
    ok, reason, wait = await check_credentials(request, username, password)
    if not ok:
        response = await render(
            request,
            "login.html",
            status_code=429 if wait else 401,
            title="Log in",
            login_csrf=expected,
            next_page=next_page,
            error=reason,
            username=username[:100],
        )
        if wait:
            response.headers["Retry-After"] = str(wait)
        return response
    secret, _csrf = await db(start_session, request.app.ctx.handoffs, username, "cookie")
    response = redirect("/password" if reason == MUST_CHANGE else next_page, status=303)
    _set_cookie(request, response, SESSION_COOKIE, secret, "/", int(SESSION_LIFETIME.total_seconds()))
    _set_cookie(request, response, LOGIN_COOKIE, "", "/login", 0)
    return response


async def check_credentials(request: Request, username: str, password: str):
    """(ok, reason, retry after seconds). check_login counts failures and locks the account; an
    address with too many recent failures is refused before any password is checked; every
    failure also waits, so guessing is slow."""
    limiter: FailedLoginsByAddress = request.app.ctx.failed_logins
    address = client_address(request)
    wait = limiter.retry_after(address)
    if wait:
        return False, TOO_MANY.format(minutes=(wait + 59) // 60), wait
    if not username or not password or len(username) > 100 or len(password) > MAX_PASSWORD_LENGTH:
        ok, reason = False, LOGIN_REFUSED
    else:
        ok, reason = await db(check_login, request.app.ctx.handoffs, username, password)
    if not ok:
        limiter.failed(address)
        await asyncio.sleep(request.app.ctx.settings.failed_login_delay)
    return ok, reason, 0


@bp.get("/password")
async def password_page(request: Request) -> HTTPResponse:
    return await _password_form(request, None, 200)


async def _password_form(request: Request, error: Optional[str], status: int) -> HTTPResponse:
    return await render(
        request,
        "password.html",
        status_code=status,
        title="Change password",
        error=error,
        one_time=request.ctx.one_time_password,
    )


@bp.post("/password")
async def password_change(request: Request) -> HTTPResponse:
    current = form_value(request, "current") or ""
    new, repeated = form_value(request, "new") or "", form_value(request, "repeat") or ""
    if new != repeated:
        return await _password_form(request, "the two new passwords are not the same", 400)
    try:
        await db(change_password, request.app.ctx.handoffs, request.ctx.staff, current, new, request.ctx.token)
    except AccountError as error:
        await asyncio.sleep(request.app.ctx.settings.failed_login_delay)
        return await _password_form(request, str(error), 400)
    return redirect("/", status=303)


@bp.post("/logout")
async def logout(request: Request) -> HTTPResponse:
    await db(end_session, request.app.ctx.handoffs, request.ctx.token)
    await db(record, request.app.ctx.handoffs, request.ctx.staff, "logged_out", request.ctx.staff)
    response = redirect("/login", status=303)
    _set_cookie(request, response, SESSION_COOKIE, "", "/", 0)
    return response

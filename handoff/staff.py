"""Staff accounts, console sessions and API tokens.

Passwords are hashed with argon2. Sessions and tokens are random secrets of which
only a SHA-256 is stored. Repeated wrong passwords lock the account for a while.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import datetime, timedelta, timezone
from typing import Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from handoff.models import StaffSession, StaffUser
from handoff.store import audit, now

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 12
# How many password hashes may run at once; the others wait their turn.
MAX_CONCURRENT_HASHES = 2
# The one answer to every failed login, whatever the reason.
LOGIN_REFUSED = (
    f"wrong username or password (after {MAX_FAILED_LOGINS} failures in a row an account is locked"
    f" for {int(LOCKOUT.total_seconds() // 60)} minutes)"
)
_hasher = PasswordHasher()
_hash_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)
# Verified against when the username does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(ValueError):
    pass


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: Optional[datetime]) -> Optional[datetime]:
    """SQLite returns naive datetimes; everything here is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def create_staff_user(engine: Engine, username: str, password: Optional[str] = None) -> str:
    """Create an account; returns the password (a new random one if none was given)."""
    username = (username or "").strip()
    if not username or len(username) > 100 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError("the username must be 1-100 letters, digits, dots, dashes or underscores")
    password = password or secrets.token_urlsafe(15)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    with Session(engine) as session, session.begin():
        if session.scalar(select(StaffUser).where(StaffUser.username == username)):
            raise AccountError(f"the user {username!r} already exists")
        session.add(
            StaffUser(username=username, password_hash=_hasher.hash(password), failed_logins=0, created_at=now())
        )
        audit(session, "admin", "user_created", username)
    return password


def check_login(engine: Engine, username: str, password: str) -> Tuple[bool, str]:
    """(ok, reason). Locks the account after MAX_FAILED_LOGINS wrong passwords.

    Unknown names, locked accounts and wrong passwords get the same answer after the same
    work (one argon2 verification), so the answer tells nothing about which names exist.
    Failures are counted by one UPDATE in the database, so attempts sent at once all count.
    """
    username = (username or "")[:100]
    with Session(engine) as session:
        user = session.execute(
            select(StaffUser.password_hash, StaffUser.locked_until).where(StaffUser.username == username)
        ).first()
    verified = _verify(user.password_hash if user else _DUMMY_HASH, password or "")
    if user is None:
        with Session(engine) as session, session.begin():
            audit(session, username, "login_failed", username)
        return False, LOGIN_REFUSED
    locked_until = _aware(user.locked_until)
    if locked_until and locked_until > now():
        with Session(engine) as session, session.begin():
            audit(session, username, "login_refused_locked", username)
        return False, LOGIN_REFUSED
    with Session(engine) as session, session.begin():
        if not verified:
            failures = session.execute(
                update(StaffUser)
                .where(StaffUser.username == username)
                .values(failed_logins=StaffUser.failed_logins + 1)
                .returning(StaffUser.failed_logins)
            ).scalar_one()
            if failures >= MAX_FAILED_LOGINS:
                session.execute(
                    update(StaffUser)
                    .where(StaffUser.username == username)
                    .values(failed_logins=0, locked_until=now() + LOCKOUT)
                )
                audit(session, username, "locked_out", username)
            audit(session, username, "login_failed", username)
            return False, LOGIN_REFUSED
        session.execute(
            update(StaffUser).where(StaffUser.username == username).values(failed_logins=0, locked_until=None)
        )
        audit(session, username, "logged_in", username)
    return True, ""


def _verify(stored_hash: str, password: str) -> bool:
    """One argon2 verification, at most MAX_CONCURRENT_HASHES at once (each takes 64 MiB)."""
    with _hash_slots:
        try:
            return bool(_hasher.verify(stored_hash, password))
        except (VerificationError, InvalidHashError):
            return False


def start_session(engine: Engine, username: str, kind: str) -> Tuple[str, str]:
    """A new cookie session or API token: returns (secret, csrf token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        session.execute(delete(StaffSession).where(StaffSession.expires_at < now()))
        session.add(
            StaffSession(
                token_hash=_hash_token(token),
                username=username,
                kind=kind,
                csrf_token=csrf,
                expires_at=now() + SESSION_LIFETIME,
            )
        )
    return token, csrf


def session_for(engine: Engine, token: Optional[str], kind: str) -> Optional[StaffSession]:
    if not token or len(token) > 200:
        return None
    with Session(engine, expire_on_commit=False) as session:
        found = session.get(StaffSession, _hash_token(token))
    if found is None or found.kind != kind or _aware(found.expires_at) < now():
        return None
    return found


def end_session(engine: Engine, token: Optional[str]) -> None:
    if not token:
        return
    with Session(engine) as session, session.begin():
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash_token(token)))

"""Staff accounts, console sessions and API tokens.

Passwords are hashed with argon2. Sessions and tokens are random secrets of which
only a SHA-256 is stored. Repeated wrong passwords lock the account for a while.

The life of an account: created with a one-time password (changed at first login,
useless after ONE_TIME_PASSWORD_LIFETIME), disabled and enabled again, its password reset
to a new one-time one, its sessions revoked; a session ends after SESSION_LIFETIME or
after IDLE_TIMEOUT without use. Commands: `make staff-user NAME=… [DO=…]` (handoff/cli.py).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from handoff.models import ROLES, StaffSession, StaffUser, as_utc
from handoff.store import audit, now

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
IDLE_TIMEOUT = timedelta(minutes=30)
ONE_TIME_PASSWORD_LIFETIME = timedelta(days=3)
# check_login's reason when the password was right but is a one-time password.
MUST_CHANGE = "change your one-time password before going on"
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


def _valid_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise AccountError("the password must be at most 1024 characters")


def create_staff_user(engine: Engine, username: str, password: Optional[str] = None) -> str:
    """Create an account; returns the password. Without one, a random one-time password:
    it must be changed at first login and stops working after ONE_TIME_PASSWORD_LIFETIME."""
    username = (username or "").strip()
    if not username or len(username) > 100 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError("the username must be 1-100 letters, digits, dots, dashes or underscores")
    one_time = password is None
    password = password or secrets.token_urlsafe(15)
    _valid_password(password)
    with Session(engine) as session, session.begin():
        if session.scalar(select(StaffUser).where(StaffUser.username == username)):
            raise AccountError(f"the user {username!r} already exists")
        session.add(
            StaffUser(
                username=username,
                password_hash=_hasher.hash(password),
                failed_logins=0,
                created_at=now(),
                must_change_password=one_time,
                password_expires_at=now() + ONE_TIME_PASSWORD_LIFETIME if one_time else None,
            )
        )
        audit(session, "admin", "user_created", username)
    return password


def _existing(session: Session, username: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == (username or "")[:100]))
    if user is None:
        raise AccountError(f"there is no user {username!r}")
    return user


def _end_sessions(session: Session, username: str, keep_token: Optional[str] = None) -> int:
    query = delete(StaffSession).where(StaffSession.username == username)
    if keep_token:
        query = query.where(StaffSession.token_hash != _hash_token(keep_token))
    return session.execute(query).rowcount or 0


def disable_staff_user(engine: Engine, username: str, actor: str = "admin") -> None:
    """No more logins; every session and API token of the account ends now."""
    with Session(engine) as session, session.begin():
        user = _existing(session, username)
        user.disabled_at = user.disabled_at or now()
        _end_sessions(session, user.username)
        audit(session, actor, "user_disabled", user.username)


def enable_staff_user(engine: Engine, username: str, actor: str = "admin") -> None:
    with Session(engine) as session, session.begin():
        user = _existing(session, username)
        user.disabled_at = None
        user.failed_logins, user.locked_until = 0, None
        audit(session, actor, "user_enabled", user.username)


def reset_password(engine: Engine, username: str, actor: str = "admin") -> str:
    """A new random one-time password (returned, to hand over once); ends every session and the lock."""
    password = secrets.token_urlsafe(15)
    with Session(engine) as session, session.begin():
        user = _existing(session, username)
        user.password_hash = _hasher.hash(password)
        user.must_change_password = True
        user.password_expires_at = now() + ONE_TIME_PASSWORD_LIFETIME
        user.failed_logins, user.locked_until = 0, None
        _end_sessions(session, user.username)
        audit(session, actor, "password_reset", user.username)
    return password


def revoke_sessions(engine: Engine, username: str, actor: str = "admin") -> int:
    """End every console session and API token of the account; returns how many there were."""
    with Session(engine) as session, session.begin():
        user = _existing(session, username)
        ended = _end_sessions(session, user.username)
        audit(session, actor, "sessions_revoked", user.username, f"{ended} sessions")
    return ended


def set_role(engine: Engine, username: str, role: str, given: bool, actor: str = "admin") -> None:
    """Give an account a role (ROLES in handoff/models.py) or take it away."""
    if role not in ROLES:
        raise AccountError(f"there is no role {role!r}; roles: {', '.join(ROLES)}")
    with Session(engine) as session, session.begin():
        user = _existing(session, username)
        roles = set((user.roles or "").split())
        roles = roles | {role} if given else roles - {role}
        user.roles = " ".join(sorted(roles))
        audit(session, actor, "role_given" if given else "role_taken", user.username, role)


def has_role(engine: Engine, username: str, role: str) -> bool:
    with Session(engine) as session:
        roles = session.scalar(select(StaffUser.roles).where(StaffUser.username == username)) or ""
    return role in roles.split()


def change_password(engine: Engine, username: str, current: str, new: str, keep_token: Optional[str] = None) -> None:
    """The user's own change: the current password, then a new one of at least
    MIN_PASSWORD_LENGTH characters that differs from it. Other sessions end."""
    _valid_password(new or "")
    if new == current:
        raise AccountError("the new password must differ from the current one")
    with Session(engine) as session:
        stored = session.scalar(select(StaffUser.password_hash).where(StaffUser.username == username))
    if stored is None or not _verify(stored, current or ""):
        raise AccountError("the current password is not right")
    with Session(engine) as session, session.begin():
        user = _existing(session, username)
        user.password_hash = _hasher.hash(new)
        user.must_change_password, user.password_expires_at = False, None
        _end_sessions(session, user.username, keep_token)
        audit(session, username, "password_changed", username)


def check_login(engine: Engine, username: str, password: str) -> Tuple[bool, str]:
    """(ok, reason). Locks the account after MAX_FAILED_LOGINS wrong passwords.

    Unknown names, locked accounts and wrong passwords get the same answer after the same
    work (one argon2 verification), so the answer tells nothing about which names exist.
    Failures are counted by one UPDATE in the database, so attempts sent at once all count.
    """
    username = (username or "")[:100]
    with Session(engine) as session:
        user = session.execute(
            select(
                StaffUser.password_hash,
                StaffUser.locked_until,
                StaffUser.disabled_at,
                StaffUser.must_change_password,
                StaffUser.password_expires_at,
            ).where(StaffUser.username == username)
        ).first()
    verified = _verify(user.password_hash if user else _DUMMY_HASH, password or "")
    if user is None:
        with Session(engine) as session, session.begin():
            audit(session, username, "login_failed", username)
        return False, LOGIN_REFUSED
    locked_until = as_utc(user.locked_until)
    refused = (
        "login_refused_disabled"
        if user.disabled_at is not None
        else "login_refused_locked"
        if locked_until and locked_until > now()
        else "login_refused_expired"
        if verified
        and user.must_change_password
        and user.password_expires_at
        and as_utc(user.password_expires_at) < now()
        else None
    )
    if refused:
        with Session(engine) as session, session.begin():
            audit(session, username, refused, username)
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
    return True, MUST_CHANGE if user.must_change_password else ""


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
                last_seen_at=now(),
            )
        )
    return token, csrf


@dataclass(frozen=True)
class ActiveSession:
    username: str
    kind: str
    csrf_token: str
    must_change_password: bool


def session_for(
    engine: Engine, token: Optional[str], kind: str, idle_timeout: timedelta = IDLE_TIMEOUT
) -> Optional[ActiveSession]:
    """The session of this secret if it is of this kind, not expired, not idle for longer
    than idle_timeout and its account not disabled; each use keeps it alive."""
    if not token or len(token) > 200:
        return None
    token_hash = _hash_token(token)
    with Session(engine) as session:
        row = session.execute(
            select(StaffSession, StaffUser.disabled_at, StaffUser.must_change_password)
            .join(StaffUser, StaffUser.username == StaffSession.username)
            .where(StaffSession.token_hash == token_hash)
        ).first()
    if row is None:
        return None
    found, disabled_at, must_change = row
    moment = now()
    last_seen = as_utc(found.last_seen_at) or moment
    if found.kind != kind or disabled_at is not None or as_utc(found.expires_at) < moment:
        return None
    if last_seen < moment - idle_timeout:
        end_session(engine, token)
        return None
    if last_seen < moment - min(timedelta(minutes=1), idle_timeout / 4):  # not a write on every request
        with Session(engine) as session, session.begin():
            session.execute(
                update(StaffSession).where(StaffSession.token_hash == token_hash).values(last_seen_at=moment)
            )
    return ActiveSession(found.username, found.kind, found.csrf_token, bool(must_change))


def end_session(engine: Engine, token: Optional[str]) -> None:
    if not token:
        return
    with Session(engine) as session, session.begin():
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash_token(token)))

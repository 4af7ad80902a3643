"""The staff console's settings, read once from the environment with safe defaults.

Tests build a `Settings` directly (or from a dict of variables) and pass it to
`create_app`, so nothing here is global.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, Optional

from handoff.db import handoff_database_url, tracker_database_url
from handoff.notify import SmtpSettings

DEFAULT_PORT = 5080


class SettingsError(ValueError):
    """A variable in the environment that cannot be used; the message names it."""


def _number(environ: Mapping[str, str], name: str, default: float, minimum: float, kind=float):
    raw = environ.get(name, "").strip()
    if not raw:
        return kind(default)
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}")
    return value


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    handoff_database_url: str
    tracker_database_url: str
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    # Cookies carry the Secure flag unless turned off. Browsers accept Secure cookies from
    # http://localhost and http://127.0.0.1, so only plain http on another host needs 0.
    secure_cookies: bool = True
    # Seconds between attempts to send pending or failed e-mail notifications.
    notify_interval: float = 30.0
    smtp: Optional[SmtpSettings] = None
    # Pause after every failed login, on top of the account lock-out in handoff.staff.
    failed_login_delay: float = 1.0
    # A console session or API token ends after this many seconds without use (and after 8 hours in any case).
    idle_timeout: float = 30 * 60
    # Failed logins one client address may make in 15 minutes before it is refused (429).
    failed_logins_per_address: int = 20
    # Largest request body accepted (bytes); larger ones get 413.
    request_max_size: int = 64 * 1024
    # Times are stored in UTC and shown in the clinic's time zone.
    timezone: str = "Europe/London"
    migrate_on_start: bool = True
    # Extra Sanic configuration (e.g. timeouts), mostly for tests.
    sanic_config: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> "Settings":
        """Everything from the environment; the SMTP and database variables are handoff's own."""
        environ = os.environ
        try:
            smtp = SmtpSettings.from_env()
        except ValueError:
            raise SettingsError(f"SMTP_PORT must be a number, not {environ.get('SMTP_PORT')!r}") from None
        return cls(
            handoff_database_url=handoff_database_url(),
            tracker_database_url=tracker_database_url(),
            host=environ.get("CONSOLE_HOST", "").strip() or "127.0.0.1",
            port=_number(environ, "CONSOLE_PORT", DEFAULT_PORT, 1, int),
            secure_cookies=_flag(environ, "CONSOLE_SECURE_COOKIES", True),
            notify_interval=_number(environ, "NOTIFY_INTERVAL", 30.0, 0.1),
            smtp=smtp,
            failed_login_delay=_number(environ, "CONSOLE_LOGIN_DELAY", 1.0, 0.0),
            idle_timeout=_number(environ, "CONSOLE_IDLE_TIMEOUT", 30 * 60, 1.0),
            failed_logins_per_address=_number(environ, "CONSOLE_FAILED_LOGINS_PER_ADDRESS", 20, 1, int),
            request_max_size=_number(environ, "CONSOLE_REQUEST_MAX_SIZE", 64 * 1024, 1024, int),
            timezone=environ.get("CONSOLE_TIMEZONE", "").strip() or "Europe/London",
            migrate_on_start=_flag(environ, "CONSOLE_MIGRATE", True),
        )

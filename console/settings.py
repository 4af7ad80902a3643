"""The staff console's settings, read once from the environment with safe defaults.

Tests build a `Settings` directly (or from a dict of variables) and pass it to
`create_app`, so nothing here is global.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from clinic import settings as clinic_settings
from clinic.settings import SettingsError  # noqa: F401 (console.__main__ catches it from here)
from handoff.db import handoff_database_url, tracker_database_url
from handoff.notify import SmtpSettings

DEFAULT_PORT = clinic_settings.default("CONSOLE_PORT")


_DEFAULT = clinic_settings.default


@dataclass(frozen=True)
class Settings:
    """Defaults and meanings: clinic/settings.py (the table in docs/operations.md)."""

    handoff_database_url: str
    tracker_database_url: str
    host: str = _DEFAULT("CONSOLE_HOST")
    port: int = DEFAULT_PORT
    # Cookies carry the Secure flag unless turned off. Browsers accept Secure cookies from
    # http://localhost and http://127.0.0.1, so only plain http on another host needs 0.
    secure_cookies: bool = _DEFAULT("CONSOLE_SECURE_COOKIES")
    # Seconds between attempts to send pending or failed e-mail notifications.
    notify_interval: float = _DEFAULT("NOTIFY_INTERVAL")
    smtp: Optional[SmtpSettings] = None
    # Pause after every failed login, on top of the account lock-out in handoff.staff.
    failed_login_delay: float = _DEFAULT("CONSOLE_LOGIN_DELAY")
    # A console session or API token ends after this many seconds without use (and after 8 hours in any case).
    idle_timeout: float = _DEFAULT("CONSOLE_IDLE_TIMEOUT")
    # Failed logins one client address may make in 15 minutes before it is refused (429).
    failed_logins_per_address: int = _DEFAULT("CONSOLE_FAILED_LOGINS_PER_ADDRESS")
    # Largest request body accepted (bytes); larger ones get 413.
    request_max_size: int = _DEFAULT("CONSOLE_REQUEST_MAX_SIZE")
    # Times are stored in UTC and shown in the clinic's time zone.
    timezone: str = _DEFAULT("CONSOLE_TIMEZONE")
    migrate_on_start: bool = _DEFAULT("CONSOLE_MIGRATE")
    # The secret Rasa sends to /nlg (console/nlg.py); None: the endpoint is off (503).
    nlg_token: Optional[str] = None
    # Live takeover (console/takeover.py): the Rasa server's staff channel and its secret
    # (None: takeover is off, 503), and how long a visitor waits before "the team will reply later".
    rasa_url: str = f"http://127.0.0.1:{_DEFAULT('RASA_PORT')}"
    takeover_token: Optional[str] = None
    takeover_wait: float = _DEFAULT("TAKEOVER_WAIT_SECONDS")
    # Extra Sanic configuration (e.g. timeouts), mostly for tests.
    sanic_config: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        """Everything from the environment (`environ`: os.environ); the SMTP and database
        variables are handoff's own. Raises SettingsError naming a variable that cannot be used."""
        read = clinic_settings
        return cls(
            handoff_database_url=handoff_database_url(environ),
            tracker_database_url=tracker_database_url(environ),
            host=read.text("CONSOLE_HOST", environ),
            port=read.integer("CONSOLE_PORT", environ),
            secure_cookies=read.flag("CONSOLE_SECURE_COOKIES", environ),
            notify_interval=read.number("NOTIFY_INTERVAL", environ),
            smtp=SmtpSettings.from_env(environ),
            failed_login_delay=read.number("CONSOLE_LOGIN_DELAY", environ),
            idle_timeout=read.number("CONSOLE_IDLE_TIMEOUT", environ),
            failed_logins_per_address=read.integer("CONSOLE_FAILED_LOGINS_PER_ADDRESS", environ),
            request_max_size=read.integer("CONSOLE_REQUEST_MAX_SIZE", environ),
            timezone=read.text("CONSOLE_TIMEZONE", environ),
            migrate_on_start=read.flag("CONSOLE_MIGRATE", environ),
            nlg_token=read.text("NLG_TOKEN", environ),
            rasa_url=read.url("RASA_URL", environ) or f"http://127.0.0.1:{read.integer('RASA_PORT', environ)}",
            takeover_token=read.text("TAKEOVER_TOKEN", environ),
            takeover_wait=read.number("TAKEOVER_WAIT_SECONDS", environ),
        )

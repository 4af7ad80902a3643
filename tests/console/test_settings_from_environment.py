"""The console's settings come from clinic/settings.py: the same defaults, the same clear errors."""

import os
import subprocess
import sys

import pytest

import clinic.settings
from console.settings import Settings, SettingsError
from handoff.notify import SmtpSettings
from tests.conftest import PROJECT_ROOT


def test_unset_variables_give_the_consoles_usual_defaults():
    settings = Settings.from_env({})
    assert settings == Settings(
        handoff_database_url=f"sqlite:///{PROJECT_ROOT / 'var' / 'handoffs.db'}",
        tracker_database_url=f"sqlite:///{PROJECT_ROOT / 'var' / 'trackers.db'}",
    )
    assert (settings.host, settings.port, settings.timezone) == ("127.0.0.1", 5080, "Europe/London")
    assert (settings.secure_cookies, settings.migrate_on_start, settings.smtp) == (True, True, None)
    assert (settings.notify_interval, settings.failed_login_delay, settings.idle_timeout) == (30, 1, 1800)
    assert (settings.failed_logins_per_address, settings.request_max_size) == (20, 65536)
    assert (settings.rasa_url, settings.takeover_token, settings.takeover_wait) == ("http://127.0.0.1:5005", None, 180)


def test_every_variable_reaches_the_settings():
    settings = Settings.from_env(
        {
            "CONSOLE_HOST": "10.0.0.5",
            "CONSOLE_PORT": "6000",
            "CONSOLE_SECURE_COOKIES": "0",
            "NOTIFY_INTERVAL": "2.5",
            "CONSOLE_LOGIN_DELAY": "0",
            "CONSOLE_IDLE_TIMEOUT": "60",
            "CONSOLE_FAILED_LOGINS_PER_ADDRESS": "3",
            "CONSOLE_REQUEST_MAX_SIZE": "2048",
            "CONSOLE_TIMEZONE": "UTC",
            "CONSOLE_MIGRATE": "no",
            "HANDOFF_DATABASE_URL": "postgresql://db/handoffs",
            "CLINIC_NOTIFY_EMAIL": "team@clinic.example",
            "SMTP_PORT": "587",
            "SMTP_STARTTLS": "1",
            "SMTP_PASSWORD": " spaced ",
            "CONSOLE_URL": "https://console.clinic.example",
        }
    )
    assert (settings.host, settings.port, settings.secure_cookies, settings.migrate_on_start) == (
        "10.0.0.5",
        6000,
        False,
        False,
    )
    assert (settings.notify_interval, settings.failed_login_delay, settings.idle_timeout) == (2.5, 0, 60)
    assert (settings.failed_logins_per_address, settings.request_max_size, settings.timezone) == (3, 2048, "UTC")
    assert settings.handoff_database_url == "postgresql+psycopg://db/handoffs"
    assert settings.smtp == SmtpSettings(
        host="localhost",
        port=587,
        sender="assistant@localhost",
        recipient="team@clinic.example",
        password=" spaced ",
        starttls=True,
        console_url="https://console.clinic.example",
    )


@pytest.mark.parametrize(
    "variables,message",
    [
        ({"CLINIC_NOTIFY_EMAIL": "team@clinic.example", "SMTP_PORT": "abc"}, "SMTP_PORT must be a number, not 'abc'"),
        ({"CONSOLE_PORT": "0"}, "CONSOLE_PORT must be a port number from 1 to 65535, not '0'"),
        ({"CONSOLE_SECURE_COOKIES": "perhaps"}, "CONSOLE_SECURE_COOKIES must be 1 or 0, not 'perhaps'"),
        ({"CONSOLE_REQUEST_MAX_SIZE": "100"}, "CONSOLE_REQUEST_MAX_SIZE must be at least 1024, not '100'"),
    ],
)
def test_a_bad_value_is_a_clear_error(variables, message):
    assert SettingsError is clinic.settings.SettingsError
    with pytest.raises(SettingsError) as error:
        Settings.from_env(variables)
    assert str(error.value) == message


def test_the_console_refuses_to_start_with_a_bad_value():
    done = subprocess.run(
        [sys.executable, "-m", "console"],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, CONSOLE_PORT="abc"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Error: CONSOLE_PORT must be a number, not 'abc'" in done.stderr

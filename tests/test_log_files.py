"""Log files stay bounded, private and free of phone numbers (clinic/log_files.py)."""

import os
import stat
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def write_through(path, lines, max_bytes=2000, backups=2):
    env = dict(os.environ, LOG_MAX_BYTES=str(max_bytes), LOG_BACKUPS=str(backups))
    return subprocess.run(
        [sys.executable, "-m", "clinic.log_files", str(path)],
        input="".join(line + "\n" for line in lines).encode(),
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )


def test_a_long_output_rotates_and_keeps_only_the_configured_files(tmp_path):
    log = tmp_path / "logs" / "actions.log"
    lines = [f"line {number:05d} handled a message" for number in range(2000)]
    done = write_through(log, lines)
    assert done.returncode == 0, done.stderr
    files = sorted(path.name for path in log.parent.iterdir())
    assert files == ["actions.log", "actions.log.1", "actions.log.2"]
    for path in log.parent.iterdir():
        assert path.stat().st_size <= 2000 + 100
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    # The newest lines are in the current file, in order; the oldest were dropped.
    current = log.read_text().splitlines()
    assert current[-1] == "line 01999 handled a message"
    assert "line 00000" not in "".join(path.read_text() for path in log.parent.iterdir())


def test_phone_numbers_and_messaging_ids_printed_outside_logging_are_scrubbed(tmp_path):
    log = tmp_path / "rasa.log"
    done = write_through(
        log,
        [
            "Traceback (most recent call last): sender whatsapp:+447700900123",
            "ValueError: could not reach 07700 900123 or jo@example.org",
        ],
    )
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    for secret in ("447700900123", "07700 900123", "jo@example.org", "whatsapp:+44"):
        assert secret not in text
    assert text.count("id-") == 3 and "Traceback" in text


def test_unreadable_bytes_and_empty_input_lose_nothing_else(tmp_path):
    log = tmp_path / "console.log"
    env = dict(os.environ, LOG_MAX_BYTES="100000", LOG_BACKUPS="1")
    done = subprocess.run(
        [sys.executable, "-m", "clinic.log_files", str(log)],
        input=b"before \xff\xfe bytes\n\nafter\n",
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == ["before \ufffd\ufffd bytes", "", "after"]
    usage = subprocess.run(
        [sys.executable, "-m", "clinic.log_files"], cwd=PROJECT_ROOT, capture_output=True, timeout=60
    )
    assert usage.returncode == 2 and b"usage" in usage.stderr

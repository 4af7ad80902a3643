"""clinic/logs.py: what a log record looks like after the pseudonymising filter."""

import logging
import os
import stat

from clinic import logs
from clinic.logs import Pseudonymise, pseudonym, scrub


def formatted(message, *args, exc_info=None):
    record = logging.LogRecord("rasa.core", logging.ERROR, __file__, 1, message, args, exc_info)
    assert Pseudonymise().filter(record) is True  # never drops a record
    return logging.Formatter("%(message)s").format(record)


def test_conversation_ids_phone_numbers_and_addresses_become_pseudonyms():
    line = formatted(
        "Could not acquire lock for conversation_id '%s'; %s; %s; call %s or %s",
        "whatsapp:+447700900123",
        "telegram:123456789",
        "sam.taylor@example.org",
        "07700 900123",
        "+44 7700 900123",
    )
    for secret in ("447700900123", "123456789", "sam.taylor", "07700 900123", "7700 900123"):
        assert secret not in line
    assert pseudonym("whatsapp:+447700900123") in line


def test_the_same_id_gets_the_same_pseudonym_and_ordinary_text_is_untouched():
    assert pseudonym("telegram:42") == pseudonym("telegram:42") != pseudonym("telegram:43")
    assert pseudonym("telegram:42").startswith("id-") and len(pseudonym("telegram:42")) == 15
    ordinary = "Finished training component 'DIETClassifier' in 12.5 s on 2026-12-01, 3 errors, port 5005"
    assert scrub(ordinary) == ordinary


def test_a_traceback_is_scrubbed_too():
    try:
        raise ValueError("no tracker for whatsapp:+447700900123")
    except ValueError:
        import sys

        line = formatted("failed", exc_info=sys.exc_info())
    assert "447700900123" not in line and "ValueError" in line


def test_without_a_configured_key_a_private_one_is_made(tmp_path, monkeypatch):
    monkeypatch.delenv("LOG_PSEUDONYM_KEY", raising=False)
    monkeypatch.setattr(logs, "KEY_FILE", tmp_path / "var" / "log-pseudonym.key")
    logs._key.cache_clear()
    try:
        first = pseudonym("whatsapp:+447700900123")
        assert stat.S_IMODE(os.stat(logs.KEY_FILE).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(logs.KEY_FILE.parent).st_mode) == 0o700
        logs._key.cache_clear()
        assert pseudonym("whatsapp:+447700900123") == first  # kept across restarts
        monkeypatch.setenv("LOG_PSEUDONYM_KEY", "another key")
        logs._key.cache_clear()
        assert pseudonym("whatsapp:+447700900123") != first
    finally:
        logs._key.cache_clear()

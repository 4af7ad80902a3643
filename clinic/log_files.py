"""Log files that stay small: a server's output, scrubbed and rotated, into var/<name>.log.

    some-server 2>&1 | python -m clinic.log_files var/actions.log

Each line a server writes (its log records, and anything printed outside logging, such
as a traceback at start-up) passes `clinic.logs.scrub` again and goes to the file through
the standard library's RotatingFileHandler: at LOG_MAX_BYTES the file becomes `.1`, the
older ones move up, and only LOG_BACKUPS of them are kept (deploy/limits.env). Files are
created 0600 in a directory 0700. The copy ends when the server closes its output.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import sys
from pathlib import Path

from clinic import settings as clinic_settings
from clinic.logs import scrub


class PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """RotatingFileHandler whose files only their owner can read."""

    def _open(self):
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)


def open_log(path: Path, max_bytes: int, backups: int) -> logging.Handler:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = PrivateRotatingFile(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", errors="replace")
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def copy(lines, handler: logging.Handler) -> None:
    for line in lines:
        record = logging.LogRecord("output", logging.INFO, "", 0, scrub(line.rstrip("\n")), (), None)
        handler.emit(record)
        handler.flush()


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m clinic.log_files <path of the log file>", file=sys.stderr)
        return 2
    # The numbers are deploy/limits.env's, passed on by the launchers (deploy/run.py, deploy/scale.py).
    try:
        max_bytes, backups = clinic_settings.integer("LOG_MAX_BYTES"), clinic_settings.integer("LOG_BACKUPS")
    except clinic_settings.SettingsError as error:
        print(f"clinic.log_files needs LOG_MAX_BYTES and LOG_BACKUPS (deploy/limits.env): {error}", file=sys.stderr)
        return 2
    handler = open_log(Path(args[0]), max_bytes, backups)
    # Ctrl-C (and supervisord's SIGTERM to a program's process group) reach the copier too:
    # keep copying until the server has written its last lines and closed its output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    try:
        copy(stdin, handler)
    finally:
        handler.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

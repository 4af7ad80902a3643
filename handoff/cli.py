"""Command-line tasks: `make staff-user NAME=...`, `make purge`, `make migrate`.

python -m handoff.cli staff-user NAME   (password from STAFF_PASSWORD, else a new one is printed once)
python -m handoff.cli purge [--days N]  (retention; safe to run from cron)
python -m handoff.cli migrate
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta

from sqlalchemy.orm import Session

from handoff.db import handoff_database_url, make_engine, migrate, tracker_database_url
from handoff.staff import AccountError, create_staff_user
from handoff.store import audit, closed_handoffs_older_than, erase_handoff, now
from handoff.transcripts import erase_conversation, erase_conversations_older_than

DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    return int(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def purge(days: int) -> tuple:
    """Erase closed handoffs (with their conversations) and any conversation idle for `days` days."""
    handoffs, trackers = make_engine(handoff_database_url()), make_engine(tracker_database_url())
    erased = 0
    for handoff in closed_handoffs_older_than(handoffs, days):
        # The conversation first: if that fails, the request (which knows its id) is kept.
        erase_conversation(trackers, handoff.sender_id)
        erase_handoff(handoffs, handoff.id, "retention")
        erased += 1
    events = erase_conversations_older_than(trackers, now() - timedelta(days=days))
    with Session(handoffs) as session, session.begin():
        audit(session, "retention", "purged", f"{days} days", f"{erased} handoffs, {events} conversation events")
    return erased, events


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="handoff.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    user = commands.add_parser("staff-user", help="create a staff account")
    user.add_argument("name")
    purge_parser = commands.add_parser("purge", help="erase closed handoffs and old conversations")
    purge_parser.add_argument("--days", type=int, default=None)
    commands.add_parser("migrate", help="create or upgrade the handoff database")
    args = parser.parse_args(argv)

    url = handoff_database_url()
    migrate(url)
    if args.command == "staff-user":
        given = os.environ.get("STAFF_PASSWORD")
        try:
            password = create_staff_user(make_engine(url), args.name, given)
        except AccountError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
        print(f"Created staff user {args.name!r}." + ("" if given else f" One-time password (shown once): {password}"))
    elif args.command == "purge":
        days = args.days if args.days is not None else retention_days()
        if days < 1:
            print("Error: --days must be at least 1", file=sys.stderr)
            return 1
        erased, events = purge(days)
        print(f"Purged {erased} closed handoffs and {events} conversation events older than {days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

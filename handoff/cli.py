"""Command-line tasks: `make staff-user NAME=... [DO=...]`, `make purge`.

python -m handoff.cli staff-user NAME            create (password from STAFF_PASSWORD, else a
                                                 one-time password, printed once)
python -m handoff.cli staff-user NAME --disable  no more logins; every session ends
python -m handoff.cli staff-user NAME --enable
python -m handoff.cli staff-user NAME --reset    a new one-time password, printed once
python -m handoff.cli staff-user NAME --revoke   end every session and API token
python -m handoff.cli staff-user NAME --safety-officer      give the clinical-safety-officer role
python -m handoff.cli staff-user NAME --no-safety-officer   take it away
python -m handoff.cli purge [--days N]           retention; safe to run from cron
python -m handoff.cli migrate                    newest schema, then any answer or clinic detail
                                                 the content store lacks from domain/*.yml and
                                                 content/clinic_details.yml (handoff/content.py)
python -m handoff.cli content-export [--out PATH]   the live clinic details, in the layout of
                                                 content/clinic_details.yml (stdout by default)
python -m handoff.cli content-import PATH --author NAME [--dry-run]
                                                 shows each changed detail (live -> file) and makes
                                                 a draft of each, authored by NAME, for another
                                                 member of staff to approve; exit 2 if the file
                                                 cannot be used (nothing changed)
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from clinic import settings as clinic_settings
from clinic.details import ClinicDetailsError, details_file, load_clinic_details
from handoff.content import ContentError, export_details, import_changes, import_details, seed_content
from handoff.db import handoff_database_url, make_engine, migrate, tracker_database_url
from handoff.models import SAFETY_OFFICER
from handoff.review import drop_orphans, erase_items_of
from handoff.staff import (
    ONE_TIME_PASSWORD_LIFETIME,
    AccountError,
    create_staff_user,
    disable_staff_user,
    enable_staff_user,
    reset_password,
    revoke_sessions,
    set_role,
)
from handoff.store import audit, erase_handoff, handoffs_unchanged_for, now
from handoff.transcripts import erase_conversations, erase_conversations_older_than

DEFAULT_RETENTION_DAYS = clinic_settings.default("RETENTION_DAYS")


def retention_days() -> int:
    return clinic_settings.integer("RETENTION_DAYS")


def purge(days: int, handoffs, trackers) -> tuple:
    """Erase every request unchanged for `days` days, whatever its status (with its
    conversation), and any conversation idle for `days` days; the messages of those
    conversations queued for review go with them."""
    erased = 0
    for handoff in handoffs_unchanged_for(handoffs, days):
        # The conversation first: if that fails, the request (which knows its id) is kept.
        erase_conversations(trackers, [handoff.sender_id])
        erase_items_of(handoffs, [handoff.sender_id])
        erase_handoff(handoffs, handoff.id, "retention")
        erased += 1
    events = erase_conversations_older_than(trackers, now() - timedelta(days=days))
    drop_orphans(handoffs, trackers)  # messages queued for review leave with their conversations
    with Session(handoffs) as session, session.begin():
        audit(session, "retention", "purged", f"{days} days", f"{erased} handoffs, {events} conversation events")
    return erased, events


def _staff_user(engine, name: str, change) -> str:
    days = ONE_TIME_PASSWORD_LIFETIME.days
    if change == "disable":
        disable_staff_user(engine, name)
        return f"Disabled {name!r}: no more logins, and every session and API token has ended."
    if change == "enable":
        enable_staff_user(engine, name)
        return f"Enabled {name!r}."
    if change == "reset":
        password = reset_password(engine, name)
        return (
            f"New one-time password for {name!r} (shown once; to be changed at first login, "
            f"valid {days} days): {password}"
        )
    if change == "revoke":
        return f"Ended {revoke_sessions(engine, name)} sessions and API tokens of {name!r}."
    if change in ("safety-officer", "no-safety-officer"):
        given = change == "safety-officer"
        set_role(engine, name, SAFETY_OFFICER, given)
        return f"{name!r} {'now has' if given else 'no longer has'} the {SAFETY_OFFICER} role."
    given = clinic_settings.text("STAFF_PASSWORD")
    password = create_staff_user(engine, name, given)
    if given:
        return f"Created staff user {name!r}."
    return (
        f"Created staff user {name!r}. One-time password (shown once; to be changed at first login, "
        f"valid {days} days): {password}"
    )


def _export(engine, out) -> int:
    try:
        template = details_file().read_text(encoding="utf-8")
    except OSError:
        template = "# Clinic details, exported from the content store (make content-export)."
    text = export_details(engine, template, "admin", out or "standard output")
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"Wrote the live clinic details to {out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _import(engine, path: str, author: str, dry_run: bool) -> int:
    """Checked exactly as content/clinic_details.yml is (clinic/details.py); exit 2, nothing
    changed, when the file cannot be used."""
    try:
        imported = load_clinic_details(Path(path))
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        if not raw:
            raise ClinicDetailsError(f"{Path(path).name} is empty: no clinic details to import")
        present = {"covid_notice" if name == "covid_policy" else name for name in raw}
        seed_content(engine)  # a usable file: every detail then has a live version to draft against
        changes = import_changes(engine, imported, present)
        drafts = import_details(engine, changes, author, dry_run, Path(path).name)
    except (ClinicDetailsError, ContentError) as error:
        print(f"Error: {error}. Nothing was changed.", file=sys.stderr)
        return 2
    if not changes:
        print("No changes: the file matches the live clinic details.")
        return 0
    for name, (old, new) in changes.items():
        print(f"{name}: {old!r} -> {new!r}")
    if dry_run:
        print(f"Dry run: {len(changes)} detail(s) would change; nothing was changed.")
    else:
        waiting = len(changes) - len(drafts)
        print(
            f"{len(drafts)} new draft(s) by {author}"
            + (f" ({waiting} already waiting as drafts)" if waiting else "")
            + "; each goes live only when another member of staff approves it in the console (Answers)."
        )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="handoff.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    user = commands.add_parser("staff-user", help="create a staff account, or change one")
    user.add_argument("name")
    change = user.add_mutually_exclusive_group()
    for flag in ("disable", "enable", "reset", "revoke", "safety-officer", "no-safety-officer"):
        change.add_argument(f"--{flag}", dest="change", action="store_const", const=flag)
    purge_parser = commands.add_parser(
        "purge", help="erase handoffs and conversations unchanged for the retention period"
    )
    purge_parser.add_argument("--days", type=int, default=None)
    commands.add_parser("migrate", help="create or upgrade the handoff database")
    export = commands.add_parser("content-export", help="write the live clinic details as YAML")
    export.add_argument("--out", default=None, help="file to write (default: standard output)")
    load = commands.add_parser("content-import", help="draft the changes of a clinic details file")
    load.add_argument("path")
    load.add_argument("--author", required=True, help="staff account the drafts are by")
    load.add_argument("--dry-run", action="store_true", help="only show what would change")
    args = parser.parse_args(argv)

    try:
        url = handoff_database_url()
        if args.command == "purge":
            days = args.days if args.days is not None else retention_days()
            trackers_url = tracker_database_url()
    except clinic_settings.SettingsError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    migrate(url)
    if args.command == "migrate":
        added = seed_content(make_engine(url))
        if added:
            print(f"Content store: {added} answers and clinic details added from the domain and details files.")
    if args.command == "content-export":
        return _export(make_engine(url), args.out)
    if args.command == "content-import":
        return _import(make_engine(url), args.path, args.author, args.dry_run)
    if args.command == "staff-user":
        try:
            print(_staff_user(make_engine(url), args.name, args.change))
        except AccountError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
    elif args.command == "purge":
        if days < 1:
            print("Error: --days must be at least 1", file=sys.stderr)
            return 1
        erased, events = purge(days, make_engine(url), make_engine(trackers_url))
        print(f"Purged {erased} handoffs and {events} conversation events unchanged for {days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Database connections for handoffs and for reading Rasa's tracker store."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from clinic import settings as clinic_settings
from clinic.database_url import with_driver

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def with_psycopg3(url: str) -> str:
    """A plain postgresql:// URL for this environment's driver (psycopg 3)."""
    return with_driver(url, "psycopg")


def handoff_database_url(environ: Optional[Mapping[str, str]] = None) -> str:
    """HANDOFF_DATABASE_URL, or a SQLite file in var/ (embedded default, nothing to install)."""
    return with_psycopg3(clinic_settings.url("HANDOFF_DATABASE_URL", environ))


def tracker_database_url(environ: Optional[Mapping[str, str]] = None) -> str:
    """Where Rasa keeps conversations (endpoints.yml's tracker store)."""
    return with_psycopg3(clinic_settings.url("TRACKER_DATABASE_URL", environ))


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, hide_parameters=True, connect_args={"check_same_thread": False, "timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # durability and foreign keys on SQLite
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 5})


def forget_deleted(engine: Engine) -> None:
    """After an erase on SQLite: copy the write-ahead log into the database (where secure_delete
    has zeroed the rows) and empty it, so no old copy of an erased row stays on disk."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def migrate(url: Optional[str] = None) -> None:
    """Bring the handoff database (`url`, else HANDOFF_DATABASE_URL's) to the newest schema
    (alembic upgrade head).

    The one entry point for migrations: the action server, the staff console and
    `handoff.cli` call it; the launchers and the systemd unit run `python -m handoff.cli
    migrate` (deploy.commands.migrate), which calls it.
    """
    url = url or handoff_database_url()
    # Imported here: the Rasa environment reads transcripts through this module without alembic.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")

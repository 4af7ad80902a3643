"""One PostgreSQL URL for both environments, each with its own driver.

Settings give a plain `postgresql://…` URL (DATABASE_URL, TRACKER_DATABASE_URL,
HANDOFF_DATABASE_URL). Rasa's environment talks to PostgreSQL through psycopg2 (SQLAlchemy
1.4), the action server's and the console's through psycopg 3 (SQLAlchemy 2): SQLAlchemy
needs the driver in the URL. SQLite and other URLs are left as they are.
"""

from __future__ import annotations

_POSTGRES = ("postgresql+psycopg2://", "postgresql+psycopg://", "postgresql://", "postgres://")


def with_driver(url: str, driver: str) -> str:
    """`url` with `driver` ("psycopg" or "psycopg2") if it names PostgreSQL."""
    for prefix in _POSTGRES:
        if url.startswith(prefix):
            return f"postgresql+{driver}://" + url[len(prefix) :]
    return url

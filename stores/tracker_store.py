"""Rasa's SQL tracker store, configured by one URL and safe across database restarts.

The embedded default keeps conversations in SQLite, the scale profile in PostgreSQL so
that any Rasa server can answer any visitor. Three things differ from Rasa's own `SQL` store:

- it takes the database as one URL (`url: ${TRACKER_DATABASE_URL}` in endpoints), as
  the rest of the project does, instead of host/port/db/username/password;
- it checks each pooled connection before use (`pool_pre_ping`), so after PostgreSQL
  restarts the next message gets a fresh connection instead of a dead one;
- it adds indexes, so finding the current session does not read the whole history, and
  the staff console's insights count a range of events without reading the table.

Tables and events are exactly Rasa's, so the staff console reads them as it always does.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain

from clinic.database_url import with_driver

logger = logging.getLogger(__name__)

# Rasa finds a conversation's current session by the time of its latest `session_started`
# event, then reads the events after it; its table has an index on sender_id only, so
# both steps read every row the visitor ever sent. Measured with one conversation of
# 1,000 messages on SQLite: without these, the median latency grew from 42 to 55-60 ms
# over the conversation; with them it stayed at 42-48 ms.
SESSION_INDEXES = {
    "ix_events_sender_type_time": "sender_id, type_name, timestamp",
    "ix_events_sender_time": "sender_id, timestamp",
}
# The staff console's insights (handoff/insights.py) count events of one type (visitor
# messages by intent; actions and slots by name) in a time range. Rasa creates the events
# table itself, so these are made here, where the table is made, not by the handoff
# database's migrations. Each index holds every column its queries read, so PostgreSQL
# answers them from the index alone (measured by `make bench ONLY=insights`).
INSIGHTS_INDEXES = {
    "ix_events_type_time_sender_intent": "type_name, timestamp, sender_id, intent_name",
    "ix_events_type_intent_time_sender": "type_name, intent_name, timestamp, sender_id",
    "ix_events_type_action_time_sender": "type_name, action_name, timestamp, sender_id",
}

# How long a starting server waits for the database before giving up with a clear error
# (Rasa's own store waits forever, which hides a wrong URL).
CONNECT_TIMEOUT_SECONDS = 60


def rasa_engine_url(url: str) -> str:
    """The URL for Rasa's environment, whose PostgreSQL driver is psycopg2."""
    return with_driver(url, "psycopg2")


class URLSQLTrackerStore(SQLTrackerStore):
    """`tracker_store: {type: stores.tracker_store.URLSQLTrackerStore, url: <SQLAlchemy URL>}`."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = kwargs.pop("url", None) or host
        if not url:
            raise ValueError("The tracker store needs `url:` (for example ${TRACKER_DATABASE_URL}) in endpoints.")
        url = rasa_engine_url(url)
        # hide_parameters: an error must never carry what a visitor wrote into a log.
        self.engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, **create_engine_kwargs(url))
        deadline = time.monotonic() + CONNECT_TIMEOUT_SECONDS
        while True:
            try:
                self.Base.metadata.create_all(self.engine)
                break
            except sa.exc.IntegrityError:
                break  # another server created the tables at the same moment
            except sa.exc.ProgrammingError as error:
                if "already exists" in str(error):
                    break
                raise
            except sa.exc.OperationalError as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"The tracker store database at {self.engine.url!r} did not answer within "
                        f"{CONNECT_TIMEOUT_SECONDS} s: {error.orig}"
                    ) from error
                logger.warning("Waiting for the tracker store database: %s", error.orig)
                time.sleep(2)
        self._create_indexes()
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    def _create_indexes(self) -> None:
        table = self.SQLEvent.__tablename__
        for name, columns in {**SESSION_INDEXES, **INSIGHTS_INDEXES}.items():
            try:
                with self.engine.begin() as connection:
                    connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"))
            except (sa.exc.IntegrityError, sa.exc.ProgrammingError) as error:
                if not isinstance(error, sa.exc.IntegrityError) and "already exists" not in str(error):
                    raise  # IntegrityError: another server created it at the same moment

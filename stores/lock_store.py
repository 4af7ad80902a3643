"""Rasa's Redis lock store, configured by one URL and safe across several Rasa servers.

Several Rasa servers answering the same visitor must take turns per conversation; Rasa
does that with a ticket lock kept in Redis. Rasa 3.6's `RedisLockStore` reads the lock,
changes it in Python and writes it back, so two servers issuing a ticket at the same
instant can both get ticket 0 and answer at once, and one turn's events are lost
(RasaHQ/rasa#9213; the fix, a "concurrent" lock store, is not in Rasa Open Source).
The tests caught exactly that. Here every change to a lock is one Redis transaction
(WATCH/MULTI: retried if another server changed the lock meanwhile), and a lock is
deleted in the same transaction that finds nobody waiting.

Also: Redis named by URL (`url: ${REDIS_URL}`, password and database included), a short
socket timeout so an unreachable Redis is reported at once, and a waiting message
checks its turn every 50 ms instead of every second.
"""

from __future__ import annotations

import json
from typing import Callable, Optional, Text
from urllib.parse import unquote, urlsplit

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

SOCKET_TIMEOUT_SECONDS = 2
WAIT_BETWEEN_CHECKS_SECONDS = 0.05


def redis_settings(url: str) -> dict:
    """host, port, db, password and TLS from redis://[:password@]host[:port][/db] (or rediss://)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError("The lock store URL must look like redis://host:6379/0")
    path = parts.path.strip("/")
    return {
        "host": parts.hostname,
        "port": parts.port or 6379,
        "db": int(path) if path else 0,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss",
    }


class URLRedisLockStore(RedisLockStore):
    """`lock_store: {type: stores.lock_store.URLRedisLockStore, url: redis://..., key_prefix: clinic}`."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds a lock store named by module path from its whole endpoint entry.
        if not endpoint_config.url:
            raise ValueError("The lock store needs `url:` (for example ${REDIS_URL}) in endpoints.")
        options = endpoint_config.kwargs
        super().__init__(
            **redis_settings(endpoint_config.url),
            key_prefix=options.get("key_prefix"),
            socket_timeout=float(options.get("socket_timeout", SOCKET_TIMEOUT_SECONDS)),
        )

    def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_BETWEEN_CHECKS_SECONDS,
    ):
        return super().lock(conversation_id, lock_lifetime, wait_time_in_seconds)

    def _change(self, conversation_id: Text, change: Callable[[Optional[TicketLock]], Optional[TicketLock]]) -> None:
        """Apply `change` to the stored lock in one transaction; a None result deletes the lock."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    changed = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
                    pipe.multi()
                    if changed is None or not changed.is_someone_waiting():
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return
                except redis.WatchError:
                    continue  # another server changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        issued = []

        def add_ticket(lock: Optional[TicketLock]) -> TicketLock:
            lock = lock or TicketLock(conversation_id)
            issued[:] = [lock.issue_ticket(lock_lifetime)]
            return lock

        try:
            self._change(conversation_id, add_ticket)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return issued[0]

    def update_lock(self, conversation_id: Text) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock:
                lock.remove_expired_tickets()
            return lock

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def drop_ticket(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock

        self._change(conversation_id, drop_ticket)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # Removing the ticket and deleting an empty lock happen together (see _change).
        self.finish_serving(conversation_id, ticket_number)

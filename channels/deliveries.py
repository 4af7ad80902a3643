"""Providers retry a webhook they think failed; each message must still be answered once."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, Union

from clinic import settings as clinic_settings

# Meta and Telegram retry for hours; a day covers every provider's retry window.
DEFAULT_TTL_SECONDS = 24 * 60 * 60
# A clinic gets hundreds of messages a day; the bound keeps memory flat under a flood.
DEFAULT_MAX_ENTRIES = 20_000


class RecentDeliveries:
    """The provider message ids seen recently, in memory, bounded in time and size.

    Kept in this process only (the embedded default): a restart forgets the ids, so a
    retry arriving just after a restart is answered again. Several Rasa servers share
    `SharedDeliveries` instead.
    """

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._seen: "OrderedDict[str, float]" = OrderedDict()  # id -> when first seen, oldest first

    def is_first_delivery(self, delivery_id: str) -> bool:
        """True the first time an id is seen within the TTL; records it either way."""
        now = self._clock()
        self._forget_expired(now)
        if delivery_id in self._seen:
            return False
        self._seen[delivery_id] = now
        while len(self._seen) > self.max_entries:
            self._seen.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._seen)

    def _forget_expired(self, now: float) -> None:
        while self._seen:
            oldest_id, seen_at = next(iter(self._seen.items()))
            if now - seen_at < self.ttl_seconds:
                break
            del self._seen[oldest_id]


class SharedDeliveries:
    """The same record in Redis, shared by every Rasa server (the scale profile).

    `SET key 1 NX EX ttl` is atomic, and its reply says whether this server saw the id
    first, so a retry that reaches another server is still answered once. If Redis is
    down this raises, the webhook answers 500, and the provider delivers the message
    again later: nothing is lost.
    """

    def __init__(self, url: str, ttl_seconds: int = DEFAULT_TTL_SECONDS, key_prefix: str = "clinic:delivery:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl_seconds = int(ttl_seconds)
        self.key_prefix = key_prefix

    def is_first_delivery(self, delivery_id: str) -> bool:
        return bool(self._redis.set(self.key_prefix + delivery_id, 1, nx=True, ex=self.ttl_seconds))


def deliveries_from_environment() -> Union[RecentDeliveries, SharedDeliveries]:
    """Shared in Redis when REDIS_URL is set (the scale profile), else in this process."""
    url = clinic_settings.url("REDIS_URL")
    return SharedDeliveries(url) if url else RecentDeliveries()

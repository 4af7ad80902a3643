"""Duplicate-delivery detection, without a server."""

from channels.deliveries import RecentDeliveries


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_delivery_is_first_once():
    deliveries = RecentDeliveries()
    assert deliveries.is_first_delivery("telegram:1")
    assert not deliveries.is_first_delivery("telegram:1")
    assert deliveries.is_first_delivery("telegram:2")


def test_an_id_is_forgotten_after_the_ttl():
    clock = Clock()
    deliveries = RecentDeliveries(ttl_seconds=60, clock=clock)
    deliveries.is_first_delivery("m1")
    clock.now += 59
    assert not deliveries.is_first_delivery("m1")
    clock.now += 2
    assert deliveries.is_first_delivery("m1")


def test_memory_stays_bounded_under_a_flood():
    deliveries = RecentDeliveries(max_entries=100)
    for number in range(10_000):
        deliveries.is_first_delivery(f"m{number}")
    assert len(deliveries) == 100
    assert not deliveries.is_first_delivery("m9999")  # the newest are kept
    assert deliveries.is_first_delivery("m0")  # the oldest went first


def test_shared_record_answers_a_retry_once_across_servers():
    """Two servers (two clients of the local Redis) see the same delivery: only one answers it."""
    import os
    import uuid

    from channels.deliveries import SharedDeliveries

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    first_server, second_server = SharedDeliveries(url, ttl_seconds=60), SharedDeliveries(url, ttl_seconds=60)
    delivery = f"whatsapp:{uuid.uuid4().hex}"
    assert first_server.is_first_delivery(delivery)
    assert not second_server.is_first_delivery(delivery)
    assert not first_server.is_first_delivery(delivery)
    assert second_server.is_first_delivery(f"whatsapp:{uuid.uuid4().hex}")

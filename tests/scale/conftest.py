"""The scale profile with two Rasa and two action servers, on a PostgreSQL and Redis of its own."""

import pytest

from tests.scale.services import PrivatePostgres, PrivateRedis
from tests.servers import start_scale


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    server = PrivatePostgres()
    server.start()
    yield server
    if server.is_running():
        server.stop()
    server.remove()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres, redis_server, details_file):
    running = start_scale(
        tmp_path_factory.mktemp("scale"),
        instances=2,
        database_url=postgres.url,
        redis_url=redis_server.url,
        extra_env={"CLINIC_DETAILS_FILE": str(details_file)},
    )
    yield running
    running.stop()

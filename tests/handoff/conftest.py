import os
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from handoff.db import make_engine, migrate

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_engine():
    """A fresh schema in the local PostgreSQL, dropped afterwards."""
    import sqlalchemy

    admin = sqlalchemy.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except sqlalchemy.exc.OperationalError as error:
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}")
    schema = f"handoff_test_{uuid.uuid4().hex[:8]}"
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    return url, admin, schema


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'handoffs.db'}"
        migrate(url)
        yield make_engine(url)
        return
    import sqlalchemy

    url, admin, schema = _postgres_engine()
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()

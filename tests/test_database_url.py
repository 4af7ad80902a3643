"""One PostgreSQL URL serves both environments, each with its own driver (clinic/database_url.py)."""

import pytest

from clinic.database_url import with_driver
from stores.tracker_store import rasa_engine_url


@pytest.mark.parametrize(
    "given",
    [
        "postgresql://postgres@127.0.0.1:5432/clinic",
        "postgres://postgres@127.0.0.1:5432/clinic",
        "postgresql+psycopg://postgres@127.0.0.1:5432/clinic",
        "postgresql+psycopg2://postgres@127.0.0.1:5432/clinic",
    ],
)
def test_any_spelling_of_a_postgresql_url_gets_the_environments_driver(given):
    assert with_driver(given, "psycopg") == "postgresql+psycopg://postgres@127.0.0.1:5432/clinic"
    assert rasa_engine_url(given) == "postgresql+psycopg2://postgres@127.0.0.1:5432/clinic"


@pytest.mark.parametrize("given", ["sqlite:///var/trackers.db", "sqlite://", ""])
def test_other_urls_are_left_as_they_are(given):
    assert with_driver(given, "psycopg") == rasa_engine_url(given) == given

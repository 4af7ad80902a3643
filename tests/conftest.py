import sys
from pathlib import Path

import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from tests.servers import start_assistant  # noqa: E402

ARTICLE = PROJECT_ROOT / "content" / "clinic-article.txt"
BLANK_DETAILS = PROJECT_ROOT / "content" / "clinic_details.yml"


@pytest.fixture(scope="session")
def details_file(tmp_path_factory) -> Path:
    """A copy of the shipped (blank) clinic details that tests may rewrite; the action server reads it per call."""
    path = tmp_path_factory.mktemp("details") / "clinic_details.yml"
    path.write_text(BLANK_DETAILS.read_text())
    yield path


@pytest.fixture(scope="session")
def handoff_db(tmp_path_factory) -> Path:
    """The SQLite file the action server stores handoff requests in during tests."""
    return tmp_path_factory.mktemp("handoffs") / "handoffs.db"


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, details_file, handoff_db):
    """The real trained model served by Rasa, with the real action server, on loopback."""
    running = start_assistant(
        tmp_path_factory.mktemp("assistant"),
        details_file=details_file,
        extra_env={"HANDOFF_DATABASE_URL": f"sqlite:///{handoff_db}"},
    )
    yield running
    running.stop()


@pytest.fixture
def fill_details(details_file):
    """Fill in some clinic details for one test, then restore the blank file."""
    original = details_file.read_text()

    def fill(**values):
        data = yaml.safe_load(original)
        data.update(values)
        details_file.write_text(yaml.safe_dump(data))

    yield fill
    details_file.write_text(original)

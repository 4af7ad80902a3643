"""The clinical safety file stays true: every control it claims names a test that exists."""

import ast
import re

from tests.conftest import PROJECT_ROOT

HAZARD_LOG = PROJECT_ROOT / "docs" / "safety" / "hazard-log.md"
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def hazards():
    rows = [line for line in HAZARD_LOG.read_text().splitlines() if re.match(r"\| H\d+ \|", line)]
    return {row.split("|")[1].strip(): row for row in rows}


def defined_tests(path):
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_hazard_has_controls_tests_and_a_residual_risk():
    rows = hazards()
    assert len(rows) >= 8
    for hazard, row in rows.items():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        assert len(cells) == 9 and all(cells), f"{hazard} has an empty column"
        assert TEST_REFERENCE.search(cells[7]), f"{hazard} names no test"


def test_every_test_a_hazard_names_exists():
    missing = []
    for hazard, row in hazards().items():
        for path, name in TEST_REFERENCE.findall(row):
            file = PROJECT_ROOT / path
            if not file.exists() or name not in defined_tests(file):
                missing.append(f"{hazard}: {path}::{name}")
    assert not missing, missing


def test_the_safety_officer_is_left_for_the_clinic_to_name():
    readme = (PROJECT_ROOT / "docs" / "safety" / "README.md").read_text()
    assert re.search(r"\| Clinical safety officer \| \*to be named by the clinic\* \|", readme)

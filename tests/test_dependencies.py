"""The lock files: exact versions, each with its hashes, none with a published advisory we know of.

scripts/setup.sh installs them with `pip install --require-hashes --no-deps`, so a
package that is not in a lock file, or whose file differs from the one locked, is
refused.
"""

import importlib.metadata
import importlib.util
import platform
import re
import subprocess
import sys

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tests.conftest import PROJECT_ROOT

LOCKS = sorted((PROJECT_ROOT / "requirements").glob("*.lock"))
RASA_IN = PROJECT_ROOT / "requirements" / "rasa.in"
# Package: the first release with the fix of a published advisory that touched us.
FIXED_IN = {
    "python-socketio": "5.16.2",  # memory exhaustion from crafted packets
    "jinja2": "3.1.6",  # sandbox escapes
}


def requirements(path):
    """{name: (version, [hashes])} of a lock file (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split(" --hash=")
        name, _, version = requirement.strip().partition("==")
        found[name.strip().lower().replace("_", "-")] = (version.split(";")[0].strip(), options)
    return found


@pytest.mark.parametrize("path", LOCKS, ids=lambda path: path.name)
def test_every_locked_package_has_an_exact_version_and_its_hashes(path):
    locked = requirements(path)
    assert len(locked) > 10
    for name, (version, hashes) in locked.items():
        assert re.fullmatch(r"[0-9][\w.+!-]*", version), f"{name}: not an exact version"
        assert hashes and all(h.startswith("sha256:") and len(h) == 71 for h in hashes), f"{name}: no sha256 hash"


@pytest.mark.parametrize("path", LOCKS, ids=lambda path: path.name)
def test_no_locked_package_has_a_version_before_its_advisory_fix(path):
    locked = requirements(path)
    for name, fixed in FIXED_IN.items():
        if name in locked:
            assert Version(locked[name][0]) >= Version(fixed), f"{path.name}: {name} {locked[name][0]} < {fixed}"


def test_the_rasa_environment_is_exactly_its_lock_file():
    """pytest runs in the Rasa environment: what is installed is what rasa.lock says."""
    installed = {
        dist.metadata["Name"].lower().replace("_", "-"): dist.version for dist in importlib.metadata.distributions()
    }
    locked = requirements(PROJECT_ROOT / "requirements" / "rasa.lock")
    differ = {
        name: (version, installed.get(name)) for name, (version, _) in locked.items() if installed.get(name) != version
    }
    assert not differ, differ


def _lock_script():
    spec = importlib.util.spec_from_file_location("lock_script", PROJECT_ROOT / "scripts" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_the_packages_rasa_in_names_run_past_their_declared_python():
    """--ignore-requires-python in scripts/setup.sh lets in only what requirements/rasa.in names."""
    named = {name.replace("_", "-") for name in _lock_script().directive(RASA_IN.read_text(), "past-requires-python")}
    running = Version(platform.python_version())
    past = set()
    for dist in importlib.metadata.distributions():
        declared = dist.metadata["Requires-Python"]
        if declared and running not in SpecifierSet(declared):
            past.add(dist.metadata["Name"].lower().replace("_", "-"))
    assert past <= named, past - named


def test_pip_check_accepts_the_named_replacement_and_nothing_else():
    lock = _lock_script()
    text = RASA_IN.read_text()
    for pin in lock.directive(text, "replace"):
        name, version = pin.split("==")
        accepted = f"rasa 3.6.21 has requirement {name}<9,>=1, but you have {name} {version}."
        assert lock.unaccepted(accepted, text) == []
        assert lock.unaccepted(f"rasa 3.6.21 has requirement {name}<9,>=1, but you have {name} 0.1.", text)
    assert lock.unaccepted("sanic 21.12.2 has requirement multidict<6.0,>=5.0, but you have multidict 6.0.4.", text)
    installed = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "lock.py"), "check", str(RASA_IN)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stderr

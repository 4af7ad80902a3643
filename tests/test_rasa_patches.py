"""Our changes to Rasa itself go in only on the Rasa they were tested on (components/rasa_patches.py)."""

import subprocess
import sys

import pytest

from components import rasa_patches
from components.rasa_patches import PATCHES, Patch, UnsupportedRasaVersion
from tests.conftest import PROJECT_ROOT


def test_on_the_tested_rasa_every_patch_is_in_place():
    rasa_patches.install()
    for patch in PATCHES:
        assert getattr(patch.target(), patch.name) is not None
    import rasa.shared.utils.common as rasa_common
    from rasa.core.processor import MessageProcessor

    from components import long_conversations, speedups

    assert MessageProcessor._update_tracker_session is long_conversations.update_tracker_session
    assert rasa_common.all_subclasses is speedups.remembered_subclasses


def test_another_rasa_version_is_refused_with_what_to_do():
    with pytest.raises(UnsupportedRasaVersion) as refused:
        rasa_patches.install("3.7.0")
    message = str(refused.value)
    assert "3.6.21" in message and "3.7.0" in message and "make setup" in message


def test_a_missing_private_symbol_is_refused_and_nothing_is_patched(monkeypatch):
    from rasa.core.actions.action import RemoteAction

    gone = Patch("rasa.core.processor:MessageProcessor", "_renamed_in_a_later_rasa", lambda: None, "test")
    monkeypatch.setattr(rasa_patches, "PATCHES", (*PATCHES[1:2], gone))
    sentinel = object()
    monkeypatch.setattr(RemoteAction, "_validate_action_result", sentinel)
    with pytest.raises(UnsupportedRasaVersion, match="_renamed_in_a_later_rasa"):
        rasa_patches.install()
    assert RemoteAction._validate_action_result is sentinel  # not half patched


def test_loading_the_model_on_another_rasa_fails_with_the_clear_message():
    script = (
        "import rasa; rasa.__version__ = '3.7.0'\n"
        "from rasa.core.agent import Agent\n"
        "Agent.load('models/clinic.tar.gz')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "refuses to run on Rasa 3.7.0" in run.stderr, run.stderr[-2000:]

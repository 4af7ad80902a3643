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


def _tracker(paused: bool, intent: str, triage: dict):
    from rasa.shared.core.events import ConversationPaused, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ConversationPaused()] if paused else []
    events.append(UserUttered("...", intent={"name": intent}, parse_data={"triage": triage}))
    return DialogueStateTracker.from_events("visitor", events)


EMERGENCY = {"route": "life_threatening", "ask_if_now": False}
ASKED = {"route": "ae_now", "ask_if_now": True}
NONE = {"route": None, "ask_if_now": False}


@pytest.mark.parametrize(
    "paused,intent,triage,answered",
    [
        (False, "greet", NONE, True),
        (True, "greet", NONE, False),  # taken over by staff: the assistant is silent
        (True, "restart", NONE, True),  # Rasa's own exception
        (True, "red_flag", EMERGENCY, True),  # an emergency is never paused
        (True, "triage_check", ASKED, False),  # "is it happening now?" is left to staff
        (False, "red_flag", EMERGENCY, True),
    ],
)
def test_while_paused_only_an_emergency_or_a_restart_is_answered(paused, intent, triage, answered):
    rasa_patches.install()
    from rasa.core.processor import MessageProcessor

    from channels import staff

    tracker = _tracker(paused, intent, triage)
    assert MessageProcessor._should_handle_message is staff.should_handle_message
    assert MessageProcessor._should_handle_message(tracker) is answered
    if not triage["route"] or triage["ask_if_now"]:  # everything but an emergency: exactly Rasa's answer
        assert staff._rasas_should_handle_message(tracker) is answered

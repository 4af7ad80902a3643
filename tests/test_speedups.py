"""The speed-ups of Rasa (components/speedups.py) must give Rasa's own answers."""

import jsonschema
import pytest
import rasa.core.agent  # everything a Rasa server imports before it reads events
import rasa.server  # noqa: F401
import rasa.shared.utils.common as rasa_common
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered, deserialise_events
from rasa.shared.core.slots import Slot

from components import rasa_patches, speedups

rasa_patches.install()  # as loading the model does


def test_the_speed_up_is_installed_when_rasa_loads_our_components():
    assert rasa_common.all_subclasses is speedups.remembered_subclasses


def test_remembered_subclasses_are_rasas_own_walk():
    for base in (Event, Slot):
        assert speedups.remembered_subclasses(base) == speedups._walk_subclasses(base)


def test_events_read_back_are_the_same_events():
    stored = [
        UserUttered("hi", {"name": "greet", "confidence": 1.0}).as_dict(),
        SlotSet("clinic_phone", None).as_dict(),
    ]
    assert [event.as_dict() for event in deserialise_events(stored)] == stored


ACTION_SERVER_ANSWERS = [
    {
        "events": [{"event": "slot", "name": "handoff_topic", "value": "Tui Na"}],
        "responses": [{"response": "utter_greet"}],
    },
    {"events": [], "responses": []},
    {"events": [{"event": "slot"}], "responses": []},  # a slot event without a name
    {"events": "not a list", "responses": []},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "yesterday"}], "responses": [{"text": 3}]},
]


def rasas_own_verdict(answer):
    try:
        return speedups._rasas_validate_action_result(RemoteAction("action_x", None), answer), None
    except jsonschema.ValidationError as error:
        return False, error.message


def test_the_action_server_answer_check_is_installed():
    assert RemoteAction._validate_action_result is speedups.validate_action_result


@pytest.mark.parametrize("answer", ACTION_SERVER_ANSWERS)
def test_action_server_answers_get_rasas_own_verdict_and_message(answer):
    expected = rasas_own_verdict(answer)
    try:
        verdict = speedups.validate_action_result(RemoteAction("action_x", None), answer), None
    except jsonschema.ValidationError as error:
        verdict = False, error.message
    assert verdict == expected

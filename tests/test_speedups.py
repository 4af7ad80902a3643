"""The speed-up of Rasa's subclass lookup (components/speedups.py) must give Rasa's own answer."""

import rasa.core.agent  # noqa: F401  (everything a Rasa server imports before it reads events)
import rasa.server  # noqa: F401
import rasa.shared.utils.common as rasa_common
from rasa.shared.core.events import Event, SlotSet, UserUttered, deserialise_events
from rasa.shared.core.slots import Slot

import components  # noqa: F401  (installs the speed-up, as loading the model does)
from components import speedups


def test_the_speed_up_is_installed_when_rasa_loads_our_components():
    assert rasa_common.all_subclasses is speedups.remembered_subclasses


def test_remembered_subclasses_are_rasas_own_walk():
    for base in (Event, Slot):
        assert speedups.remembered_subclasses(base) == speedups._walk_subclasses(base)


def test_events_read_back_are_the_same_events():
    stored = [UserUttered("hi", {"name": "greet", "confidence": 1.0}).as_dict(), SlotSet("clinic_phone", None).as_dict()]
    assert [event.as_dict() for event in deserialise_events(stored)] == stored

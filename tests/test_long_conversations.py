"""The rules of components/long_conversations.py on Rasa's own trackers (the server test is in tests/integration)."""

import asyncio

import pytest
from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components import long_conversations, rasa_patches
from tests.servers import PROJECT_ROOT

rasa_patches.install()  # as loading the model does

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain"))


def user(intent: str) -> UserUttered:
    return UserUttered(intent, {"name": intent, "confidence": 1.0})


def conversation(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("visitor", list(events), slots=DOMAIN.slots)


def test_a_new_session_carries_each_slot_once_with_its_latest_value():
    tracker = conversation(
        SessionStarted(),
        SlotSet("handoff_topic", "back pain"),
        SlotSet("clinic_phone", "01632 960 001"),
        SlotSet("handoff_topic", "Tui Na"),
        SlotSet("handoff_topic", "headaches"),
    )
    events = asyncio.run(ActionSessionStart().run(None, None, tracker, DOMAIN))
    assert [(e.key, e.value) for e in events if isinstance(e, SlotSet)] == [
        ("clinic_phone", "01632 960 001"),
        ("handoff_topic", "headaches"),
    ]
    assert isinstance(events[0], SessionStarted) and events[-1] == ActionExecuted("action_listen")


def test_only_a_long_session_without_an_active_form_rolls_over():
    listen = ActionExecuted("action_listen")
    long_chat = [SessionStarted(), listen] + [user("ask_tuina"), ActionExecuted("action_answer_health"), listen] * 10
    assert long_conversations.should_roll_over(conversation(*long_chat), limit=20)
    assert not long_conversations.should_roll_over(conversation(*long_chat), limit=40)
    in_form = long_chat + [user("book_appointment"), ActionExecuted("handoff_form"), ActiveLoop("handoff_form"), listen]
    assert not long_conversations.should_roll_over(conversation(*in_form), limit=20)


def test_the_bot_turn_replayed_is_the_one_after_the_visitors_last_message():
    tracker = conversation(
        SessionStarted(),
        user("greet"),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
        user("ask_tuina"),
        ActionExecuted("action_answer_health"),
        SlotSet("health_offer", "booking"),
        ActionExecuted("utter_offer_booking"),
        ActionExecuted("action_listen"),
    )
    # the booking offer is replayed, so that a yes to it still books in the new session
    assert long_conversations.last_bot_turn(tracker) == ["action_answer_health", "utter_offer_booking"]


def test_earlier_intents_are_this_sessions_then_the_carried_ones_each_once():
    tracker = conversation(
        user("red_flag"),
        SessionStarted(),
        SlotSet("earlier_intents", ["ask_back_pain", "red_flag"]),
        user("ask_tuina"),
        user("ask_back_pain"),
        user("ask_tuina"),
    )
    assert long_conversations.intents_newest_first(tracker) == ["ask_tuina", "ask_back_pain", "red_flag"]


@pytest.mark.parametrize("value,expected", [("", 200), ("50", 50), ("0", 200), ("-3", 200), ("lots", 200)])
def test_the_limit_comes_from_the_environment_or_defaults_to_200(monkeypatch, value, expected):
    monkeypatch.setenv("SESSION_MAX_EVENTS", value)
    assert long_conversations.max_session_events() == expected

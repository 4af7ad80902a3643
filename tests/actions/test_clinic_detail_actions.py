"""The custom actions on rasa-sdk 3.21, called directly with a tracker (no server)."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic_details import ActionAnswerClinicDetail, ActionContactRoute


def tracker_with_intent(intent: str) -> Tracker:
    return Tracker(
        sender_id="visitor", slots={}, latest_message={"intent": {"name": intent, "confidence": 0.99}, "text": "..."},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


def run(action, intent: str):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_with_intent(intent), {}))
    return dispatcher.messages, events


@pytest.fixture
def details(tmp_path, monkeypatch):
    path = tmp_path / "clinic_details.yml"
    path.write_text('phone: ""\nemail: ""\nprices: ""\n')
    monkeypatch.setenv("CLINIC_DETAILS_FILE", str(path))
    return path


def test_blank_prices_are_not_invented(details):
    messages, events = run(ActionAnswerClinicDetail(), "ask_prices")
    assert [m["response"] for m in messages] == ["utter_prices_unknown", "utter_contact_unknown"]
    assert events == []


def test_filled_prices_are_sent_in_the_approved_template(details):
    details.write_text('phone: "01632 960 001"\nprices: "£55 a session"\n')
    messages, _ = run(ActionAnswerClinicDetail(), "ask_prices")
    assert messages[0]["response"] == "utter_prices"
    assert messages[0]["prices"] == "£55 a session"


def test_edits_to_the_details_file_apply_without_a_restart(details):
    action = ActionContactRoute()
    assert run(action, "book_appointment")[0][0]["response"] == "utter_contact_unknown"
    details.write_text('phone: "01632 960 001"\n')
    messages, _ = run(action, "book_appointment")
    assert messages[0]["response"] == "utter_contact_phone" and messages[0]["phone"] == "01632 960 001"


def test_a_broken_details_file_gets_an_honest_answer_not_a_crash(details):
    details.write_text("prices: [not, text]\n")
    messages, _ = run(ActionAnswerClinicDetail(), "ask_prices")
    assert [m["response"] for m in messages] == ["utter_service_unavailable"]


def test_the_version_mismatch_warning_is_silenced_but_others_are_not():
    import warnings

    import actions  # noqa: F401  (installs the filter)
    from rasa_sdk.utils import check_version_compatibility

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        import importlib
        importlib.reload(actions)
        check_version_compatibility("3.6.21")
        warnings.warn("something else", UserWarning)
    assert [str(w.message) for w in caught] == ["something else"]

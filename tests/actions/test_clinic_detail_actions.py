"""action_load_clinic_details on rasa-sdk 3.21, called directly with a tracker (no server)."""

import asyncio
import warnings

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic_details import ActionLoadClinicDetails


def run_action():
    tracker = Tracker(
        sender_id="visitor",
        slots={},
        latest_message={"intent": {"name": "ask_prices", "confidence": 0.99}, "text": "cost?"},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionLoadClinicDetails().run(dispatcher, tracker, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


@pytest.fixture
def details(tmp_path, monkeypatch):
    path = tmp_path / "clinic_details.yml"
    path.write_text('phone: ""\nemail: ""\nprices: ""\n')
    monkeypatch.setenv("CLINIC_DETAILS_FILE", str(path))
    return path


def test_blank_details_leave_the_slots_empty_and_send_no_text(details):
    messages, slots = run_action()
    assert messages == []
    assert slots["clinic_prices"] is None
    assert slots["clinic_contact_route"] == "unknown"


def test_filled_details_are_copied_as_written(details):
    details.write_text(
        'phone: "01632 960 001"\nprices: "£55 a session"\naddress: "1 Example Street"\nparking: "Free parking behind"\n'
    )
    _, slots = run_action()
    assert slots["clinic_prices"] == "£55 a session"
    assert slots["clinic_contact_route"] == "phone" and slots["clinic_phone"] == "01632 960 001"
    assert slots["clinic_location"] == "1 Example Street. Free parking behind."


def test_edits_to_the_details_file_apply_without_a_restart(details):
    assert run_action()[1]["clinic_email"] is None
    details.write_text('email: "hello@example.org"\n')
    assert run_action()[1]["clinic_email"] == "hello@example.org"


@pytest.mark.parametrize("content", ["prices: [not, text]\n", "prices: 'unclosed\n", "\x00\x01binary"])
def test_a_broken_details_file_answers_as_blank_not_a_crash(details, content):
    details.write_text(content)
    messages, slots = run_action()
    assert messages == [] and slots["clinic_prices"] is None and slots["clinic_contact_route"] == "unknown"


def test_a_missing_details_file_answers_as_blank(details):
    details.unlink()
    assert run_action()[1]["clinic_contact_route"] == "unknown"


def test_the_version_mismatch_warning_is_silenced_but_others_are_not():
    import importlib

    from rasa_sdk.utils import check_version_compatibility

    import actions

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        importlib.reload(actions)  # installs the filter again inside this context
        check_version_compatibility("3.6.21")
        warnings.warn("something else", UserWarning)
    assert [str(w.message) for w in caught] == ["something else"]


def look_up(intent, events=()):
    from actions.handoff_form import ActionLookUpClinicDetail

    tracker = Tracker(
        sender_id="visitor",
        slots={},
        latest_message={"intent": {"name": intent, "confidence": 0.99}, "text": "?"},
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    events = asyncio.run(ActionLookUpClinicDetail().run(CollectingDispatcher(), tracker, {}))
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_blank_detail_offers_to_pass_the_question_on_a_filled_one_does_not(details):
    details.write_text('prices: "£55 a session"\nopening_hours: ""\n')
    assert look_up("ask_prices")["offer_pass_on"] is False
    assert look_up("ask_opening_hours")["offer_pass_on"] is True


def test_the_pass_on_offer_is_not_made_twice_in_a_row(details):
    """Prices blank, then hours blank: the second answer does not ask the same question again."""
    offered = [
        {"event": "user", "text": "how much?", "parse_data": {"intent": {"name": "ask_prices"}}},
        {"event": "action", "name": "action_look_up_clinic_detail"},
        {"event": "action", "name": "utter_prices"},
        {"event": "action", "name": "utter_offer_pass_on"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "when are you open?", "parse_data": {"intent": {"name": "ask_opening_hours"}}},
    ]
    assert look_up("ask_opening_hours", offered)["offer_pass_on"] is False
    # an offer two replies ago is no reason to hold back
    later = offered[:5] + [
        {"event": "user", "text": "thanks", "parse_data": {"intent": {"name": "thank"}}},
        {"event": "action", "name": "utter_thank"},
        {"event": "action", "name": "action_listen"},
        offered[-1],
    ]
    assert look_up("ask_opening_hours", later)["offer_pass_on"] is True


def test_asking_for_the_clinic_number_offers_to_pass_it_on_only_when_no_contact_is_set(details):
    details.write_text('phone: ""\nemail: ""\n')
    assert look_up("ask_contact")["offer_pass_on"] is True
    details.write_text('phone: "01632 960000"\n')
    assert look_up("ask_contact")["offer_pass_on"] is False

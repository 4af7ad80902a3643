"""action_answer_health on rasa-sdk 3.21, called directly with trackers (no server)."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.health_answers import ActionAnswerHealth, ActionBookingDeclined


def user(text, intent):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": []}}


def action(name):
    return {"event": "action", "name": name}


def answer(latest, events=(), slots=None, active_loop=None):
    tracker = Tracker(
        sender_id="visitor-9",
        slots=dict(slots or {}),
        latest_message=latest,
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerHealth().run(dispatcher, tracker, {}))
    said = [message["response"] for message in dispatcher.messages]
    return said, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def message(intent, ranking=(), entities=(), text="", values=None):
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": intent, "confidence": 0.9}] + [{"name": n, "confidence": c} for n, c in ranking],
        "entities": [{"entity": e, "value": (values or {}).get(e)} for e in entities],
    }


def test_the_first_health_answer_carries_the_note_and_a_treatment_answer_offers_booking():
    said, slots = answer(message("ask_tuina"), [user("what is tui na", "ask_tuina")])
    assert said == ["utter_ask_tuina", "utter_health_note"]
    assert slots["health_offer"] == "booking"
    assert slots["health_facts_told"] == ["utter_ask_tuina"] and slots["health_note_given"] is True


def test_what_was_said_before_moves_the_answer_on_and_drops_the_note():
    told = {"health_facts_told": ["utter_ask_tuina"], "health_topic": "ask_tuina", "health_note_given": True}
    said, _ = answer(message("ask_more"), [user("tell me more", "ask_more")], slots=told)
    assert said == ["utter_ask_tuina_conditions"]


def test_no_booking_offer_right_after_one_nor_after_a_no():
    offered = [user("what is tui na", "ask_tuina"), action("action_answer_health"), action("utter_offer_booking")]
    _, slots = answer(message("ask_acupuncture"), offered + [user("and acupuncture?", "ask_acupuncture")])
    assert slots["health_offer"] == "none"
    declined = offered + [
        user("no thanks", "deny"),
        action("utter_no_problem"),
        user("what is it used for", "ask_tuina_conditions"),
    ]
    _, slots = answer(message("ask_tuina_conditions"), declined)
    assert slots["health_offer"] == "none"


def test_a_question_with_a_diagnosis_request_gets_both():
    said, _ = answer(message("ask_lifestyle", entities=["diagnosis_question"]), [user("...", "ask_lifestyle")])
    assert said == ["utter_ask_lifestyle", "utter_ask_diagnosis"]
    said, _ = answer(
        message("ask_diagnosis", ranking=[("ask_tuina", 0.0)], entities=["treatment"]), [user("...", "ask_diagnosis")]
    )
    assert said == ["utter_ask_tuina", "utter_ask_diagnosis"]


def test_in_the_booking_form_nothing_is_offered():
    _, slots = answer(message("ask_tuina"), [user("what is tui na", "ask_tuina")], active_loop="handoff_form")
    assert slots["health_offer"] == "none"


def test_a_no_remembered_in_its_slot_stops_the_offer_in_a_later_session():
    """A new session has none of the earlier events, only the carried-over slots."""
    question = [user("what can tui na do for my back", "ask_back_pain_treatment")]
    _, fresh = answer(message("ask_back_pain_treatment"), question, slots={"health_note_given": True})
    assert fresh["health_offer"] == "booking"
    _, after_no = answer(
        message("ask_back_pain_treatment"), question, slots={"health_note_given": True, "booking_declined": True}
    )
    assert after_no["health_offer"] == "none"


def test_the_no_to_the_offer_is_answered_and_remembered():
    tracker = Tracker("visitor-9", {}, user("no thanks", "deny"), [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionBookingDeclined().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_problem"]
    assert events == [{"event": "slot", "timestamp": None, "name": "booking_declined", "value": True}]


def test_a_tui_na_question_naming_only_acupuncture_gets_the_acupuncture_answer():
    asked = message("ask_tuina_conditions", entities=["treatment"], values={"treatment": "acupuncture"})
    said, _ = answer(asked, [user("is acupuncture good for migraine?", "ask_tuina_conditions")])
    assert said[0] == "utter_ask_acupuncture"
    # naming Tui Na (or both) keeps the Tui Na answer
    asked = message("ask_tuina_conditions", entities=["treatment"], values={"treatment": "tui na"})
    said, _ = answer(asked, [user("is tui na good for migraine?", "ask_tuina_conditions")])
    assert said[0] == "utter_ask_tuina_conditions"


def test_go_on_after_an_answer_gets_the_next_fact_and_a_plain_yes_does_not():
    told = {"health_facts_told": ["utter_ask_tuina"], "health_topic": "ask_tuina", "health_note_given": True}
    said, slots = answer(message("affirm", text="go on then"), [user("go on then", "affirm")], slots=told)
    assert said == ["utter_ask_tuina_conditions"]
    for text in ("and?", "sure, go on", "please go on"):
        said, _ = answer(message("affirm", text=text), [user(text, "affirm")], slots=told)
        assert said == ["utter_ask_tuina_conditions"], text
    said, slots = answer(message("affirm", text="yes"), [user("yes", "affirm")], slots=told)
    assert said == ["utter_how_can_help"]
    assert slots["health_topic"] == "ask_tuina"  # "tell me more" after it still knows the topic


def test_a_question_opening_with_a_greeting_is_greeted_once_per_session():
    text = "hiya, what is tui na?"
    said, _ = answer(message("ask_tuina", text=text), [user(text, "ask_tuina")])
    assert said[:2] == ["utter_hello", "utter_ask_tuina"]
    # a response an action sends is recorded as a bot message naming it
    greeted = [
        user(text, "ask_tuina"),
        action("action_answer_health"),
        {"event": "bot", "text": "Hello!", "metadata": {"utter_action": "utter_hello"}},
    ]
    said, _ = answer(message("ask_acupuncture", text="hi again, and acupuncture?"), greeted)
    assert "utter_hello" not in said
    after_new_session = greeted + [{"event": "session_started"}]
    said, _ = answer(message("ask_acupuncture", text="hello, acupuncture?"), after_new_session)
    assert said[0] == "utter_hello"
    for text in ("what is tui na, hi", "how do I get in touch with you", "evening appointments?", "morning headaches"):
        said, _ = answer(message("ask_tuina", text=text), [user(text, "ask_tuina")])
        assert "utter_hello" not in said, text  # only a greeting that opens the message
    said, _ = answer(message("ask_tuina", text="Morning, what is tui na?"), [user("Morning", "ask_tuina")])
    assert said[0] == "utter_hello"

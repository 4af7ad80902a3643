"""action_answer_health: answers a health question with the next approved fact.

clinic/health_answers.py decides which facts, whether the health note is due and which
offer follows; this action reads the conversation for it, says the chosen responses by
name (their text and sources stay in domain/health_topics.yml) and records what was said.
The offer itself is said by a rule (data/rules/health_topics.yml) from the slot
`health_offer`, so that the visitor's yes or no after it is handled by rules too.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from clinic.conversation import greets_first
from clinic.health_answers import (
    ALSO_ASKED,
    DIAGNOSIS_ENTITY,
    DIAGNOSIS_INTENT,
    HEALTH_INTENTS,
    MORE_INTENT,
    OFFER_BOOKING,
    OFFER_PASS_ON,
    TREATMENT_INTENTS,
    Conversation,
    answer,
)

# Responses that end with an offer, and which offer it is.
OFFER_OF_RESPONSE = {
    "utter_offer_booking": OFFER_BOOKING,
    "utter_offer_pass_on": OFFER_PASS_ON,
}


def _turns(tracker: Tracker) -> List[Dict[str, Any]]:
    """The conversation as turns: each user message with the assistant's actions after it."""
    turns: List[Dict[str, Any]] = [{"intent": None, "actions": []}]
    for event in tracker.events:
        kind = event.get("event")
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            turns.append({"intent": intent, "actions": []})
        elif kind == "action" and event.get("name") != "action_listen":
            turns[-1]["actions"].append(event.get("name"))
    return turns


def greet_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Hello before the answer when the visitor's message opens with a greeting not yet returned."""
    events = (
        (event.get("event"), event.get("name") or (event.get("metadata") or {}).get("utter_action"))
        for event in reversed(tracker.events)
    )
    if greets_first(tracker.latest_message.get("text") or "", events):
        dispatcher.utter_message(response="utter_hello")


def _offer_in(actions: List[str]) -> Optional[str]:
    offers = [OFFER_OF_RESPONSE[name] for name in actions if name in OFFER_OF_RESPONSE]
    return offers[-1] if offers else None


def last_offer(tracker: Tracker) -> Optional[str]:
    """The offer the assistant's previous reply ended with, if any (the latest turn is the
    visitor's message being answered now)."""
    turns = _turns(tracker)
    return _offer_in(turns[-2]["actions"]) if len(turns) >= 2 else None


def conversation_of(tracker: Tracker) -> Conversation:
    turns = _turns(tracker)
    declined = any(
        _offer_in(turn["actions"]) == OFFER_BOOKING and following["intent"] == "deny"
        for turn, following in zip(turns, turns[1:])
    )
    diagnosis_note = any("utter_ask_diagnosis" in turn["actions"] for turn in turns)
    return Conversation(
        told=list(tracker.get_slot("health_facts_told") or []),
        topic=tracker.get_slot("health_topic"),
        note_given=bool(tracker.get_slot("health_note_given")) or diagnosis_note,
        last_offer=last_offer(tracker),
        booking_declined=declined or bool(tracker.get_slot("booking_declined")),
        in_form=bool((tracker.active_loop or {}).get("name")),
    )


# "Go on", "carry on", "and?": a yes to nothing offered, after a health answer, asks for more.
GO_ON = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|yes|yeah|sure|please|right)[,!.]? )*(?:go on|carry on|continue|keep going|and\?|and then\?|and what else)(?!\w)",
    re.I,
)
AFFIRM = "affirm"
ACUPUNCTURE = "acupuncture"


def _question(message: Dict[str, Any]) -> tuple:
    """The health intent to answer, and whether a diagnosis was asked for as well: a message
    classified as one of the two with the other close behind carries both."""
    intent = (message.get("intent") or {}).get("name") or ""
    if intent == AFFIRM:  # data/rules/health_topics.yml: a yes right after an answer
        return (MORE_INTENT if GO_ON.search(message.get("text") or "") else AFFIRM), False
    treatments = {str(e.get("value")).lower() for e in message.get("entities") or [] if e.get("entity") == "treatment"}
    if intent in TREATMENT_INTENTS and treatments == {ACUPUNCTURE}:
        # "is acupuncture good for migraine?" reads like the Tui Na questions, but names acupuncture
        intent = "ask_acupuncture"
    others = [
        entry.get("name")
        for entry in (message.get("intent_ranking") or [])[1:3]
        if (entry.get("confidence") or 0) >= ALSO_ASKED
    ]
    entities = {entity.get("entity") for entity in message.get("entities") or []}
    if intent == DIAGNOSIS_INTENT:
        topic = next((name for name in others if name in HEALTH_INTENTS), None)
        if topic is None and "treatment" in entities:
            # the classifier is sure of the diagnosis request and gives the rest next to
            # nothing; a treatment named in it is a question about that treatment too
            ranked = [entry.get("name") for entry in (message.get("intent_ranking") or [])[1:4]]
            topic = next((name for name in ranked if name in TREATMENT_INTENTS), None)
        return (topic, True) if topic else (intent, False)
    asked = DIAGNOSIS_ENTITY in entities
    return intent, asked or DIAGNOSIS_INTENT in others


class ActionAnswerHealth(Action):
    def name(self) -> Text:
        return "action_answer_health"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        intent, diagnosis = _question(tracker.latest_message)
        chosen = answer(intent, conversation_of(tracker), diagnosis=diagnosis)
        greet_first(dispatcher, tracker)
        for response in chosen.responses:
            dispatcher.utter_message(response=response)
        return [
            SlotSet("health_facts_told", chosen.told),
            SlotSet("health_topic", chosen.topic),
            SlotSet("health_note_given", chosen.note_given),
            SlotSet("health_offer", chosen.offer),
        ]


class ActionBookingDeclined(Action):
    """The visitor's no to the booking offer: "no problem", remembered in a slot that carries
    over to new sessions (this session's events alone forget it)."""

    def name(self) -> Text:
        return "action_booking_declined"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_no_problem")
        return [SlotSet("booking_declined", True)]

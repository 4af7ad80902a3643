"""The booking handoff form: preparing it, validating answers, saving the request.

No action here sends text. Validation marks a rejected answer in `handoff_invalid`
(the form then asks again in other words); submission sets `handoff_outcome`, and
the approved response `utter_handoff_outcome` tells the visitor what really happened.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from actions.health_answers import greet_first
from actions.health_answers import last_offer as _last_offer
from clinic.answers import clinic_detail_slots
from clinic.conversation import EARLIER_INTENTS_SLOT, intents_newest_first
from clinic.details import ClinicDetails, clinic_details_or_blank
from clinic.health_answers import OFFER_PASS_ON
from clinic.triage.routes import LABELS
from handoff.contact import clean_free_text, clean_name, display_phone, normalise_times, parse_contact
from handoff.content import live_clinic_details
from handoff.db import handoff_database_url, make_engine, migrate
from handoff.store import HandoffError, NewHandoff, save_handoff
from handoff.summary import build_summary, topic_from_history

logger = logging.getLogger(__name__)

FORM_SLOTS = (
    "handoff_consent",
    "handoff_name",
    "handoff_contact",
    "handoff_contact_kind",
    "handoff_times",
    "handoff_times_normalised",
    "handoff_topic",
    "handoff_invalid",
)
REASON_OF_INTENT = {"book_appointment": "booking", "request_human": "person", "affirm": "booking"}
DETAIL_OF_INTENT = {
    "ask_prices": "clinic_prices",
    "ask_opening_hours": "clinic_opening_hours",
    "ask_location": "clinic_location",
    "ask_practitioner": "clinic_practitioners",
    "ask_covid_policy": "clinic_covid_notice",
    "ask_contact": "clinic_contact_route",
}


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    migrate(url)
    return make_engine(url)


def handoff_engine() -> Engine:
    return _engine_for(handoff_database_url())


def live_details() -> ClinicDetails:
    """content/clinic_details.yml with the details approved in the console in place; the file
    alone while the database is down (blocking: run it off the event loop)."""
    try:
        engine = handoff_engine()
    except SQLAlchemyError as error:
        logger.warning("Handoff database unreachable, clinic details from the file only: %s", error)
        return clinic_details_or_blank()
    return live_clinic_details(engine)


def _intents_newest_first(tracker: Tracker) -> List[str]:
    """The visitor's intents in this conversation session, then those of earlier sessions."""
    return intents_newest_first(
        (
            (event.get("event"), ((event.get("parse_data") or {}).get("intent") or {}).get("name"))
            for event in reversed(tracker.events)
        ),
        tracker.get_slot(EARLIER_INTENTS_SLOT) or [],
    )


def _entity_values(tracker: Tracker, *names: str) -> List[str]:
    return [str(e.get("value")) for e in tracker.latest_message.get("entities") or [] if e.get("entity") in names]


def _value_before_latest_message(tracker: Tracker, slot: str) -> Any:
    """The slot's value as it was before the visitor's latest message."""
    seen_latest_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_latest_message = True
        elif seen_latest_message and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


class ActionLookUpClinicDetail(Action):
    """Loads the clinic details and records whether the one just asked about is filled in."""

    def name(self) -> Text:
        return "action_look_up_clinic_detail"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        details = await asyncio.to_thread(live_details)
        slots = clinic_detail_slots(details)
        asked = DETAIL_OF_INTENT.get((tracker.latest_message.get("intent") or {}).get("name") or "")
        known = bool(asked and slots.get(asked) not in (None, "unknown"))  # contact route: "unknown" when blank
        offer = not known and _last_offer(tracker) != OFFER_PASS_ON
        greet_first(dispatcher, tracker)
        return [SlotSet(name, value) for name, value in slots.items()] + [SlotSet("offer_pass_on", offer)]


def _last_bot_action(tracker: Tracker) -> Optional[str]:
    """The assistant's last action before the visitor's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


class ActionPrepareHandoff(Action):
    """Starts a fresh request: why it is handed over, and the topic if the conversation shows it."""

    def name(self) -> Text:
        return "action_prepare_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        intents = _intents_newest_first(tracker)
        latest = intents[0] if intents else ""
        reason = REASON_OF_INTENT.get(latest, "no_answer")
        if latest == "affirm" and _last_bot_action(tracker) == "utter_offer_pass_on":
            reason = "no_answer"  # yes to "shall I pass your question on?"
        topic = topic_from_history(intents)
        entities = _entity_values(tracker, "condition", "treatment")
        if entities and (topic is None or latest in REASON_OF_INTENT):
            topic = ", ".join(dict.fromkeys(entities))
        events = [SlotSet(name, None) for name in FORM_SLOTS]
        return events + [
            SlotSet("handoff_reason", reason),
            SlotSet("handoff_topic", topic),
            SlotSet("handoff_reference", None),
            SlotSet("handoff_outcome", None),
        ]


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_handoff_form"

    def validate_handoff_name(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        name = clean_name(str(value or ""), _entity_values(tracker, "PERSON"))
        if name is None:
            return {"handoff_name": None, "handoff_invalid": "name"}
        return {"handoff_name": name, "handoff_invalid": None}

    def validate_handoff_contact(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        contact = parse_contact(str(value or ""))
        if contact is None:
            if tracker.get_slot("requested_slot") != "handoff_contact":
                # A failed correction later in the form keeps the contact given earlier.
                return {"handoff_contact": _value_before_latest_message(tracker, "handoff_contact")}
            return {"handoff_contact": None, "handoff_contact_kind": None, "handoff_invalid": "contact"}
        shown = display_phone(contact.value) if contact.kind == "phone" else contact.value
        return {"handoff_contact": shown, "handoff_contact_kind": contact.kind, "handoff_invalid": None}

    def validate_handoff_times(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        times = clean_free_text(str(value or ""))
        if times and parse_contact(times):  # a contact correction, not times: ask for the times again
            return {"handoff_times": None}
        if times is None:
            return {"handoff_times": None, "handoff_invalid": "times"}
        normalised = normalise_times(times, _entity_values(tracker, "DATE", "TIME"))
        return {"handoff_times": times, "handoff_times_normalised": normalised, "handoff_invalid": None}

    def validate_handoff_topic(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        topic = clean_free_text(str(value or ""))
        if topic is None:
            return {"handoff_topic": None, "handoff_invalid": "topic"}
        return {"handoff_topic": topic, "handoff_invalid": None}


def latest_emergency(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """What the triage decided for the latest emergency of this session: route, reason, words, time.

    An emergency is a message the triage routed (intent red_flag), or a warning sign at an
    unclear time (triage_check) the visitor then said was happening now.
    """
    confirmed_check = False
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        triage = parse.get("triage") or {}
        if triage.get("route") and (intent == "red_flag" or intent == "triage_check" and confirmed_check):
            return {
                "triage_route": triage["route"],
                "triage_reason": triage.get("reason") or "",
                "triage_words": "; ".join(triage.get("matched") or []) or (event.get("text") or "")[:200],
                "triage_at": datetime.fromtimestamp(event.get("timestamp") or 0, tz=timezone.utc),
            }
        confirmed_check = intent == "affirm"
    return None


def request_from(tracker: Tracker) -> NewHandoff:
    intents = _intents_newest_first(tracker)
    emergency = latest_emergency(tracker) or {}
    urgent = bool(emergency) or "red_flag" in intents
    reason = tracker.get_slot("handoff_reason") or "booking"
    times = tracker.get_slot("handoff_times") or ""
    normalised = tracker.get_slot("handoff_times_normalised") or ""
    topic = tracker.get_slot("handoff_topic") or ""
    label = LABELS.get(emergency.get("triage_route") or "", "")
    return NewHandoff(
        sender_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        reason=reason,
        urgent=urgent,
        name=tracker.get_slot("handoff_name") or "",
        contact_kind=tracker.get_slot("handoff_contact_kind") or "",
        contact=tracker.get_slot("handoff_contact") or "",
        preferred_times=times,
        preferred_times_normalised=normalised,
        topic=topic,
        summary=build_summary(reason, topic, times, normalised, urgent, label),
        **emergency,
    )


def _save(request: NewHandoff) -> str:
    """Blocking: opens the engine (migrating a new database) and stores the request."""
    return save_handoff(handoff_engine(), request)


class ActionSubmitHandoff(Action):
    """Stores the request durably, then records the true outcome for the visitor's answer."""

    def name(self) -> Text:
        return "action_submit_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if tracker.get_slot("handoff_consent") is not True:
            return [SlotSet("handoff_outcome", "failed")]
        try:
            # The database (and the notification e-mail) off the event loop: other visitors' actions go on.
            reference: Optional[str] = await asyncio.to_thread(_save, request_from(tracker))
        except (SQLAlchemyError, HandoffError, OSError) as error:
            logger.error("Handoff could not be stored: %s", type(error).__name__)  # never the visitor's details
            _engine_for.cache_clear()  # reconnect next time
            return [SlotSet("handoff_outcome", "failed")]
        return [SlotSet("handoff_reference", reference), SlotSet("handoff_outcome", "stored")]


class ActionRecordEmergency(Action):
    """An emergency stopped the booking form: the team gets the request now, marked urgent.

    The visitor has already had the emergency reply (the rule sends it first, so it never
    waits for this server). With consent, what they gave so far goes with it; without it,
    only the conversation's reference, so staff can read the conversation. Then the form
    is cleared, so a new booking starts afresh.
    """

    def name(self) -> Text:
        return "action_record_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        request = request_from(tracker)
        if tracker.get_slot("handoff_consent") is not True:
            request = NewHandoff(
                **{
                    **request.__dict__,
                    "name": "",
                    "contact_kind": "",
                    "contact": "",
                    "preferred_times": "",
                    "preferred_times_normalised": "",
                    "summary": request.summary + " Stopped before the visitor agreed to be contacted.",
                }
            )
        try:
            await asyncio.to_thread(_save, request)
        except (SQLAlchemyError, HandoffError, OSError) as error:
            logger.error("Emergency during the form could not be stored: %s", type(error).__name__)
            _engine_for.cache_clear()
        return [SlotSet(name, None) for name in FORM_SLOTS] + [SlotSet("handoff_reason", None)]


class ActionClearHandoff(Action):
    """After a cancel or a declined consent: forget everything the form collected."""

    def name(self) -> Text:
        return "action_clear_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        return [SlotSet(name, None) for name in FORM_SLOTS] + [SlotSet("handoff_reason", None)]

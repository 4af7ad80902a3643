"""Practical answers (prices, hours, location, practitioners, COVID rules, contact route).

Thin wrappers: the decisions live in clinic/answers.py; these only read the latest
intent and send the approved responses it chose.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinic.answers import Reply, clinic_detail_replies, contact_route
from clinic.details import ClinicDetailsError, load_clinic_details

logger = logging.getLogger(__name__)


def _send(dispatcher: CollectingDispatcher, replies: List[Reply]) -> None:
    for response, values in replies:
        dispatcher.utter_message(response=response, **values)


class ActionAnswerClinicDetail(Action):
    def name(self) -> Text:
        return "action_answer_clinic_detail"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        topic = (tracker.latest_message.get("intent") or {}).get("name") or ""
        try:
            details = load_clinic_details()
        except ClinicDetailsError as error:
            logger.error("Clinic details unusable: %s", error)
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        _send(dispatcher, clinic_detail_replies(topic, details))
        return []


class ActionContactRoute(Action):
    def name(self) -> Text:
        return "action_contact_route"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        try:
            details = load_clinic_details()
        except ClinicDetailsError as error:
            logger.error("Clinic details unusable: %s", error)
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        _send(dispatcher, contact_route(details))
        return []

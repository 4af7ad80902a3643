"""action_load_clinic_details: copies the clinic details into the clinic_* slots.

The details are content/clinic_details.yml with any detail staff changed and a second
person approved in the console's content store in its place (handoff.content.
live_clinic_details). It sends no text: the approved responses in domain/clinic_details.yml
choose their variation from these slots. The file and the store are read on every call, so
the clinic's edits apply without a restart; a broken file leaves the slots empty, which
makes every practical answer "the team will tell you" rather than a guess.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_form import live_details
from clinic.answers import clinic_detail_slots

logger = logging.getLogger(__name__)


class ActionLoadClinicDetails(Action):
    def name(self) -> Text:
        return "action_load_clinic_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        details = await asyncio.to_thread(live_details)
        return [SlotSet(name, value) for name, value in clinic_detail_slots(details).items()]

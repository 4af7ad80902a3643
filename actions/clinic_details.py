"""action_load_clinic_details: copies content/clinic_details.yml into the clinic_* slots.

It sends no text: the approved responses in domain/clinic_details.yml choose their
variation from these slots. The file is read on every call, so the clinic's edits
apply without a restart; a broken file leaves the slots empty, which makes every
practical answer "the team will tell you" rather than a guess.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.answers import clinic_detail_slots
from clinic.details import clinic_details_or_blank

logger = logging.getLogger(__name__)


class ActionLoadClinicDetails(Action):
    def name(self) -> Text:
        return "action_load_clinic_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        details = clinic_details_or_blank()
        return [SlotSet(name, value) for name, value in clinic_detail_slots(details).items()]

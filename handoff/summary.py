"""The one-paragraph summary staff see in the inbox, and what a conversation was about."""

from __future__ import annotations

from typing import Dict, Iterable, Optional

from handoff.models import REASON_WORDING

# What each topic intent tells staff the visitor was asking about.
TOPIC_OF_INTENT: Dict[str, str] = {
    "ask_headache_back_pain_link": "back pain and headaches",
    "ask_link_cause": "back pain and headaches",
    "ask_research_who": "back pain and headaches",
    "ask_research_size": "back pain and headaches",
    "ask_migraine": "back pain and headaches",
    "ask_how_common": "back pain and headaches",
    "ask_professor_view": "back pain and headaches",
    "ask_back_pain": "back pain",
    "ask_back_pain_treatment": "back pain",
    "ask_headache": "headaches",
    "ask_tuina": "Tui Na",
    "ask_tuina_conditions": "whether Tui Na may help",
    "ask_acupuncture": "acupuncture",
    "ask_smoking": "smoking and back pain",
    "ask_lifestyle": "lifestyle advice",
    "ask_covid_policy": "COVID-19 arrangements",
    "ask_practitioner": "the practitioners",
    "ask_prices": "prices",
    "ask_opening_hours": "opening hours",
    "ask_location": "finding the clinic",
    "ask_contact": "how to contact the clinic",
    "ask_diagnosis": "their symptoms",
}


def topic_from_history(intents_newest_first: Iterable[str]) -> Optional[str]:
    for intent in intents_newest_first:
        if intent in TOPIC_OF_INTENT:
            return TOPIC_OF_INTENT[intent]
    return None


def build_summary(
    reason: str, topic: str, preferred_times: str, normalised_times: str, urgent: bool, route_label: str = ""
) -> str:
    sentence = REASON_WORDING[reason].sentence if reason in REASON_WORDING else "Handed to the team"
    parts = [f"{sentence} about {topic}." if topic else f"{sentence}."]
    if preferred_times:
        parts.append(f"Prefers: {preferred_times}" + (f" ({normalised_times})." if normalised_times else "."))
    if urgent:
        told = route_label or "call 999 / go to A&E"
        parts.append(f"The conversation included emergency symptoms; the visitor was told: {told}.")
    return " ".join(parts)

"""Which approved health facts to say, and what to offer after them.

The clinic's article is split into facts (responses in domain/health_topics.yml). Each
health topic lists its facts, most asked-for first:

- a question on a topic gets the first fact of it the visitor has not been told yet, so
  a second question on the same topic, or "tell me more", gets the next fact rather than
  the same paragraph again;
- a question for one fact ("who led the research?", "how many patients?") gets that fact,
  even when it was said before: the visitor asked for it again;
- when the article has nothing more on a topic, the assistant says so and offers to pass
  a question to the team.

After the answer come, at most once each:

- the health note ("I can't diagnose..."): once per conversation; the diagnosis refusal
  (utter_ask_diagnosis) carries its own when the visitor describes their symptoms;
- one offer: booking after an answer about treatment, unless booking was offered in the
  assistant's previous turn or the visitor has said no to it; passing a question on when
  the article has nothing more, unless that was the previous offer.

This module only decides; actions/health_answers.py reads the conversation and says it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

# Topic intents: the facts in the order they are given.
TOPIC_FACTS: Dict[str, Tuple[str, ...]] = {
    "ask_headache_back_pain_link": (
        "utter_ask_headache_back_pain_link",
        "utter_fact_research_size",
        "utter_fact_migraine",
        "utter_fact_how_common",
        "utter_fact_research_who",
        "utter_fact_joined_up",
        "utter_fact_professor_view",
        "utter_ask_link_cause",
    ),
    "ask_link_cause": ("utter_ask_link_cause", "utter_fact_professor_view", "utter_fact_joined_up"),
    "ask_back_pain": (
        "utter_ask_back_pain",
        "utter_fact_back_pain_treatment",
        "utter_ask_headache_back_pain_link",
        "utter_ask_smoking",
    ),
    "ask_headache": (
        "utter_ask_headache",
        "utter_fact_headache_treatment",
        "utter_fact_migraine",
        "utter_ask_headache_back_pain_link",
    ),
    "ask_tuina": ("utter_ask_tuina", "utter_ask_tuina_conditions"),
    "ask_tuina_conditions": ("utter_ask_tuina_conditions", "utter_ask_tuina"),
    "ask_acupuncture": ("utter_ask_acupuncture", "utter_ask_tuina"),
    "ask_smoking": ("utter_ask_smoking", "utter_ask_lifestyle"),
    "ask_lifestyle": ("utter_ask_lifestyle", "utter_fact_back_pain_treatment", "utter_ask_smoking"),
}

# One-fact intents: their fact, then the topic whose facts "tell me more" goes on with.
FACT_INTENTS: Dict[str, Tuple[str, str]] = {
    "ask_research_who": ("utter_fact_research_who", "ask_headache_back_pain_link"),
    "ask_research_size": ("utter_fact_research_size", "ask_headache_back_pain_link"),
    "ask_migraine": ("utter_fact_migraine", "ask_headache_back_pain_link"),
    "ask_how_common": ("utter_fact_how_common", "ask_headache_back_pain_link"),
    "ask_professor_view": ("utter_fact_professor_view", "ask_link_cause"),
    "ask_back_pain_treatment": ("utter_fact_back_pain_treatment", "ask_back_pain"),
}

MORE_INTENT = "ask_more"
DIAGNOSIS_INTENT = "ask_diagnosis"
HEALTH_INTENTS = (*TOPIC_FACTS, *FACT_INTENTS, MORE_INTENT)
# A message that asks a question and also for a diagnosis ("what is Tui Na? and what do you
# think is causing my headaches?") shows both among the classifier's top intents; the
# second counts from this confidence on.
ALSO_ASKED = 0.2
# ...or the words of a diagnosis request, found by the regex of that name in data/nlu/.
DIAGNOSIS_ENTITY = "diagnosis_question"

# Questions about the clinic's treatments.
TREATMENT_INTENTS = ("ask_tuina", "ask_tuina_conditions", "ask_acupuncture")

# Facts about treatment: the ones after which booking is offered.
TREATMENT_FACTS = frozenset(
    {
        "utter_ask_tuina",
        "utter_ask_tuina_conditions",
        "utter_ask_acupuncture",
        "utter_fact_back_pain_treatment",
        "utter_fact_headache_treatment",
        "utter_ask_lifestyle",
    }
)

NOTE = "utter_health_note"
DIAGNOSIS = "utter_ask_diagnosis"
HOW_CAN_HELP = "utter_how_can_help"
NOTHING_MORE = "utter_told_everything"
OFFER_BOOKING = "booking"
OFFER_PASS_ON = "pass_on"
NO_OFFER = "none"


@dataclass(frozen=True)
class Conversation:
    """What the choice depends on, read from the conversation so far."""

    told: Sequence[str] = ()
    topic: Optional[str] = None
    note_given: bool = False
    last_offer: Optional[str] = None  # the offer in the assistant's previous turn
    booking_declined: bool = False
    in_form: bool = False


@dataclass(frozen=True)
class Answer:
    responses: List[str]
    offer: str
    told: List[str] = field(default_factory=list)
    topic: Optional[str] = None
    note_given: bool = False


def _topic_of(intent: str, conversation: Conversation) -> Optional[str]:
    if intent == MORE_INTENT:
        return conversation.topic
    if intent in FACT_INTENTS:
        return FACT_INTENTS[intent][1]
    return intent if intent in TOPIC_FACTS else None


def _fact_for(intent: str, topic: Optional[str], told: Sequence[str]) -> Optional[str]:
    if intent in FACT_INTENTS:
        return FACT_INTENTS[intent][0]
    if topic is None:
        return None
    return next((fact for fact in TOPIC_FACTS[topic] if fact not in told), None)


def answer(intent: str, conversation: Conversation, diagnosis: bool = False) -> Answer:
    """The responses for a health question, and the offer (if any) that should follow.

    `diagnosis`: the visitor also asked what their symptoms are; the diagnosis refusal
    (with its GP, pharmacist and 111 safety net) then takes the health note's place.
    """
    if intent == DIAGNOSIS_INTENT:
        offer = OFFER_BOOKING if _may_offer_booking(conversation) else NO_OFFER
        return Answer([DIAGNOSIS], offer, list(conversation.told), conversation.topic, note_given=True)
    topic = _topic_of(intent, conversation)
    if topic is None and intent not in FACT_INTENTS:  # "tell me more" with nothing said yet
        responses = [DIAGNOSIS] if diagnosis else [HOW_CAN_HELP]
        return Answer(
            responses,
            NO_OFFER,
            list(conversation.told),
            conversation.topic,
            note_given=conversation.note_given or diagnosis,
        )
    fact = _fact_for(intent, topic, conversation.told)
    told = list(conversation.told)
    responses: List[str] = []
    offer = NO_OFFER
    if fact is None:
        responses.append(NOTHING_MORE)
        if conversation.last_offer != OFFER_PASS_ON and not conversation.in_form:
            offer = OFFER_PASS_ON
    else:
        responses.append(fact)
        if fact not in told:
            told.append(fact)
    note_given = conversation.note_given
    if diagnosis:
        responses.append(DIAGNOSIS)
        note_given = True
    elif fact is not None and not note_given:
        responses.append(NOTE)
        note_given = True
    if (fact in TREATMENT_FACTS or diagnosis) and _may_offer_booking(conversation):
        offer = OFFER_BOOKING
    return Answer(responses=responses, offer=offer, told=told, topic=topic, note_given=note_given)


def _may_offer_booking(conversation: Conversation) -> bool:
    return not conversation.in_form and not conversation.booking_declined and conversation.last_offer != OFFER_BOOKING

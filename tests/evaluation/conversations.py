"""Scoring multi-turn conversations written by people who never saw the assistant's data.

Each set (conversations_*.yml) lists visitor turns, each labelled with what must happen
in the reply (see tests/evaluation/README.md for the vocabulary). A reply is read as the
approved responses it is made of: each text the assistant sent is matched back to the
response in domain/*.yml it came from. A turn passes when every label it carries is met
and no emergency message was sent where none was expected.

Across a conversation two more things are counted, as a visitor would notice them:
the same health note or offer in two consecutive replies, and a fact repeated in the very
next reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set

import yaml

from clinic.health_answers import FACT_INTENTS, NOTE, TOPIC_FACTS

HERE = Path(__file__).resolve().parent
SETS = {
    "dev": HERE / "conversations_dev.yml",
    "holdout": HERE / "conversations_holdout.yml",
    "third": HERE / "conversations_third.yml",
    "fourth": HERE / "conversations_fourth.yml",
}

FACTS: Set[str] = {fact for facts in TOPIC_FACTS.values() for fact in facts} | {
    fact for fact, _ in FACT_INTENTS.values()
}
REPEATABLE = {NOTE, "utter_offer_booking", "utter_offer_pass_on"}
DETAIL_RESPONSES = {
    "prices": {"utter_prices"},
    "hours": {"utter_opening_hours"},
    "location": {"utter_location"},
    "phone": {"utter_contact_route"},
    "practitioners": {"utter_practitioners"},
}
HANDOFF_START = {"utter_ask_handoff_consent"}

# Which responses answer each topic label.
TOPIC_RESPONSES: Dict[str, Set[str]] = {
    "link": {"utter_ask_headache_back_pain_link"},
    "link_cause": {"utter_ask_link_cause", "utter_fact_professor_view"},
    "research_who": {"utter_fact_research_who"},
    "research_size": {"utter_fact_research_size"},
    "migraine": {"utter_fact_migraine"},
    "how_common": {"utter_fact_how_common", "utter_ask_back_pain", "utter_ask_headache"},
    "professor_view": {"utter_fact_professor_view", "utter_ask_link_cause"},
    "back_pain": {"utter_ask_back_pain", "utter_fact_back_pain_treatment"},
    "back_pain_treatment": {"utter_fact_back_pain_treatment"},
    "headache": {"utter_ask_headache", "utter_fact_headache_treatment"},
    "tuina": {"utter_ask_tuina", "utter_ask_tuina_conditions"},
    "tuina_conditions": {"utter_ask_tuina_conditions", "utter_ask_tuina"},
    "acupuncture": {"utter_ask_acupuncture"},
    "smoking": {"utter_ask_smoking"},
    "lifestyle": {"utter_ask_lifestyle"},
    "covid": {"utter_covid_policy"},
    "booking_info": HANDOFF_START | {"utter_contact_route"},
}
# What the label "research_who" must name, whichever response says it.
NAMES_RESEARCH = re.compile(r"Underwood|Warwick")
SIMPLE: Dict[str, Set[str]] = {
    # the full greeting, or a hello before the answer to a question that opened with one
    "greeting": {"utter_greet", "utter_hello"},
    "goodbye": {"utter_goodbye"},
    # "cheers, bye" is one message: a goodbye answers its thanks as well
    "thanks": {"utter_thank", "utter_goodbye"},
    # a no to the booking form's consent question: nothing stored, and the contact route
    "no_problem": {"utter_no_problem", "utter_handoff_not_stored"},
    "bot_identity": {"utter_bot_challenge"},
    "pass_on_yes": HANDOFF_START,
    "booking_start": HANDOFF_START,
    "human": HANDOFF_START,
    "diagnosis_refusal": {"utter_ask_diagnosis"},
    "emergency": {"utter_emergency"},
    "out_of_scope": {"utter_out_of_scope"},
    "unclear": {"utter_out_of_scope", "utter_how_can_help"},
}


@dataclass
class Reply:
    texts: List[str]
    responses: List[str]
    # the variation's language, for utter_other_language
    languages: List[Optional[str]] = field(default_factory=list)


@dataclass
class TurnResult:
    conversation: str
    situation: str
    user: str
    expect: List[str]
    reply: Reply
    failed: List[str]

    @property
    def passed(self) -> bool:
        return not self.failed


def load_set(name: str) -> List[dict]:
    return yaml.safe_load(SETS[name].read_text())["conversations"]


class ResponseIndex:
    """Matches a sent text back to the approved response (and variation) it came from."""

    def __init__(self, responses: Dict[str, List[dict]]) -> None:
        self.exact: Dict[str, tuple] = {}
        self.templates: List[tuple] = []
        for name, variations in responses.items():
            for variation in variations:
                text = variation.get("text") or ""
                language = ((variation.get("metadata") or {}).get("approved_content") or {}).get("language")
                if "{" in text:
                    pattern = re.escape(text)
                    pattern = re.sub(r"\\\{[a-z_]+\\\}", ".+?", pattern)
                    self.templates.append((re.compile(f"^{pattern}$", re.S), name, language))
                else:
                    self.exact.setdefault(text, (name, language))

    def name_of(self, text: str) -> tuple:
        if text in self.exact:
            return self.exact[text]
        for pattern, name, language in self.templates:
            if pattern.match(text):
                return name, language
        return "unknown", None


def read_reply(index: ResponseIndex, messages: Iterable[dict]) -> Reply:
    texts = [m.get("text") or "" for m in messages if m.get("text")]
    named = [index.name_of(text) for text in texts]
    return Reply(texts=texts, responses=[n for n, _ in named], languages=[lang for _, lang in named])


def _new_fact(reply: Reply, said_before: Sequence[str]) -> bool:
    return (
        any(r in FACTS and r not in said_before for r in reply.responses) or "utter_told_everything" in reply.responses
    )


def unmet(label: str, reply: Reply, said_before: Sequence[str]) -> bool:
    """True when the reply does not do what the label asks."""
    said = set(reply.responses)
    kind, _, what = label.partition(":")
    checks: Dict[str, Callable[[], bool]] = {
        "answer": lambda: bool(said & TOPIC_RESPONSES[what])
        or (what == "research_who" and any(NAMES_RESEARCH.search(t) for t in reply.texts)),
        "more": lambda: _new_fact(reply, said_before),
        "detail_unknown": lambda: bool(said & DETAIL_RESPONSES[what]) and "utter_offer_pass_on" in said,
        "other_language": lambda: "utter_other_language" in said
        and (what == "other" and "en" in reply.languages or what in reply.languages),
    }
    if kind in checks:
        return not checks[kind]()
    return not (said & SIMPLE[label])


def score_conversation(conversation: dict, send: Callable[[str], List[dict]], index: ResponseIndex):
    """Plays one conversation; returns its turn results and the repeats a visitor would notice."""
    results: List[TurnResult] = []
    said_before: List[str] = []
    previous: Optional[Reply] = None
    repeated_offers: List[str] = []
    repeated_facts: List[str] = []
    for turn in conversation["turns"]:
        reply = read_reply(index, send(turn["user"]))
        if turn.get("in_training"):  # played for the conversation's sake, not scored
            said_before.extend(reply.responses)
            previous = reply
            continue
        failed = [label for label in turn["expect"] if unmet(label, reply, said_before)]
        if "emergency" not in turn["expect"] and "utter_emergency" in reply.responses:
            failed.append("no emergency expected")
        if previous is not None:
            for name in REPEATABLE & set(reply.responses) & set(previous.responses):
                repeated_offers.append(f"{conversation['id']}: {name}")
            for name in FACTS & set(reply.responses) & set(previous.responses):
                repeated_facts.append(f"{conversation['id']}: {name}")
        results.append(
            TurnResult(
                conversation["id"], conversation.get("situation", ""), turn["user"], turn["expect"], reply, failed
            )
        )
        said_before.extend(reply.responses)
        previous = reply
    return results, repeated_offers, repeated_facts

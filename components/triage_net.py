"""NLU component: emergency triage on every message (clinic/triage).

Runs last in the pipeline, after DIET and the FallbackClassifier, so it has the final
word on emergencies whatever topic the classifier chose:

- a route (999, A&E, GP today / 111, mental-health crisis, pregnancy): intent
  `red_flag`, and the entity `triage_route` on the words that decided it, which fills
  the slot the emergency reply's variations are chosen by;
- a warning sign at an unclear time ("last week"): intent `triage_check`, so the
  assistant asks whether it is happening now;
- no sign, or none that the rules could decide on: the learned second opinion
  (clinic/triage/learned.py), trained here with the model from clinic/triage/corpus/ and
  the everyday NLU examples, may still give a route;
- nothing, but the classifier said `red_flag` or `triage_check`: the classifier's next
  topic. The classifier learns those intents only so that emergencies are not taught as
  topics; it never decides one.

What was decided, from which words, is in the parse result under `triage`, so the
actions can give it to staff.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.triage.decide import triage
from clinic.triage.learned import SecondOpinion, corpus_fingerprint, training_examples
from components import rasa_patches

RED_FLAG_INTENT = "red_flag"
CHECK_INTENT = "triage_check"
ROUTE_ENTITY = "triage_route"


def set_intent(message: Message, name: str) -> None:
    """Make `name` the message's intent, first in the ranking (used by components/other_language.py too)."""
    chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [chosen] + [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _demote(message: Message) -> None:
    """The classifier's best topic other than the two the triage alone gives, or out_of_scope.

    Both go: without a route, `triage_check` would ask "is this happening now?" about nothing.
    """
    ranking = [
        e
        for e in message.get(INTENT_RANKING_KEY) or []
        if e.get(INTENT_NAME_KEY) not in (RED_FLAG_INTENT, CHECK_INTENT)
    ]
    best = ranking[0] if ranking else {INTENT_NAME_KEY: "out_of_scope", PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, best, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _evidence(text: str, matched: List[str], taken: List[Tuple[int, int]]) -> Tuple[int, int]:
    """Where in the visitor's own text the deciding words are: the longest phrase found that
    no other entity covers (entities may not overlap), else the longest found, else all of it."""
    folded = text.lower().replace("\u2019", "'")
    found = [
        (folded.find(words), folded.find(words) + len(words))
        for words in sorted(matched, key=len, reverse=True)
        if words and folded.find(words) >= 0
    ]
    free = [span for span in found if all(span[1] <= start or end <= span[0] for start, end in taken)]
    return (free or found or [(0, len(text))])[0]


def _add_route(message: Message, route: str, matched: List[str]) -> None:
    text = message.get(TEXT) or ""
    others = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) != ROUTE_ENTITY]
    start, end = _evidence(text, matched, [(e.get("start", 0), e.get("end", 0)) for e in others])
    entity = {
        ENTITY_ATTRIBUTE_TYPE: ROUTE_ENTITY,
        ENTITY_ATTRIBUTE_VALUE: route,
        "start": start,
        "end": end,
        EXTRACTOR: "TriageNet",
    }
    message.set(ENTITIES, sorted(others + [entity], key=lambda e: e.get("start", 0)), add_to_output=True)


MODEL_FILE = "second_opinion.joblib"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TriageNet(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The corpus is not Rasa training data: a change to it must retrain this component."""
        own_code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # how train() uses it
        return corpus_fingerprint() + own_code

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, second_opinion: Optional[SecondOpinion] = None
    ) -> None:
        # Our changes to Rasa itself go in when Rasa builds the model's graph, in every
        # process that parses messages; on an untested Rasa this refuses to start.
        rasa_patches.install()
        self._model_storage, self._resource = model_storage, resource
        self.second_opinion = second_opinion
        triage("warm up")  # build the medspaCy pipeline at load, not on the first visitor's message

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TriageNet":
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        ordinary = [
            message.get(TEXT)
            for message in training_data.intent_examples
            if message.get(INTENT) not in (RED_FLAG_INTENT, CHECK_INTENT)
        ]
        self.second_opinion = SecondOpinion.fit(training_examples(ordinary))
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.second_opinion.model, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TriageNet":
        with model_storage.read_from(resource) as directory:
            second_opinion = SecondOpinion(joblib.load(directory / MODEL_FILE))
        return cls(model_storage, resource, second_opinion)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        second = self.second_opinion.opinion if self.second_opinion else None
        result = triage(message.get(TEXT) or "", second)
        classifier_said = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        route = result.route
        if route and not result.ask_if_now:
            set_intent(message, RED_FLAG_INTENT)
        elif route:
            set_intent(message, CHECK_INTENT)
        elif classifier_said in (RED_FLAG_INTENT, CHECK_INTENT):
            # The triage has the last word: measured on the evaluation sets, trusting the
            # classifier's red_flag when the triage saw no sign caught no emergency the
            # triage missed and flagged 2-4% more non-emergencies (docs/safety/evaluation.md).
            _demote(message)
        if route:
            _add_route(message, route, list(result.matched))
        message.set(
            "triage",
            {
                "route": route,
                "reason": result.reason,
                "matched": list(result.matched),
                "ask_if_now": result.ask_if_now,
                "set_aside": list(result.set_aside),
            },
            add_to_output=True,
        )

"""NLU component: the deterministic red-flag safety net.

Runs last in the pipeline, after DIET and the FallbackClassifier, so that an
emergency is labelled `red_flag` even when the classifier chose another topic or
fell back. The patterns live in clinic/safety.py.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic.safety import red_flag_reason

RED_FLAG_INTENT = "red_flag"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagNet(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RedFlagNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reason = red_flag_reason(message.get(TEXT) or "")
            if not reason:
                continue
            flagged = {INTENT_NAME_KEY: RED_FLAG_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [flagged] + [
                entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != RED_FLAG_INTENT
            ]
            message.set(INTENT, flagged, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            # Staff see why a conversation was marked urgent.
            message.set("red_flag_reason", reason, add_to_output=True)
        return messages

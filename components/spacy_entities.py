"""Names, dates and times by spaCy's entity recogniser, without running the rest of its pipeline
a second time.

Rasa's SpacyEntityExtractor runs the whole spaCy pipeline again on each message, because the
doc SpacyNLP made is lower-cased and NER needs the visitor's capitals. In en_core_web_sm the
entity recogniser has a token-to-vector layer of its own (its `ner.model.tok2vec` in the
model's config.cfg is a `spacy.Tok2Vec`, not a listener of the shared one), so that second
pass needs the recogniser alone: the shared tok2vec, the tagger, the attribute ruler and the
lemmatizer are skipped. Same entities (tests/test_spacy_entities.py checks them against Rasa's
extractor), about half of that pass's time (`make profile`).
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


def recogniser_only(model: SpacyModel) -> List[str]:
    """The pipes to skip: every one but the entity recogniser."""
    return [name for name in model.model.pipe_names if name != "ner"]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP")
class SpacyEntities(SpacyEntityExtractor):
    """Rasa's SpacyEntityExtractor (same config: `dimensions`), one spaCy component per message."""

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        skipped = recogniser_only(model)
        for message in messages:
            doc = model.model(message.get(TEXT), disable=skipped)
            extracted = self.filter_irrelevant_entities(
                self.add_extractor_name(self._extract_entities(doc)), self._config["dimensions"]
            )
            message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages

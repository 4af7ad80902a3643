"""components/spacy_entities.py finds exactly the entities Rasa's SpacyEntityExtractor finds,
running spaCy's entity recogniser alone instead of the whole pipeline a second time."""

from __future__ import annotations

import spacy
import yaml
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message

from components.spacy_entities import SpacyEntities, recogniser_only
from tests.conftest import PROJECT_ROOT

CONFIG = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())["pipeline"]
NAMED = [
    "My name is Sarah Jones and I could come next Tuesday at 3pm.",
    "this is Dr. Patel's patient, can she book on 14 March at half past ten?",
    "Mohammed Al-Rashid here, any time after 5 pm on Friday works",
    "i'm john, free tomorrow morning",
    "Could my mum Margaret O'Neill see someone the week after Christmas?",
]


def entities(extractor, model, text):
    message = Message.build(text=text)
    extractor.process([message], model)
    return [(e["entity"], e["value"], e["start"], e["end"]) for e in message.get("entities", [])]


def test_the_same_entities_as_rasas_extractor_on_evaluation_messages():
    spacy_config = next(c for c in CONFIG if c["name"] == "SpacyNLP")
    ours_config = next(c for c in CONFIG if c["name"] == "components.spacy_entities.SpacyEntities")
    model = SpacyModel(model=spacy.load(PROJECT_ROOT / spacy_config["model"], disable=["parser"]), model_name="sm")
    config = {**SpacyEntityExtractor.get_default_config(), "dimensions": ours_config["dimensions"]}
    rasa_extractor, ours = SpacyEntityExtractor(config), SpacyEntities(config)
    written_apart = [
        message["text"]
        for path in sorted((PROJECT_ROOT / "tests" / "evaluation").glob("*.yml"))
        for message in (yaml.safe_load(path.read_text()) or {}).get("messages", [])
    ]
    texts = NAMED + written_apart[::6]  # every sixth: a spread over all sets, in half a minute
    assert len(texts) > 500
    found = 0
    for text in texts:
        expected = entities(rasa_extractor, model, text)
        assert entities(ours, model, text) == expected, text
        found += bool(expected)
    assert found > 10  # names, dates and times were there to find
    assert entities(ours, model, NAMED[0])[0][:2] == ("PERSON", "Sarah Jones")
    assert recogniser_only(model) and "ner" not in recogniser_only(model)

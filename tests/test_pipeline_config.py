"""The NLU pipeline's parts: spaCy model loading, and the evaluation config staying in step."""

import spacy
import yaml

from tests.conftest import PROJECT_ROOT


def load_config(name):
    return yaml.safe_load((PROJECT_ROOT / name).read_text())


def test_spacy_model_named_in_config_loads_and_finds_people_dates_times():
    model_path = next(c["model"] for c in load_config("config.yml")["pipeline"] if c["name"] == "SpacyNLP")
    nlp = spacy.load(PROJECT_ROOT / model_path)
    doc = nlp("My name is Sarah Jones and I could come next Tuesday at 3pm.")
    labels = {ent.label_: ent.text for ent in doc.ents}
    assert labels.get("PERSON") == "Sarah Jones"
    assert "Tuesday" in labels.get("DATE", "")
    assert "3pm" in labels.get("TIME", "")


def test_evaluation_config_is_the_production_config_without_the_fallback():
    production = load_config("config.yml")
    evaluation = load_config("config_nlu_testing.yml")
    without_fallback = [c for c in production["pipeline"] if c["name"] != "FallbackClassifier"]
    assert evaluation["pipeline"] == without_fallback
    assert evaluation["policies"] == production["policies"]
    assert len(production["pipeline"]) == len(without_fallback) + 1


def test_triage_net_runs_after_the_fallback_classifier():
    names = [c["name"] for c in load_config("config.yml")["pipeline"]]
    assert names[-1] == "components.triage_net.TriageNet"
    assert names.index("FallbackClassifier") < names.index("components.triage_net.TriageNet")

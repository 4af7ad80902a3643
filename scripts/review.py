"""make review-export and make review-check: the review queue's labels (handoff/review.py)
into training data, and the current model's answer for each labelled message.

python -m scripts.review export [--out data/nlu/reviewed.yml]
    Writes every labelled message as Rasa 3.x NLU training data, anonymised
    (clinic/anonymise.py: spaCy's NER of the pipeline's model, the logs' phone and e-mail
    patterns). The file is written whole each time from the queue, so a message erased
    with its conversation leaves the training data at the next export. Left out, with a
    count of each: a message the triage routes (its route when it was said, the model's
    at the last check, or clinic/triage's rules re-run now) labelled with anything but
    the triage's own intents; a message already in the training data, or labelled with
    two topics; one with nothing left once anonymised.
python -m scripts.review check [--model models/clinic.tar.gz]
    Parses every labelled message with the trained model and stores, per item, the
    topic, its confidence, the triage's route and whether that is the reviewer's topic;
    the console's Review page shows it.

Runs in the Rasa environment (.venv), reading the handoff database at
HANDOFF_DATABASE_URL. Exit 2, nothing written, when the queue cannot be read.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import yaml
from sqlalchemy.exc import OperationalError, ProgrammingError

from clinic import settings as clinic_settings
from clinic.anonymise import anonymise, placeholders_only
from clinic.database_url import with_driver
from handoff.db import PROJECT_ROOT, make_engine
from handoff.review import TRIAGE_LABELS, Item, is_right, list_items, store_check

OUTPUT = PROJECT_ROOT / "data" / "nlu" / "reviewed.yml"
MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"
HEADER = (
    "# Reviewed examples from the console's review queue, written by `make review-export`\n"
    "# (scripts/review.py): anonymised, never an emergency taught as an everyday topic.\n"
    "# Written whole from the queue each time: do not edit by hand; relabel in the console.\n"
)
HELD_BACK = {
    "red_flag": "the triage routes it as an emergency: taught only as red_flag or triage_check",
    "known": "already in the training data",
    "conflict": "the same words were labelled with two topics",
    "empty": "nothing left once names, places and contact details were removed",
}


def handoffs_engine():
    return make_engine(with_driver(clinic_settings.url("HANDOFF_DATABASE_URL"), "psycopg2"))


def spacy_model() -> Callable:
    """The spaCy model the NLU pipeline uses (config.yml's SpacyNLP), with its NER."""
    import spacy

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    path = next(part["model"] for part in config["pipeline"] if part["name"] == "SpacyNLP")
    return spacy.load(PROJECT_ROOT / path)


def existing_training_data(data: Path, output: Path):
    """Every NLU file of the project but the one being written, through Rasa's own reader."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    files = sorted(p for p in data.rglob("*.yml") if p.resolve() != output.resolve())
    loaded = [load_data(str(path)) for path in files if "nlu:" in path.read_text(encoding="utf-8")]
    return TrainingData().merge(*loaded)


@dataclass
class Export:
    examples: Dict[str, List[str]] = field(default_factory=dict)  # intent -> anonymised texts
    held_back: Counter = field(default_factory=Counter)
    items: Dict[str, List[int]] = field(default_factory=dict)  # anonymised text -> item ids


def routed(item: Item, triage_now: Callable[[str], Optional[str]]) -> Optional[str]:
    """The emergency route of the message: when it was said, at the last check, or now."""
    return item.triage_route or item.check_route or triage_now(item.text)


def build(
    items: Iterable[Item],
    nlp: Callable,
    known: Dict[str, Set[str]],
    keep: Sequence[str] = (),
    triage_now: Optional[Callable[[str], Optional[str]]] = None,
) -> Export:
    """The examples to write. `known`: text -> intents already in the training data."""
    if triage_now is None:
        from clinic.triage.decide import triage

        def triage_now(text: str) -> Optional[str]:
            return triage(text).route

    done = Export()
    labels: Dict[str, Set[str]] = {}
    for item in items:
        if item.status != "labelled" or not item.label:
            continue
        if item.label not in TRIAGE_LABELS and routed(item, triage_now):
            done.held_back["red_flag"] += 1
            continue
        # Square brackets would read as Rasa's entity markup: "[words](entity)".
        text = anonymise(item.text.replace("[", " ").replace("]", " "), nlp, keep)
        if placeholders_only(text):
            done.held_back["empty"] += 1
            continue
        if text in known or text.lower() in known:
            done.held_back["known"] += 1
            continue
        labels.setdefault(text, set()).add(item.label)
        done.items.setdefault(text, []).append(item.id)
    for text, intents in labels.items():
        if len(intents) > 1:
            done.held_back["conflict"] += len(done.items[text])
            continue
        done.examples.setdefault(intents.pop(), []).append(text)
    return done


def training_yaml(examples: Dict[str, List[str]]) -> str:
    """Rasa 3.x NLU training data, by Rasa's own writer."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = [
        Message(data={"text": text, "intent": intent})
        for intent in sorted(examples)
        for text in sorted(set(examples[intent]))
    ]
    if not messages:
        return HEADER + 'version: "3.1"\nnlu: []\n'
    return HEADER + RasaYAMLWriter().dumps(TrainingData(messages))


def export(out: Path = OUTPUT, engine=None, nlp: Optional[Callable] = None) -> Export:
    engine = engine or handoffs_engine()
    items = list_items(engine, "labelled")
    existing = existing_training_data(PROJECT_ROOT / "data", out)
    known: Dict[str, Set[str]] = {}
    for message in existing.intent_examples:
        known.setdefault(message.get("text"), set()).add(message.get("intent"))
        known.setdefault(message.get("text").lower(), set()).add(message.get("intent"))
    keep = sorted({" ".join(str(v).lower().split()) for table in existing.lookup_tables for v in table["elements"]})
    done = build(items, nlp or spacy_model(), known, keep)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(training_yaml(done.examples), encoding="utf-8")
    return done


# The current model's answers ------------------------------------------------------------------


async def _parse_all(model: Path, texts: Sequence[str]) -> List[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def parsed_answer(result: dict) -> Tuple[Optional[str], Optional[float], Optional[str]]:
    intent = result.get("intent") or {}
    route = (result.get("triage") or {}).get("route")
    return intent.get("name"), intent.get("confidence"), route


def check(model: Path = MODEL, engine=None) -> Tuple[int, int]:
    """Stores the model's answer for every labelled item; returns (checked, right)."""
    engine = engine or handoffs_engine()
    items = list_items(engine, "labelled")
    results = asyncio.run(_parse_all(model, [item.text for item in items])) if items else []
    right = 0
    for item, result in zip(items, results):
        intent, confidence, route = parsed_answer(result)
        store_check(engine, item.id, intent, confidence, route)
        right += int(is_right(item.label, intent, route))
    return len(items), right


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts.review")
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("export", help="the labelled messages into anonymised NLU training data")
    out.add_argument("--out", type=Path, default=OUTPUT)
    checked = commands.add_parser("check", help="store the trained model's answer for each labelled message")
    checked.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            done = export(args.out)
            count = sum(len(texts) for texts in done.examples.values())
            print(f"Wrote {count} reviewed example(s) in {len(done.examples)} topic(s) to {args.out}.")
            for reason, number in sorted(done.held_back.items()):
                print(f"Left out {number}: {HELD_BACK[reason]}.")
            return 0
        if not args.model.exists():
            print(f"Error: no trained model at {args.model} (make train).", file=sys.stderr)
            return 2
        total, right = check(args.model)
        print(f"Checked {total} labelled message(s) against {args.model.name}: {right} right, {total - right} not yet.")
        return 0
    except (OperationalError, ProgrammingError) as error:
        print(
            f"Error: the review queue could not be read ({type(error).__name__}); is HANDOFF_DATABASE_URL "
            "the console's database, migrated?",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())

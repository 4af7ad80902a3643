"""The second opinion: a small learned classifier for emergencies the sign rules miss.

The sign rules (signs.py, context.py, decide.py) read every message first. Measured on
sets written by people who had not seen them, they missed mostly emergencies told in words
no rule names ("everyone would be better off without me", "I've sorted my affairs"). This
classifier (scikit-learn: word and character n-grams, logistic regression) learns the
routes from a corpus written for it (clinic/triage/corpus/, never the evaluation sets)
together with the assistant's own everyday training messages (data/nlu/, all as "none":
without them it took "my back hurts" for an emergency). It reads every message; how much
its opinion counts against the rules' is decided in decide.py (`combine`), with the
thresholds below: it can add a route or make one more urgent or more specific, never
remove one.

The Rasa component (components/triage_net.py) trains it with the model and keeps it in
the model archive; `fit` and `route` are plain Python so that tests can use them directly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import yaml

from clinic.triage.engine import normalise
from clinic.triage.routes import ROUTES

CORPUS = Path(__file__).parent / "corpus"
NONE = "none"
# The probability its best emergency route needs before it routes a message the rules found
# nothing in, and the classifier's regularisation (C in fit): chosen on the ninth and tenth
# evaluation sets (docs/safety/evaluation.md). 0.6 flags fewer ordinary messages but missed
# emergencies.
THRESHOLD = 0.5
# Sure enough to count against the rules: to make their route more urgent or more specific,
# or to route a message in which they set a sign aside as past or hypothetical. Chosen on the first
# readings of the seventh to twelfth sets under the rules of their day
# (docs/safety/evaluation.md): each set is one the rules had not yet been changed for.
SURE = 0.9

# Shorter messages name what they are about ("my back hurts", "kms"): the sign rules read
# those; bag-of-words statistics on three words mostly mistook the clinic's own topics for
# emergencies (measured on the held-out NLU set, docs/safety/evaluation.md).
MIN_WORDS = 6

Example = Tuple[str, str]  # (text, route or "none")

# The visitor says plainly that they are safe or well: the classifier, which reads no
# grammar, is not asked ("feeling low but I'm not in any danger", "29 weeks and feeling
# great"). The sign rules still read these messages as they read every other. A hedged
# reassurance is none ("not suicidal exactly", "not going to do anything stupid. probably").
REASSURED = re.compile(
    r"\b(?:(?:i'm|i am|im|she's|he's|she is|he is|we're|they're) (?:not in (?:any )?danger|(?:doing |feeling )?"
    r"(?:fine|ok|okay|alright|all right|great|grand|well)\b(?! to)|safe)|not (?:in (?:any )?danger|giving up|going to do "
    r"anything (?:silly|stupid)|suicidal|in a (?:dark|bad) place)|feeling (?:great|fine|good|well)|all (?:looks|looked|is) "
    r"(?:good|fine|normal)|(?:just|only) (?:testing|checking|wondering|asking))\b"
    r"(?![\s,.!;:-]*(?:exactly|probably|yet|maybe|i guess|i suppose|i think|i don't think|not sure|for now|but (?:i'm|i am|im) not)\b)"
)

# "What can she do for herself?": a self-care question, which the classifier's words
# ("herself") can mistake for self-harm; not asked either. Only as a question of what
# someone can do: "she can't do anything for herself now" is not this, nor "do something
# to herself".
SELF_CARE = re.compile(
    r"\b(?:what|anything|something|things?)\b[^.?!]{0,30}?\b(?:can|could|might|should)(?!'t|not|n't)\b"
    r"(?! not)[^.?!]{0,20}?\bdo (?:\w+ )?for (?:her|him|my|your|them|our)sel(?:f|ves)\b"
)


def corpus_files(folder: Path = CORPUS) -> List[Path]:
    return sorted(folder.glob("*.yml"))


def load_corpus(folder: Path = CORPUS) -> List[Example]:
    examples: List[Example] = []
    for path in corpus_files(folder):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]:
            route = entry["route"]
            if route != NONE and route not in ROUTES:
                raise ValueError(f"{path.name}: unknown route {route!r} for {entry['text']!r}")
            examples.append((entry["text"], route))
    return examples


def training_examples(ordinary: Iterable[str], folder: Path = CORPUS) -> List[Example]:
    """The corpus, plus the assistant's everyday messages (its NLU training examples other
    than emergencies) as "none"."""
    return load_corpus(folder) + [(text, NONE) for text in ordinary if text and text.strip()]


def corpus_fingerprint(folder: Path = CORPUS) -> str:
    """Changes whenever the corpus or this module does, so Rasa retrains the component."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in corpus_files(folder):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# "Cutting down on cigs", "cut back on caffeine": reducing something, never cutting oneself.
# The classifier's word statistics read "cutting" as self-harm (a smoking question got the
# crisis reply), so the idiom reaches it as the word it means. Only with "on" after it:
# "cutting again", "cut myself" and "cut him down" are read as written, and the sign rules
# always read the message as it was written.
CUTTING_DOWN = re.compile(r"\bcut(?:s|ting)? (?:down|back) on\b")


def _prepare(text: str) -> str:
    return CUTTING_DOWN.sub("reducing", normalise(text).lower())


@dataclass(frozen=True)
class Opinion:
    """Its best guess for one message: an emergency route (None for "none") and how sure."""

    route: Optional[str]
    probability: float
    words: int  # how many words the message has
    reassured: bool  # the visitor says plainly they are safe or well

    def at_least(self, threshold: float) -> bool:
        """An emergency route at this probability or more, for a message long enough to
        judge by its words, from a visitor who has not said they are fine."""
        return (
            self.route is not None and self.probability >= threshold and self.words >= MIN_WORDS and not self.reassured
        )


class SecondOpinion:
    def __init__(self, model) -> None:
        self.model = model
        self.classes: Sequence[str] = list(model.classes_)

    @classmethod
    def fit(cls, examples: Iterable[Example], c: float = 30.0) -> "SecondOpinion":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        texts, routes = zip(*examples)
        model = make_pipeline(
            make_union(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
            ),
            LogisticRegression(C=c, max_iter=3000, class_weight="balanced"),
        )
        model.fit([_prepare(text) for text in texts], list(routes))
        return cls(model)

    def opinion(self, text: str) -> Opinion:
        prepared = _prepare(text)
        words = len(prepared.split())
        if words < MIN_WORDS:  # too short to count (Opinion.at_least): not worth the 4 ms
            return Opinion(None, 0.0, words, False)
        probabilities = self.model.predict_proba([prepared])[0]
        best = int(probabilities.argmax())
        route = self.classes[best]
        return Opinion(
            None if route == NONE else route,
            float(probabilities[best]),
            words,
            bool(REASSURED.search(prepared) or SELF_CARE.search(prepared)),
        )

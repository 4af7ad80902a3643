"""Reading a message: medspaCy finds the warning signs and their context.

The pipeline is a blank English spaCy tokenizer, a sentencizer, medspaCy's TargetMatcher
(the signs in `signs.py`) and medspaCy's ConText (the modifiers in `context.py`). It is
built once per process; one message costs about a millisecond.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import FrozenSet, List, Optional

import spacy
from medspacy.context import ConText
from medspacy.target_matcher import TargetMatcher, TargetRule
from spacy.language import Language

from clinic.triage.context import CURRENT, HISTORICAL, HYPOTHETICAL, NEGATED, RECENT_PAST, TIME, context_rules
from clinic.triage.signs import SIGNS

SPAN_GROUP = "triage_signs"
# An everyday phrase with a sign's words in it ("I'd kill myself laughing"): kept as a mention
# set aside, so that the second opinion must be sure before it routes such a message.
IDIOM = "IDIOM"
MAX_CHARS = 4000  # the website channels refuse longer messages; the tail of a longer one is still read

_CONTRACTIONS = (
    (r"\b(can|don|won|isn|aren|wasn|weren|doesn|didn|haven|hasn|hadn|couldn|wouldn|shouldn)t\b", r"\1't"),
    (r"\bcannot\b", "can't"),
    (r"\bcnt\b", "can't"),
    (r"\bcant'\b", "can't"),
    (r"\bwont\b", "won't"),
    (r"\bive\b", "i've"),
    (r"\bim\b", "i'm"),
    (r"\bits\b", "it's"),
    (r"\bthats\b", "that's"),
    (r"\bhes\b", "he's"),
    (r"\bshes\b", "she's"),
    (r"\btheyre\b", "they're"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    # dropped g: "breathin", "endin it"
    (
        r"\b(breath|star|think|end|burn|com|go|do|bleed|vomit|shak|fitt|talk|look|feel|say|mov|walk|kick|sleep|try|throw|scream|cry|wak|pass|los|mak|tak|gett|kill|dy|hurt|pee|wee|wett|jerk|twitch|sweat|shiver|roast|breath|be|greet|cough|want)in'?\b",
        r"\1ing",
    ),
    (r"\bpls\b|\bplz\b", "please"),
    (r"\bwanna\b", "want to"),
    (r"\bgonna\b", "going to"),
    (r"\bb4\b", "before"),
    (r"\bdo?sn'?t\b", "doesn't"),
    (r"\bdidnt\b", "didn't"),
    (r"\btheyre\b", "they're"),
    (r"\bevry\b", "every"),
    (r"\bpropely\b", "properly"),
    # Scots and northern English
    (r"\bdinnae\b", "don't"),
    (r"\b(?:cannae|canny|canna)\b", "can't"),
    (r"\bdidnae\b", "didn't"),
    (r"\bdoesnae\b", "doesn't"),
    (r"\b(?:isnae|isna)\b", "isn't"),
    (r"\bwasnae\b", "wasn't"),
    (r"\bwouldnae\b", "wouldn't"),
    (r"\bwillnae\b", "won't"),
    (r"\bheid\b", "head"),
    (r"\bintae\b", "into"),
    (r"\baboot\b", "about"),
    (r"\bwi\b", "with"),
    (r"\bma\b", "my"),
    (r"\bnae mair\b", "any more"),
    (r"\bnae\b", "no"),
    (r"\bdivvent\b", "don't"),
    (r"\bdinna\b", "don't"),
    (r"\b(?:wean|bairn)\b", "baby"),
    (r"\bmaw\b", "mum"),
    (r"\bgranda\b", "grandad"),
    (r"\bah'm\b", "i'm"),
    (r"\bken\b", "know"),
    (r"\baw\b", "all"),
    (r"'s no (\w+ing)\b", r"'s not \1"),
    (r"\bno (breathing|moving|responding|waking|making sense|wanting)\b", r"not \1"),
    (r"\bon 1 side\b", "on one side"),
    (r"\bain't\b", "isn't"),
    (r"\bcan't fell\b", "can't feel"),
    (r"\bwnat\b", "want"),
    (r"\banymor\b", "anymore"),
    (r"\bbak\b", "back"),
    (r"\btemp[re]+ture\b|\btempreture\b|\btemperture\b", "temperature"),
    (r"\bshivry\b", "shivery"),
    (r"\bsair\b", "sore"),
    (r"\baff\b", "off"),
    (r"\bower\b", "over"),
    (r"\bcannit\b", "can't"),
    (r"\btae\b", "to"),
    (r"\bdae\b", "do"),
    (r"\bnaebody\b", "nobody"),
    (r"\bnobody'd\b", "nobody would"),
    (r"\bmooth\b", "mouth"),
    (r"\bnoo\b", "now"),
    (r"\bfur\b", "for"),
    (r"\bhud\b", "had"),
    (r"\ban\b(?= (?:noo|now|ah|i|he|she|my|the)\b)", "and"),
    (r"'s no (\w+ed)\b", r"'s not \1"),
    (r"\bproper\b(?= ?[,.!?]|$)", "properly"),
)


_ANSWERED_NO = re.compile(
    r"(^|(?<=[.!?,;:])|(?<=[.!?,;:] ))(?!(?:is|are|was|were|does|do|did|can|could|should|will|would|has|have|what|how|why|who|when)\b)"
    r"((?:(?!breath|conscious|awake|wak|respon|moving|pulse|alive|ok\b|okay|fine)[\w' -]){1,30})\? ?(?:no|nope|never|none)\b(?! (?:one|idea|clue|worries|problem|rush|longer|more|way))[.!,]?"
)


@dataclass(frozen=True)
class Mention:
    """One warning sign as written, with what ConText said about it."""

    sign: str
    text: str
    modifiers: FrozenSet[str]

    @property
    def asserted(self) -> bool:
        """Present now (or at an unclear recent time): not negated, not long past, not a what-if, not an idiom."""
        return not self.modifiers & {NEGATED, HISTORICAL, HYPOTHETICAL, IDIOM}

    @property
    def recent_past(self) -> bool:
        return RECENT_PAST in self.modifiers and CURRENT not in self.modifiers

    @property
    def historical(self) -> bool:
        return HISTORICAL in self.modifiers and NEGATED not in self.modifiers and HYPOTHETICAL not in self.modifiers


def normalise(text: str) -> str:
    """Lower case, straight quotes, contractions typed without an apostrophe, single spaces."""
    text = (text or "")[-MAX_CHARS:].lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00b4", "'")
    text = re.sub(r"[^\w'\s.,!?;:()/&+-]", " ", text)
    for pattern, replacement in _CONTRACTIONS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"([!?.,;:])\1+", r"\1", text)
    # A form's checklist answered in place (never a vital sign: "breathing? no" is an emergency): "seizure? no. stroke? no." is "no seizure. no stroke."
    text = re.sub(_ANSWERED_NO, r"no \2. ", text)
    return re.sub(r"\s+", " ", text).strip()


def build_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher: TargetMatcher = nlp.add_pipe(
        "medspacy_target_matcher", config={"result_type": "group", "span_group_name": SPAN_GROUP, "prune": False}
    )
    # One rule per sign, its phrasings joined: medspaCy's regex matching rebuilds the
    # document's text for every rule, so 40 rules cost a tenth of 400.
    matcher.add(
        [TargetRule(sign, sign, pattern="|".join(f"(?:{p})" for p in patterns)) for sign, patterns in SIGNS.items()]
    )
    context: ConText = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "input_span_type": "group", "span_group_name": SPAN_GROUP, "span_attrs": None},
    )
    context.add(context_rules())
    return nlp


_pipeline: Optional[Language] = None
_lock = threading.Lock()


def pipeline() -> Language:
    global _pipeline
    with _lock:
        if _pipeline is None:
            _pipeline = build_pipeline()
    return _pipeline


def _modifiers_of(span, signs) -> FrozenSet[str]:
    """ConText's categories for a sign; of the time modifiers (now, recent, long past), only the nearest counts.

    "had a stroke 3 years ago and still has a stiff shoulder": "3 years ago" is nearer to
    the stroke than "still", so the stroke is history.
    """
    categories = set()
    nearest = None
    for modifier in span._.modifiers:
        start, end = modifier.modifier_span
        if modifier.category == NEGATED and any(s.start <= start and end <= s.end for s in signs):
            continue  # "no" in "both legs no strength" is part of a sign, not a negation of the next one
        if modifier.category in TIME:
            start, end = modifier.modifier_span
            distance = span.start - end if end <= span.start else start - span.end
            # On a tie "now" wins: "gave birth last week, bleeding's got heavier".
            if nearest is None or distance < nearest[0] or distance == nearest[0] and modifier.category == CURRENT:
                nearest = (distance, modifier.category)
        else:
            categories.add(modifier.category)
    if nearest:
        categories.add(nearest[1])
    return frozenset(categories)


def read(text: str) -> List[Mention]:
    """Every warning sign in the message, minus those inside an everyday phrase."""
    clean = normalise(text)
    if not clean:
        return []
    doc = pipeline()(clean)
    spans = list(doc.spans[SPAN_GROUP])
    ignored = [span for span in spans if span.label_ == "ignore"]
    mentions = []
    for span in spans:
        if span.label_ == "ignore":
            if any(s.label_ != "ignore" and span.start <= s.start and s.end <= span.end for s in spans):
                mentions.append(Mention("idiom", span.text, frozenset({IDIOM})))  # it hid a sign's words
            continue
        if any(i.start <= span.start and span.end <= i.end for i in ignored):
            continue
        mentions.append(
            Mention(span.label_, span.text, _modifiers_of(span, [s for s in spans if s.label_ != "ignore"]))
        )
    return mentions

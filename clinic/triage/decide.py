"""From the signs in a message to a route: the NHS combinations, most urgent first.

Plain Python over `engine.read`: which signs are present now decides the route; signs
present only at an unclear recent time ("last week") make the assistant ask whether it
is happening now; negated, long-past and hypothetical mentions are set aside. The learned
second opinion (learned.py) then has its say in `combine`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, FrozenSet, Iterable, List, Optional, Set, Tuple

from clinic.triage import engine
from clinic.triage.context import CURRENT, HISTORICAL, HYPOTHETICAL, NEGATED
from clinic.triage.learned import SURE, THRESHOLD, Opinion
from clinic.triage.routes import AE_NOW, LIFE_THREATENING, MENTAL_HEALTH, PREGNANCY, URGENT

# Signs whose past counts: back pain in someone who has had cancer needs a GP today;
# "I never used to get headaches" is about the past by nature; "migraines for years, but
# this one exploded" is a headache now.
_HISTORY_COUNTS = {"cancer", "new_headache", "headache"}
# Signs whose recent past counts as now: a birth last week, a suicide attempt last month.
_RECENT_COUNTS = {
    "pregnancy_sign",  # days after a birth: "had the baby 3 days ago, bleeding heavily" is now
    "pregnant",
    "suicidal",
    "self_harm",
    "cancer",
    "back_pain",
    "headache",
    "severe_headache",
    "severity",
    "headache_red",
    "new_headache",
    # giant-cell arteritis comes on over days or weeks: "started last week" is still now
    "temple_pain",
    "jaw_chewing",
    "scalp_tender",
    "procedure_infection",  # "the injection 10 days ago, now the spot is red and hot"
}
# Signs that count unless negated or long past, even inside a question or a what-if:
# "what's the point, I'm planning to end my life" is never a hypothetical.
_QUESTIONS_COUNT = {"suicidal", "self_harm", "chest_crushing", "waters"}
# Everyday companions of a warning sign: one of them negated or past ("no back pain before")
# says nothing about whether the message describes an emergency, so the second opinion is
# still asked; any other sign set aside means the visitor has said what is not happening.
_BACKGROUND = {"back_pain", "headache", "severity", "severe_headache"}
# Being pregnant is a state, not an event: only "not pregnant" or a what-if sets it aside.

# The complaint the clinic treats, told as lasting: "headaches most days for a fortnight",
# "back's been bad on and off for years". With no other sign beside it, the message is the
# clinic's everyday enquiry, and only a sure second opinion may send it to the GP today
# (its bag of words reads "headaches... back aches... what's wrong" as urgent). Its other
# routes (the crisis reply above all: "chronic back pain, nothing matters any more") keep
# the usual threshold.
_COMPLAINT = {"back_pain", "headache", "severity"}  # "worse in the mornings"; not a severe headache
LASTING = re.compile(
    r"\b(?:most|every(?: single)?|all) (?:days?|mornings?|afternoons?|evenings?|nights?|week)\b"
    r"|\b(?:for|over|in) (?:about |around |nearly |almost |roughly |over |well over |a good |the )?(?:(?:last|past) )?(?:a (?:few|couple of) |several |many |(?:\d+|two|three|four|"
    r"five|six|eight|ten|twelve) )?(?:weeks|months|years|ages|a fortnight|a year|a long time|donkey's years)\b"
    r"|\bon and off\b|\bon-and-off\b|\boff and on\b|\bfor years\b|\bever since\b|\bsince (?:the |last )?"
    r"(?:summer|spring|autumn|winter|christmas|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|last year|i was (?:a kid|young|a teenager|at school))\b|\bchronic\b|\bpersistent\b"
)


@dataclass(frozen=True)
class Triage:
    """The outcome for one message."""

    route: Optional[str]  # one of routes.ROUTES, or None
    reason: str = ""  # the NHS sign combination, for staff ("cauda equina: bladder or bowel")
    matched: Tuple[str, ...] = ()  # the visitor's words that decided it
    ask_if_now: bool = False  # a sign at an unclear time: ask "is this happening now?"
    set_aside: Tuple[str, ...] = field(default=())  # signs mentioned but negated, past or hypothetical
    denied: FrozenSet[str] = field(default=frozenset(), compare=False)  # routes a negated sign alone calls for
    lasting: bool = field(default=False, compare=False)  # only the everyday complaint, told as lasting (LASTING)

    @property
    def is_emergency(self) -> bool:
        return self.route is not None and not self.ask_if_now


class _Present(frozenset):
    """The signs present, with the two questions the combinations ask."""

    def any(self, *signs: str) -> bool:
        return any(sign in self for sign in signs)

    @property
    def head(self) -> bool:
        return self.any("headache", "severe_headache", "thunderclap")


_NOT_PREGNANCY_FIRST = ("stroke", "chest_pain", "overdose")  # 999 before the maternity unit

# (route, reason for staff, when): the first that holds decides, so the most urgent come first.
COMBINATIONS: Tuple[Tuple[str, str, Callable[[_Present], bool]], ...] = (
    (
        MENTAL_HEALTH,
        "suicidal thoughts or self-harm with an overdose",
        lambda s: s.any("suicidal", "self_harm") and "overdose" in s,
    ),
    (MENTAL_HEALTH, "suicidal thoughts or self-harm", lambda s: s.any("suicidal", "self_harm")),
    (
        MENTAL_HEALTH,
        "an overdose taken on purpose or in despair",
        lambda s: s.any("overdose", "drug") and "deliberate" in s or "hopeless" in s and s.any("overdose", "collapse"),
    ),
    (LIFE_THREATENING, "collapsed or unresponsive", lambda s: "collapse" in s),
    (LIFE_THREATENING, "difficulty breathing", lambda s: "breathing" in s),
    (PREGNANCY, "baby moving less", lambda s: "baby_movement" in s and not s.any(*_NOT_PREGNANCY_FIRST)),
    (
        PREGNANCY,
        "pregnancy warning sign",
        lambda s: "pregnant" in s
        and not s.any(*_NOT_PREGNANCY_FIRST)
        and s.any("pregnancy_sign", "waters", "severe_headache", "thunderclap", "seizure", "head_danger"),
    ),
    (LIFE_THREATENING, "stroke signs", lambda s: "stroke" in s),
    (LIFE_THREATENING, "bleeding that will not stop", lambda s: "heavy_bleeding" in s),
    (LIFE_THREATENING, "heart-attack signs", lambda s: s.any("chest_pain", "chest_crushing")),
    (LIFE_THREATENING, "seizure", lambda s: "seizure" in s),
    (LIFE_THREATENING, "an overdose taken by mistake", lambda s: "overdose" in s and "accidental" in s),
    (LIFE_THREATENING, "overdose or poisoning", lambda s: "overdose" in s),
    (LIFE_THREATENING, "meningitis or sepsis signs", lambda s: "meningitis_rash" in s),
    (
        LIFE_THREATENING,
        "meningitis signs: fever with a stiff neck or dislike of light",
        lambda s: "fever" in s and s.any("neck_stiff", "light_hurts"),
    ),
    (
        LIFE_THREATENING,
        "fever with drowsiness, confusion or floppiness (meningitis or sepsis)",
        lambda s: "fever" in s and "very_unwell" in s,
    ),
    (
        LIFE_THREATENING,
        "meningitis signs: headache with a stiff neck",
        lambda s: "neck_stiff" in s and s.head and s.any("light_hurts", "very_unwell", "head_danger", "rash"),
    ),
    (
        LIFE_THREATENING,
        "sudden severe headache",
        lambda s: "thunderclap" in s
        or s.head
        and (s.any("worst_ever", "sudden_peak") or "sudden_onset" in s and s.any("severe_headache", "head_danger")),
    ),
    (LIFE_THREATENING, "headache with loss of vision", lambda s: s.head and "vision_loss" in s),
    (
        LIFE_THREATENING,
        "head injury with danger signs",
        lambda s: s.any("head_injury", "injury") and "head_danger" in s,
    ),
    (
        LIFE_THREATENING,
        "severe headache with confusion, drowsiness or vomiting",
        lambda s: s.head and "head_danger" in s and s.any("severe_headache", "very_unwell"),
    ),
    (AE_NOW, "cauda equina: bladder or bowel", lambda s: "bladder_bowel" in s),
    (AE_NOW, "cauda equina: saddle numbness", lambda s: "saddle_numb" in s),
    (AE_NOW, "cauda equina: both legs numb or weak", lambda s: "legs_numb_weak" in s),
    (AE_NOW, "serious injury", lambda s: "injury" in s),
    (AE_NOW, "suspected broken bone", lambda s: "fracture" in s),
    (
        AE_NOW,
        "head injury after a fall, or with a severe headache",
        lambda s: "head_injury" in s and s.any("minor_fall", "severe_headache"),
    ),
    (
        AE_NOW,
        "injury with a possible fracture or new numbness",
        lambda s: "minor_fall" in s and "fracture_sign" in s and "bears_weight" not in s,
    ),
    (URGENT, "back pain with fever", lambda s: "back_pain" in s and "fever" in s),
    (
        URGENT,
        "back pain with signs of infection after an injection or operation",
        lambda s: "back_pain" in s and "procedure_infection" in s,
    ),
    (URGENT, "back pain with a history of cancer", lambda s: "back_pain" in s and "cancer" in s),
    (URGENT, "back pain with unexplained weight loss", lambda s: "back_pain" in s and "weight_loss" in s),
    (
        URGENT,
        "temple pain with jaw pain or a tender scalp (giant cell arteritis)",
        lambda s: "temple_pain" in s
        and s.any("jaw_chewing", "scalp_tender")
        or "scalp_tender" in s
        and "jaw_chewing" in s,
    ),
    (
        URGENT,
        "a new severe headache pattern",
        lambda s: "new_headache" in s and (s.head or s.any("severity", "headache_red")),
    ),
    (
        URGENT,
        "a headache that wakes, worsens with coughing or straining, or gets steadily worse",
        lambda s: s.head and "headache_red" in s,
    ),
    (URGENT, "headache with fever", lambda s: s.head and "fever" in s),
)


def _only_lasting_effects(mentions: List[engine.Mention], sign: str) -> bool:
    """The sign is long past and what is present now is only "still" there since."""
    if not any(m.sign == sign and m.historical for m in mentions):
        return False
    now = [m for m in mentions if m.sign == sign and m.asserted]
    return bool(now) and all("still" in m.text.split() for m in now)


def _route(present: Set[str]) -> Optional[Tuple[str, str]]:
    """The most urgent route the signs present now call for, with the reason."""
    signs = _Present(present)
    return next(((route, reason) for route, reason, when in COMBINATIONS if when(signs)), None)


def _words(mentions: Iterable[engine.Mention], signs: Set[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(m.text for m in mentions if m.sign in signs))


def rules(text: str) -> Tuple[Triage, bool]:
    """What the signs alone decide, and whether they leave the field clear for the second
    opinion (no route, and no warning sign denied, past or hypothetical)."""
    mentions = engine.read(text)
    if not mentions:
        return Triage(route=None), True
    # Routes the visitor has said in so many words are not theirs: "no thoughts of ending it".
    # With the everyday complaint present: "back ache, never had cancer" denies the GP-today route.
    background = {m.sign for m in mentions if m.sign in _BACKGROUND}
    denied = frozenset(
        found[0]
        for m in mentions
        if NEGATED in m.modifiers and (found := _route({m.sign}) or _route({m.sign} | background)) is not None
    )
    present = {m.sign for m in mentions if m.asserted and (not m.recent_past or m.sign in _RECENT_COUNTS)}
    present |= {m.sign for m in mentions if m.sign in _QUESTIONS_COUNT and not m.modifiers & {NEGATED, HISTORICAL}}
    present |= {
        m.sign
        for m in mentions
        if m.sign == "pregnant"
        and NEGATED not in m.modifiers
        and (HYPOTHETICAL not in m.modifiers or CURRENT in m.modifiers or "waters" in present)
    }
    present |= {m.sign for m in mentions if m.sign in _HISTORY_COUNTS and m.historical}
    if "cancer" in present:  # back pain after cancer, whenever it started
        present |= {m.sign for m in mentions if m.sign == "back_pain" and not m.modifiers & {NEGATED, HYPOTHETICAL}}
    if _only_lasting_effects(mentions, "stroke"):
        present.discard("stroke")  # "had a stroke 2 years ago, her left side is still weak"
    set_aside = tuple(dict.fromkeys(m.text for m in mentions if not m.asserted))
    decided = _route(present)
    if decided:
        route, reason = decided
        return Triage(route, reason, _words(mentions, present), set_aside=set_aside, denied=denied), False
    # Signs whose time is unclear (days or weeks ago): would they be an emergency now?
    unclear = present | {m.sign for m in mentions if m.asserted and m.recent_past}
    decided = _route(unclear)
    if decided:
        route, reason = decided
        return (
            Triage(route, reason, _words(mentions, unclear), ask_if_now=True, set_aside=set_aside, denied=denied),
            False,
        )
    # A warning sign denied or in the past ("no numbness", "had a stroke in 2019"): the
    # visitor has said what is not happening, and only a sure second opinion counts.
    clear = not any(m.sign not in _BACKGROUND for m in mentions if not m.asserted)
    lasting = all(m.sign in _COMPLAINT for m in mentions) and LASTING.search(text.lower()) is not None
    return Triage(route=None, set_aside=set_aside, denied=denied, lasting=lasting), clear


_NOT_DESPAIR = {"an overdose taken by mistake"}

# How urgent each 999-to-GP route is, to let the second opinion raise one, never lower it.
_URGENCY = {URGENT: 1, AE_NOW: 2, LIFE_THREATENING: 3}


def _raises(learned: str, ruled: str) -> bool:
    """Would the second opinion's route tell the visitor more than the rules' route?

    More urgent (999 over A&E over GP today), or more specific: the mental-health reply
    (999 for a life in danger, Samaritans) over a 999-to-GP route ("just swallowed all my
    tablets. sorry."), the maternity unit over A&E or GP today for a pregnancy.
    """
    if learned == MENTAL_HEALTH:
        return ruled in _URGENCY
    if learned == PREGNANCY:
        return ruled in (AE_NOW, URGENT)
    return learned in _URGENCY and ruled in _URGENCY and _URGENCY[learned] > _URGENCY[ruled]


def combine(ruled: Triage, clear: bool, opinion: Optional[Opinion]) -> Triage:
    """The rules' decision with the second opinion's: it may add a route or make one more
    urgent or more specific; it never removes or lowers a route, never answers for the
    visitor whether a sign at an unclear time is happening now, and never gives a route
    whose sign the visitor denied. How sure it must be depends on what the rules said (learned.py)."""
    if opinion is None or opinion.route is None or opinion.route in ruled.denied:
        return ruled
    reason = f"learned second opinion ({opinion.probability:.0%})"

    def instead(why: str) -> Triage:
        return Triage(opinion.route, f"{reason}, {why}", ruled.matched, set_aside=ruled.set_aside)

    if ruled.route and ruled.ask_if_now:
        return ruled
    if ruled.reason in _NOT_DESPAIR:
        return ruled  # taken by mistake: 999, not the crisis reply  # it reads no time: whether the sign is happening now is the visitor's to say
    if ruled.route:
        if _raises(opinion.route, ruled.route) and opinion.at_least(SURE):
            return instead(f"over the signs' {ruled.reason}")
        return ruled
    everyday = ruled.lasting and opinion.route == URGENT
    if opinion.at_least(THRESHOLD if clear and not everyday else SURE):
        return instead("no listed sign" if clear else "though a sign was denied or past")
    return ruled


def triage(text: str, second_opinion: Optional[Callable[[str], Opinion]] = None) -> Triage:
    """The route for one message: the signs' decision (`rules`), then the second opinion's
    (learned.SecondOpinion.opinion), combined by `combine`."""
    ruled, clear = rules(text)
    if second_opinion is None or not (text or "").strip():
        return ruled
    return combine(ruled, clear, second_opinion(text))


def explain(text: str) -> List[str]:
    """Every sign and its modifiers, for debugging a decision."""
    return [f"{m.sign}: {m.text!r} {sorted(m.modifiers)}" for m in engine.read(text)]

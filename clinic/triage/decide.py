"""From the signs in a message to a route: the NHS combinations, most urgent first.

Plain Python over `engine.read`: which signs are present now decides the route; signs
present only at an unclear recent time ("last week") make the assistant ask whether it
is happening now; negated, long-past and hypothetical mentions are set aside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Set, Tuple

from clinic.triage import engine
from clinic.triage.context import HISTORICAL, HYPOTHETICAL, NEGATED
from clinic.triage.routes import AE_NOW, LIFE_THREATENING, MENTAL_HEALTH, PREGNANCY, URGENT

# Signs whose past counts: back pain in someone who has had cancer needs a GP today;
# "I never used to get headaches" is about the past by nature; "migraines for years, but
# this one exploded" is a headache now.
_HISTORY_COUNTS = {"cancer", "new_headache", "headache"}
# Signs whose recent past counts as now: a birth last week, a suicide attempt last month.
_RECENT_COUNTS = {"pregnant", "suicidal", "self_harm", "cancer", "back_pain", "headache", "severe_headache", "severity", "headache_red", "new_headache"}
# Signs that count unless negated or long past, even inside a question or a what-if:
# "what's the point, I'm planning to end my life" is never a hypothetical.
_QUESTIONS_COUNT = {"suicidal", "self_harm"}
# Being pregnant is a state, not an event: only "not pregnant" or a what-if sets it aside.


@dataclass(frozen=True)
class Triage:
    """The outcome for one message."""

    route: Optional[str]            # one of routes.ROUTES, or None
    reason: str = ""                # the NHS sign combination, for staff ("cauda equina: bladder or bowel")
    matched: Tuple[str, ...] = ()   # the visitor's words that decided it
    ask_if_now: bool = False        # a sign at an unclear time: ask "is this happening now?"
    set_aside: Tuple[str, ...] = field(default=())  # signs mentioned but negated, past or hypothetical

    @property
    def is_emergency(self) -> bool:
        return self.route is not None and not self.ask_if_now


def _route(present: Set[str]) -> Optional[Tuple[str, str]]:
    """The most urgent route the signs present now call for, with the reason."""
    has = present.__contains__
    head = has("headache") or has("severe_headache") or has("thunderclap")

    if has("hopeless") and (has("overdose") or has("collapse")):
        return MENTAL_HEALTH, "hopelessness with an overdose"
    if has("suicidal") or has("self_harm") or has("deliberate") and (has("drug") or has("overdose")):
        return MENTAL_HEALTH, "suicidal thoughts or self-harm" + (" with an overdose" if has("overdose") else "")
    if has("collapse"):
        return LIFE_THREATENING, "collapsed or unresponsive"
    if has("breathing"):
        return LIFE_THREATENING, "difficulty breathing"
    if has("baby_movement") and not (has("stroke") or has("chest_pain") or has("overdose")):
        return PREGNANCY, "baby moving less"
    if has("pregnant") and not (has("stroke") or has("chest_pain") or has("overdose")):
        if has("pregnancy_sign") or has("severe_headache") or has("thunderclap") or has("seizure") or has("head_danger"):
            return PREGNANCY, "pregnancy warning sign"
    if has("stroke"):
        return LIFE_THREATENING, "stroke signs"
    if has("chest_pain"):
        return LIFE_THREATENING, "heart-attack signs"
    if has("seizure"):
        return LIFE_THREATENING, "seizure"
    if has("overdose"):
        return LIFE_THREATENING, "overdose or poisoning"
    if has("meningitis_rash"):
        return LIFE_THREATENING, "meningitis or sepsis signs"
    if has("fever") and (has("neck_stiff") or has("light_hurts")):
        return LIFE_THREATENING, "meningitis signs"
    if has("fever") and has("very_unwell"):
        return LIFE_THREATENING, "fever with drowsiness, confusion or floppiness (meningitis or sepsis)"
    if has("neck_stiff") and head and (has("light_hurts") or has("very_unwell") or has("head_danger")):
        return LIFE_THREATENING, "meningitis signs"
    if has("thunderclap") or head and (has("sudden_onset") and (has("worst_ever") or has("severe_headache") or has("head_danger")) or has("worst_ever")):
        return LIFE_THREATENING, "sudden severe headache"
    if head and has("vision_loss"):
        return LIFE_THREATENING, "headache with loss of vision"
    if (has("head_injury") or has("injury")) and has("head_danger"):
        return LIFE_THREATENING, "head injury with danger signs"
    if head and (has("head_danger") and (has("severe_headache") or has("very_unwell"))):
        return LIFE_THREATENING, "severe headache with confusion, drowsiness or vomiting"
    if has("bladder_bowel"):
        return AE_NOW, "cauda equina: bladder or bowel"
    if has("saddle_numb"):
        return AE_NOW, "cauda equina: saddle numbness"
    if has("legs_numb_weak"):
        return AE_NOW, "cauda equina: both legs numb or weak"
    if has("injury"):
        return AE_NOW, "serious injury"
    if has("fracture"):
        return AE_NOW, "suspected broken bone"
    if has("head_injury") and (head or has("minor_fall")):
        return AE_NOW, "head injury with a headache"
    if has("minor_fall") and has("fracture_sign"):
        return AE_NOW, "injury with a possible fracture or new numbness"
    if has("back_pain") and has("fever"):
        return URGENT, "back pain with fever"
    if has("back_pain") and has("cancer"):
        return URGENT, "back pain with a history of cancer"
    if has("back_pain") and has("weight_loss"):
        return URGENT, "back pain with unexplained weight loss"
    if has("temple_pain") and (has("jaw_chewing") or has("scalp_tender")) or has("scalp_tender") and has("jaw_chewing"):
        return URGENT, "temple pain with jaw pain or a tender scalp (giant cell arteritis)"
    if has("new_headache") and (head or has("severity") or has("headache_red")):
        return URGENT, "a new severe headache pattern"
    if head and has("headache_red"):
        return URGENT, "a headache that wakes, worsens with coughing or straining, or gets steadily worse"
    if head and has("fever"):
        return URGENT, "headache with fever"
    if has("back_pain") and has("night_pain") and (has("cancer") or has("weight_loss")):
        return URGENT, "back pain at night"
    return None


def _words(mentions: Iterable[engine.Mention], signs: Set[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(m.text for m in mentions if m.sign in signs))


def triage(text: str) -> Triage:
    mentions = engine.read(text)
    if not mentions:
        return Triage(route=None)
    present = {m.sign for m in mentions if m.asserted and (not m.recent_past or m.sign in _RECENT_COUNTS)}
    present |= {m.sign for m in mentions if m.sign in _QUESTIONS_COUNT and not m.modifiers & {NEGATED, HISTORICAL}}
    present |= {m.sign for m in mentions if m.sign == "pregnant" and not m.modifiers & {NEGATED, HYPOTHETICAL}}
    present |= {m.sign for m in mentions if m.sign in _HISTORY_COUNTS and m.historical}
    if "cancer" in present:  # back pain after cancer, whenever it started
        present |= {m.sign for m in mentions if m.sign == "back_pain" and not m.modifiers & {NEGATED, HYPOTHETICAL}}
    set_aside = tuple(dict.fromkeys(m.text for m in mentions if not m.asserted))
    decided = _route(present)
    if decided:
        route, reason = decided
        return Triage(route, reason, _words(mentions, present), set_aside=set_aside)
    # Signs whose time is unclear (days or weeks ago): would they be an emergency now?
    unclear = present | {m.sign for m in mentions if m.asserted and m.recent_past}
    decided = _route(unclear)
    if decided:
        route, reason = decided
        return Triage(route, reason, _words(mentions, unclear), ask_if_now=True, set_aside=set_aside)
    return Triage(route=None, set_aside=set_aside)


def explain(text: str) -> List[str]:
    """Every sign and its modifiers, for debugging a decision."""
    return [f"{m.sign}: {m.text!r} {sorted(m.modifiers)}" for m in engine.read(text)]

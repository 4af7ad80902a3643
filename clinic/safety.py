"""Deterministic red-flag net: emergency symptoms that must reach 999 / A&E.

The classifier is good at topics, but a missed emergency is the one mistake this
assistant must not make, so these patterns follow the NHS "call 999 or go to A&E"
lists for headaches and back pain and do not depend on any trained model.

Plain Python on purpose: the Rasa NLU component, the actions and the tests all call
`red_flag_reason` without a server.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional, Pattern, Tuple

# Words that place a symptom in a headache context, used where the symptom alone
# (confusion, drowsiness, blurred sight) is too common to flag on its own.
_HEAD = r"(?:head\s?-?aches?|hedaches?|headaches?|head\s?pain|pain in (?:my|the) head|migr\w*|my head)"
_CANT = r"(?:can'?t|cannot|can not|couldn'?t|unable to|not able to)"
_LEGS = r"(?:both (?:my |of my )?legs|my legs|both feet|my feet|legs)"

# (reason, pattern) pairs. A reason names the NHS category, for staff urgency notes.
_ALWAYS: Tuple[Tuple[str, str], ...] = (
    # Sudden, extremely painful headache.
    ("sudden_severe_headache", r"thunder\s?-?clap"),
    ("sudden_severe_headache", r"worst (?:[\w']+ ){0,2}(?:head\s?aches?|headaches?|hedaches?|migr\w*|pain)"
     r"(?: [\w']+){0,3} (?:of my life|ever|i'?ve ever|i have ever|i'?ve had)"),
    ("sudden_severe_headache", r"worst (?:head\s?aches?|headaches?|hedaches?|migr\w*) (?:of my life|ever|i'?ve)"),
    ("sudden_severe_headache", r"(?:sudden|suddenly|out of nowhere|all of a sudden|came on fast|within seconds)"
     r"(?: [\w']+){0,6} (?:excruciating|agoni[sz]ing|unbearable|extreme|explosive|severe|horrendous|blinding|terrible|splitting)"
     r"(?: [\w']+){0,3} (?:head\s?aches?|headaches?|hedaches?|pain in (?:my|the) head|head pain)"),
    ("sudden_severe_headache", r"(?:excruciating|agoni[sz]ing|unbearable|explosive|blinding) (?:head\s?aches?|headaches?|hedaches?|head pain)"
     r"(?: [\w']+){0,5} (?:sudden|suddenly|out of nowhere|all of a sudden|within seconds|like being hit)"),
    ("sudden_severe_headache", r"(?:head|skull) (?:[\w']+ ){0,5}(?:explod|about to burst)"),
    ("sudden_severe_headache", r"like (?:being|i'?ve been|i was|someone) (?:hit|struck|kicked|smacked)\w* (?:[\w']+ ){0,2}(?:on|in|round) the head"),
    # Headache after a head injury.
    ("head_injury", r"head injur|concussion|knocked (?:myself )?(?:out|unconscious)|fractured? (?:my )?skull"),
    ("head_injury", r"(?:hit|banged|bashed|bumped|smacked|knocked|struck|whacked|cracked|landed on) (?:my|his|her|the back of my) head"),
    ("head_injury", r"(?:fell|fallen|falling) (?:[\w']+ ){0,3}(?:on|onto) (?:my|his|her) head"),
    # Problems speaking.
    ("speech_problems", r"slurr\w*"),
    ("speech_problems", _CANT + r" (?:speak|talk|get (?:my |the )?words out|form words|say words)"),
    ("speech_problems", r"(?:trouble|difficulty|problems?|struggling|hard) (?:with )?(?:speaking|talking|getting words out|with (?:my )?speech)"),
    ("speech_problems", r"(?:words|speech) (?:[\w']+ ){0,2}(?:jumbled|muddled|garbled|slurr\w*|not coming out|coming out wrong|gone funny)"),
    # Loss of vision.
    ("vision_loss", r"(?:lost|loss of|losing|lose) (?:my |the |all |some )?(?:vision|sight|eyesight)"),
    ("vision_loss", r"(?:gone|going|went|suddenly) blind|blind in (?:one|my|an) eye"),
    ("vision_loss", _CANT + r" see (?:anything|properly|out of|at all|clearly|straight)"),
    ("vision_loss", r"(?:vision|sight|eyesight) (?:[\w']+ ){0,2}(?:went|gone|going|blacked|blacking|disappeared|cut out)"),
    # One side of the face dropping.
    ("face_drooping", r"(?:face|mouth|smile|lip|eyelid)\w* (?:[\w']+ ){0,3}(?:dropp\w*|droop\w*|sag\w*|slump\w*|fallen|lopsided|crooked|numb)"),
    ("face_drooping", r"(?:droop\w*|dropp\w*|sag\w*|lopsided|crooked|numb) (?:[\w']+ ){0,3}(?:face|mouth|smile)"),
    ("face_drooping", r"one side of (?:my|his|her|the) (?:face|body|mouth)"),
    # Stiff neck with a rash or high temperature (meningitis).
    ("neck_rash_fever", r"rash (?:[\w']+ ){0,6}(?:doesn'?t|does not|won'?t|didn'?t) fade|glass test"),
    # Numbness or weakness in both legs (cauda equina).
    ("legs_numb_weak", r"(?:numb\w*|weak\w*|pins and needles|tingl\w*|no feeling|dead|paraly\w*) (?:[\w']+ ){0,3}(?:in |down |of )?" + _LEGS),
    ("legs_numb_weak", _LEGS + r" (?:[\w']+ ){0,3}(?:numb\w*|weak\w*|dead|paraly\w*|giving way|gave way|gone|collaps\w*|to jelly|won'?t (?:work|move|hold))"),
    ("legs_numb_weak", _CANT + r" (?:feel|move|lift|use|stand on|control) (?:[\w']+ ){0,2}" + _LEGS),
    # Numbness around the genitals or buttocks (saddle anaesthesia).
    ("saddle_numbness", r"(?:numb\w*|no feeling|tingl\w*|pins and needles) (?:[\w']+ ){0,4}(?:genital\w*|groin|bum|buttock\w*|bottom|backside|private\w*|crotch|saddle|anus|back passage|inner thighs?|between my legs|down below|nether)"),
    ("saddle_numbness", r"(?:genital\w*|groin|bum|buttock\w*|bottom|backside|private\w*|crotch|saddle|inner thighs?|down below) (?:[\w']+ ){0,3}(?:numb\w*|no feeling|tingl\w*)"),
    ("saddle_numbness", _CANT + r" feel (?:[\w']+ ){0,3}(?:genital\w*|groin|bum|buttock\w*|bottom|backside|private\w*|crotch|saddle|down below|when i wipe)"),
    # Loss of bladder or bowel control, difficulty peeing.
    ("bladder_bowel", r"(?:lost|loss of|losing|lose|no) (?:[\w']+ ){0,2}(?:control (?:of|over) )?(?:my )?(?:bladder|bowel)"),
    ("bladder_bowel", r"(?:bladder|bowel)s? (?:[\w']+ ){0,2}(?:control|problems?|gone|not working|leak\w*|accident)"),
    ("bladder_bowel", _CANT + r" (?:[\w']+ ){0,2}(?:control|hold) (?:[\w']+ ){0,1}(?:bladder|bowels?|pee|wee|urine|poo)"),
    ("bladder_bowel", r"(?:wet|wetting|weed|peed|pee'?d|soiled|pooed|pooped|messed|shat) (?:myself|my pants|my trousers|the bed|my underwear)"),
    ("bladder_bowel", r"(?:" + _CANT + r"|trouble|difficulty|struggling to|hard to|problems?) (?:[\w']+ ){0,1}(?:pee\w*|wee\w*|urinat\w*|pass (?:urine|water)|go for a (?:wee|pee))"),
    ("bladder_bowel", r"incontinen\w*|haven'?t (?:peed|been able to pee|had a wee)"),
    # Chest pain.
    ("chest_pain", r"chest (?:[\w']+ ){0,2}(?:pains?|tight\w*|hurts?|hurting|pressure|agony|crushing|ache|aching|heavy)"),
    ("chest_pain", r"(?:pains?|tightness|pressure|crushing|ache|aching|heaviness|stabbing) (?:[\w']+ ){0,3}(?:my |the )?chest"),
    ("chest_pain", r"heart attack"),
    ("breathing", _CANT + r" (?:breathe|breath|catch my breath)|(?:struggling|difficulty|trouble) (?:to )?breath\w*"),
    # After a serious accident or fall.
    ("serious_accident", r"(?:car|road|motorbike|motorcycle|bike|traffic|bus|work|workplace|serious|bad|nasty|major|big) (?:accident|crash|collision|smash|pile-?up)"),
    ("serious_accident", r"(?:fell|fallen|fall|falling|came off|come off) (?:[\w']+ ){0,2}(?:off|from|down) (?:a |the |my |some )?(?:ladder|roof|stairs|steps|horse|scaffold\w*|height|balcony|wall|tree|bike|motorbike|loft)"),
    ("serious_accident", r"(?:bad|serious|nasty|big|heavy|awful|horrible) (?:[\w']+ ){0,1}(?:fall|tumble)"),
    ("serious_accident", r"(?:hit|knocked (?:down|over)|run over) by (?:a |an )?(?:car|van|bus|lorry|truck|vehicle|cyclist|bike|motorbike)"),
    ("serious_accident", r"(?:crashed|rolled|wrote off) (?:my |the |our )?(?:car|bike|motorbike|van)"),
    # Thoughts of ending one's life: not a pain symptom, but never a topic question.
    ("self_harm", r"(?:kill|hurt|harm) myself|suicid\w*|end (?:my|it all)\b(?: life)?|don'?t want to (?:live|be alive)"),
)

# Symptoms that only count together with a headache (NHS: "severe headache with ...").
_WITH_HEADACHE: Tuple[Tuple[str, str], ...] = (
    ("confusion_drowsiness", r"confus\w*|disorient\w*|don'?t know where i am|drows\w*|can'?t stay awake|"
     r"keep (?:passing out|blacking out|falling asleep)|passed out|pass(?:ing)? out|black(?:ed|ing) out|fainted|unconscious|not making sense"),
    ("vision_loss", r"double vision|seeing double|vision (?:[\w']+ ){0,2}(?:blurr\w*|went|gone)|blurr\w* (?:vision|sight)"),
    ("neck_rash_fever", r"stiff neck|neck (?:[\w']+ ){0,2}stiff|can'?t (?:bend|move) my neck"),
    ("vomiting", r"(?:keep|kept|been|can'?t stop) (?:being sick|vomit\w*|throwing up)|projectile"),
)

# A stiff neck with a headache is common; with a rash or fever it is meningitis territory.
_FEVER_OR_RASH = r"rash|fever|high temp\w*|temperature|burning up|feverish|light hurts|can'?t bear (?:the )?light"

# Negations that cancel a symptom stated just before it ("no chest pain", "not numb").
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|nor|none|haven'?t got|don'?t have|doesn'?t have|didn'?t have|isn'?t|aren'?t|wasn'?t|no sign of|free of|apart from)\b"
    r"(?:\s+\w+){0,2}\s*$"
)

_COMPILED_ALWAYS = tuple((reason, re.compile(pattern)) for reason, pattern in _ALWAYS)
_COMPILED_WITH_HEADACHE = tuple((reason, re.compile(pattern)) for reason, pattern in _WITH_HEADACHE)
_HEAD_RE = re.compile(_HEAD)
_NECK_RE = re.compile(r"stiff neck|neck (?:[\w']+ ){0,2}stiff")
# An accident or head injury long ago is history, not an emergency.
_PAST_EVENT_REASONS = frozenset({"serious_accident", "head_injury"})
_LONG_AGO_RE = re.compile(r"\b(?:years?|months?|decades?) (?:ago|back|before)|last year|a while ago|as a (?:child|kid|teenager)|old injury|when i was (?:young|little|\d+)")
_FEVER_RE = re.compile(_FEVER_OR_RASH)


def normalise(text: str) -> str:
    """Lower-case, straighten quotes and collapse spaces so patterns stay simple."""
    text = (text or "").lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[^\w'\s-]", " ", text)
    text = re.sub(r"\bcant\b", "can't", text)
    text = re.sub(r"\bcouldnt\b", "couldn't", text)
    text = re.sub(r"\bdont\b", "don't", text)
    text = re.sub(r"\bhavent\b", "haven't", text)
    text = re.sub(r"\bive\b", "i've", text)
    text = re.sub(r"\bim\b", "i'm", text)
    return re.sub(r"\s+", " ", text).strip()


def _first_unnegated(patterns: Iterable[Tuple[str, Pattern[str]]], text: str) -> Optional[str]:
    for reason, pattern in patterns:
        for match in pattern.finditer(text):
            if not _NEGATION.search(text[: match.start()]):
                return reason
    return None


def red_flag_reason(text: str) -> Optional[str]:
    """The NHS emergency category a message describes, or None.

    Kept conservative in one direction only: a message that mentions an emergency
    symptom is flagged even inside a longer message, unless the symptom is negated
    just before it ("no chest pain"), or is an accident or injury placed long in the
    past ("a car accident years ago").
    """
    clean = normalise(text)
    if not clean:
        return None
    for reason, pattern in _COMPILED_ALWAYS:
        if reason in _PAST_EVENT_REASONS and _LONG_AGO_RE.search(clean):
            continue
        if _first_unnegated(((reason, pattern),), clean):
            return reason
    if _HEAD_RE.search(clean):
        for reason, pattern in _COMPILED_WITH_HEADACHE:
            if reason == "neck_rash_fever" and not _FEVER_RE.search(clean):
                continue
            if _first_unnegated(((reason, pattern),), clean):
                return reason
    if _NECK_RE.search(clean) and _FEVER_RE.search(clean):
        return "neck_rash_fever"
    return None


def is_red_flag(text: str) -> bool:
    return red_flag_reason(text) is not None

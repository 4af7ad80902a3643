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
_HEAD = (r"(?:head\s?-?aches?|hedaches?|headaches?|head\s?pain|pain in (?:the back of )?(?:my|his|her|the) head|migr\w*"
         r"|(?:my|his|her|the|a|bad|sore|pounding|splitting|banging|throbbing) head\b|head (?:is|feels|hurts|pounding|killing|throbbing))")
_CANT = r"(?:can'?t|cannot|can not|couldn'?t|unable to|not able to|can barely|can hardly|barely|hardly)"
_LEGS = r"(?:both (?:my |of my |his |her )?legs|(?:my|his|her) legs|both feet|either leg|legs)"
_W = r"(?:[\w']+ )"  # one word and its space, for "within a few words" gaps


def _near(first: str, second: str, gap: int) -> str:
    """first and second (in either order) with at most `gap` words between them."""
    return rf"(?:{first}) {_W}{{0,{gap}}}(?:{second})|(?:{second}) {_W}{{0,{gap}}}(?:{first})"


_SUDDEN = (r"sudden\w*|out of nowhere|all of a sudden|in seconds|within seconds|from nothing|came on (?:fast|quickly|instantly)"
           r"|explod\w*|worst (?:\w+ ){0,3}(?:ever|of my life|i'?ve ever|i have ever)|never (?:felt|had) (?:\w+ ){0,2}like (?:it|this|that)"
           r"|10 10|like (?:being|i'?ve been|i was|someone|i got) (?:hit|struck|kicked|smacked)\w*")

# (reason, pattern) pairs. A reason names the NHS category, for staff urgency notes.
_ALWAYS: Tuple[Tuple[str, str], ...] = (
    # Sudden, extremely painful headache.
    ("sudden_severe_headache", r"thunder\s?-?clap"),
    ("sudden_severe_headache", r"worst (?:\w+ ){0,2}(?:head\s?aches?|headaches?|hedaches?|migr\w*)"),
    ("sudden_severe_headache", _near(_SUDDEN, _HEAD, 8)),
    ("sudden_severe_headache", r"(?:head|skull) (?:[\w']+ ){0,5}(?:explod\w*|about to burst|going to burst|gonna burst|splitting open)|(?:burst|popped|exploded) in (?:my|his|her) head"),
    # Headache after a head injury.
    ("head_injury", r"head injur|concussion|concussed|knocked (?:myself |him |her )?(?:out|unconscious)|fractured? (?:my |his |her )?skull"),
    ("head_injury", r"(?:hit|hitting|banged|banging|bashed|bumped|bumping|smacked|knocked|knocking|struck|whacked|cracked|landed on|punched|kicked) (?:in |on )?(?:my|his|her|the|the back of my|the back of his|the back of her) head"),
    ("head_injury", r"(?:bang|blow|knock|hit|bump|whack|smack|kick) (?:to|on|in) (?:the|my|his|her) head"),
    ("head_injury", r"(?:fell|fallen|falling) (?:[\w']+ ){0,3}(?:on|onto) (?:my|his|her) head"),
    # Problems speaking.
    ("speech_problems", r"slurr\w*|mix\w* up (?:my |his |her |the )?words"),
    ("speech_problems", _CANT + r" (?:speak|talk|get (?:my |his |her |the )?words out|form words|say words)"),
    ("speech_problems", r"(?:trouble|difficulty|problems?|struggling|struggles|hard) (?:with |to )?(?:speaking|talking|speak|talk|getting words out|with (?:my |his |her )?speech)"),
    ("speech_problems", r"(?:words|speech|talking) (?:[\w']+ ){0,2}(?:jumbled|muddled|garbled|slurr\w*|not coming out|coming out wrong|gone funny|gone strange|weird|odd|strange|all wrong)"),
    # Loss of vision.
    ("vision_loss", r"(?:lost|loss of|losing|lose) (?:my |his |her |the |all |some )?(?:vision|sight|eyesight)"),
    ("vision_loss", r"(?:gone|going|went|suddenly) blind|blind in (?:one|my|an|his|her) eye"),
    ("vision_loss", _CANT + r" see (?:anything|properly|out of|at all|clearly|straight)"),
    ("vision_loss", r"(?:vision|sight|eyesight)(?:'s)? (?:[\w']+ ){0,2}(?:went|gone|going|blacked|blacking|disappeared|cut out|dark|black)"),
    # One side of the face dropping.
    ("face_drooping", r"(?:face|mouth|smile|lip|eyelid)\w* (?:[\w']+ ){0,3}(?:dropp\w*|droop\w*|sag\w*|slump\w*|fallen|lopsided|crooked)"),
    ("face_drooping", r"(?:droop\w*|dropp\w*|sagging|lopsided|crooked) (?:[\w']+ ){0,3}(?:face|mouth|smile)"),
    ("face_drooping", r"one side of (?:my|his|her|the) (?:face|body|mouth) (?:[\w']+ ){0,3}(?:numb|weak|dropp\w*|droop\w*|fallen|gone|won'?t move)"),
    ("face_drooping", r"(?:numb|weak|dropp\w*|droop\w*) (?:[\w']+ ){0,3}one side of (?:my|his|her|the) (?:face|body|mouth)"),
    ("face_drooping", r"(?:having|had|is having|might be having) a (?:stroke|mini stroke|tia)\b|(?:weak|numb|dead|paraly\w*) (?:down |on )?one side|one side (?:[\w']+ ){0,2}(?:went|gone|going|is|feels) (?:weak|numb|dead|floppy)"),
    # Stiff neck with a rash or high temperature (meningitis).
    ("neck_rash_fever", r"rash (?:[\w']+ ){0,6}(?:doesn'?t|does not|won'?t|didn'?t) (?:fade|go)|glass test|under a glass"),
    # Numbness or weakness in both legs (cauda equina).
    ("legs_numb_weak", r"(?:numb\w*|weak\w*|pins and needles|tingl\w*|no feeling|lost (?:all )?(?:the )?feeling|loss of feeling|dead|paraly\w*) (?:[\w']+ ){0,3}(?:in |down |of )?" + _LEGS),
    ("legs_numb_weak", _LEGS + r" (?:[\w']+ ){0,3}(?:numb\w*|weak\w*|dead|paraly\w*|giving way|gave way|give way|gone|collaps\w*|jelly|won'?t (?:work|move|hold))"),
    ("legs_numb_weak", _CANT + r" (?:feel|move|lift|use|stand on|control|walk on) (?:[\w']+ ){0,2}" + _LEGS),
    ("legs_numb_weak", r"(?:both|either) (?:of )?(?:my |his |her )?legs? (?:[\w']+ ){0,3}(?:numb\w*|weak\w*|dead|tingl\w*|gone|jelly)"),
    # Numbness around the genitals or buttocks (saddle anaesthesia).
    ("saddle_numbness", r"(?:numb\w*|no feeling|lost (?:all )?feeling|loss of feeling|tingl\w*|pins and needles) (?:[\w']+ ){0,4}(?:genital\w*|groin|bum|buttock\w*|bottom|backside|private\w*|crotch|saddle|anus|back passage|inner thighs?|between (?:my|his|her) legs|down below|nether)"),
    ("saddle_numbness", r"(?:genital\w*|groin|bum|buttock\w*|bottom|backside|private\w*|crotch|saddle|inner thighs?|down below|between (?:my|his|her) legs) (?:[\w']+ ){0,3}(?:numb\w*|no feeling|tingl\w*)"),
    ("saddle_numbness", _CANT + r" feel (?:[\w']+ ){0,3}(?:genital\w*|groin|bum|buttock\w*|bottom|backside|private\w*|crotch|saddle|down below|when i wipe|wiping)"),
    # Loss of bladder or bowel control, difficulty peeing.
    ("bladder_bowel", r"(?:lost|loss of|losing|lose|no) (?:[\w']+ ){0,2}(?:control (?:of|over) )?(?:my |his |her )?(?:bladder|bowel)"),
    ("bladder_bowel", r"(?:bladder|bowel)s? (?:[\w']+ ){0,2}(?:control|problems?|gone|not working|leak\w*|accident)"),
    ("bladder_bowel", _CANT + r" (?:[\w']+ ){0,2}(?:control|hold|empty) (?:[\w']+ ){0,1}(?:bladder|bowels?|pee|wee|urine|poo)"),
    ("bladder_bowel", r"(?:wet|wetting|weed|peed|pee'?d|soiled|pooed|pooped|messed|shat) (?:myself|himself|herself|my pants|the bed|my underwear|my trousers)"),
    ("bladder_bowel", r"(?:" + _CANT + r"|trouble|difficulty|struggling to|struggle to|hard to|problems?|haven'?t been able to|not been able to) (?:[\w']+ ){0,1}(?:pee\w*|wee\w*|urinat\w*|pass (?:urine|water)|go for a (?:wee|pee))"),
    ("bladder_bowel", r"(?:peeing|weeing|wetting|soiling|pooing) (?:myself|himself|herself)|(?:haven'?t been able to|can'?t|unable to) (?:go to|use) the (?:toilet|loo)|incontinen\w*|haven'?t (?:peed|weed|had a wee|had a pee)|leak\w* (?:wee|pee|urine)|(?:pee|wee|urine) (?:[\w']+ ){0,3}leak\w*"),
    ("bladder_bowel", r"(?:pee|wee|urinate)\w* (?:[\w']+ ){0,4}nothing (?:comes|came|coming) out|accident in (?:bed|my pants|my sleep)"),
    # Chest pain.
    ("chest_pain", r"chest (?:[\w']+ ){0,2}(?:pains?|tight\w*|hurts?|hurting|pressure|agony|crushing|ache|aching|heavy)"),
    ("chest_pain", r"(?:pains?|tightness|pressure|crushing|ache|aching|heaviness|stabbing) (?:[\w']+ ){0,6}(?:my |the |his |her )?chest"),
    ("chest_pain", r"heart attack"),
    ("breathing", _CANT + r" (?:breathe|breath|catch my breath)|(?:struggling|difficulty|trouble) (?:to )?breath\w*|(?:hurts|painful|agony) to breathe"),
    # After a serious accident or fall.
    ("serious_accident", r"(?:car|road|motorbike|motorcycle|bike|traffic|bus|work|workplace|serious|bad|nasty|major|big|rta) (?:accident|crash|collision|smash|pile-?up)"),
    ("serious_accident", r"(?:fell|fallen|fall|falling) (?:[\w']+ ){0,2}(?:off|from|down) (?:a |the |my |some |his |her )?(?:ladder|roof|stairs|steps|horse|scaffold\w*|height|balcony|wall|tree|loft)"),
    ("serious_accident", r"(?:came|come|fell|thrown|flew|knocked) off (?:a |the |my |his |her )?(?:bike|motorbike|motorcycle|horse|scooter|ladder|roof)"),
    ("serious_accident", r"(?:bad|serious|nasty|big|heavy|awful|horrible) (?:[\w']+ ){0,1}(?:fall|tumble)"),
    ("serious_accident", r"(?:fell|fallen|had a fall) (?:[\w']+ ){0,4}can'?t get up|can'?t get up (?:[\w']+ ){0,2}(?:fall|fell)"),
    ("serious_accident", r"(?:hit|knocked (?:down|over)|run over) by (?:a |an )?(?:car|van|bus|lorry|truck|vehicle|cyclist|bike|motorbike)"),
    ("serious_accident", r"(?:crashed|rolled|wrote off) (?:my |the |our |his |her )?(?:car|bike|motorbike|van)|rear[ -]?ended|shunted"),
    # Thoughts of ending one's life: not a pain symptom, but never a topic question.
    ("self_harm", r"(?:kill|hurt|harm) myself|suicid\w*|end (?:my life|it all)|don'?t want to (?:live|be alive)"),
)

# Symptoms that only count together with a headache (NHS: "severe headache with ...").
_WITH_HEADACHE: Tuple[Tuple[str, str], ...] = (
    ("confusion_drowsiness", r"confus\w*|disorient\w*|muddled|forgetting|(?:don'?t|doesn'?t) know (?:where|what|who)|drows\w*|"
     r"can'?t stay awake|hard to wake|won'?t wake|can'?t wake|nodding off|sleepy|falling asleep|keep (?:passing out|blacking out|falling asleep)|"
     r"passed out|pass(?:ing)? out|black(?:ed|ing) out|fainted|unconscious|not making sense|making no sense|talking (?:nonsense|gibberish|rubbish)|seizure|had a fit|fitting|collapsed|collapsing"),
    ("vision_loss", r"can'?t see\b|(?:struggling|trouble|difficulty|hard|problems?) (?:to |with )?(?:see|seeing)\b|double vision|seeing double|vision (?:[\w']+ ){0,2}(?:blurr\w*|went|gone)|blurr\w* (?:vision|sight)|(?:everything|it all|world) (?:went|goes|going|gone) (?:black|dark|blank)"),
    ("neck_rash_fever", r"stiff neck|neck (?:[\w']+ ){0,2}stiff|can'?t (?:bend|move) (?:my|his|her) neck|chin to (?:my |his |her )?chest"),
    ("vomiting", r"(?:keep|kept|been|can'?t stop) (?:being sick|vomit\w*|throwing up)|projectile"),
)

# A stiff neck with a headache is common; with a rash or fever it is meningitis territory.
_FEVER_OR_RASH = (r"rash|spots|blotch\w*|purple|fever|high temp\w*|temperature|burning up|feverish|shivering"
                  r"|light hurts|can'?t bear (?:the )?light|hurts? to look at (?:the )?light")

# Negations that cancel a symptom stated just before it ("no chest pain", "not numb").
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|nor|none|haven'?t got|don'?t have|doesn'?t have|didn'?t have|isn'?t|aren'?t|wasn'?t|no sign of|free of|apart from)\b"
    r"(?:\s+\w+){0,2}\s*$"
)

_COMPILED_ALWAYS = tuple((reason, re.compile(pattern)) for reason, pattern in _ALWAYS)
_COMPILED_WITH_HEADACHE = tuple((reason, re.compile(pattern)) for reason, pattern in _WITH_HEADACHE)
_HEAD_RE = re.compile(_HEAD)
_NECK_RE = re.compile(r"stiff neck|neck (?:[\w']+ ){0,2}stiff|chin to (?:my |his |her )?chest")
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

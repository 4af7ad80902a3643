"""What each warning sign looks like in a visitor's own words: medspaCy target rules.

One entry per sign: its name and regular expressions over the normalised message
(lower case, straight quotes, "cant" -> "can't"). The signs say nothing about urgency;
`clinic/triage/decide.py` combines them into a route, and `clinic/triage/context.py`
says which mentions are negated, in the past, hypothetical or questions.

Patterns may overlap (the matcher keeps every match), so a long phrase and a short one
inside it are both seen. `ignore` marks idioms and everyday phrases that contain a sign's
words without meaning it ("dying to try tui na"); a sign inside an `ignore` span is dropped.
"""

from __future__ import annotations

from typing import Dict, Tuple

# One word (and a comma) then a space, for "within a few words" gaps. A gap never passes a
# negation, so "headache isn't sudden" is not a sudden headache: ConText sees the "isn't".
W = r"(?:(?!(?:no|not|isn't|wasn't|aren't|weren't|never|nothing|without|don't|doesn't|didn't|haven't|hasn't|fine|normal|ok|okay)\b)[\w'-]+,? )"
WHO = r"(?:my|his|her|their|our|your|the|me)"
SELF = r"(?:myself|himself|herself|themselves|themself|yourself|ourselves|myslef|mysef|my self|meself)"
CANT = r"(?:can't|cannot|can not|couldn't|could not|unable to|not able to|struggling to|struggles to|can barely|can hardly|won't)"
HEADACHE = (
    r"(?:head'?s? "
    + W
    + r"{0,2}(?:pounding|banging|throbbing|splitting|hurting|killing|agony)|head\s?-?aches?|headach\w*|hea?d?ache?s?|hedaches?|headace|migr[ae]i?ne?s?|head pain|pain in "
    r"(?:the (?:back|top|side) of )?(?:"
    + WHO
    + r" )?head|\b(?:bad|sore|banging|pounding|thumping|splitting) head\b|head (?:is|feels|hurts|was|has been) "
    + W
    + r"{0,2}(?:pounding|banging|throbbing|killing|agony|exploding|splitting|sore|hurting))"
)
DRUGS = r"(?:tablets|pills|paracetamol|calpol|nurofen|piriton|antihistamines?|beta blockers|(?:blood pressure|heart|sleeping|water) (?:tablets|pills)|ibuprofen|co-?codamol|codeine|tramadol|aspirin|naproxen|diazepam|sleeping (?:pills|tablets)|antidepressants|amitriptyline|sertraline|citalopram|fluoxetine|gabapentin|pregabalin|morphine|oxycodone|methadone|insulin|iron tablets|warfarin|lithium|meds|medication|medicine|capsules|painkillers|vitamins)"
CHEMICALS = (
    r"(?:bleach|descaler|cleaner|cleaning (?:fluid|spray|product)|detergent|antifreeze|white spirit|paraffin|petrol|weed ?killer|screen ?wash"
    r"|washing (?:tablet|pod|liquid)s?|dishwasher (?:tablet|pod)s?|liquitabs?|button batter(?:y|ies)|batter(?:y|ies)|e-?liquid|vape (?:liquid|juice)"
    r"|rat poison|slug pellets|mushrooms|berries|something (?:poisonous|toxic)|poison)"
)
SEVERE = (
    r"(?:bad|severe|terrible|very strong|really strong|strong|agony|excruciating|stinking|stonking|thumping|awful|splitting|pounding|horrendous|horrible|worst|really bad|very bad|agonising|agonizing"
    r"|excruciating|massive|blinding|killer|banging|unbearable|intense|crushing|extreme|shocking|sudden)"
)

SIGNS: Dict[str, Tuple[str, ...]] = {
    # ---- life-threatening now (999) ----
    "collapse": (
        r"\bcollaps\w*",
        r"\bunconscious\b",
        r"\bunresponsive\b",
        r"\bout cold\b",
        r"\bkeel(?:ed|s)? over",
        r"\bnot (?:responding|responsive|waking up|waking|breathing|moving at all)\b",
        r"\b(?<!to )(?<!rather )(?<!i'd )(?:won't|wont|can't|cannot|couldn't|will not|isn't|not) (?:wake|waking|be woken|rouse|come round|coming round|come to|coming to|respond\w*)\b(?! up (?:in the morning|tomorrow|again))",
        r"\b(?:stopped|isn't|is not|barely|hardly|not) breathing\b",
        r"\b(?:turn(?:ed|ing)?|gone|going|went) (?:blue|grey|gray)\b",
        r"\blips " + W + r"{0,2}blue\b",
        r"\b(?:passed|blacked) out and (?:won't|can't|isn't|hasn't|not|still)",
        r"\b(?:found|lying|lay|is|was) "
        + W
        + r"{0,2}(?:on|in) the (?:floor|ground|bathroom floor) "
        + W
        + r"{0,3}(?:not|won't|can't|isn't)",
        r"\bwent (?:limp|floppy)\b",
        r"\bno pulse\b",
        r"\bnot moving\b(?! (?:much|my|his|her|it|the|as|well|properly|around|about|very))",
        r"\bnot (?:really )?with it\b",
        r"\bout of it\b",
        r"\b(?:gone|went) down like a sack\b",
        r"\bslump(?:ed|s|ing)?\b",
        r"\bhard to (?:wake|rouse)\b",
        r"\b(?:isn't|is not|not|doesn't|does not|won't|didn't|can't) (?:answer\w*|respond\w*|reacting|react)\b",
        r"\bgone (?:very )?(?:quiet|floppy|limp) " + W + r"{0,3}(?:eyes|not|won't)",
    ),
    "breathing": (
        CANT + r" (?:breathe|breath|catch " + WHO + r" breath|get (?:any |enough )?air)",
        r"\bnot breath\w* (?:good|right|properly|well|normally|proper)\b",
        r"\b(?:struggling|struggles|fighting|gasping|difficulty|trouble|hard|labou?red) (?:to |for |with |in )?(?:breath\w*|air)\b",
    ),
    "stroke": (
        r"\b(?:face|mouth|smile|lip|eyelid|cheek)s? "
        + W
        + r"{0,4}(?:dropp\w*|droop\w*|sag\w*|slump\w*|fallen|lopsided|crooked|wonky|twisted|pulled to one side|gone funny)",
        r"\b(?:droop\w*|dropp\w*|saggy|sagging|lopsided|crooked|wonky) " + W + r"{0,2}(?:face|mouth|smile)",
        # "my face isn't drooping": the sign alone, so that ConText reads the "isn't" before it
        # as a denial (the gap words above never span a negation)
        r"(?:(?<=face isn't )|(?<=face is not )|(?<=face wasn't )|(?<=face not )|(?<=mouth isn't )|(?<=mouth is not )|(?<=mouth wasn't )|(?<=mouth not )|(?<=smile isn't )|(?<=smile is not )|(?<=smile wasn't )|(?<=smile not ))(?:droop\w*|dropp\w*|sagging|lopsided|crooked|wonky)\b",
        r"\bone side of " + WHO + r" (?:face|body|mouth)",
        r"\b(?:weak\w*|numb\w*|dead|paraly\w*|floppy|heavy) "
        + W
        + r"{0,2}(?:down|on|in) (?:one|the (?:left|right)) side",
        r"\b(?:left|right) side " + W + r"{0,3}(?:weak|numb|dead|floppy|paraly\w*|won't move|not working)",
        r"\bslurr\w*",
        r"\b(?:words|speech|talking) "
        + W
        + r"{0,3}(?:jumbled|muddled|garbled|slurr\w*|not coming out|coming out wrong|gone funny|gone strange|all wrong|mixed up|nonsense)",
        r"\b(?:talking|speaking|saying) " + W + r"{0,2}(?:gibberish|nonsense|rubbish)\b",
        r"\b(?:saying|using|getting|coming out with) (?:the |all the )?wrong words\b",
        r"\bwords? " + W + r"{0,3}(?:come|coming|came|comes) out (?:wrong|right|funny|jumbled|muddled|properly|weird)",
        r"\b(?:arm|hand|leg)'?s? "
        + W
        + r"{0,3}(?:useless|limp|floppy|won't work|doesn't work|stopped working|gone dead|not working)",
        r"\b(?:face|arm|leg|hand|mouth) "
        + W
        + r"{0,3}(?:heavy|numb|weak|tingly|dead|funny|droopy) (?:on|down) (?:one|the (?:left|right)) side\b",
        r"\bmix\w* up (?:" + WHO + r" )?words",
        CANT
        + r" (?:speak|talk|get (?:"
        + WHO
        + r" |the )?words out|find (?:"
        + WHO
        + r" |the )?words|form words|say "
        + W
        + r"?words)",
        r"\b(?:trouble|difficulty|problems?|struggling|hard) (?:with |to )?(?:speaking|talking|speak|talk|getting words out)",
        CANT + r" (?:lift|raise|move|hold up|feel) (?:" + WHO + r" )?(?:left |right )?arm\b",
        r"\barm(?:'s)? " + W + r"{0,3}(?:gone |went |is |feels )(?:weak|numb|dead|floppy|heavy|useless)",
        CANT
        + r" (?:seem to )?(?:make|get) (?:"
        + WHO
        + r" |the )?(?:mouth|face|lips?|tongue) (?:to )?(?:work|move|do)",
        r"\b(?:having|had|is having|might be having|think "
        + W
        + r"{0,2}(?:having|had)) a (?:stroke|mini[- ]stroke|tia)\b",
        r"\bstroke\b",
        r"\bmini[- ]stroke\b",
        r"\bstopped (?:talking|speaking) " + W + r"{0,2}(?:mid|suddenly|middle)",
        r"\bmaking " + W + r"?noises\b",
        r"\barm " + W + r"{0,3}(?:limp|hanging|dropped|floppy|flopp\w*)",
    ),
    "chest_pain": (
        r"\bchest'?s? in a vice\b",
        r"\bchest'?s? "
        + W
        + r"{0,4}(?:pains?|tight\w*|hurts?|hurting|pressure|agony|crushing|ache|aching|heavy|heaviness|squeez\w*|burning|sore)",
        r"\b(?:pains?|tightness|tight|band|pressure|crushing|ache|aching|heaviness|stabbing|squeezing|weight) "
        + W
        + r"{0,7}"
        + r"(?:"
        + WHO
        + r" |the )?chest\b",
        r"\bheart attack\b",
        r"\bcardiac arrest\b",
        r"\belephant " + W + r"{0,3}chest",
        r"\bchest " + W + r"{0,4}elephant\b",
        r"\bchest " + W + r"{0,4}(?:sitting on|standing on|squash\w*|crush\w*|band|vice|clamp)",
        r"\b(?:going|spreading|radiating|shooting|moving) (?:down|into|up|to) (?:"
        + WHO
        + r" )?(?:left )?(?:arm|jaw)\b",
        r"\b(?:grey|gray|clammy|pale) and (?:sweat\w*|clammy|grey|gray)\b",
        r"\bleft arm'?s? " + W + r"{0,2}(?:numb|heavy|aching|hurts|tingl\w*|dead)\b (?:" + W + r"){0,6}sweat",
        r"\bpain "
        + W
        + r"{0,3}(?:going|spreading|radiating|shooting|moving) "
        + W
        + r"{0,2}(?:into|to|down|up) (?:"
        + WHO
        + r" )?(?:left )?(?:arm|jaw)",
    ),
    # Crushing chest pain is described, not asked about, even after "can Tui Na help...?".
    "chest_crushing": (
        r"\bchest\b.{0,80}\bcrushing\b",
        r"\bcrushing " + W + r"{0,3}chest\b",
        r"\bcrushing (?:pain|feeling|pressure|weight)\b.{0,80}\b(?:sweat\w*|jaw|left arm|clammy|grey|gray)\b",
    ),
    "seizure": (
        r"\bs(?:ei|ie|ee)zures?\b",
        r"\bconvuls\w*",
        r"\b(?:having|had|took|is having|has had|in) (?:a|another) " + W + r"?fit\b",
        r"\bfitting\b(?! in| into| me| you| room| the)",
        r"\bshaking " + W + r"{0,2}(?:uncontrollab\w*|all over|and jerking)",
        r"\bjerking " + W + r"{0,3}(?:arms|legs|body|all over)",
        r"\b(?:went|gone) (?:all )?stiff and (?:started )?(?:jerking|shaking|twitching|fitting)",
        r"\bstarted (?:jerking|twitching|convulsing|fitting)\b",
        r"\bfoam\w* (?:at|round|around|from) (?:the|his|her|my) mouth\b",
        r"\b(?:twitching|jerking|shaking) and (?:twitching|jerking|shaking)\b",
    ),
    "overdose": (
        r"\b(?:took|taken|swallowed|had|necked|downed|eaten|ate) (?:a |an |the |half a |one and a half |two |three |\d+ )?(?:whole )?(?:pack|packet|box|strip|bottle|tub|blister)s?(?: and a half)? of "
        + DRUGS,
        r"\bover ?dos\w*",
        r"\bod(?:'d|ed|'ed)\b",
        r"\bod\b on",
        r"\b(?:took|taken|take|swallowed|had|drank|eaten|ate) "
        + W
        + r"{0,3}(?:too many|too much|a load of|loads of|all(?: of)?(?: "
        + WHO
        + r")?|a whole|a (?:big )?handful of|a packet(?: of)?|a box(?: of)?|a bottle(?: of)?|a strip(?: of)?|about \d+|\d+) "
        + W
        + r"{0,3}(?:pills|tablets|paracetamol|ibuprofen|co-?codamol|codeine|tramadol|meds|medication|medicine|sleeping pills|antidepressants|painkillers|capsules)",
        r"\b(?:swallowed|drank|drunk|eaten|ate|ingested) "
        + W
        + r"{0,3}(?:bleach|pills|tablets|batter(?:y|ies)|antifreeze|weed ?killer|cleaning|detergent|poison|dishwasher|washing|medicine|vape liquid|e-liquid)",
        r"\bpoison\w*",
        r"\b(?:swallowed|swallow|eaten|ate|drunk|drank|got into|chewed) " + W + r"{0,5}" + DRUGS,
        r"\b(?:swallowed|eaten|ate|drunk|drank|chewed|sucked|licked) " + W + r"{0,4}" + CHEMICALS,
        r"\b(?:took|taken|had) more\b " + W + r"{0,8}" + DRUGS,
        DRUGS + r" " + W + r"{0,8}(?:took|taken|had) more\b",
        r"\b\d+ " + W + r"{0,2}" + DRUGS + r" (?:today|in a day|in one go|at once|since)",
        r"\b(?:gaps|missing|empty) (?:in|from) the (?:strip|packet|pack|box|bottle)\b",
        r"\b(?:a|the) (?:full|whole) (?:bottle|packet|box|strip) of\b",
        r"\bthinking (?:it|they) (?:was|were) (?:juice|sweets|water|squash|a drink)\b",
        r"\bsmell (?:it|bleach|" + CHEMICALS + r") on (?:his|her|their) breath\b",
        r"\bfound (?:him|her|them|my \w+) with (?:the|a|an) (?:" + W + r"){0,2}(?:bottle|packet|tablets|pills)\b",
        r"\bempty (?:bottle|packet|box|strip|blister pack|pack) of " + W + r"{0,2}" + DRUGS,
        r"\b(?:bitten|bit|chewed|sucked) (?:into|on) " + W + r"{0,4}" + CHEMICALS,
        r"\bgot into " + W + r"{0,4}" + DRUGS,
        CHEMICALS + r" " + W + r"{0,8}(?:bit|bitten|chewed|swallowed|ate|eaten|drank|drunk|licked|sucked)\b",
        r"\b(?:ate|eat|eaten|took|take|swallowed|had) (?:many|lots of|loads of|a lot of|too many|several|so many) "
        + W
        + r"{0,3}"
        + DRUGS,
        DRUGS + r" " + W + r"{0,6}(?:by mistake|accidentally|accidently|by accident|instead of)\b",
        r"\bmixed up (?:" + WHO + r" )?(?:pill ?boxes|pills|tablets|meds|medication|doses)\b",
        r"\baccident(?:al)?ly (?:took|taken|swallowed|had) " + W + r"{0,4}" + DRUGS,
        r"\bthe (?:strip|packet|pack|box|bottle) (?:" + W + r"){0,3}(?:gaps|missing|empty)",
        r"\b(?:don't|do not|not sure|no idea|dont) "
        + W
        + r"{0,2}(?:know )?how many "
        + W
        + r"{0,3}(?:had|taken|took|swallowed|eaten|ate|'s had)",
        r"\b(?:tablets|pills|capsules) " + W + r"{0,5}(?:are |is )?missing\b",
        r"\b(?:took|taken|take|takes|had) "
        + W
        + r"{0,3}(?:again|twice|double)\b "
        + W
        + r"{0,8}(?:sleepy|drowsy|confused|not answer\w*|won't wake|dizzy|faint|heart)",
        r"\bthat'?s double\b",
        r"\bdouble (?:the |my |his |her )?dose\b",
        r"\b(?:methadone|morphine|oxycodone|fentanyl|heroin)\b "
        + W
        + r"{0,10}(?:drank|drunk|swallowed|ate|had some|took some)",
        r"\b(?:swallowed|took|taken) (?:about |around |like |maybe )?\d+\b",
        r"\b(?:took|taken|take) "
        + W
        + r"{0,4}(?:twice|by mistake|by accident|accidentally|double (?:the |my |his |her )?dose|double what)",
        r"\bhad " + W + r"{0,2}" + DRUGS + r" " + W + r"{0,3}(?:twice|by mistake|by accident|accidentally)",
        # doses stacked without meaning to: "double dosing paracetamol with lemsip"
        r"\b(?:9|1\d|2\d|3\d)(?: or \d+)? "
        + W
        + r"{0,1}(?:tablets|pills|paracetamol|co-?codamol|painkillers|capsules) (?:a|per|each|every) day\b",
        r"\bon top of (?:my |the |his |her |all )?(?:paracetamol|co-?codamol|painkillers|tablets|pills)\b",
        r"\b(?:co-?codamol|lemsip|cold and flu|beechams|night nurse|solpadeine|paracetamol)\b " + W + r"{0,6}on top\b",
        r"\bdoubl\w*[- ]?dos\w*",
        r"\bdoubl\w* up (?:on|with) " + W + r"{0,4}" + DRUGS,
        r"\b\d+ ?(?:ish|odd|or so)? " + W + r"{0,2}" + DRUGS + r",? (?:altogether|in total|in all|all together)\b",
    ),
    # Without meaning to: an overdose by mistake needs 999, not the crisis reply.
    "accidental": (
        r"\bby (?:mistake|accident)\b",
        r"\baccident(?:al)?l?y\b",
        r"\b(?:didn't|did not|never) (?:realise|realize|know|think)\b",
        r"\bwithout (?:realising|realizing|thinking|knowing)\b",
        r"\bdoubl\w*[- ]?dos\w*",
        r"\bmixed up\b",
        r"\b(?:just )?(?:realised|realized|noticed) (?:i've|i have|he's|she's|that)\b",
    ),
    # Signs of infection where a needle or a surgeon went in: with back pain, GP today.
    "procedure_infection": (
        r"\b(?:injection|jab|epidural|nerve (?:root )?block|facet|lumbar puncture|spinal tap|operation|op|surgery|procedure|wound|scar|stitches|incision|needle|drain)\b(?: (?:site|spot|area|point))? "
        + W
        + r"{0,10}(?:red and (?:hot|swollen|angry)|hot and (?:red|swollen)|oozing|pus|weeping|infected|angry and hot|swollen and (?:hot|red))",
        r"\b(?:spot|site|wound|scar|area) (?:is |has gone |'s gone |looks |went )?(?:red and (?:hot|swollen)|hot and (?:red|swollen)|infected|oozing)",
    ),
    "meningitis_rash": (
        r"\brash "
        + W
        + r"{0,8}(?:doesn't|does not|won't|didn't|did not|not|isn't|never) (?:fade|fading|go away|disappear|go|change)",
        r"\bglass test\b",
        r"\b(?:spots|rash|marks|dots|blotches) "
        + W
        + r"{0,8}(?:don't|doesn't|didn't|won't|not|never) (?:fade|go away|disappear)",
        r"\bpress\w* (?:" + W + r"){0,2}glass\b",
        r"\b(?:roll|press|push|put)\w* a glass\b",
        r"\bunder a glass\b",
        r"\bnon[- ]?blanching\b",
        r"\b(?:purple|dark red|red-purple|pinprick|bruise-like) " + W + r"{0,2}(?:spots|rash|blotches|marks|dots)",
        r"\bmening\w*",
        r"\bsepsis\b",
        r"\bseptic\b",
    ),
    "neck_stiff": (
        r"\bstiff neck\b",
        r"\bneck'?s? " + W + r"{0,3}(?:stiff|rigid|won't bend|can't bend)",
        CANT + r" (?:bend|move|turn|touch|put|get|tilt) (?:" + WHO + r" )?(?:neck|chin|head)(?: forward| down)?",
        r"\bchin " + W + r"{0,2}(?:to|on|onto) (?:" + WHO + r" )?chest",
    ),
    "fever": (
        r"\bfever\w*",
        r"\bhigh temp\w*",
        r"\ba (?:" + W + r")?temp(?:erature)?\b",
        r"\bnight sweats\b",
        r"\btemperature of\b",
        r"\btemp(?:erature)? (?:of |is |was )?(?:3[89]|4[01])\b",
        r"\bburnin[g']? up\b",
        r"\bboiling (?:hot|up)\b",
        r"\bred hot\b",
        r"\broasting\b",
        r"\bsweating buckets\b",
        r"\bhot and (?:cold|shivery|sweaty)\b",
        r"\bshiver\w*",
        r"\bchills\b",
        r"\brigors?\b",
        r"\b(?:3[89]|40)(?:\.\d)? ?(?:degrees|c\b|°)",
    ),
    "light_hurts": (
        r"\blight " + W + r"{0,3}(?:hurts|hurting|painful|bothers|unbearable)",
        r"\b(?:can't|cannot|can not) (?:stand|bear|look at|handle|cope with) (?:the )?(?:light|bright)",
        r"\b(?:hurts|painful) to look at (?:the )?(?:light|screen|bright)",
        r"\bphotophobi\w*",
        r"\bsensitive to (?:the )?light\b",
        r"\b(?:keeps|keep|wants) " + W + r"{0,2}(?:curtains|lights?|blinds) (?:closed|off|shut|drawn)",
        r"\b(?:hates|screams|screaming|cries|crying|winces|flinches|can't stand) " + W + r"{0,3}(?:the )?light'?s?\b",
    ),
    "thunderclap": (
        r"\bthunder\s?-?clap",
        r"\bworst "
        + W
        + r"{0,3}(?:headache|head ache|head pain|migraine|pain)\w*(?: \w+){0,6} (?:ever|of (?:my|his|her|their) li[fv]es?|i've ever|i have ever|she's ever|he's ever|i've had|ive had)",
        r"\bworst " + W + r"{0,2}(?:headache|migraine)",
        r"\bsudden\w* " + W + r"{0,5}" + HEADACHE,
        HEADACHE
        + r" "
        + W
        + r"{0,6}(?:sudden\w*|out of nowhere|out of the blue|in seconds|within seconds|instantly|in an instant|like a (?:thunderclap|bomb|gunshot|explosion|bang|lightning))",
        r"\b(?:out of nowhere|out of the blue|all of a sudden|suddenly|in seconds|instantly) "
        + W
        + r"{0,6}(?:"
        + HEADACHE
        + r"|pain in (?:"
        + WHO
        + r" )?head|head)",
        r"\blike (?:being|i've been|i was|i'd been|someone|something|she'd been|he'd been|she was|he was|a) "
        + W
        + r"{0,2}(?:hit|struck|smacked|kicked|whacked|punched|hammer\w*|bat|brick)",
        r"\b(?:exploded|burst|popped|snapped|went bang|go pop|went pop|goes pop|gone pop) "
        + W
        + r"{0,2}in (?:"
        + WHO
        + r" )?head",
        r"\b(?:head|skull|brain) "
        + W
        + r"{0,4}(?:explod\w*|burst\w*|going to burst|about to burst|gonna burst|going to explode|about to explode|gonna explode|splitting open)",
        r"\blike (?:a gunshot|a thunderclap|a bomb going off|an explosion|being shot)\b",
        r"\bbrain (?:bleed|haemorrhage|hemorrhage|aneurysm)\b",
        r"\baneurysm\b",
        r"\bsubarachnoid\b",
    ),
    # Onset so fast that with a headache it is a thunderclap whatever the words for the pain.
    "sudden_peak": (
        r"\bin (?:a|one) (?:second|split second|instant)\b",
        r"\bin (?:about )?\d+ seconds\b",
        r"\b(?:in|within) seconds\b",
        r"\b(?:went|goes|gone|go) from nothing to\b",
        r"\blike a (?:gunshot|thunderclap|bomb|explosion|lightning bolt)\b",
        r"\bexplosive\b",
    ),
    "sudden_onset": (
        r"\bsudden\w*",
        r"\bout of (?:nowhere|the blue)\b",
        r"\bin (?:a|one) (?:second|split second|instant)\b",
        r"\bin (?:about )?\d+ seconds\b",
        r"\bwithin seconds\b",
        r"\binstant(?:ly)?\b",
        r"\blike a (?:gunshot|thunderclap|bomb|bang|explosion|lightning bolt|hammer|bat)\b",
        r"\bexplosive\b",
        r"\bwent from nothing to\b",
        r"\bfrom nothing to\b",
        r"\bcame on (?:all at once|instantly|in seconds|like)\b",
        r"\bhit me like\b",
        r"\bstruck (?:me )?like\b",
    ),
    "worst_ever": (
        r"\bworst "
        + W
        + r"{0,3}(?:ever|of (?:my|his|her|their) li[fv]es?|i've ever|i have ever|ive ever|she's ever|he's ever|i've had|imaginable)",
        r"\b(?:but )?never like this\b",
        r"\bnothing like (?:this|them|it|my (?:usual|normal)|a normal|any)\b",
        r"\blike nothing (?:i've|i have|ive|i'd|she's|he's|she has|he has) (?:ever )?(?:had|felt|known)\b",
        r"\bnever (?:had|felt) " + W + r"{0,3}like (?:this|it|that)\b",
        r"\b(?:10|ten) out of (?:10|ten)\b",
        r"\b(?:most|worst) "
        + W
        + r"{0,2}(?:pain|agony) "
        + W
        + r"{0,2}(?:i've|i have|ive|she's|he's|she has|he has) ever\b",
    ),
    "vision_loss": (
        CANT + r" see (?:right|properly|clearly|straight|out of|anything|at all)\b",
        r"\b(?:lost|losing|loss of) (?:" + WHO + r" )?(?:vision|sight|eyesight)\b",
        r"\b(?:gone|going|went) blind\b",
        r"\bdouble vision\b",
        r"\b(?:vision|sight|eyesight|eye)'?s? " + W + r"{0,2}(?:gone|went|going) (?:dark|black|blank|grey)\b",
        r"\beverything (?:went|goes|going|gone) (?:black|dark|blank)\b",
        r"\bwent (?:black|dark) (?:" + W + r"){0,4}(?:in|of) (?:" + WHO + r" )?(?:left |right )?eye\b",
        r"\bseeing double\b",
        r"\bblind in (?:one|my|his|her) eye\b",
    ),
    "head_injury": (
        r"\b(?:hit|hitting|banged|banging|bashed|bumped|bumping|smacked|knocked|knocking|struck|whacked|cracked|landed on|punched|kicked|walloped) "
        + W
        + r"{0,2}(?:"
        + WHO
        + r"|the back of (?:"
        + WHO
        + r")|their) head",
        r"\bhead injur\w*",
        r"\btook a (?:knock|bang|blow|whack|hit|smack)\b",
        r"\b(?:knock|bang|blow|whack) (?:at|playing|during) (?:rugby|football|hockey|boxing|training)\b",
        r"\bhead " + W + r"{0,3}(?:hit|bashed|banged|smashed|cracked) " + W + r"{0,2}(?:on|against|off)",
        r"\b(?:bang|blow|knock|hit|bump|whack|smack|kick|punch|thump) "
        + W
        + r"{0,2}(?:to|on|in) (?:the|"
        + WHO
        + r") head",
        r"\bconcuss\w*",
        r"\b(?:fell|fallen|falling|landed) " + W + r"{0,4}(?:on|onto) (?:" + WHO + r") head",
        r"\bknocked (?:" + SELF + r" |him |her |them )?(?:out|unconscious|senseless)",
        r"\bfractured? (?:" + WHO + r" )?skull",
    ),
    "head_danger": (
        r"\bknocked " + W + r"?(?:out|unconscious)",
        r"\b(?:blacked|passed) out\b",
        r"\blost consciousness\b",
        r"\bwas out for\b",
        r"\bvomit\w*",
        r"\b(?:being|been|was|keeps being|keep being) sick\b",
        r"\bthrowing up\b",
        r"\bthrew up\b",
        r"\bthrown up\b",
        r"\bgone double\b",
        r"\bbeen sick\b",
        r"\bconfus\w*",
        r"\bdisorient\w*",
        r"\bmuddled\b",
        r"\bkeep forgetting\b",
        r"\bnodding off\b",
        r"\bdrows\w*",
        r"\bvery sleepy\b",
        CANT + r" (?:stay|keep (?:" + WHO + r" )?eyes) (?:awake|open)",
        r"\b(?:clear )?(?:fluid|liquid|blood|stuff|water) " + W + r"{0,3}(?:ear|ears|nose)\b",
        r"\bhard to (?:wake|rouse)\b",
        r"\bsleepy\b",
        r"\b(?:ear|ears|nose) " + W + r"{0,3}(?:fluid|leaking|dripping)",
        r"\bnot making sense\b",
        r"\b(?:doesn't|don't|didn't) know where (?:she|he|i|they) (?:is|am|are|was)",
        r"\bdazed\b",
        r"\bdouble vision\b",
        r"\bseeing double\b",
        r"\bmemory (?:loss|gone|blank)\b",
        r"\bcan't remember " + W + r"{0,3}(?:happened|what)",
    ),
    # ---- 999 or A&E now ----
    "legs_numb_weak": (
        r"\b(?:numb\w*|weak\w*|pins and needles|tingl\w*|no feeling|lost (?:all )?(?:the )?feeling|loss of feeling|dead|paraly\w*|heavy|jelly|no strength|no sensation|lost (?:the )?sensation|asleep|sleeping) "
        + W
        + r"{0,4}(?:in |down |of |from )?(?:both |"
        + WHO
        + r" |both of "
        + WHO
        + r" |the )?(?:legs|feet|thighs|lower body)\b",
        r"\b(?:legs|feet|thighs) "
        + W
        + r"{0,3}(?:numb\w*|asleep|sleeping|weak\w*|dead|paraly\w*|giving way|gave way|give way|gone|collaps\w*|jelly|heavy|tingl\w*|buckl\w*|won't (?:work|move|hold)|not working|like jelly)",
        CANT
        + r" (?:feel|move|lift|use|stand on|control|walk on|stand up on|bear weight on) "
        + W
        + r"{0,2}(?:legs|feet|either leg|each leg|either foot)\b",
        r"\b(?:both|either|two|2) (?:of )?(?:"
        + WHO
        + r" )?(?:legs?|feet|sides) "
        + W
        + r"{0,4}(?:numb\w*|weak\w*|dead|tingl\w*|gone|jelly|heavy)",
        CANT
        + r" (?:walk|stand|stand up)\b(?! (?:far|long|for long|without|for more|more than|much|very|properly without|up straight|straight|upright))",
        r"\bboth (?:of )?(?:"
        + WHO
        + r" )?(?:leg|legs|foot|feet)\b "
        + W
        + r"{0,3}(?:no strength|numb\w*|weak\w*|dead|tingl\w*|gone|jelly|heavy|pins)",
    ),
    "saddle_numb": (
        r"\b(?:numb\w*|no feeling|lost (?:all )?(?:the )?feeling|loss of feeling|tingl\w*|pins and needles|no sensation|dead|can't feel(?: anything| a thing)?) "
        + W
        + r"{0,5}(?:genital\w*|groin|bum|buttock\w*|bottom|backside|arse|privates|private parts?|crotch|saddle|inner thighs?|between (?:"
        + WHO
        + r" )?legs|down there|down below|vagina|penis|anus|back passage|perineum|undercarriage|nether\w*|bits|willy|fanny|private area|lady bits|vulva|testicles|balls)\b",
        r"\b(?:genital\w*|groin|bum|buttock\w*|bottom|backside|arse|privates|private parts?|crotch|saddle|inner thighs?|down there|down below|between (?:"
        + WHO
        + r" )?legs|bits|willy|fanny|private area|lady bits|vulva|testicles|back passage|anus|perineum) "
        + W
        + r"{0,4}(?:numb\w*|no feeling|tingl\w*|dead|can't feel)",
        r"\b(?:can't|cannot|couldn't|don't|didn't|doesn't|can barely|hardly) feel "
        + W
        + r"{0,5}(?:wipe|wiping|toilet paper|loo roll|tissue)",
        r"\b(?:no feeling|numb\w*|can't feel(?: anything| it)?) (?:when|while) (?:i|he|she|they) (?:wipe|sit on the (?:toilet|loo))",
        r"\bsaddle area\b",
        r"\b(?:bum|bottom|backside|privates) "
        + W
        + r"{0,3}(?:belongs to someone else|someone else'?s|not mine|isn't mine)",
        r"\b(?:not|can't|cannot|don't) feel(?:ing)? (?:anything )?"
        + W
        + r"{0,3}(?:down there|down below|genitals|privates|bottom|backside)\b",
        r"\bnumb (?:exactly |right )?where (?:you|i|he|she) sit\b",
        r"\bsitting on a numb\b",
        r"\b(?:wipe|wiping) "
        + W
        + r"{0,12}(?:can't feel|cannot feel|don't feel|numb|no feeling|feel nothing|feel anything|someone else'?s)",
        CANT + r" (?:get|keep|maintain) (?:an )?erection",
        r"\b(?:no|lost|loss of) " + W + r"{0,2}(?:feeling|sensation) " + W + r"{0,2}(?:during |in |when having )?sex",
    ),
    "bladder_bowel": (
        r"\b(?:can't|cannot|couldn't|unable to|struggling to|struggle to|trouble|difficulty|hard to|problems?|haven't been able to|not been able to|hasn't been able to|can barely|can hardly) "
        + W
        + r"{0,2}(?:pee|peeing|wee|weeing|urinat\w*|pass(?:ing)? (?:urine|water)|empty (?:"
        + WHO
        + r" )?bladder|go to the (?:toilet|loo)|go for a (?:wee|pee)|have a (?:wee|pee)|do a (?:wee|pee)|start (?:peeing|weeing))",
        r"\b(?:lost|losing|lose|no|loss of|can't) "
        + W
        + r"{0,2}control (?:of|over) "
        + W
        + r"{0,2}(?:bladder|bowels?|pee|wee|poo|toilet)",
        r"\b(?:bladder|bowels?) (?:isn't|is not|not|aren't) (?:working|right|emptying)\b",
        r"\b(?:bladder|bowels?) "
        + W
        + r"{0,3}(?:control|gone|not working|stopped working|leak\w*|accident|given up|let go)",
        r"\b(?:wet|wetting|wee'?d|weed|peed|pee'?d|soiled|pooed|pooped|messed|shat) (?:"
        + SELF
        + r"|the bed|"
        + WHO
        + r" (?:pants|underwear|trousers|knickers|bed))",
        r"\b(?:peeing|weeing|wetting|soiling|pooing) " + SELF,
        r"\bincontinen\w*",
        r"\b(?:pee|wee|urine|poo|stool) " + W + r"{0,3}(?:leak\w*|just came out|came out without|dribbl\w*)",
        r"\b(?:didn't|don't|doesn't) (?:know|realise|realize|notice|feel) "
        + W
        + r"{0,3}(?:peed|weed|wet|pee|wee|pooed|needed the toilet|needed the loo)",
        r"\bhaven't (?:peed|weed|had a wee|had a pee|been for a wee|been for a pee)\b",
        r"\bhasn't (?:peed|weed|had a wee|had a pee)\b",
        r"\b(?:nothing|hardly anything|barely anything) " + W + r"{0,2}(?:comes|came|coming|come)\b(?: out)?",
        r"\bbladder (?:just )?(?:isn't|is not|not|stopped) (?:working|emptying)\b",
        r"\b(?:can't|cannot) feel (?:myself|himself|herself|anything|it) " + W + r"{0,6}(?:toilet|loo|wipe|wiping)\b",
        r"\baccidents? (?:in|with) (?:" + WHO + r" )?(?:pants|underwear|bed|bladder|bowels?)",
        r"\b(?:pee|wee|urine|bladder) " + W + r"{0,3}(?:won't|wont|will not|doesn't) (?:come|start|stop)",
        r"\b(?:leak\w*|dribbl\w*) " + W + r"{0,2}(?:urine|wee|pee|poo)\b",
        r"\b(?:urine|wee|pee|poo) "
        + W
        + r"{0,4}(?:without "
        + W
        + r"?(?:knowing|noticing|realising|realizing|feeling)|just (?:come|comes|came) out)",
        r"\b(?:can't|cannot|can not|not able to|unable to|don't) (?:tell|feel|know) "
        + W
        + r"{0,3}(?:need|needs|urine|wee|pee|bladder|the loo|the toilet)",
        r"\b(?:trouble|problems?|issues?|difficulty) (?:with )?(?:the |my |his |her )?(?:bladder|bowels?|waterworks)\b",
        r"\b(?:bladder|bowels?) (?:feels? |is )?(?:odd|weird|strange|funny|different|numb)\b",
        r"\bnot telling (?:me|him|her) when (?:it's|its|it is) full\b",
        r"\b(?:can't|cannot|don't) (?:tell|feel|know) when (?:it's|its|my bladder is|i'm) full\b",
        r"\b(?:can't|cannot|can not|not able to|unable to) control "
        + W
        + r"{0,5}(?:toilet|loo|wee|pee|bladder|bowel\w*|poo)",
    ),
    "injury": (
        r"\b(?:car|road|motorbike|motorcycle|bike|traffic|bus|van|cycling|work|rta|serious|bad|nasty|major|big|horse riding|riding) (?:accident|crash|collision|smash|pile-?up)",
        r"\b(?:fell|fallen|fall|falling|tumbled|came|come|slipped|thrown|flew|knocked) "
        + W
        + r"{0,3}(?:off|of|from|down) "
        + W
        + r"{0,2}(?:ladder|roof|stairs|staircase|steps|horse|scaffold\w*|height|balcony|wall|tree|loft|bike|motorbike|trampoline|chair|bunk|window|cliff)",
        r"\b(?:went|drove|ran|crashed|smashed|ploughed) into the back of\b",
        r"\b(?:car|van|lorry|bus|truck|someone) (?:went|drove|ran|crashed|smashed|slammed|ploughed) into (?:the back of )?(?:us|me|my car|him|her|them)\b",
        r"\b(?:hit|knocked (?:down|over)|run over|struck) by (?:a |an )?(?:car|van|bus|lorry|truck|vehicle|cyclist|bike|motorbike|taxi)",
        r"\b(?:crashed|rolled|wrote off|wrapped) " + W + r"{0,2}(?:car|bike|motorbike|van)",
        r"\brear[ -]?ended\b",
        r"\bshunted\b",
        r"\bwent (?:straight )?(?:off|through|down) (?:the |a )?(?:ladder|roof|stairs|windscreen|window)",
    ),
    "fracture": (
        r"\b(?:broken|broke|fractured?|snapped|cracked|shattered|dislocated?) (?!down\b)"
        + W
        + r"{0,3}(?:arm|leg|wrist|ankle|hip|rib|ribs|back|spine|neck|collarbone|foot|toe|toes|finger|fingers|hand|shoulder|knee|bone|pelvis|elbow|vertebra\w*|coccyx|tailbone|kneecap|jaw|nose)\b",
        r"\b(?:arm|leg|wrist|ankle|hip|foot|finger|hand|shoulder|knee|elbow|kneecap)'?s? "
        + W
        + r"{0,4}(?:broken|broke|fractured|snapped|bent (?:the )?wrong way|wrong way|wrong angle|out of place|out of shape|deformed|dinner fork|wonky|popped out|dislocated)",
        r"\b(?:think|thinks|might be|could be|probably|definitely) (?:it's |its |it is |i've |he's |she's )?(?:broken|fractured|broke)\b",
        r"\bheard (?:a|it|something) (?:" + W + r")?(?:crack|snap|pop)",
        r"\bbone " + W + r"{0,2}(?:sticking|poking)",
        r"\bsticking out\b",
        r"\bsomething'?s? (?:is )?(?:broken|broke|snapped|cracked)\b",
        r"\b(?:pointing|bent|facing) sideways\b",
        r"\b(?:toes?|fingers?) (?:" + W + r"){0,2}(?:going|gone|turning) (?:black|blue)\b",
        r"\b(?:bend|kink|angle|lump) in (?:it|his|her|my) " + W + r"{0,2}(?:that )?shouldn't\b",
        r"\bshouldn't be there\b",
        r"\b(?:bone|arm|forearm|leg|shin|wrist|ankle|finger|collarbone|knee)'?s? "
        + W
        + r"{0,4}(?:looks |is |gone )?(?:bent|crooked|wonky|deformed|misshapen|at a funny angle)",
        r"\bdinner fork\b",
        r"\bbent (?:the )?wrong way\b",
        r"\b(?:gone|facing|pointing|sticking out) the wrong way\b",
        r"\b(?:gone|is|looks) a (?:funny|weird|strange|odd|wrong) shape\b",
        r"\b(?:is|looks|'s|gone) the wrong shape\b",
        r"\b(?:can see|you can see|showing) (?:the )?(?:bone|something white|white bone)\b",
    ),
    "minor_fall": (
        r"\b(?:had|took) a " + W + r"?(?:fall|tumble)\b",
        r"\bfell (?:over|down|badly|hard|on|off|in|at)\b",
        r"\bslipped (?:on|and|over|down)\b",
        r"\blanded " + W + r"{0,2}on (?:" + WHO + r" )?(?:back|bum|tailbone|coccyx|side|hip|neck|spine)",
        r"\bfell\b",
        r"\b(?:twisted|jarred|wrenched|put out) (?:" + WHO + r" )?(?:back|spine|neck)\b",
        r"\btackl\w*",
        r"\bcame a cropper\b",
        r"\bwent over on (?:" + WHO + r" )?(?:ankle|foot|knee)\b",
        r"\bfallen\b",
        r"\btripp?(?:ed)? (?:over|up|on)\b",
        r"\bslip\w*\b",
        r"\bacc?ident\b",
        r"\bcrash\b",
        r"\bcollision\b",
        r"\bbump in the car\b",
        r"\bclipped\b",
        r"\bsmashed (?:into|against|on)\b",
        r"\b(?:dropped|fell|landed) "
        + W
        + r"{0,3}on (?:"
        + WHO
        + r" )?(?:foot|hand|head|toe|leg|back|shin|knee|ankle|wrist|arm|hip)\b",
        r"\btook (?:me|him|her) out\b",
        r"\blifting " + W + r"{0,3}(?:and|when) " + W + r"{0,3}(?:snap|crack|pop)",
    ),
    "fracture_sign": (
        r"\bbroken\b",
        r"\bbroke\b",
        r"\bfractur\w*",
        r"\bsnapp?\w*",
        r"\bcrack(?:ed|ing|le)?\b",
        r"\bpopp(?:ed|ing)\b",
        r"\bbone " + W + r"{0,2}(?:sticking|poking)",
        r"\bsticking out\b",
        r"\bsomething'?s? (?:is )?(?:broken|broke|snapped|cracked)\b",
        r"\b(?:pointing|bent|facing) sideways\b",
        r"\b(?:toes?|fingers?) (?:" + W + r"){0,2}(?:going|gone|turning) (?:black|blue)\b",
        r"\b(?:bend|kink|angle|lump) in (?:it|his|her|my) " + W + r"{0,2}(?:that )?shouldn't\b",
        r"\bshouldn't be there\b",
        r"\b(?:bone|arm|forearm|leg|shin|wrist|ankle|finger|collarbone|knee)'?s? "
        + W
        + r"{0,4}(?:looks |is |gone )?(?:bent|crooked|wonky|deformed|misshapen|at a funny angle)",
        r"\bdeformed\b",
        r"\bout of place\b",
        r"\bwrong angle\b",
        CANT + r" (?:move|get up|stand|walk|(?:put|bear) (?:any )?weight|bend|sit up|turn over)",
        r"\bnumb\w*",
        r"\btingl\w*",
        r"\bpins and needles\b",
        r"\bno feeling\b",
        r"\bswollen\b",
        r"\bswelling\b",
        r"\b(?:twisted|turned|pointing) (?:outwards|out|inwards|the wrong way)\b",
        r"\bshorter\b",
        r"\blump (?:on|in) (?:" + WHO + r" )?(?:wrist|arm|leg|ankle|shin|hand)\b",
        r"\bscreams? when " + W + r"{0,3}move\b",
        r"\b(?:think|probably) it'?s (?:" + WHO + r" )?hip\b",
        CANT + r" (?:straighten|bend|move) (?:it|my|his|her)",
        r"\bheard (?:a|it) (?:crack|snap|pop)",
    ),
    # ---- GP today or NHS 111 ----
    "back_pain": (
        r"\bback "
        + W
        + r"{0,2}(?:pain|ache|aching|hurts?|hurting|sore|killing|agony|bad|painful|spasm\w*|problems?|issues?|is|has|went|gone|injury|twinge)",
        r"\bbackache\b",
        r"\bback pain\b",
        r"\b(?:bad|sore|painful|aching|stiff|dodgy) back\b",
        r"\blower back\b",
        r"\bupper back\b",
        r"\bmiddle of (?:" + WHO + r" )?back\b",
        r"\bspine\b",
        r"\bspinal\b",
        r"\bback'?s\b",
        r"\b(?:mid|middle|lower|upper)[- ]?back\b",
        r"\blumbar\b",
        r"\bsciatica\b",
        r"\bbetween (?:" + WHO + r" )?shoulder blades\b",
        r"\b(?:" + WHO + r") back\b",
        r"\bkidney area\b",
    ),
    "cancer": (
        r"\bcancers?\b",
        r"\btumou?rs?\b",
        r"\bchemo\w*",
        r"\bradiotherapy\b",
        r"\bleuka?emia\b",
        r"\blymphoma\b",
        r"\bmyeloma\b",
        r"\boncolog\w*",
        r"\bmetasta\w*",
        r"\bmastectomy\b",
        r"\bmalignan\w*",
        r"\bsecondar(?:y|ies) in\b",
        r"\bin remission\b",
        r"\bthe big c\b",
        r"\bcarcinoma\b",
        r"\bmelanoma\b",
        r"\bsarcoma\b",
    ),
    "weight_loss": (
        r"\b(?:lost|losing|lose|dropped|dropping|shed|shedding) "
        + W
        + r"{0,4}(?:\d+ ?)?(?:weight|pounds|lbs|stone|kilos?|kg)\b",
        r"\bweight loss\b",
        r"\bweight(?:'s| is| has)? " + W + r"{0,2}(?:dropping|falling off|dropped)",
        r"\b(?:clothes|trousers|jeans|belt|rings) " + W + r"{0,4}(?:falling off|hanging off|loose|baggy)",
        r"\b(?:got|getting|gone|so|really) (?:" + W + r")?(?:thin|skinny|skeletal)\b",
        r"\bno appetite\b",
        r"\bnot (?:eating|hungry)\b",
        r"\b(?:don't|do not|dont) have (?:much|any) appetite\b",
        r"\boff (?:my|his|her) food\b",
        r"\b(?:dropped|lost|gone down) (?:\d+|two|three|a) (?:dress |clothes )?sizes?\b",
        r"\blost (?:my|his|her) appetite\b",
        r"\bnot (?:eating|hungry)\b " + W + r"{0,4}(?:weight|thin)",
    ),
    "night_pain": (
        r"\b(?:pain|ache|hurts?|aching) "
        + W
        + r"{0,4}(?:at night|in the night|wakes? (?:me|him|her) up|worse lying down|when (?:i|he|she) lie down)",
        r"\b(?:wakes?|woke|waking|keeps) (?:me|him|her) (?:up )?" + W + r"{0,3}(?:at night|in the night|every night)",
    ),
    "temple_pain": (
        r"\btemples?\b",
        r"\bsides? of (?:" + WHO + r" )?(?:head|forehead)\b",
        r"\btemporal\b",
        r"\bhead " + W + r"{0,3}(?:on|at) the sides?\b",
    ),
    "jaw_chewing": (
        r"\bjaw " + W + r"{0,5}(?:chew\w*|eat\w*|talking|meals?|food)",
        r"\b(?:chew\w*|eating|eat|bite|biting) " + W + r"{0,5}jaw",
        r"\bjaw " + W + r"{0,2}(?:pain|ache|aches|aching|hurts|hurting|sore|cramp\w*|tired|claudication)",
        r"\bhurts to chew\b",
        r"\bpain " + W + r"{0,2}chewing\b",
    ),
    "scalp_tender": (
        r"\bscalp " + W + r"{0,4}(?:tender\w*|sore|hurts?|painful|sensitive|touch)",
        r"\b(?:tender|sore|painful|sensitive|hurts) " + W + r"{0,4}scalp",
        r"\b(?:head|scalp)'?s? " + W + r"{0,2}(?:sore|tender|painful) to (?:the )?touch\b",
        r"\bhair " + W + r"{0,3}(?:hurts|sore|painful|tender) " + W + r"{0,3}(?:comb|brush|touch)\w*",
        r"\b(?:brush\w*|comb\w*) " + W + r"{0,4}hair " + W + r"{0,4}(?:hurts|painful|sore|agony)",
        r"\bhurts " + W + r"{0,2}to (?:brush|comb|touch (?:" + WHO + r" )?(?:hair|head))",
        r"\b(?:hair|head) " + W + r"{0,3}(?:too )?(?:sore|tender|painful) to touch",
        r"\bgiant cell\b",
        r"\btemporal arteritis\b",
        r"\bgca\b",
        r"\bpolymyalgia\b",
    ),
    # Features of a headache that needs a GP today: wakes them, worse on coughing or straining, steadily worse.
    "headache_red": (
        r"\b(?:wakes?|woke|waking) (?:me|him|her|them)(?: up)?\b",
        r"\bworse "
        + W
        + r"{0,4}(?:when|if|every time|each time) "
        + W
        + r"{0,2}(?:cough\w*|sneez\w*|strain\w*|bend\w*|lie down|lying down|lay down)",
        r"\b(?:cough\w*|sneez\w*|strain\w*|bending|lying down|lie down) "
        + W
        + r"{0,4}(?:makes|make|made) "
        + W
        + r"{0,3}worse",
        r"\b(?:more|worse) " + W + r"{0,2}(?:daily|every day|each day)\b",
        r"\bgetting (?:more )?(?:severe|intense|frequent|stronger|worse)\b",
        r"\bmore and more (?:strong|bad|painful|severe|often)\b",
        r"\bworse and worse\b",
        r"\bgets? worse (?:every|each) day\b",
        r"\b(?:each|every) (?:day|week) " + W + r"{0,3}worse\b",
        r"\bbuilding (?:up )?(?:every|each) day\b",
        r"\b(?:been )?building (?:up )?(?:over|for) (?:the (?:last|past) )?(?:\d+|a few|few|several|two|three|four|five) days\b",
        r"\bsteadily worse\b",
        r"\b(?:cough|coughing|sneeze|sneezing|strain|straining) "
        + W
        + r"{0,4}(?:head|headache)\b "
        + W
        + r"{0,2}(?:kills|hurts|agony|worse|pounds|explodes|bursting)",
    ),
    "severity": (
        r"\bevery (?:day|morning)\b",
        r"\bdaily\b",
        r"\b(?:really|very|so) bad\b",
        r"\b(?:severe|terrible|awful|cracking|pounding|horrendous|agonising|unbearable|worse)\b",
    ),
    "new_headache": (
        r"\b(?:headaches?|migraines?) (?:have |has |had )?(?:completely |totally |really |all )?changed\b",
        r"\bnever "
        + W
        + r"{0,3}(?:had|get|gets|got|suffered with|suffered from|been one for|a|had a|been a) "
        + W
        + r"{0,2}(?:headaches?|migraines?|head pain)",
        r"\bnever " + W + r"{0,1}(?:headaches?|migraines?)",
        r"\bnever (?:been )?(?:a )?(?:headache|migraine) (?:person|sufferer|type)",
        r"\b(?:someone|somebody|person) who never gets? (?:them|headaches|migraines)",
        r"\bnever used to get (?:" + W + r"){0,2}(?:headaches|migraines|them)\b",
        r"\bbefore (?:that|then|this) i never (?:got|had|get) (?:them|headaches|migraines)\b",
        r"\bnew (?:for|to) me\b",
        r"\bnew (?:type|kind|sort) of (?:headache|migraine|head ?ache|pain in (?:my|his|her) head)",
        r"\bnever (?:been|felt) like this\b",
        r"\b(?:headaches?|migraines?) "
        + W
        + r"{0,4}(?:never|first time|first ever|not usually|don't normally|don't usually)",
        r"\b(?:first|1st) " + W + r"{0,2}(?:headache|migraine)",
        r"\b(?:headaches?|head) " + W + r"{0,5}(?:wakes?|waking|woke|wake) (?:me|him|her|them) (?:up)?",
        r"\b(?:wakes?|waking|woke|wake) (?:me|him|her|them) (?:up )?" + W + r"{0,4}(?:headache|head)",
        r"\b(?:headaches?|head|it) "
        + W
        + r"{0,5}worse "
        + W
        + r"{0,2}(?:cough\w*|sneez\w*|strain\w*|bend\w*|lie down|lying down|poo)",
        r"\b(?:cough\w*|sneez\w*|strain\w*) " + W + r"{0,4}(?:makes|make|made) " + W + r"{0,3}(?:headache|head)",
        r"\b(?:getting|got|gets) "
        + W
        + r"{0,2}worse (?:and worse |every day|each day|day by day|by the day|every morning|over the)",
        r"\bworse (?:every|each) (?:day|morning)\b",
        r"\b(?:every|each) day (?:it's|it is|its) (?:getting )?worse\b",
        r"\bworse and worse\b",
        r"\b(?:different|not like) "
        + W
        + r"{0,3}(?:usual|normal|my normal|my usual) "
        + W
        + r"{0,2}(?:headache|migraine)s?",
    ),
    # ---- mental-health crisis ----
    # Hopelessness: counts only with another sign of a crisis, never alone ("what's the point of booking?").
    "deliberate": (r"\bon purpose\b", r"\bdeliberately\b", r"\bintentionally\b"),
    "drug": (DRUGS,),
    "hopeless": (
        r"\bcan't cope(?: any ?more)?\b",
        r"\b(?:wanted|want|wants) (?:it|the pain|everything|it all) (?:all )?to (?:stop|end|be over)\b",
        r"\b(?:make|made|making) (?:it all|everything) (?:all )?(?:stop|end|go away)\b",
        r"\b(?:there's|there is|theres) no point\b",
        r"\bno point (?:in|to|anymore|any more)\b",
        r"\bwhat'?s the point\b",
        r"\bpointless\b",
        r"\bhopeless\b",
    ),
    "suicidal": (
        r"\bmake (?:it|it all|everything) (?:all )?(?:stop|end) (?:forever|for good|for ever|permanently)\b",
        r"\b(?:thoughts?|thinking|think|wish|wishing|hope|hoping|pray\w*) (?:about |of |that |i )*(?:not|never|won't|wouldn't|didn't) (?:waking|wake) up\b",
        r"\bif i (?:don't|do not|never) (?:reply|answer|respond|text back|message back|make it)\b",
        r"\b(?:hang|hanging|hanged|drown|drowning|shoot|shooting|gas|gassing|strangle|strangling|throw|throwing) "
        + SELF
        + r"\b",
        r"\b(?:texted|messaged|sent|wrote) (?:me |us |everyone |her |his )?(?:a )?goodbye\b",
        r"\bhas broken me\b.{0,40}\bwant out\b|\bi (?:just )?want out(?:[.!]|$)",
        r"\b(?:wanna|want to|wants to|wish i could|like to|just want to) (?:just )?(?:go to )?sleep (?:forever|for ever|and (?:never|not) wake)\b",
        r"\bcan (?:you|u|i|someone|a person) overdose on\b.{0,60}\b(?:i've got|i have|got|stockpil\w*|saved|a lot of|loads of|a stash)\b",
        r"\b(?:not sure|don't think|doubt) (?:i'll|i will|i'm going to|he'll|she'll|they'll) be (?:around|here) (?:much )?(?:longer|for long|next (?:week|month))\b",
        r"\btired of (?:existing|being alive|being here|living|life|it all)\b",
        r"\b(?:sorting|sorted|putting|put|getting|got) (?:out |in order )?(?:my|his|her|their) affairs\b",
        r"\bsaid (?:(?:his|her|their|my) )?goodbyes? to everyone\b",
        r"\bnot suicidal exactly\b",
        r"\b(?:not|stop|stopping|quit) taking (?:my|his|her) (?:insulin|meds|medication|tablets)\b.{0,40}\blet(?:ting)? it happen\b",
        r"\b(?:it's|its|this is|this'll be|it'll be) (?:my|gonna be my|going to be my) last (?:weekend|week|day|night|christmas|birthday)\b(?! (?:off|of|at|in|before|here|with|as|on|working|at work|to|for a while|in the))",
        r"\b(?:gonna|going to|might|will|i'll|i will) do something (?:stupid|silly|daft)\b",
        r"\b(?:ghost|dead|invisible|gone)\b.{0,50}\bmight as well make it (?:official|permanent|real)\b",
        r"\bkms\b",
        r"\b(?:looking at|bought|got|tied|put up|set up|hung) (?:the|a) (?:rope|noose)\b",
        r"\bnoose\b",
        r"\blife insurance\b.{0,60}\b(?:only|useful|better off|worth more|all i'm good for)\b",
        r"\bworth more (?:to them )?dead\b",
        r"\b(?:most|how many|how much) (?:[\w'-]+ ){0,2}"
        + DRUGS
        + r"\b.{0,60}\b(?:before (?:it|they|you|that) (?:does|do|kills?|finish\w*)|to (?:die|kill|end it|not wake))",
        r"\btop (?:floor|deck|level) of (?:the |a )?(?:multi[ -]?stor[e]?y|car park)\b",
        r"\b(?:standing|stood|sat|sitting) on (?:the|a) (?:ledge|edge of (?:the|a) (?:bridge|cliff|roof))\b",
        r"\bthrow\w* in the towel (?:for good|permanently|on life|on everything)\b",
        r"\bsuicid\w*",
        r"\bkill(?:ing|ed|s)? " + SELF + r"\b",
        r"\b(?:end|ending|take|taking) (?:" + WHO + r" )?(?:own )?li[fv]es?\b",
        r"\bend (?:it|things|everything)(?: all)?\b",
        r"\b(?:want|wants|wanted|wanting|wish|wishing) "
        + W
        + r"{0,2}(?:to die|to be dead|(?:i|he|she|they) (?:was|were) dead|i wasn't here|i wasn't alive|to disappear forever)",
        r"\b(?:don't|doesn't|do not|does not|didn't) "
        + W
        + r"{0,2}want to (?:live|be alive|be here|wake up|exist|go on|carry on)",
        r"\bbetter off (?:dead|without (?:me|him|her|them))",
        r"\bno (?:point|reason) (?:in |to )?(?:living|going on|being alive|carrying on|being here|life)",
        r"\bcan't (?:go on|carry on|do this any ?more|take (?:it|this|any) ?more)\b",
        r"\bnot worth living\b",
        r"\blife " + W + r"{0,2}not worth\b",
        r"\b(?:no longer|not) " + W + r"?(?:want|wanting|wants) to (?:be here|live|be alive)",
        r"\b(?:thinking|thought|thoughts) "
        + W
        + r"{0,2}(?:of|about) (?:ending|killing|dying|taking (?:"
        + WHO
        + r" )?(?:own )?life|not being here|overdos\w*)",
        r"\b(?:jump|jumping|throw (?:" + SELF + r"|me)) (?:off|in front of|from)\b",
        r"\bhang (?:" + SELF + r"|me)\b",
        r"\b(?:plan|plans|planning|planned) "
        + W
        + r"{0,3}(?:to end|to kill|to die|to overdose|an overdose|to take (?:all|an))",
        r"\b(?:goodbye|farewell) (?:note|letter)\b",
        r"\bsee (?:you|u|ya|you all|everyone) (?:all )?on the other side\b",
        r"\bsaying " + W + r"{0,2}goodbyes?\b",
        r"\b(?:took|taken|take|taking|swallowed) "
        + W
        + r"{0,6}(?:on purpose|deliberately|intentionally|to end it|to die|because i (?:wanted|couldn't))",
        r"\bgive up on (?:life|living|everything)\b",
        r"\b(?:it all|everything|things|my life|life) " + W + r"{0,2}to (?:end|stop|be over)\b",
        r"\bover for good\b",
        r"\b(?:saved|saving|stockpil\w*|hoard\w*|stash\w*|collect\w*) "
        + W
        + r"{0,4}(?:tablets|pills|meds|medication|painkillers|morphine|paracetamol|co-?codamol)",
        r"\bstash of\b",
        r"\b(?:go|going) to sleep " + W + r"{0,2}(?:and )?(?:not|never) wake up\b",
        r"\b(?:go|going) to sleep for good\b",
        r"\bnot (?:have to )?wake up (?:to|again|ever)\b",
        r"\b(?:won't|will not|wont) be (?:here|around) (?:next|much|for long|tomorrow|by)\b",
        r"\bmade up (?:my|his|her) mind\b",
        r"\bhow many " + W + r"{0,3}(?:it would take|would it take|to (?:kill|die|overdose|end))",
        r"\b(?:googl\w*|search\w*|looked up|looking up) "
        + W
        + r"{0,5}(?:overdose|ways to die|how to die|how many (?:pills|tablets|paracetamol))",
        r"\b(?:topp\w*|top|off|offing|unaliv\w*) (?:" + SELF + r")\b",
        r"\bunalive\b",
        r"\b(?:better|beter|btter) off (?:if (?:i|he|she)|without|dead)",
        r"\bif (?:i|he|she) (?:wasn't|was not|weren't|were not|wasnt) (?:here|around|alive)\b",
        r"\brather be dead\b",
        r"\bdone with (?:it all|life|living|everything)\b",
        r"\b(?:stood|standing|sat|sitting|stand) on (?:the |a )?"
        + W
        + r"{0,2}(?:bridge|edge|ledge|cliff|roof|railway|platform edge)",
        r"\b(?:letters?|notes?) (?:to|for) (?:my|the|his|her) (?:kids|children|family|wife|husband|partner|mum|parents)\b",
        r"\b(?:steer\w*|driv\w*|crash\w*) " + W + r"{0,3}into (?:a|the) (?:tree|wall|lorry|bridge|river)",
        r"\bin front of (?:a |the )?(?:train|bus|car|lorry|truck)\b",
        r"\b(?:couldn't|can't|cannot) face (?:another|one more|any more|anymore)\b",
        r"\b(?:sat|sitting) with " + W + r"{0,3}(?:tablets|pills)",
        r"\bthinking about taking all\b",
        r"\bwish(?:es|ed)? (?:he|she|i|they) (?:wasn't|weren't|was not|were not) (?:here|alive|around)\b",
        r"\b(?:don't|do not|dont) plan on being (?:here|around|alive)\b",
        r"\b(?:before|if) i (?:get round to )?(?:doing|do) it myself\b",
        r"\b(?:going|go|jump\w*|throw\w*) off (?:the|a) (?:bridge|cliff|roof|building|multi-?storey)\b",
        r"\bwhen (?:she|he|they) goes?,? i'?m going (?:too|as well|with)\b",
        r"\b(?:garage|car) " + W + r"{0,4}(?:engine|motor) running\b",
        r"\bengine running " + W + r"{0,3}(?:garage|closed)\b",
        DRUGS + r" (?:all )?saved up\b",
        r"\btonight'?s the night\b",
        r"\bswallowed all (?:of )?(?:" + WHO + r" )?" + W + r"{0,1}" + DRUGS,
        r"\b(?:take|taking|swallow) the lot\b",
        r"\b(?:a|the) rope (?:in|ready|up|round)\b",
        r"\b(?:going|gonna|planning) to take all (?:" + WHO + r" )?" + W + r"{0,1}" + DRUGS,
        r"\b(?:nobody|no one|noone|no-one) (?:would|will) (?:miss|notice|care)\b",
        r"\bif (?:i|he|she) (?:was|were) gone\b",
        r"\b(?:can't|cannot|don't|doesn't|can not) see (?:a|any) way out\b",
        r"\bno way out\b",
        r"\bgiv\w* " + W + r"{0,2}(?:stuff|things|belongings|possessions) away\b",
        r"\b(?:a|such a) burden (?:to|on) (?:everyone|everybody|my family|them)\b",
        r"\b(?:won't|will not|wont) be a burden\b",
        r"\bsorry for everything\b",
        r"\b(?:might|may|won't|will not|wont|not going to|going to not) (?:not )?be (?:here|around) (?:by|much|for long|next|tomorrow|any ?more)\b",
        r"\bhad enough of (?:everything|life|it all|living)\b",
        r"\brope (?:ready|sorted|up)\b",
        r"\bnoose\b",
        r"\b(?:got|has|have|bought|found) a rope\b",
        r"\bmade (?:my|his|her) peace\b",
        r"\bdon't think (?:i'll|i will|he'll|she'll|he will|she will) be (?:here|around) (?:much )?(?:longer|for long)\b",
        r"\b(?:no longer|not|don't|do not) (?:wish|want) to (?:live|be alive|go on|carry on)\b",
        r"\bfeel\w* (?:that|the same) way again\b",
        r"\b(?:thoughts|feelings) (?:are )?(?:back|coming back)\b",
        r"\b(?:thinking|thought|think) " + W + r"{0,3}about how (?:i'd|i would|to|he'd|she'd) do it\b",
        r"\b(?:wish|wishing|hope|hoping|pray|praying|want|wanting|rather|prefer) "
        + W
        + r"{0,3}(?:wouldn't|won't|didn't|don't|do not|not|never) (?:to )?wake up\b",
        r"\b(?:going|planning|plan) to take (?:everything|the lot|all of them|all of it)\b",
        r"\b(?:want|wants|wanted|going|planning|plan) to overdose\b",
        r"\b(?:writing|messaging|texting|sending) (?:this )?to say goodbye\b",
        r"\bthe pain has won\b",
        r"\bdon't think (?:i'll|i will|he'll|she'll) (?:still )?be (?:here|around)\b",
        r"\b(?:cutting|self-?harming|burning (?:myself|herself|himself)) again\b",
        r"\b(?:won't|will not|wont|not going to|probably won't) be (?:around|alive|here)\b(?! (?:on|at|for the|until|till|this|next (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)))",
        r"\b(?:written|wrote|writing) (?:" + WHO + r" )?(?:letters|goodbye|notes?)\b",
        r"\bsorted (?:out )?(?:my|his|her) (?:things|affairs|will)\b",
        r"\bgoodbye (?:message|text|note|letter)\b",
        r"\b(?:saving|saved|stockpiling) up (?:" + WHO + r" )?" + W + r"{0,1}" + DRUGS,
        r"\bfinish (?:my|his|her) life\b",
        r"\b(?:disappear|vanish) (?:forever|for good)\b",
        r"\blooking up ways\b",
        r"\bmade (?:my|his|her) (?:decision|mind up)\b",
        r"\bswallowed (?:everything|all of it|the lot|the whole)\b",
        r"\btaking the lot\b",
        r"\b(?:scratch\w*|cut\w*|hit\w*|burn\w*) " + W + r"{0,3}(?:till|until) (?:they|it|she|he|i) bleeds?\b",
        r"\b(?:deserve|deserves) (?:it|to (?:suffer|die|hurt))\b",
        r"\bno point (?:me|him|her|in me) (?:being|staying) (?:here|alive|around)\b",
        r"\b(?:nobody|no one|naebody)(?:'d| would) (?:even )?(?:notice|miss|care)\b",
        r"\bwhen i'm gone\b",
        r"\b(?:shotgun|gun|rifle) (?:out|loaded)\b",
        r"\bnot sure (?:i|he|she) (?:want|wants) to (?:carry on|go on|live|be here)\b",
        r"\btired of (?:life|living|being alive)\b",
        r"\bsick of (?:living|life|being alive)\b",
        r"\b(?:want|wants) (?:to|tae) go (?:to|tae) sleep (?:and|an) (?:not|no|never) wake\b",
        r"\bjust not waking up\b",
        r"\bdon't want to be (?:here|alive|around)\b",
        r"\babout (?:just )?not being (?:here|alive|around)\b",
        r"\b(?:not|never) (?:being|be) (?:alive|here|around) (?:next|by|much|anymore|any more|tomorrow)\b",
        r"\babout not being (?:here|alive|around)\b",
        r"\bending it\b(?! (?:with|off))",
        r"\bonly way out\b",
        r"\bwalk\w* into the (?:sea|river|water|traffic|canal)\b",
        r"\bnot coming back\b",
        r"\bhow many "
        + W
        + r"{0,2}"
        + DRUGS
        + r" "
        + W
        + r"{0,3}(?:too many|would kill|will kill|lethal|fatal|to die|to overdose|to end it)",
        r"\b(?:all )?(?:my|his|her) "
        + W
        + r"{0,1}"
        + DRUGS
        + r" "
        + W
        + r"{0,3}(?:lined up|counted out|laid out|in front of me|ready)\b",
        r"\btaking all (?:" + WHO + r" )?" + W + r"?(?:at once|tablets|pills)",
        r"\b(?:want|wanted|wants) to (?:take them|end it|disappear)\b",
    ),
    "self_harm": (
        r"\b(?:found|seen|noticed|saw|spotted) (?:fresh |new |loads of |some |lots of )?(?:cuts|scars|burns|marks|scratches) on (?:[\w'-]+ ){0,3}(?:arms?|legs?|wrists?|thighs?|stomach|tummy)\b",
        r"\b(?:urges?|the urge) (?:to (?:self[- ]?harm|cut|hurt (?:myself|herself|himself)) )?(?:are|is|have|has|'s|'re) (?:come |coming )?back\b",
        r"\b(?:been|started|keeps?|kept|still|back to|is|she's|he's) cutting\b(?! (?:back|down|out|costs|corners|(?:my |his |her )?hair|the|wood|carbs|sugar|it fine))",
        r"\brazor blades?\b.{0,60}\b(?:blood\w*|hidden|hiding|under (?:her|his) (?:bed|mattress))\b",
        r"\bbloody tissues\b",
        r"\bself[- ]?harm\w*",
        r"\b(?:cut|cutting|cuts|burn|burning|burns|hurt|hurting|hurts|harm|harming|harms|punch|punching|scratch\w*) (?:"
        + SELF
        + r")\b",
        r"\bcut(?:ting|s)? (?:" + WHO + r" )?(?:arms?|legs?|wrists?|thighs?)",
        r"\bslit (?:" + WHO + r" )?wrists?",
        r"\b(?:bang|banging|hit|hitting|punch|punching|scratch|scratching|cut|cutting|burn|burning|starv)\w* "
        + W
        + r"{0,5}on purpose\b",
        r"\b(?:until|till|til) (?:it|they|i|he|she) (?:bleeds?|bled|bleeding)\b",
        r"\bscratch\w* (?:my|his|her|their) (?:arms?|legs?|wrists?|skin|thighs?) (?:raw|until|till|to bits)\b",
        r"\b(?:they're|they are|it's|its) from me\b",
        r"\bi did (?:it|them|this) (?:to )?myself\b",
        r"\bfound cuts on (?:his|her|their) (?:arms?|legs?|wrists?|thighs?)\b",
        # what a parent finds: blades hidden away, marks across the thighs
        r"\b(?:found|finding|hidden|hiding|hides|keeps?) "
        + W
        + r"{0,3}(?:razor )?(?:blades|razors|sharpener blades)\b",
        r"\b(?:cuts|marks|scratches|slashes|burns) (?:all )?(?:over|across|up and down|along) (?:her|his|my|their|both) (?:thighs|arms|wrists|legs|stomach|tummy)\b",
    ),
    # ---- heavy bleeding (999) ----
    "heavy_bleeding": (
        r"\b(?:pouring|soaking|bleeding|coming) (?:right )?through (?:the |a |my |his |her )?(?:towel|tea towel|bandage|dressing|pad|t-?shirt|cloth|plaster|everything)s?\b",
        r"\bon (?:my|his|her|the) (?:second|third|fourth|fifth|3rd|4th) (?:towel|tea towel|bandage|pad)\b",
        r"\b(?:pouring|gushing|pumping|spurting|streaming)\b.{0,60}\b(?:won't|will not|not|isn't|doesn't) (?:stop\w*|slow\w*)",
        r"\b(?:pumping|gushing|pouring|spurting|squirting|pissing) (?:out )?(?:blood|with blood)\b",
        r"\bblood (?:is |was |keeps )?(?:pumping|gushing|pouring|spurting|everywhere)\b",
        r"\bbleed\w* "
        + W
        + r"{0,3}(?:won't|will not|isn't|is not|not|doesn't|does not|hasn't|has not) (?:stop|stopping|slow\w*|let up)",
        r"\b(?:can't|cannot|can not|couldn't) (?:stop|get) (?:the|it|him|her|this) (?:bleeding|to stop bleeding)\b",
    ),
    # A fall with a swelling is not a suspected break while the visitor can still walk on it.
    "bears_weight": (
        r"\bcan (?:still )?(?:walk on|put weight on|stand on|bear weight on|weight bear on) (?:it|them|my|his|her)\b",
        r"\b(?:walking|weight[- ]bearing) (?:on it )?(?:fine|ok|okay|normally|no problem)\b",
    ),
    # ---- pregnancy ----
    "pregnant": (
        r"(?:^|[,.;] )[1-4]\d ?(?:weeks|wks)\b(?! (?:ago|of|off|later|since|before|after|in|holiday|now|back|running))",
        r"\b\d+ ?(?:weeks?|wks?) (?:with|w/) (?:my|our|her|the) (?:first|second|third|\d\w*|baby|twins|bump)\b",
        r"\b\d{1,2} ?-?(?:week|wk)s? scan\b",
        r"\bpregnan\w*",
        r"\bpre?g\w*nan?t\w*",
        r"\bpreg(?:g?o|gers|gy|gie|nat\w*|ant)\b",
        r"\b\d+ ?(?:weeks?|wks?|wk|months?) (?:pregnant|gone|along)\b",
        r"\b(?:i'm|i am|she's|she is|is|nearly|almost|now|at) \d+ ?(?:weeks|wks|wk|week)\b",
        r"'s \d+ ?(?:weeks|wks)\b",
        r"\bhad (?:my|a|the|our|her) (?:baby|son|daughter|twins|boy|girl|little (?:boy|girl|one))\b",
        r"\b\d+ ?wks\b",
        r"\b(?:i'm|i am|she's|she is|at|now|only) (?:[4-9]|[1-3]\d|4[0-2]) ?\+ ?[0-6]\b",
        r"\b(?:baby|she|she's|i'm|i am|wife|partner|girlfriend|daughter|granddaughter)(?:'s)? (?:is )?due\b",
        r"\bdue (?:in|on) (?:\d+|a|two|three|four|five|six) (?:weeks?|days?)\b",
        r"\bdue any day\b",
        r"\b(?:after|since) (?:having|giving birth|the birth|birth|delivering) (?:to )?(?:"
        + WHO
        + r" |a |the )?(?:baby|little|son|daughter|twins|boy|girl)?",
        r"^\d+ ?(?:weeks|wks|wk)\b",
        r"\b[1-4]\d\+[0-6]\b",
        r"\(\d+ ?(?:weeks|wks|wk)\)",
        r"\babout to pop\b",
        r"\bhaving (?:a |the |her |my |our )?baby (?:in|soon|next)\b",
        r"\bexpecting\b(?! (?:a call|to|the|you|your|an? (?:reply|answer|email|appointment)))",
        r"\b(?:just|recently) (?:had|gave birth to|given birth to) (?:a |my |our |the )?(?:baby|son|daughter|twins|little)",
        r"\bgave birth\b",
        r"\bgiven birth\b",
        r"\bpost[- ]?partum\b",
        r"\bpost[- ]?natal\b",
        r"\bbaby " + W + r"{0,1}(?:is )?due\b",
        r"\bdue date\b",
        r"\b(?:my|her|the) bump\b",
        r"\btrimester\b",
        r"\bmaternity\b",
        r"\bbaby " + W + r"{0,3}(?:weeks|days) old\b",
        r"\bc[- ]?section\b",
        r"\bin labou?r\b",
    ),
    "baby_movement": (
        r"\b(?:baby|bump|babies|bubs?|little one)(?:'s)? "
        + W
        + r"{0,4}(?:not|hasn't|isn't|less|hardly|barely|haven't|not as much|slower)(?: \w+){0,3} ?(?:mov\w*|kick\w*|active|wriggl\w*|than usual)",
        r"\b(?:baby|bump|babies|bubs?|little one)(?:'s)? "
        + W
        + r"{0,3}(?:quiet|quieter|still|stopped|gone quiet|very quiet|not moving|not kicking|almost nothing)\b",
        r"\b(?:no|less|fewer|reduced|not many|not felt any|not feeling|haven't felt|can't feel|hardly any|barely any|hardly|barely) (?:baby |the baby's |baby's )?(?:movements?|kicks?|kicking|wriggl\w*)",
        r"\b(?:not|haven't|hasn't|can't remember|don't remember) "
        + W
        + r"{0,3}(?:felt|feel|feeling) "
        + W
        + r"{0,2}(?:baby|bump|kick|move)",
        r"\bmovements? " + W + r"{0,3}(?:stopped|slowed|reduced|less|fewer|changed|quiet|quieter)",
        r"\b(?:felt|feel) (?:her|him|them|the baby|baby) (?:kick|move)",
        r"\b(?:barely|hardly|not) felt (?:anything|a thing|much)\b",
        r"\balmost nothing\b",
        r"\bbaby " + W + r"{0,8}(?:nothing|no movement|not a thing|not a kick) (?:today|since|all day|this morning)\b",
        r"\bstill nothing\b",
    ),
    # Waters breaking, even asked as a question ("leaking fluid at 31 weeks, could that be my waters?").
    "waters": (
        r"\bgush(?:ed)? of (?:water|fluid|liquid)\b",
        r"\b(?:leaking|trickl\w*) (?:water|fluid|liquid)\b",
        r"\b(?:could|might|is|are) (?:that|it|this) (?:be )?(?:my|her|the) waters\b",
    ),
    "pregnancy_sign": (
        r"\b(?:stomach|tummy|belly|abdominal|bump) (?:pain|pains|cramps?) (?:is|are|'s) (?:so |really |very )?(?:bad|severe|awful|terrible|agony|unbearable)\b",
        r"\bsoak(?:ing|ed|s)? (?:through )?(?:a|my|the|her) (?:pad|pads|maternity pad)\b",
        r"\bclots? (?:the size of|as big as|bigger than)\b",
        r"\b(?:strong|severe|bad|sharp|constant|terrible|awful|agonising|horrible) (?:pain|pains|cramps?) (?:in|across) (?:my |her |the )?(?:stomach|tummy|belly|abdomen|bump)\b",
        r"\b(?:stomach|tummy|belly|abdominal|bump) (?:pain|pains|cramps?) "
        + W
        + r"{0,3}(?:doesn't|won't|not|isn't|never) (?:stop|go|ease)",
        r"\bpain in (?:my |her |the )?(?:stomach|tummy|belly|abdomen|bump) "
        + W
        + r"{0,2}(?:that )?(?:doesn't|won't|not|isn't|never) (?:stop|go|ease)",
        r"\btightenings?\b",
        r"\b(?<!muscle )contractions?\b",
        r"\b(?:pains?|cramps?|tightenings?|it's|it is) (?:[\w'-]+ ){0,4}every (?:few|\d+|couple of|two|three|four|five|ten) (?:min|mins|minutes)\b",
        r"\b(?:belly|bump|tummy|stomach) (?:goes|going|gets|went|is going) (?:rock |really |very )?hard\b",
        r"\bblurr\w*",
        r"\bblur\b",
        r"\bwavy\b",
        r"\btoo bright\b",
        r"\blike sausages\b",
        r"\bflash\w*",
        r"\blights? in (?:" + WHO + r" )?eyes?\b",
        r"\b(?:fuzzy|blind|dark) (?:patch|spot)\w*",
        r"\b(?:everything|things|it all|the screen|words|faces) (?:looks?|is|are|'s|gone|went|going|seems?) (?:a bit |all |really |very )?(?:fuzzy|misty|hazy|foggy|sparkly|wobbly)\b",
        HEADACHE + r" " + W + r"{0,4}(?:far |much |a lot |way )?worse than (?:any|ever|usual|normal|my usual|before)",
        r"\b(?:see|seeing|saw) " + W + r"{0,3}(?:spots|stars|lights|flashes|zig ?zags?)",
        r"\bsparkl\w*",
        r"\bzig ?-?zag\w*",
        r"\bspots? " + W + r"{0,3}(?:eyes|vision|in front)",
        r"\bfloaters\b",
        r"\b(?:vision|sight|eyesight|eyes) "
        + W
        + r"{0,3}(?:blurr\w*|funny|weird|strange|odd|gone|fuzzy|wavy|dark|spotty|bad|problems?)",
        CANT + r" see\b",
        r"\bswell\w*",
        r"\bswol+en\b",
        r"\bpuff\w*",
        r"\bballoon\w*",
        r"\b(?:face|hands|feet|ankles|fingers|legs) " + W + r"{0,3}(?:big|bloated|puffed|massive|huge|gone up)\b",
        r"\bbleed\w*",
        r"\b(?:passing|losing|lost|some|bright red|fresh) blood\b",
        r"\bblood (?:loss|clots?|coming|in (?:my|her) (?:pants|knickers|underwear))",
        r"\bspotting\b",
        r"\b(?:there's|there is|some|any) blood\b",
        r"\b(?:fresh|bright) red\b",
        r"\b(?:felt|feel|feeling) nothing\b",
        r"\b(?:under|below|beneath) (?:" + WHO + r" )?(?:right |left )?(?:ribs|rib cage|ribcage)",
        r"\bupper (?:right )?(?:tummy|stomach|belly|abdomen)\b",
        r"\bwaters? " + W + r"{0,2}(?:broken|broke|leak\w*)",
        r"\bpre-?eclampsia\b",
        r"\beclampsia\b",
        SEVERE + r" " + W + r"{0,2}" + HEADACHE,
        r"\b(?:headaches?|migraines?) " + W + r"{0,4}(?:won't|will not|doesn't|not) (?:go|shift|stop|ease|budge)",
    ),
    # ---- companions that only count together with other signs ----
    "headache": (
        HEADACHE,
        r"\bhead "
        + W
        + r"{0,2}(?:pain|hurts|hurting|pounding|pounds|throbbing|throbs|banging|agony|killing|kills|aches|aching|bursting)",
    ),
    "severe_headache": (
        SEVERE + r" " + W + r"{0,2}" + HEADACHE,
        r"\bhead "
        + W
        + r"{0,2}(?:hurts|hurting|aches|pain|splitting) "
        + W
        + r"{0,2}(?:so bad|so much|like hell|badly|terribly|agony)\b",
        r"\bhead " + W + r"{0,4}(?:like it'?s|like its) (?:splitting|exploding|going to burst)",
        r"\b(?:pounding|banging|splitting|thumping|throbbing) head\b",
        HEADACHE
        + r" "
        + W
        + r"{0,3}(?:unbearable|agony|excruciating|10 out of 10|ten out of ten|worst|horrendous|so bad)",
    ),
    "rash": (
        r"\brash\b",
        r"\bspots (?:coming|came|appearing|all over)\b",
        r"\bblotch\w*",
        r"\bpurple (?:marks|spots|patches)\b",
    ),
    "very_unwell": (
        r"\bvery (?:unwell|ill|poorly|sick)\b",
        r"\breally (?:unwell|ill|poorly)\b",
        r"\bseriously (?:unwell|ill)\b",
        r"\bgetting worse fast\b",
        r"\bconfus\w*",
        r"\bdrows\w*",
        r"\bfloppy\b",
        r"\bcan't stay awake\b",
    ),
    # ---- everyday phrases that contain a sign's words without meaning it ----
    "ignore": (
        # A pet's emergency is the vet's: "my dog collapsed", "the cat ate my tablets".
        r"\b(?:dog|cat|puppy|kitten|horse|pony|rabbit|hamster|budgie|parrot|pet)'?s? (?:[\w'-]+ ){0,2}(?:collaps\w*|had a fit|fitting|seizure|swallowed|ate|eaten|chewed|poison\w*|not breathing)",
        r"\blegs (?:went|go|goes|turned|turn) (?:to )?jelly\b",
        r"\bworst headache (?:i've|i have|i've ever) had (?:this|in a|all|for a) (?:week|month|day|fortnight|while|few days)\b",
        r"\bcan't feel (?:my|his|her) legs after (?:leg day|the gym|a workout|squats|the run|that run|training)\b",
        r"\bchest (?:only )?(?:hurts|aches|is sore) (?:only )?when (?:i|you|he|she) (?:press|push|prod|touch)\w* (?:on )?it\b",
        r"\bchest (?:feels |is |was )?(?:a bit |a little |slightly )?tight\b.{0,30}\b(?:muscles?|muscular|bench|gym|workout|press[- ]?ups?|weights)\b",
        r"\b(?:fades|faded|fading|disappears|disappeared|goes away|went away|goes white|went white|blanches|vanishes|vanished) (?:when|under|with|if) (?:i |you |we )?(?:press\w* )?(?:on )?(?:a |the )?glass\b(?: (?:on|against) it)?",
        r"\b(?:(?:want|wanted|wants|wanting) to )?disappear under (?:the|a|my) (?:duvet|covers|blanket|quilt)",
        r"\b(?:(?:want|wanted|wants|wanting|wish|wished) to |could (?:have |'ve )?|nearly |almost |gonna |going to )?(?:die|died|dying) (?:of|from) (?:embarrassment|shame|boredom|laughter|laughing|cringe)\b",
        r"\bchild ?-?proof\b.{0,40}\bnothing (?:came|come|comes) out\b",
        r"\b(?:nearly|almost|practically|about to|going to|gonna|gave me|give me|giving me|have|had|having|i'll have) "
        + W
        + r"{0,2}heart attack "
        + W
        + r"{0,4}(?:when|at|over|seeing|reading|about|because)",
        r"\b(?:gave|give|giving) (?:me|him|her|us) a heart attack\b",
        r"\bheart attack " + W + r"{0,3}(?:price|prices|bill|cost|quote)",
        r"\bdying (?:to|for)\b",
        r"\b(?:could|would) kill for\b",
        r"\bkill (?:for|to get)\b",
        r"\bkilling (?:me|him|her|us)\b",
        r"\bkills (?:me|him|her)\b",
        r"\b(?:died|dying|die) " + W + r"{0,1}laugh\w*",
        r"\bto die for\b",
        r"\b(?:bored|scared|worried|frightened|freezing|tickled) to death\b",
        r"\bworried sick\b",
        r"\bsick (?:and tired|of)\b",
        r"\bsick note\b",
        r"\bpain in the (?:neck|bum|backside|arse)\b",
        r"\b(?:lose|losing|lost) "
        + W
        + r"{0,3}(?:weight|pounds|stone) "
        + W
        + r"{0,4}(?:on purpose|on a diet|dieting|at the gym|the gym|gym|slimming|by running|by cutting|by exercising|the plan|(?<!without )trying)",
        r"\b(?:trying|want|wanting|need|needs|hoping|plan|planning) to lose "
        + W
        + r"{0,2}(?:weight|pounds|stone|kilos)",
        r"\b(?:on a|my) diet\b",
        r"\bslimming world\b",
        r"\bweight ?watchers\b",
        r"\bkeep fit\b",
        r"\bfit (?:in|into|me in|around)\b",
        r"\bpoison(?:ous)? (?:ivy|pen)\b",
        r"\bbreak(?:ing)? the bank\b",
        r"\bbroke(?:n)? (?:the bank|up with|even|down in tears|into tears)\b",
        r"\bbroken (?:heart|record|english|promise|link|phone|car)\b",
        r"\bback (?:to (?:work|normal|the gym)|home|again|soon|later|in touch)\b",
        r"\bcall (?:me |you )?back\b",
        r"\bget back to\b",
        r"\bcome back\b",
        r"\bback in (?:19|20)\d\d\b",
        r"\bin the back of (?:the|my|his|her) (?:car|mind)\b",
        r"\bstroke (?:of luck|of genius|the cat|the dog)\b",
        r"\bbreaststroke\b",
        r"\blife " + W + r"{0,2}(?:saver|savers|changing)\b",
        r"\bfalling (?:for|in love|behind|apart)\b",
        r"\bfell (?:asleep|for|in love|behind|through|out with|apart)\b",
        r"\bfall (?:asleep|for|in love|behind|through|out with|apart)\b",
        r"\bcollapsed? (?:my|the|a) (?:umbrella|pram|buggy|tent|table|chair)\b",
        r"\bheadache (?:of|to) (?:a |the )?(?:booking|form|website|parking|job|process|admin)",
        r"\b(?:kids|children|work|job|boss|traffic|parking|forms?|tax|website) "
        + W
        + r"{0,2}(?:gives?|giving|gave|is|are) (?:me )?a (?:real |total |massive )?headache\b",
        r"\b(?:took|take|takes|taking) "
        + W
        + r"{0,3}(?:two|2|one|1|a couple of) (?:paracetamol|ibuprofen|painkillers|tablets|pills)\b(?! "
        + W
        + r"{0,3}(?:too many|every hour))",
        r"\bcan't wait\b",
        r"\b(?:laptop|phone|car|boiler|computer|tv|telly|washing machine|shoes|trainers) (?:can't|cannot) go on\b",
        r"\bheart attack waiting to happen\b",
        r"\b(?:nearly|almost) had a (?:seizure|fit|stroke|heart attack)\b",
        r"\bchest muscles? " + W + r"{0,3}(?:ache|aches|aching|sore|stiff|hurt)\w*",
        r"\b(?:numb|dead|tingl\w*) " + W + r"{0,3}(?:if|when|while) (?:i|he|she|you) (?:sit|sat)\b",
        r"\b(?:legs?|feet|bum) " + W + r"{0,2}(?:go|goes|went) (?:numb|dead) (?:if|when|while)\b",
        r"\bhay ?fever\b",
        r"\b(?:he'll|she'll|i'll|you'll|they'll|he will|she will) have a (?:stroke|heart attack|fit|seizure|coronary)\b",
        r"\bmade (?:me|him|her|us) (?:collapse|faint|have a heart attack|pass out)\b",
        r"\b(?:wet|peed|wee'?d) (?:myself|himself|herself) laugh\w*",
        r"\bbrain freeze\b",
        r"\b(?:gave|give|giving) (?:me|him|her|us|myself|himself|herself|yourself) a (?:heart attack|stroke|seizure|fit|coronary)\b",
        r"\boverdos\w* on (?!(?:my |his |her |the |all |some )?(?:pills|tablets|paracetamol|ibuprofen|meds|medication|drugs|painkillers|co-?codamol|codeine|insulin|sleeping|antidepressants))\w+",
        r"\bknocked out (?:my |the |a )?(?:whole |entire )?(?:to-do|todo|list|work|jobs|chores|essay|report|tasks|paperwork|emails)",
        r"\bchest " + W + r"{0,3}tight\w* " + W + r"{0,6}(?:asthma|when i run|running|in the cold|exercise|inhaler)",
        r"\bgiv\w* (?:me|him|her|us) a stroke\b",
        r"\b(?:nearly|almost|practically) (?:killed|finished (?:off)?) (?:me|him|her|us)\b",
        r"\b(?:head|brain) (?:nearly|almost|practically|just about) (?:exploded|blew up|burst)\b",
        r"\bnot breathing a word\b",
        r"\b(?:people|patients|clients|those|someone|anyone|survivors) (?:after|recovering from|who(?:'ve| have)? had|with a history of) (?:a )?(?:stroke|strokes|heart attacks?|seizures?|brain injur\w*)",
        # an accident with glass or a knife is not self-harm (the bleeding is still read)
        r"\bcut "
        + W
        + r"{0,3}(?:on|with|from) (?:a |the |some |broken )?(?:glass|knife|tin|can|window|mirror|saw|chisel|metal|fence|wire|bottle)\b",
        r"\b(?:gave|give|gives|giving|given) (?:me|him|her|us|myself|himself|herself) (?:an? )?(?:aneurysm|brain (?:bleed|haemorrhage|hemorrhage)|coronary|hernia|breakdown)\b",
        r"\b(?:can't|couldn't|could not) breathe " + W + r"{0,2}(?:for|from|with) laugh\w*",
        r"\blaugh\w* " + W + r"{0,4}(?:couldn't|can't|could not) breathe\b",
        # cupping leaves round marks by design
        r"\bcupping\b " + W + r"{0,6}(?:marks|circles|rings|bruis\w*|spots|blotches)\b",
        r"\b(?:marks|circles|rings|bruis\w*|spots|blotches) "
        + W
        + r"{0,4}(?:from|after) (?:the |my |his |her )?cupping\b",
        r"\b(?:is|are|was|like) a (?:car crash|train wreck)\b",
        r"\b(?:(?:arm|hand|leg|foot|face|fingers)(?:'s)? "
        + W
        + r"{0,2})?(?:dead|numb|pins and needles) "
        + W
        + r"{0,4}(?:slept on|sleeping on|lying on|lay on)\b",
        r"\bworst hangover\b",
        r"\bnot (?:answering|picking up) (?:" + WHO + r" )?(?:phone|calls|texts|messages|door|emails?)\b",
        r"\b(?:don't|do not|didn't) want to die\b",
        r"\bcollaps\w* (?:onto|on|into) (?:the |my |a |his |her )?(?:sofa|bed|couch|chair|settee)\b",
        r"\b(?:(?:bum|bottom|backside|buttocks?|legs?|feet|bits) "
        + W
        + r"{0,2})?(?:numb\w*|dead|tingl\w*) "
        + W
        + r"{0,6}(?:after|from|on) (?:the |a |my )?"
        + W
        + r"{0,5}(?:sitting|train|drive|driving|journey|flight|bike|cycling|ride|cab|desk)\b",
        r"\b(?:legs?|feet|thighs) "
        + W
        + r"{0,4}(?:dead|jelly|like jelly|wrecked|knackered|shot|killing|heavy|tired|aching|achy|sore) "
        + W
        + r"{0,3}(?:after|from) "
        + W
        + r"{0,3}(?:10k|5k|marathon|race|parkrun|hike|walk|run|running|gym|class|session|shift|day|training|workout|spin|football|match)",
        r"\bdead on (?:my|his|her|our|their) feet\b",
        r"\bkill(?:ing|ed)? (?:" + SELF + r") laugh\w*",
        r"\b(?:legs?|feet|thighs) "
        + W
        + r"{0,4}jelly "
        + W
        + r"{0,3}(?:after|from) "
        + W
        + r"{0,3}(?:class|gym|run|running|workout|spin|session|hike|walk|training|exercise|football|match)",
        r"\bstroke (?:survivors?|patients?|rehab\w*|recovery|clinic|unit|association|awareness|ward)\b",
        r"\bcan't get (?:an|a) (?:appointment|booking|slot)\b",
    ),
}

"""ConText modifier rules for visitors' chat messages (medspaCy ConText).

medspaCy's own rules are written for clinicians' notes ("denies", "r/o", "h/o"); a
visitor writes "no numbness", "had a stroke 3 years ago", "what is a thunderclap
headache?". These rules give ConText the same four ideas in chat words:

- NEGATED_EXISTENCE: the sign is absent ("no", "not", "haven't got", "without").
- HISTORICAL: the sign is long past ("years ago", "in 2015", "as a child", "used to").
- RECENT_PAST: the sign was days or weeks ago ("last week"), so it is unclear whether it
  is happening now: the assistant asks.
- HYPOTHETICAL: a question about a sign, a condition or a what-if ("what is", "signs of",
  "what if", "if I ever").
- CURRENT: the sign is happening now ("now", "still", "since this morning", "right now");
  it outweighs the three above, so "a fall last week and now I can't feel my legs" counts.

Being about someone else ("my dad...") changes nothing: the same route applies.
"""

from __future__ import annotations

from typing import List

from medspacy.context import ConTextRule

NEGATED = "NEGATED_EXISTENCE"
HISTORICAL = "HISTORICAL"
RECENT_PAST = "RECENT_PAST"
HYPOTHETICAL = "HYPOTHETICAL"
CURRENT = "CURRENT"
TIME = frozenset({HISTORICAL, RECENT_PAST, CURRENT})

# (literal, regex, category, direction, max_scope in tokens[, sign types it never modifies])
_RULES = (
    # ---- negation ----
    ("no", r"\bno\b", NEGATED, "FORWARD", 6),
    ("not", r"\bnot\b", NEGATED, "FORWARD", 4),
    (
        "never",
        r"\bnever\b(?! (?:had|felt|been|experienced) (?:[\w'-]+ ){0,3}(?:like|this|that|so|before|worse))(?! (?:stops|ends|goes away|lets up|eases|gets better|seems to))",
        NEGATED,
        "FORWARD",
        5,
    ),
    (
        "without",
        r"\bwithout\b(?! (?:trying|meaning to|dieting|any reason|a reason|changing|doing anything|warning))"
        r"(?! (?:my|his|her|the) (?:jaw|head|back|neck|chest|legs?|arms?|hip|knee|scalp|temples?) (?:aching|hurting|killing|throbbing|screaming|twinging|going))",
        NEGATED,
        "FORWARD",
        5,
    ),
    ("didn't", r"\b(?:didn't|did not)\b(?! (?:stop|ease|help|go away|work|settle|last))", NEGATED, "FORWARD", 3),
    ("nor / neither", r"\b(?:nor|neither)\b", NEGATED, "FORWARD", 4),
    (
        "don't have",
        r"\b(?:don't|doesn't|didn't|do not|does not|did not|haven't|hasn't|have not|has not|hadn't) (?:have|has|had|got|get|notice|noticed|feel|felt|experience|experienced|suffer|suffer from|any)\b",
        NEGATED,
        "FORWARD",
        6,
    ),
    (
        "isn't",
        r"\b(?:isn't|aren't|wasn't|weren't|is not|are not)\b|\b(?:hasn't|haven't|hadn't|has not|have not)(?= been\b)",
        NEGATED,
        "FORWARD",
        3,
    ),
    (
        "no sign of",
        r"\b(?:no|not any|without any) (?:signs?|symptoms?|history|sign or symptoms?) of\b",
        NEGATED,
        "FORWARD",
        8,
    ),
    ("free of", r"\b(?:free of|free from|clear of|ruled out|nothing like)\b", NEGATED, "FORWARD", 5),
    (
        "none",
        r"(?<!like )\b(?:none|nothing) (?:of (?:that|those|these|the))?\b"
        r"(?!(?:helps|works|helped|worked|has helped|has worked|seems to help|is working|left|to live for|matters|makes sense))",
        NEGATED,
        "BIDIRECTIONAL",
        4,
    ),
    (
        "has gone",
        r"\b(?:has|have|had) (?:now )?(?:gone away|gone now|cleared up|settled|passed|resolved|stopped)\b|\bwent away\b|\bgot better\b|\b(?:but |and )?(?:it|that|they) (?:all )?passed\b",
        NEGATED,
        "BACKWARD",
        6,
    ),
    (
        "sorted now",
        r"\b(?:all sorted|sorted now|recovered|doing (?:much |really |a lot )?better|healed|discharged|cast (?:is |came |was )?off|out of (?:the|his|her|my) cast|healing (?:well|nicely|fine)|turned out to be|nothing(?:'s| was| is)? (?:broken|wrong|found)|nothing since|(?:saw|seen|been to) (?:the |my )?(?:gp|doctor|physio|a&e)|had (?:the|an|his|her|my) (?:operation|op)|recovering (?:at home|well|nicely)|in rehab|doing well|(?:is|he's|she's|they're) stable|stable now|now and (?:fine|well|healthy)|already going|easing off|settling down|checked (?:me |him |her )?(?:out|over)|everything (?:looks|is|was) (?:good|fine|normal)(?! at first)|it's gone (?:now|away)|gone away now|went away|back to normal|all gone (?:now|away)|(?:x-?rays?|scans?|mri|ct) (?:showed|shows|found) no|(?:tests?|scans?|results?|bloods?|x-?rays?|mri|ct) (?:all )?(?:came back|were|was|are) (?:fine|normal|clear|ok)|(?:said|says) (?:it's|its|everything is|all is|it is) (?:all )?(?:normal|fine|ok|okay|good)|all normal|had an x-ray|(?:been|was|got) checked|cleared up|goes (?:away )?(?:as soon as|when)|comes and goes|(?:physio|gp|doctor|consultant|specialist|midwife)s? (?:knows|is aware|is treating|is dealing|checked|has checked|examined|has examined)|(?:was|were|been|got|he's been|she's been) seen (?:at|in|by) (?:the )?(?:hospital|a&e|gp|doctor|paramedics|urgent care)|started (?:me|him|her|them) on (?:tablets|medication|meds|treatment)|(?:antibiotics|tablets|treatment|they|that|it) (?:sorted|cleared|fixed) (?:it|him|her|them|me)(?: up| out)?)\b",
        NEGATED,
        "BIDIRECTIONAL",
        10,
        {"cancer"},  # recovered from cancer is a history of cancer: with back pain, GP today
    ),
    # Feeling fine says nothing about an overdose: paracetamol harms the liver while the
    # person feels well ("took a load of paracetamol, says she's fine now").
    (
        "feels fine",
        r"\b(?:(?:feeling|feel|feels|felt) (?:fine|well|ok|okay|good)|fine now|all good now|better now|much better now|all fine)\b(?! (?:at first|to begin with|initially|until|till|then))",
        NEGATED,
        "BIDIRECTIONAL",
        10,
        # feeling well says nothing of wanting to die either
        {"overdose", "drug", "cancer", "hopeless", "suicidal", "self_harm"},
    ),
    # Already in hospital or seen there: the help the route would give is already there.
    (
        "in hospital",
        r"\b(?:(?:is|are|was|were|been|'s) in (?:the )?(?:[\w'-]+ )?(?:hospital|royal|infirmary|general|a&e|icu|hdu|ward|intensive care|resus)(?! car park)|recovering in hospital|being (?:well )?looked after|on the (?:\w+ )?ward|(?:taken|took (?:him|her|them)|rushed) (?:in|to (?:a&e|hospital))|keeping (?:him|her|them) in|kept (?:him|her|them) in|in plaster|in a cast|doctors are with (?:him|her|them)|paramedics (?:are|were) (?:here|there|with))\b",
        NEGATED,
        "BIDIRECTIONAL",
        14,
    ),
    (
        "i've not had",
        r"\b(?:i've|i have|he's|she's|they've|we've|he has|she has) (?:not|never)(?= (?:had|got|lost|noticed|felt|been)\b)",
        NEGATED,
        "FORWARD",
        8,
    ),
    ("thankfully not", r"\b(?:thankfully|luckily|fortunately) (?:not|no)\b", NEGATED, "FORWARD", 6),
    # ---- long past ----
    (
        "years ago",
        r"\b(?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|many|several|a few|few|some|couple of|a couple of) )?(?:years?|yrs?|decades?) (?:ago|back|before|earlier)\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        10,
    ),
    (
        "months ago",
        r"\b(?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|many|several|a few|few|some|couple of) )?months? (?:ago|back|before)\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        10,
    ),
    (
        "in 2015",
        r"\b(?:in|since|from|during) (?:19|20)\d\d\b|\b(?:19|20)\d\d\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        10,
    ),
    ("last year", r"\blast (?:year|summer|winter|spring|autumn|christmas|decade)\b", HISTORICAL, "BIDIRECTIONAL", 10),
    (
        "as a child",
        r"\b(?:as a (?:child|kid|teenager|teen|baby|toddler|student)|when (?:i|he|she|they) (?:was|were) (?:young|little|small|a kid|a child|a teenager|younger|a toddler|a baby|at school|\d+)|in (?:my|his|her) (?:teens|twenties|thirties|youth)|growing up)\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        10,
    ),
    (
        "history of",
        r"\b(?:history of|previous(?:ly)?|in the past|used to|a long time ago|long ago|ages ago|way back|old injury|once had|fully recovered|recovered (?:well|fully|from)|all clear|died (?:of|from)|passed away|in (?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b|(?:last|previous|first|earlier|other) pregnanc\w*|(?<!weeks )(?<!wks )(?<!weeks pregnant )with (?:her|my|his|our|their) (?:first|last|previous|older|eldest|second)|in the (?:summer|winter|spring|autumn)|(?:i|he|she|they|we) once|once (?:before|had|when)|in (?:my|his|her|their) (?:\d0s|\d0's)|once(?=\s*(?:[,.;!?]|and\b|but\b|is\b|was\b|$))|(?:was|were) weeks ago|in (?:my|her) (?:first|second) trimester|(?:been|was|got) admitted|in intensive care|always (?:says|has|had|gets)|long-?standing|was diagnosed|made a (?:good |full )?recovery|lost (?:my|his|her) (?:[\w'-]+ ){0,2}to|described it as|last season)\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        10,
    ),
    # A mother's pregnancy, told by the child: "my mum had pre-eclampsia with me".
    (
        "mum had",
        r"\b(?:my )?(?:mum|mam|mom|mother|nan|gran) had\b(?= [\w-]+ (?:with|when she was|in (?:her|each|every|both)) )",
        HISTORICAL,
        "FORWARD",
        4,
    ),
    # The site of an old injury, or one fixed in surgery: "a leg where I had a broken ankle", "a plate in".
    (
        "where i had",
        r"\b(?:where|that) (?:i|he|she|they|you) (?:had|broke|fractured|snapped)\b|\b(?:with )?(?:a plate|plates|pins|screws|metalwork|rods?|a rod) in\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        8,
    ),
    # "15 years of back pain" is how long it has lasted: long past for an injury, never
    # for what the visitor says about wanting to die now.
    (
        "years of",
        r"\byears of\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        10,
        {"suicidal", "self_harm", "hopeless"},
    ),
    # "Back pain for years" is likewise how long it has lasted, never the time of what the
    # visitor says about wanting to die now: "...for years and I want to end it all".
    (
        "for years",
        r"\bfor (?:(?:\d+|many|several|a few|some) )?years\b|(?<!going on )(?<!been going )(?<!lasting )(?<!lasted )"
        r"(?<!happening )\bfor ages\b",
        HISTORICAL,
        "BIDIRECTIONAL",
        10,
        {"suicidal", "self_harm", "hopeless"},
    ),
    # ---- days or weeks ago: ask whether it is happening now ----
    (
        "last week",
        r"\b(?:last (?:week|month|weekend|fortnight)|at the weekend|the other (?:day|week|night)|(?:a|one|two|three|four|\d+|a few|few|couple of|a couple of) (?:days?|weeks?|fortnights?) (?:ago|back)|a fortnight ago|over the weekend)\b",
        RECENT_PAST,
        "BIDIRECTIONAL",
        10,
    ),
    # ---- questions, hypotheticals, general talk ----
    ("how soon after", r"\bhow (?:soon|long) after\b", HYPOTHETICAL, "FORWARD", 8),
    (
        "does that happen",
        r"\b(?:does|do|can|could|would) (?:that|this|it) (?:ever )?happen\b",
        HYPOTHETICAL,
        "BACKWARD",
        10,
    ),
    (
        "what is",
        r"\b(?:what(?:'s| is| are| does| do| causes| would)|whats)\b(?! (?:happening|going on|wrong with (?:me|him|her|them))\b)",
        HYPOTHETICAL,
        "FORWARD",
        12,
    ),
    (
        "signs of",
        r"\b(?:signs?|symptoms?|warning signs?|red flags?|risk|risks|causes?|definition) (?:of|for|to)\b|\b(?:list of|to watch (?:out )?for|to look out for)\b",
        HYPOTHETICAL,
        "FORWARD",
        20,
    ),
    (
        "the midwife said it's normal",
        r"\b(?:midwife|doctor|gp|consultant|nurse|hospital|tests?|scans?|physio|paramedics?) (?:[\w'-]+ ){0,10}(?:said|says|told) (?:me |us |her |him )?(?:it's|its|everything is|all is|it is|it was|everything was|that's) (?:all )?(?:normal|fine|ok|okay|good|nothing)\b",
        NEGATED,
        "BIDIRECTIONAL",
        30,
        {"pregnant"},
    ),
    (
        "studying",
        r"\b(?:module|studying|revising|revision|my course|student nurse|student nurse|student paramedic|medical student|exam|assignment|essay|leaflets?|posters?|trainer|doing a talk|giving a talk|is it true|supposing|suppose|school project|project (?:about|on)|antenatal class|in class|my class|(?:a |the )?(?:talk|assembly|presentation|lesson|training) (?:about|on))\b",
        HYPOTHETICAL,
        "FORWARD",
        15,
    ),
    (
        "thought he'd",
        r"\b(?:thought|think) (?:he|she|they|i|you|it)'d\b|\bfor a (?:sec|second|moment|minute) i thought\b",
        HYPOTHETICAL,
        "FORWARD",
        8,
    ),
    ("none of them", r"\bnone of (?:them|those|these|that|it)\b|\bi've got none\b", NEGATED, "BACKWARD", 25),
    (
        "first aid course",
        r"\b(?:first aid|training course|(?:a|the) course (?:on|about)|lesson|lecture|we covered|learn(?:ed|t|ing)? about|taught (?:us )?about)\b",
        HYPOTHETICAL,
        "FORWARD",
        10,
    ),
    (
        "what if",
        r"\b(?:what if|what happens if|what should (?:i|we|you) do if|what do (?:i|we|you) do if|what does it mean (?:if|when)|what (?:would|do) you do (?:if|when)|in case|just in case|should (?:i|he|she|they|you) ever|if ever|whether (?:[\w'-]+ )?(?:could|might|would)|if (?:[\w'-]+ ){0,5}ever|for the future|would (?:that|it|this) count)\b",
        HYPOTHETICAL,
        "FORWARD",
        12,
    ),
    (
        "the form asks",
        r"\b(?:form|questionnaire|it|the question|question \d+) (?:asks|asked|says|wants to know) (?:if|whether|about)\b|\b(?:do|should) i (?:tick|put|write|answer|say|declare|mention)\b",
        HYPOTHETICAL,
        "FORWARD",
        12,
    ),
    (
        "can you get a stroke from",
        r"\b(?:can|could|do|does|would|will) (?:you|i|people|someone|anyone|a person|massage|acupuncture|tui ?na|it) (?:ever )?(?:get|have|cause|trigger|give (?:you|someone|people)) (?=(?:a|an|any)\b)",
        HYPOTHETICAL,
        "FORWARD",
        5,
    ),
    (
        "if someone collapses",
        r"\bif (?:someone|anyone|somebody|a patient|a client|a customer|one of your (?:patients|clients))\b|\bif (?:i|you|he|she|they|we)'d\b",
        HYPOTHETICAL,
        "FORWARD",
        8,
    ),
    # "if someone had a stroke": the verb is left to the sign ("had a stroke"), which ConText would not modify if both held it.
    (
        "if someone",
        r"\bif (?:i|you|he|she|they|someone|anyone|my|a person|somebody|people|a patient|your patients?|a woman|a man|a child)(?:'s)? (?=(?:ever|get|gets|got|have|has|had|start|starts|started|were|was|develop|develops|experience|experiences|notice|notices|feel|feels|felt|should|did|went|turned|collapsed|showed|pregnant|having)\b)",
        HYPOTHETICAL,
        "FORWARD",
        10,
    ),
    (
        "is that a thing",
        r"\b(?:is|was) (?:that|this|it) (?:a thing|a real thing|real|possible)\b",
        HYPOTHETICAL,
        "BACKWARD",
        12,
    ),
    (
        "on the telly",
        r"\b(?:watching|on (?:the )?(?:tv|telly|news|radio)|in a (?:film|show|programme|soap|book)|casualty|grey's anatomy|eastenders|corrie)\b",
        HYPOTHETICAL,
        "FORWARD",
        12,
    ),
    (
        "how do you recognise",
        r"\b(?:(?:interested in|curious about|wondering about|asking about) how|how (?:do|would|does) (?:you|practitioners?|staff|the clinic|therapists?) (?:recognise|recognize|know|spot|tell|handle|deal with))\b",
        HYPOTHETICAL,
        "FORWARD",
        20,
    ),
    ("thought it was", r"\bthought (?:it|this|that|i) (?:was|had|might be|could be)\b", HYPOTHETICAL, "FORWARD", 6),
    # "pain under my ribs, could it be my back?": the cause is the question, not the pain.
    ("could it be", r"\b(?:could|might|can|would) (?:it|this|that|they) (?:just )?be\b", HYPOTHETICAL, "FORWARD", 6),
    (
        "a sign of",
        r"\b(?:cause|causes|lead to|be a sign|be linked|be related|be caused|a sign of|a symptom of)\b",
        HYPOTHETICAL,
        "BIDIRECTIONAL",
        6,
    ),
    (
        "can tui na help",
        r"\b(?:can|could|does|do|will|would|is) (?:tui ?na|tuina|acupuncture|massage|it|you|your (?:[\w'-]+ )?|the (?:treatment|therapy|clinic|practitioner)s?) (?:[\w'-]+ ){0,2}(?:help|treat|cure|fix|work|safe|ok|okay|suitable|good|see|deal)\b",
        HYPOTHETICAL,
        "FORWARD",
        8,
    ),
    (
        "is it serious",
        r"\b(?:ever|always|usually|normally|ever be) (?:serious|dangerous|an emergency|a concern)\b|\b(?:is|are) (?:it|that|this|they) (?:serious|dangerous)\b|\bhow (?:do|would|can) (?:i|you|we|people) (?:know|tell|spot|recognise|recognize)\b|\bwhen should (?:i|you|someone|people)\b",
        HYPOTHETICAL,
        "BIDIRECTIONAL",
        10,
    ),
    (
        "worried about getting",
        r"\b(?:worried|scared|afraid|frightened|anxious|nervous|paranoid) (?:[\w'-]+ ){0,2}(?:about|of|that) (?:getting|having|it being|it could|it might|i might|i could|ending up)\b|\brisk of\b|\bprevent\w*\b",
        HYPOTHETICAL,
        "FORWARD",
        8,
    ),
    (
        "a post on facebook",
        r"\b(?:(?:a|the) post (?:on|about)|on (?:facebook|social media|instagram|tiktok|twitter))\b",
        HYPOTHETICAL,
        "BIDIRECTIONAL",
        12,
    ),
    (
        "a woman who",
        r"\b(?:a|some|this) (?:woman|man|person|guy|lady|bloke|girl|boy|celebrity|footballer|friend of a friend) who\b|\b(?:horror )?stories about\b|\bread in (?:the )?(?:paper|news)\b|\bin the (?:paper|news)\b",
        HYPOTHETICAL,
        "FORWARD",
        10,
    ),
    (
        "the doctor said it was",
        r"\b(?:doctor|doctors|gp|hospital|a&e|consultant|paramedics?|nurse|they)s? (?:said|says|told (?:me|him|her))\b(?=.{0,60}\b(?:was|is|were|it's) (?:just |only )?(?:anxiety|muscular|nothing|fine|indigestion|reflux|a pulled muscle|normal|stress|a virus|a panic attack)\b)",
        NEGATED,
        "FORWARD",
        10,
    ),
    ("can be serious", r"\bcan be (?:serious|dangerous|an emergency|a sign)\b", HYPOTHETICAL, "BACKWARD", 10),
    (
        "read about",
        r"\b(?:read|reading|googling|googled|looking up|looked up|heard|seen|saw|watched|article|leaflet|website|programme|documentary|research|study|studies|articles) (?:about|that|on|says|said|mentions)\b",
        HYPOTHETICAL,
        "FORWARD",
        10,
    ),
    (
        "do you treat",
        r"\b(?:do|does|would|will|can) (?:you|the clinic|your (?:[\w'-]+ )?|they|practitioners?) (?:[\w'-]+ ){0,2}(?:treat|see|work with|accept|take|help) (?:people|patients|clients|anyone|someone)\b",
        HYPOTHETICAL,
        "FORWARD",
        10,
    ),
    (
        "is it safe",
        r"\b(?:is it|is tui ?na|is tuina|is acupuncture|is massage|would it be|will it be) (?:[\w'-]+ ){0,1}(?:safe|ok|okay|alright|suitable|advisable)\b",
        HYPOTHETICAL,
        "FORWARD",
        10,
    ),
    (
        "quiz",
        r"\b(?:hypothetically|in theory|for example|for instance|say someone|imagine|let's say|out of interest|out of curiosity|just curious|just wondering|asking for a friend)\b",
        HYPOTHETICAL,
        "FORWARD",
        12,
    ),
    # ---- happening now ----
    (
        "until recently",
        r"\buntil (?:about |around )?(?:recently|(?:a|one|two|three|\d+|a few|few|a couple of) (?:days?|weeks?|months?|fortnight) ago|last (?:week|month|year|fortnight))\b",
        CURRENT,
        "BIDIRECTIONAL",
        10,
    ),
    (
        "now",
        r"\b(?:(?:has|have|had) (?:[\w'-]+ )?started|started (?:to|getting)|in the (?:last|past) (?:[\w'-]+ ){0,2}(?:days?|weeks?|fortnight)|for the (?:last|past) (?:[\w'-]+ ){0,2}(?:days?|weeks?|months?|hours?|fortnight)|over the (?:last|past) (?:[\w'-]+ ){0,2}(?:days?|weeks?)|lately|recently|these days|now|right now|rn|at the moment|atm|currently|still|just now|this (?:morning|afternoon|evening|minute|second)|tonight|today|an hour ago|(?:\d+|a few|few|ten|twenty|thirty|five) (?:minutes?|mins?|hours?|hrs?) ago|since (?:this morning|last night|yesterday|then|\w+ (?:morning|night|evening))|last night|yesterday|keeps|please help|started (?=\w+ing)|again today|since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)|(?:ever )?since (?:i|he|she|they|we) (?:had|got|came (?:home|back|out))|(?:ever )?since (?:my|his|her|their|the) (?:[\w'-]+ ){0,2}(?:injection|jab|op|operation|surgery|procedure|epidural|block|puncture|fall|accident|birth|delivery|c-?section|section)|going on for|been going on|won't stop|hasn't stopped|not stopping|urgent|emergency|what (?:do|should) (?:i|we) do|first time|for the first time|(?:got|gotten|getting|gone) (?:heavier|worse|stronger|bigger)|(?<!was )(?<!were )feeling|first ever|never (?:had|happened) (?:[\w'-]+ ){0,2}before|wasn't there before|new|newly)\b",
        CURRENT,
        "BIDIRECTIONAL",
        8,
    ),
)

TERMINATORS = (
    "but",
    "however",
    "although",
    "though",
    "except",
    "apart from",
    "anyway",
    "yet",
    "whereas",
    "except for",
    "other than",
    "because",
    "only",
)


def context_rules() -> List[ConTextRule]:
    rules = [
        ConTextRule(
            literal,
            category,
            pattern=pattern,
            direction=direction,
            max_scope=max_scope,
            excluded_types=excluded[0] if excluded else None,
        )
        for literal, pattern, category, direction, max_scope, *excluded in _RULES
    ]
    rules += [ConTextRule(word, "TERMINATE", direction="TERMINATE") for word in TERMINATORS]
    # A new clause about something else that happened: "back pain and chills, I had an
    # injection 2 weeks ago" - the "2 weeks ago" is the injection's, not the chills'.
    rules.append(
        ConTextRule(
            "new clause",
            "TERMINATE",
            pattern=r"(?<=, )(?:(?:i|he|she|we|they) )?(?:had|got|went)\b",
            direction="TERMINATE",
        )
    )
    return rules

# abuse: the lexicon of filters/abuse.py (MODERATION.md §3). Format: filters/lexicon.py.


@define SPACED: [\s.\-_]+

@define PROFANITY: \b(?:mother\s*)?fuc+k+\w*|\b(?:mother\s*)?fuu+c+k+\w*|\b(?:mother\s*)?f\*+(?:[ck*#]+)?(?:ing|in|ed|er|ers)?(?!\w)|\b(?:mother\s*)?f#+(?:[ck*#]+)?(?:ing|in|ed|er|ers)?(?!\w)|\b(?:mother\s*)?f@+(?:[ck*#]+)?(?:ing|in|ed|er|ers)?(?!\w)|\bmotherf\w*\*+\w*|\b(?:fk|fuk|fck|fcuk|fuq|phuck)(?:ing|in|ed|er|ers|off|wit|tard|\w*)\b|\bf<<SPACED>>u<<SPACED>>c<<SPACED>>k\b|\bstfu\b|\bgtfo\b|\bfml\b|\b(?:bull|horse|dip|chicken)?shi+t+(?:e|ty|ter|s|head|hole|show|ting)?\b|\bs<<SPACED>>h<<SPACED>>i<<SPACED>>t\b|\b(?:bull|horse)?sh\*+t\w*|\b(?:bull|horse)?sh1+t\w*|\bs\*+t\b|\bsh\*+\b|\bcun+t+(?:s|y)?\b|\bcuu+n+t+(?:s|y)?\b|\bc<<SPACED>>u<<SPACED>>n<<SPACED>>t\b|\bc\*+nts?\b|\bc#+nts?\b|\bc\*+t\b|\b(?:ass|arse|a\$\$|@ss)[\s.\-_*]?holes?\b|\bdumb[\s.\-_*]?ass(?:es)?\b|\bjackass\w*|\bsmartass\w*|\bbitch(?:es|y|ing)?\b|\bb\*+tch\w*|\btwats?\b|\bwank(?:er|ers|ing)?\b|\bcocksucker\w*|\bdickheads?\b|\bpiss\s+off\b|\bbastards?\b|(?<!finger\s)(?<!needle\s)\bpricks?\b(?=\s*(?:[.!,?]|who|that|$))|\bjod(?:er|ido|ida|idos|idas|an)\b|\bmierd\w*|\bm1erda\b|\bme\s+cago\s+en\b|\bco[nñ]o\b|\bcojones\b|\bhostias?\b|\bput[oa]s?\b|\bp\*+ta\w*|\bputad\w*|\bpinches?\b|\bching\w*|\bcabr[oó]n(?:es|a|as)?\b|\bcarajo\b|\bvergas?\b|\bpendej\w*|\bno\s+mames\b|\bhdp\b|\bctm\b|\bptm\b

@define SLUR: \b(?:retard(?:s|ed)?|r\*tard\w*|spaz|spazz|spastic|mong|tranny|trannies|fag|fags|faggots?|f\*g\w*|dyke|cripples?(?=\s*(?:[.!,?]|$))|libtard|schizo(?=\s*(?:[.!,?]|$)))\b

@define INSULT_WORDS: idiots?|morons?|imbeciles?|dumb(?:ass)?|stupid|dimwits?|losers?|pathetic|trolls?|liars?|clowns?|sheep|sheeple|quacks?|scum(?:bags?)?|parasites?|leech(?:es)?|fakers?|freaks?|cretins?|fools?|muppets?|pricks?|dicks?|assholes?|arseholes?|bitch(?:es)?|cows?|pigs?|trash|garbage|worthless|attention[\s-]seek(?:er|ers|ing)|drama\s+queens?|snowflakes?|karens?|hypochondriacs?|lazy\s+(?:\w+\s+)?(?:bums?|fakers?|scroungers?|slobs?)|scroungers?|joke|disgrace|waste\s+of\s+(?:space|oxygen|air|skin)|brainwashed\s+\w+|shills?|nutjobs?|nutters?|psychos?|weirdos?|dumbasses?|twats?|wankers?|retards?|sad\s+little\s+\w+|mental\s+cases?|snitch(?:es)?|idiotas?|imb[eé]cil(?:es)?|gilipollas|subnormal(?:es)?|est[uú]pid[oa]s?|zorras?|vag[oa]s|par[aá]sitos?|in[uú]til(?:es)?|ignorantes?|tont[oa]s?|llorones|mentiros[oa]s?|payas[oa]s?|incompetentes?|farsantes?|cuenteros?

@define ADJ: (?:absolute|total|complete|utter|fucking|f\*+ing|bloody|stupid|pathetic|little|smug|ignorant|arrogant|lying|lazy|useless|brainwashed|sad|selfish|entitled|miserable|ugly|fat|dumb|clueless|fibro|ms|diabetic|power[\s-]tripping)

@define HARASS: \bshut\s+(?:up|your\s+\w+)\b|\bget\s+a\s+life\b|\bget\s+lost\b(?!\s+in\b)|\bgo\s+(?:away|die|crawl|back\s+to\s+your|jump|to\s+hell)\b|\bnobody\s+(?:cares|asked|wants\s+you|likes\s+you)\b|<<after: no one>>(?:cares|asked|wants\s+you)\b|\bkys\b|\bkill\s+your\s*self\b|\bdrop\s+dead\b|\bfaking\s+(?:it|your|this)\b|\bfaking\s+\w+\s+for\b|\blaughs?\s+at\s+(?:you|u)\b|\bbehind\s+(?:your|ur)\s+back\b|\bstop\s+whining\b|\b(?:brought|bring)\s+it\s+on\s+(?:yourself|yourselves|themselves)\b|\b(?:people|diabetics|spoonies|folks)\s+like\s+(?:you|u)\s+(?:are|r)\s+(?:why|the\s+(?:reason|problem)|ruining|what'?s\s+wrong)\b|<<after: it's | its>>people\s+like\s+(?:you|u)\b|(?<!thank\syou\s)<<after: you>>people\b(?!\s+(?:are|r)\s+(?:amazing|great|wonderful|awesome|the\s+best|lovely|so|such))

@define THREAT: <<after: i>>hope\s+(?:you|u|your|ur)\b(?:\s+\w+){0,8}?\s+(?:die|dies|suffer|suffers|kills?|shuts?\s+(?:you|u)\s+up|puts?\s+(?:you|u)\s+in|rots?|deserve|fails?|breaks?|stops?|explodes?|crash(?:es)?|gets?\s+worse|flares?\s+up|chokes?|choke)\b|<<after: you | u>>deserve\s+(?:it|to\s+(?:die|suffer))\b|<<after: i'll | i will | gonna | going to>>(?:find|hurt|kill|get|come\s+for)\s+(?:you|u)\b|\bwatch\s+your\s+back\b|<<after: i>>know\s+(?:who|where)\s+you\s+(?:are|live)\b(?!\s+(?:talking|referring|thinking|on\s+about|asking))|<<after: i'll | i will | gonna | going to>>(?:smash|break|punch|kick|batter|beat|bash|knock)\s+(?:his|her|their|your|ur|them|him)\s+(?:\w+\s+)?(?:face|head|legs?|teeth|jaw|nose|arms?|in)\b|\bfind\s+out\s+where\s+(?:you|u)\s+live\b|\bmake\s+(?:your|ur)\s+life\s+(?:hell|a\s+(?:misery|living\s+hell))\b|\b(?:te|le|les|os)\s+(?:voy\s+a\s+|vamos\s+a\s+)?(?:parto|partir|rompo|romper|reviento|reventar)\s+la\s+(?:cara|boca|madre|crisma)\b|\b(?:te|le|os)\s+(?:voy|vamos)\s+a\s+(?:dar|meter)\s+una\s+(?:hostia|paliza|golpiza|putiza|madriza)\b|\bs[eé]\s+d[oó]nde\s+vives\b|\bojal[aá]\s+(?:te|tu|que\s+te)\b(?:\s+\w+){0,6}?\s+(?:mueras|muera|cierre|pudras|revientes|mate)\b

# Examples (tests/unit/test_lexicons.py): + a section that must find it, - nothing found


# Examples (tests/unit/test_lexicons.py): + a section that must find it, - nothing found
+ PROFANITY: f u c k this weather
+ PROFANITY: Qué puta mierda de día
+ SLUR: spaz
+ SLUR: You sound like a retard honestly
+ INSULT_WORDS: mods r useless idiots
+ INSULT_WORDS: You're pathetic. Grow up.
+ HARASS: kys nobody wants you here
+ HARASS: Go back to your hole, troll.
+ THREAT: I hope your insulin pump fails.
+ THREAT: I hope your illness shuts you up for good
- Finger pricks 6 times a day, my fingertips are numb.
- That's a stupid question, said nobody ever. Ask away!
- My dog is such an idiot, he ate my pill organiser lid.
- I feel like such an idiot for forgetting my appointment.

# consult_reminder: the lexicon of filters/consult_reminder.py (MODERATION.md §3). Format: filters/lexicon.py.


@define TREATMENT_NOUNS: meds?|medications?|medicines?|pills?|tablets?|tabs|capsules|doses?|dosage|dosing|insulin|basal|bolus|inhalers?|puffers?|preventers?|relievers?|nebuli[sz]ers?|nebs|steroids?|steroid\s+creams?|biologics?|infusions?|injections?|jabs|pens|dmts?|immunosuppressants?|(?:blue|brown|purple|orange|pink|white|yellow|red|green)\s+(?:one|inhaler|pill|pills)|water\s+(?:pills|tablets)|antidepressants?|antipsychotics?|mood\s+stabili[sz]ers?|blood\s+thinners?|statins?|prescriptions?|dialysis|oxygen|concentrator|cpap|bipap|chemo|patch(?:es)?|eye\s*drops|treatments?|arvs?|ppis?|ssris?|snris?|nsaids?|dmards?|triptans?|beta\s+blockers?|ace\s+inhibitors?|diuretics?|painkillers?|opioids?|enzymes|drugs|sprays?|creams?|ointments?|<<alt: prednisone | methotrexate | levothyroxine | hydroxychloroquine | low dose naltrexone>>

@define REMEDIES: cinnamon|berberine|turmeric|curcumin|magnesium(?:\s+\w+)?|vitamin\s+[a-e]\d*|fish\s+oil|omega[\s-]?3s?|john'?s\s+wort|cbd(?:\s+oil|\s+gummies)?|ashwagandha|apple\s+cider\s+vinegar|acv|vinegar|garlic|ginger|elderberry|echinacea|feverfew|riboflavin|coq10|probiotics?|collagen|sea\s+moss|nattokinase|serrapeptase|colloidal\s+silver|kratom|kombucha|celery(?:\s+juice)?|juicing|chlorella|spirulina|moringa|black\s+seed\s+oil|oregano\s+oil|frankincense|essential\s+oils?|boswellia|quercetin|theanine|zinc|iron\s+supplements?|salt\s+tablets|electrolytes|baking\s+soda|bicarbonate|cherry\s+juice|bone\s+broth|aloe\s+vera|slippery\s+elm|peppermint\s+oil|reishi|lion'?s\s+mane|mushrooms?|herbs|herbal(?:\s+\w+)?|roots|natural\s+(?:remedies|remedy|protocol|cure)|homeopath\w*|ayurved\w*|cannabis|weed|marijuana|thc|psilocybin|microdos\w*|hydrogen\s+water|alkaline\s+water|detox|cleanse|enemas?|ozone|chelation|stem\s+cells?(?:\s+clinic)?|(?:fecal|faecal|poo|stool)\s+transplant|fmt|raw\s+milk|epsom\s+salts?|honey|coconut\s+oil|castor\s+oil|sunlight|sun\s+exposure|feverfew|keto(?:genic)?|carnivore|paleo|aip|autoimmune\s+protocol|vegan|plant[\s-]based|(?:gluten|dairy|sugar)[\s-]free(?!\s+(?:bread|pasta|options?|food|snacks?|aisle|menu|version|beer|cakes?|biscuits?|pizza|range))|low[\s-]carb|zero[\s-]carb|intermittent\s+fasting|fasting|(?:water|juice|dry)\s+fast|omad|18:6|16:8|wahls(?:\s+protocol)?|coimbra(?:\s+protocol)?|elimination\s+diet|scd|specific\s+carbohydrate\s+diet|gaps\s+diet|raw\s+(?:food|vegan)|nightshades|juice\s+cleanse|cold\s+plunges?|ice\s+baths?|cold\s+showers?|wim\s+hof|breathing\s+(?:exercises|method|technique|course)|buteyko|grounding|earthing|yoga|tai\s+chi|red\s+light(?:\s+therapy)?|salt\s+(?:pipe|therapy|room)|ldn|low\s+dose\s+naltrexone|supplements?|(?:detox|slimming|skinny|hormone[\s-]*balancing|balancing|herbal|healing|weight[\s-]loss)\s+teas?|(?:cut(?:ting)?\s+out|ditch(?:ing|ed)?|giv(?:e|ing)\s+up|gave\s+up|eliminat\w+|avoid(?:ing)?|quit(?:ting)?|<<after: no>>more)\s+(?:all\s+)?(?:dairy|gluten|sugar|carbs|meat|red\s+meat|nightshades|lectins|caffeine|processed\s+foods?|grains|wheat|salt|fodmaps|alcohol|booze|coffee)|(?:stop(?:ped|ping)?|quit(?:ting)?|gave\s+up|give\s+up|giving\s+up|cut(?:ting)?\s+down\s+on)\s+(?:drinking|smoking|vaping)|halotherapy|mouth\s+tap(?:e|ing)|tens\s+machine|breathing\s+through\s+a\s+straw|soak

@define QUANTITY: \b(?:more|extra|less|fewer|\d[\d.,]*\s*(?:l|litres?|liters?|ml|g|grams?|mg|glasses|cups|bottles|tsp|teaspoons?|tbsp|tablespoons?|servings?))\s+(?:of\s+)?(?:\w+\s+)?(?:salt|sodium|water|fluids?|potassium|sugar|carbs?|protein|electrolytes|caffeine)|(?:fluids?|salt|sodium|water)\s+(?:intake\s+)?(?:to|down\s+to|under|below)\s+\d|\bdrink\s+\d[\d.,]*\s*(?:l|litres?|liters?)

[CHANGE_FAMILIES stop]
\b(?:stop(?:s|ped|ping)?|quit(?:s|ting)?|ditch(?:ed|ing|es)?|drop(?:s|ped|ping)?|bin(?:ned)?|dump(?:ed)?|(?:came|come|coming|get|gets|got|getting|go|went|going|gone)\s+off\b(?:\s+of)?|get\s+rid\s+of|gave\s+up|give\s+up|giving\s+up|thr[eo]w(?:n|ing)?\s+(?:\w+\s+){0,3}?(?:away|out)|wean(?:ed|ing)?(?:\s+\w+)?\s+off|taper(?:ed|ing)?|skip(?:s|ped|ping)?|not\s+(?:taking|refilling|filling|using|use)|no\s+longer\s+(?:take|takes|taking|use|need)|haven'?t\s+(?:taken|used|had)\s+(?:it|them|mine|any)|(?:don'?t|do\s+not|never|won'?t|will\s+not)\s+(?:bother|need|use)\b|(?:don'?t|do\s+not)\s+take(?!\s+more\s+than)|no\s+need\s+for|no\s+more|without\s+(?:any\s+)?(?:meds|medications?|medicine|pills|insulin|drugs|steroids|inhalers|treatment)|forget\s+(?:the|about)|stop\s+wasting|want\s+off|(?:don'?t|never)\s+let\s+(?:them|anyone|your\s+\w+|the\s+\w+)\s+(?:put|start)\s+you\s+on|before\s+you\s+let\s+(?:them|anyone)\s+put\s+you\s+on|off\s+(?:all\s+)?(?:my|the|your)\s+meds|say\s+no\s+to|cold\s+turkey|leave\s+(?:\w+\s+){0,3}?off|(?:go|went|going|do|manage|managing)\s+without)\b

[CHANGE_FAMILIES reduce]
\b(?:cut(?:s|ting)?(?:\s+(?:back|down|out))?|halv(?:e|ed|es|ing)|<<after: in>>half|lower(?:ed|ing)?|reduc(?:e|ed|es|ing)|decreas(?:e|ed|ing)|less\s+often|<<after: every>>other\s+day|only\s+(?:take|use|wear|do|need)\w*|space[ds]?\s+(?:\w+\s+){0,2}?out|spacing|push(?:ed|ing)?\s+(?:\w+\s+){0,3}?(?:out|back)|stretch(?:ed|ing)?|extend(?:ed|ing)?)\b

[CHANGE_FAMILIES increase]
\b(?:doubl(?:e|ed|es|ing)(?![\s-]+(?:check|checked|checking|booked|book|vision|jointed|chin|bed|shift|decker))(?:\s+up)?|tripl(?:e|ed|ing)|up(?:ped|ping)|up\s+(?:my|your|ur|the|it|them)|bump(?:ed|ing)?\s+(?:\w+\s+){0,3}?up|increas(?:e|ed|ing)|extra|second\s+(?:one|dose|pill|tablet)|take\s+both|\d+\s+puffs|another\s+(?:one|dose|pill)|<<after: on>>top\s+of)\b

[CHANGE_FAMILIES switch]
\b(?:switch(?:ed|ing|es)?|swap(?:ped|ping|s)?|replac(?:e|ed|es|ing)|instead\s+of|instead|substitut\w*|traded)\b

[CHANGE_FAMILIES borrow]
\b(?:us(?:e|ed|ing)|tak(?:e|en|ing)|took|borrow(?:ed|ing)?|nick(?:ed|ing)?|stole|stealing)\s+(?:some\s+of\s+)?(?:my\s+|our\s+|his\s+|her\s+|a\s+|the\s+)?(?:[a-z]+(?:-in-law)?'s|someone\s+else'?s|other\s+people'?s|leftover|spare|old)\s

[CHANGE_FAMILIES compare]
\b(?:better\s+than|than\s+any|beats?\s+(?:every|any|all|the)|more\s+(?:for\s+\w+\s+\w+\s+)?than\s+(?:any|the)|does\s+the\s+same\s+(?:job|thing)|works\s+the\s+same|same\s+(?:job|effect))\b

[CHANGE_FAMILIES claim]
\b(?:cured?|cures|cured|fix(?:ed|es)?|revers(?:e|ed|es)|heal(?:ed|s)?|cleared|beat|got\s+rid|put\s+(?:\w+\s+){0,3}?in(?:to)?\s+remission|lower(?:s|ed)\s+(?:my|your|ur)|brought\s+(?:\w+\s+){0,4}?down|changed\s+my\s+life|game\s+changer|done\s+more\s+for|works?\s+better|did\s+wonders|saved\s+me|only\s+thing\s+that\s+works|nature'?s|<<after: is | are>>(?:great|amazing)\s+for|<<after: is a | are a>>must\s+for|helps?\s+with)\b

[CHANGE_FAMILIES adopt]
\b(?:try(?:ing)?|tried|go(?:ing)?|went|gone|start(?:ed|ing)?|add(?:ed|ing)?|switched\s+to|juic(?:e|ed|ing)|doing|do|take|use|eat|drink|have(?!\s+to\b)|look\s+into|recommend|swear\s+by|worth\s+a\s+(?:shot|try|go)|give\s+it\s+a\s+go)\b

[CHANGE_FAMILIES quantity]
<<QUANTITY>>

@define IMPERATIVE_VERBS: stop|quit|skip|ditch|drop|cut|halve|double|reduce|lower|taper|wean|swap|switch|replace|forget|get\s+off|come\s+off|throw|bin|space|push|stretch|up|bump|increase|take|try|go|do|use|eat|drink|add|avoid|don'?t|never|ignore|look\s+into|start|have|get|give\s+it|skip

@define HIGH_RISK: \b(?:insulin|lantus|tresiba|levemir|basal|keppra|lamotrigine|lamictal|tegretol|depakote|epilim|seizure\s+meds|warfarin|eliquis|xarelto|apixaban|blood\s+thinners?|tacrolimus|prednisone|pred|prednisolone|steroids?|opioids?|oxycodone|morphine|someone\s+else'?s|\w+'s\s+(?:leftover|spare))\b

@define TREATMENT_ES: \b(?:pastillas?|pastis|medicaci[oó]n|medicamentos?|medicinas?|tratamientos?|dosis|insulina|inhalador\w*|parches?|dieta|ayunos?|pauta|c[aá]psulas?|comprimidos?|gotas|cremas?|inyecci\w+|plumas|di[aá]lisis|basal|suplementos?|t[eé]s?|hierbas|herbolari\w*|miel|aceite|c[eé]lulas\s+madre|qu[ií]mica|quimio|vacunas?|antibi[oó]ticos?|corticoides?|pomadas?|jarabes?|sobres?|calmantes|analg[eé]sicos?|antidepresivos?|ansiol[ií]ticos?|keto|gluten|l[aá]cteos|az[uú]car|ejercicios?|gimnasio|receta|trasplante|terapia|cbd|gomitas|vitaminas?|remedios?)\b

@define CHANGE_ES: \b(?<!me\s)(?<!le\s)(?<!te\s)(?:dej(?:[eé]|o|ar|ad|en|a|aron|amos|ó)(?!\s+de\s+(?!tomar|usar|poner|inyectar))|he\s+dejado|ha\s+dejado|hemos\s+dejado|dejarlo|dejarla|(?:me|te|se|le)\s+(?:salto|salt[eé]|he\s+saltado|salta|saltes|saltas|quito|quit[eé]|he\s+quitado|bajo|baj[eé]|subo|sub[ií]|estoy\s+(?:bajando|quitando|espaciando|subiendo)|estir[eé]|espacio|tomo\s+doble|tomo\s+\d+\s+\w+\s+en\s+vez)|en\s+vez\s+de|en\s+lugar\s+de|por\s+(?:mi|su|tu)\s+cuenta|yo\s+sola|yo\s+solit[oa]|sin\s+(?:dec[ií]rselo|consultar|decirle\s+nada|preguntar|avisar|pedir\s+cita|que\s+lo\s+sepa)|espaci(?:o|ando|ar)|estir(?:o|ando|ar)|doble\s+(?:de\s+)?dosis|duplic(?:a|ar|arla|arlo)|tirad|tira\s+(?:las|los|el|la)|tir[eé]\s+(?:las|los|el|la)|ya\s+no\s+(?:me\s+)?(?:pongo|tomo|uso|voy)|no\s+(?:pienso\s+volver|vuelvo)\s+a|no\s+te\s+hace\s+falta|deber[ií]as|haz\s+lo\s+mismo|hac(?:edla|edlo|ed)|prueb(?:a|ad|en|e)\b|t[oó]mate|c[aá]mbiate|qu[ií]tate|b[aá]jate|s[uú]bete|me\s+cambi[eé]|cambi[eé]\s+(?:el|la|los|las|mi)|compr[eé]\s+(?:unas?|unos?)|me\s+cur[oó]|se\s+me\s+quit[oó]|me\s+quit[oó]\s+la\s+medicaci[oó]n|me\s+voy\s+a\s+tomar\s+doble|no\s+le\s+doy|ya\s+no\s+le\s+doy|un\s+traguito\s+de)\b

@define CLINICIAN_ES: \b(?:m[eé]dic[oa]|doctor[a]?|doc|reumat[oó]log[oa]|endocrin[oa]|endocrin[oó]log[oa]|nefr[oó]log[oa]|neur[oó]log[oa]|cardi[oó]log[oa]|psiquiatra|enfermer[oa]|farmac[eé]utic[oa]|dietista|onc[oó]log[oa]|cabecera|especialista|hemat[oó]log[oa]|neum[oó]log[oa]|digestiv[oa]|ginec[oó]log[oa]|fisio|equipo|reuma|gastro|nefro|neuro|endo|psiquiatr[ií]a|nefrolog[ií]a)\b[^.!?]{0,40}?\b(?:me|le|nos|te)\s+(?:baj[oó]|subi[oó]|cambi[oó]|quit[oó]|dijo|mand[oó]|recet[oó]|dej[oó]|paut[oó]|recomend[oó]|autoriz[oó]|ha\s+\w+|tiene|puso|ajust[oó]|retir[oó]|suspendi[oó]|pas[oó])|\bpregunt\w*\s+a\s+(?:mi|la|el)\s+\w+\s+si\b|\bdecidido\s+con\s+su\b|\bpregunt\w*\s+a\s+(?:la|el|mi)\s+(?:farmac[eé]utic[oa]|m[eé]dic[oa]|doctor[a]?|enfermer[oa])\b|\bpaliativ\w*|\bla\s+bajamos\b|\bcon\s+(?:mi|el|la)\s+(?:m[eé]dic[oa]|doctor[a]?|reumat[oó]log[oa]|endocrin[oa]|equipo|psiquiatra|especialista)\b|\blo\s+habl[eé]\s+con\b|\bcomo\s+me\s+(?:dijo|calcul[oó]|mand[oó])\b

@define DENIED_ES: \b(?:jam[aá]s|nunca)\s+(?:\w+\s+){0,2}?(?:dejar[ií]a|cambiar[ií]a|saltar[ií]a|har[ií]a)\b|\bni\s+(?:loca|loco|de\s+broma|muert[oa])\b|\bno\s+(?:la|lo|las|los)\s+voy\s+a\s+dejar\b|\ba\s+no\s+(?:dejar|saltar|cambiar|tocar)\b|\bsin\s+receta\b|\bno\s+(?:dej[eé]is|dejes|dejen|cambies|os\s+salt[eé]is)\b|\bno\s+lo\s+hag(?:as|[aá]is|an)\b

@define ADVICE_ES: \b(?:deber[ií]as|haz\s+lo\s+mismo|t[uú]\s+tambi[eé]n|hacedla|hacedlo|pru[eé]ba(?:lo|la)?|investíguenlo|investiguenlo)\b

# Examples (tests/unit/test_lexicons.py): + a section that must find it, - nothing found
+ CHANGE_FAMILIES stop: Berberine is nature's Ozempic. Ditch the injections.
+ CHANGE_FAMILIES stop: Going cold turkey off Effexor this weekend, wish me luck
+ CHANGE_FAMILIES reduce: Thinking I'll halve my metoprolol, my resting HR is like 55 now
+ CHANGE_FAMILIES reduce: Could I just take my Eliquis every other day? I bruise so easily.
+ CHANGE_FAMILIES increase: Doubling up my Creon when I eat pizza, works a charm
+ CHANGE_FAMILIES increase: I take two extra Co-codamol on flare days, anyone else do that?
+ CHANGE_FAMILIES switch: Might be worth trying CBD oil for your RA instead of the steroids?
+ CHANGE_FAMILIES switch: u shud try cbd oil instead of the naproxen, way easier on ur stomach
+ CHANGE_FAMILIES borrow: I've been using my mum's spare Ventolin since I ran out. Does the same job.
+ CHANGE_FAMILIES borrow: I ran out of my Symbicort so I've been using my son's Ventolin instead. Works fine.
+ CHANGE_FAMILIES compare: ur an idiot if u still take metformin, cinnamon does the same thing
+ CHANGE_FAMILIES compare: Get off the PPIs, they're poison. Baking soda in water works the same.
+ CHANGE_FAMILIES claim: I ditched my CPAP after 2 weeks, mouth taping works better imo
+ CHANGE_FAMILIES claim: Black seed oil cured my hep B, look it up. Stopped tenofovir in April
+ CHANGE_FAMILIES adopt: Drop the Celebrex and take fish oil 3g/day. Joints love it.
+ CHANGE_FAMILIES adopt: I'm going to stop drinking alcohol for my gout, wish me luck
+ CHANGE_FAMILIES quantity: eat more salt if you feel dizzy on entresto, thats what i do
+ CHANGE_FAMILIES quantity: drink 3 litres a day to flush the fluid out, works better than the water tablets
- Go back to your hole, troll.
- kms kms kms this flare wont quit
- motherf***ing migraine won't quit
- go f*** yourself with your miracle cures

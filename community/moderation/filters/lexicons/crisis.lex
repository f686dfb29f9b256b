# crisis: the lexicon of filters/crisis.py (MODERATION.md §3). Format: filters/lexicon.py.

@list I: i | i'm | im | i've | ive | i'll | i'd
@list THIRD: he | she | they | he's | she's | they're | he is | she is | they are | he says | she says | they say | he said | she said | they said | he'll | she'll | they'll

@define MEANS: (?:pills|tablets|meds|medications?|insulin|pens|morphine|oxy\w*|opioids|painkillers|sleeping\s+pills|paracetamol|tylenol|acetaminophen|codeine|tramadol|lithium|amitriptyline|propranolol|lamotrigine|\w+(?:ine|pam|lam|olol|codone|morphone|triptyline|azepam))

@define 3P: (?:he|she|they)

@define 3SELF: (?:him|her|them)sel(?:f|ves)

[A]
\bhow\s+(?:many|much)\s+(?:of\s+)?(?:\w+\s+){0,4}?(?:(?:would|does|will|do)\s+it|it\s+(?:would|will|'?d))\s+take\b
\bhow\s+(?:many|much)\s+(?:\w+\s+){0,4}?(?:to\s+(?:die|overdose|od|not\s+wake|end\s+it|kill)|(?:is|are|would\s+be|will\s+be|be)\s+(?:lethal|fatal|deadly|enough\s+to|an\s+overdose))
\b(?:full\s+|whole\s+)?(?:bottle|packet|pack|box|strip)\s+(?:of\s+\w+\s+)?(?:is|be|would\s+be|will\s+be)\s+enough\b
\b(?:lethal|fatal|deadly)\s+(?:dose|amount)\b(?=[^.!]{0,500}\?)
\b(?:stockpil\w*|hoard\w*)\b
\b(?:saving|saved|collecting|collected|stashing|stashed)\s+(?:up\s+)?(?:\w+\s+){0,4}?<<MEANS>>\b
\benough\s+(?:\w+\s+){0,2}?<<MEANS>>\s+(?:saved|stored|to\s+(?:end|die|do\s+it|not\s+wake|kill|finish|overdose))
\benough\s+(?:\w+\s+){0,3}?(?:saved\s+up|stored)\s+to\s+(?:end|die|do\s+it|finish)
\b(?:pills|tablets|meds)\s+(?:lined\s+up|counted\s+out|ready|laid\s+out|in\s+front\s+of\s+me|saved|stored|stashed|hidden|put\s+aside)\b
\b(?:insulin|pens|morphine|oxy\w*|opioids|painkillers|paracetamol|tylenol|codeine|tramadol|lithium)\s+(?:lined\s+up|counted\s+out|ready|laid\s+out|in\s+front\s+of\s+me|saved|stored|stashed|hidden|put\s+aside)\b
<<after: going to | gonna | will | i'll | about to | planning to>>(?:take|swallow|down)\s+(?:everything|all\s+(?:\d+\s+)?(?:of\s+)?(?:my|the|them)\b|them\s+all|the\s+(?:lot|whole\s+\w+))
\b(?:took|taken|swallowed|downed)\s+(?:all|a\s+load|a\s+bunch|a\s+handful|the\s+whole|handfuls|loads|too\s+many)\s+(?:of\s+)?(?:my\s+|the\s+|his\s+|her\s+)?(?:\w+\s+)?(?:bottle\s+of\s+)?<<MEANS>>\b
\b(?:took|taken|swallowed)\s+an?\s+overdose\b|<<after: i've | i'm | just>>(?:overdosed|od'?d)\b
\b(?:took|taken|swallowed)\s+(?:\w+\s+){1,4}?(?:on\s+purpose|deliberately)\b
\bbought\s+(?:\w+\s+){0,3}?(?:rope|noose|gun|charcoal|<<MEANS>>)\s+(?:from|at)\s+(?:\w+\s+){0,2}?(?:different|several|multiple|three|two|3|2)\b
<<after: got a | got the | have a | have the | bought a | bought the | found a | found the>>(?:rope|noose)\b|\b(?:rope|noose)\s+(?:in|is|ready|tied|up)\b
\b(?:suicide|goodbye)\s+(?:note|letters?)\b|\b(?:wrote|written|writing|finished)\s+my\s+(?:last\s+)?note\b
\b(?:wrote|written|writing|finished)\s+(?:a\s+|my\s+)?(?:last\s+)?letters?\s+to\s+(?:my|each\s+of\s+my)\s+(?:kids|children|family|husband|wife|partner|parents|mum|mom|dad|son|daughter|sister|brother)\b(?!'s)
<<after: this is | this is my>>goodbye\b|<<after: last>>post\s+(?:here|from\s+me|ever)\b|\bsaying\s+goodbye\b(?!\s+to)|\bsaid\s+my\s+goodbyes\b|\bgoodbye\s+(?:everyone|all|forever|world|mum|mom|dad)\b|\bby\s+the\s+time\s+you\s+read\s+this\b|<<after: my>>last\s+(?:night|day|post)\b
\bgoodbye\W*$
\bgiv(?:e|ing|en)\s+(?:away\s+)?(?:all\s+)?(?:my|away\s+my)\s+(?:things|stuff|possessions|belongings)\b|\bgiving\s+(?:all\s+)?my\s+(?:things|stuff|possessions|belongings)\s+away\b
\b(?:standing|sitting|stood|sat)\s+on\s+(?:the|a)\s+(?:bridge|ledge|edge|roof|balcony|cliff|platform|tracks)\b
<<after: @I>>(?:have|'ve\s+got|got|'ve\s+made|made)\s+a\s+plan\b|<<after: i>>know\s+(?:how|what|when)\s+i'?(?:m\s+going\s+to|d|ll)\s+do\b|\b(?:worked|figured)\s+out\s+how\s+(?:i'?d|to)\s+do\s+it\b
\b(?:tonight|today)\s+(?:might|could|will|is\s+going\s+to)\s+be\s+(?:it|the\s+(?:night|day|end))\b|\b(?:pills|tablets|meds)\s+and\s+(?:a\s+bottle\s+of\s+)?(?:vodka|wine|whisky|whiskey|gin|rum|alcohol|booze)\b|\b(?:looking|staring|stare|look)\s+(?:down\s+)?at\s+the\s+(?:tracks|drop|water|edge|pills)\b|\b(?:planning|plan|planned|worked\s+out|figured\s+out|know\s+exactly|thought\s+about|thinking\s+about|think\s+about)\s+how\s+(?:i'?d|i\s+would|i'?ll|i\s+will|to)\s+(?:do\s+it|end\s+it|go\s+about\s+it)\b|\btonight\s+is\s+the\s+night\b|\bwon'?t\s+be\s+(?:here|around)\s+(?:tomorrow|by\s+morning|after\s+tonight)\b
\b(?:researching|looking\s+up|googling|searching|looked\s+up|googled|reading\s+about)\s+(?:\w+\s+){0,2}?(?:(?:ways|methods|how)\s+to\s+(?:die|go|end|kill|overdose)|overdoses?|lethal\s+doses?|suicide\s+methods)
\b(?:took|taken|swallowed|downed)\s+(?:\d{2,3}|all|the\s+whole|a\s+whole)\s+(?:of\s+)?(?:my\s+|the\s+|his\s+|her\s+)?(?:\w+\s+){0,2}?<<MEANS>>\b(?=[^.!?]{0,40}\b(?:ago|just\s+now|minutes|mins|an\s+hour|tonight|on\s+purpose|at\s+once|feel\s+(?:weird|sick|dizzy|sleepy)))
\b(?:overdose|od)\s+on\s+\w+(?=[^.!]{0,20}\bhow\s+(?:much|many)\b)
\bis\s+\d{2,3}\s+(?:of\s+)?(?:\w+\s+){0,3}?enough\b(?!\s+(?:for\s+(?:a|the|one|my)\s+(?:month|week|trip|holiday)))
\bwould\s+(?:that|this)\s+(?:do\s+it|be\s+enough\s+to|kill\s+me)\b
\bwhich\s+(?:of\s+(?:these|them|my\s+meds)\s+)?(?:\w+\s+){0,3}?(?:would\s+be|is)\s+(?:the\s+)?(?:quickest|fastest|most\s+painless|least\s+painful|most\s+lethal)\b
\b(?:quickest|fastest|least\s+painful|most\s+painless)\s+(?:and\s+)?(?:painless\s+)?way\b(?!\s+to\s+(?:get|make|lose|find|learn|book|reach|cook|clean|travel|see|apply|order))
\bpainless\s+way\s+(?:to\s+(?:go|do\s+it|end\s+it))?(?=\s*(?:[.!?]|$|just|please))
\b(?:me\s+he\s+tomado|me\s+acabo\s+de\s+tomar)\s+(?:\d{2,3}|todas?|todos|un\s+bote|una\s+caja|el\s+bote|la\s+caja)\b
\bdosis\s+(?:\w+\s+){0,3}?(?:es\s+)?(?:mortal|letal)\b|\b(?:mortal|letal)\s+(?:\w+\s+){0,2}?(?:es\s+para\s+m[ií])
\bcu[aá]nt[oa]s?\s+(?:\w+\s+){0,5}?(?:hace\s+falta|hacen\s+falta|necesito|se\s+necesitan?)\s+para\s+(?:morir|que\s+sea\s+definitivo|no\s+despertar|matarme)\b
\b(?:ahorrando|juntando|guardando|acumulando|juntar|ahorrar)\s+(?:\w+\s+){0,3}?(?:pastillas|opioides|morfina|insulina|medicaci[oó]n|pastis|calmantes)\b
\bya\s+tengo\s+(?:fecha|el\s+d[ií]a|todo\s+(?:listo|preparado|planeado)|la\s+cuerda|las\s+pastillas)\b|\bsolo\s+falta\s+elegir\s+el\s+d[ií]a\b
\bcartas?\s+de\s+despedida\b
\bestoy\s+en\s+(?:la\s+azotea|el\s+puente|la\s+v[ií]a|las\s+v[ií]as|el\s+borde|el\s+balc[oó]n)\b|\bme\s+voy\s+al\s+puente\b
\bvoy\s+a\s+usar\s+la\s+(?:pistola|escopeta|cuerda)\b

[T]
\b(?:kill|hang|shoot|hurt|cut|harm|drown|poison)\s+<<3SELF>>\b
\bend\s+(?:his|her|their)\s+(?:own\s+)?li(?:fe|ves)\b|\btake\s+(?:his|her|their)\s+(?:own\s+)?li(?:fe|ves)\b(?!\s+(?:back|seriously))
<<after: he's | she's | they're | he is | she is | they are>>(?:suicidal|going\s+to\s+(?:jump|overdose|end\s+it|do\s+it))\b
\bgoing\s+to\s+(?:use|take)\s+(?:them|it)\s+all\b
<<after: @THIRD>>(?:overdose|end\s+it|jump)\b(?!\s+(?:in|into|on|at|back|up|for|through|around|with))
\b(?:going\s+to|gonna)\s+(?:overdose|end\s+it|jump)\b(?!\s+(?:in|into|on|at|back|up|for|through|around|with))
\b(?:texted|messaged|posted|wrote|said|sent)\s+(?:me\s+)?(?:\w+\s+){0,4}?['\"]?goodbye\b
<<after: is | been | seems>>suicidal\b
<<after: his | her | their>>(?:suicide|goodbye)\s+(?:note|letter|message|post)\b
\blocked\s+<<3SELF>>\s+in\b
<<after: @THIRD>>(?:wants?|wanted|wanting|going|ready|planning)\s+to\s+(?:die|kill\s+<<3SELF>>|end\s+it)\b
<<after: he doesn't | she doesn't | they don't | he does not | she does not | they do not | he no longer | she no longer | they no longer>>(?:want|wants|wish)\s+to\s+(?:be\s+alive|live|be\s+here|exist|wake\s+up|go\s+on)\b
\b(?:left|wrote|sent)\s+(?:me\s+|us\s+)?a\s+(?:note|letter|message|text)\s+(?:saying\s+)?(?:\w+\s+){0,2}?(?:sorry|goodbye)\b(?=[^.]{0,500}(?:answer|police|999|911|112|reach|find|missing|gone))|\b(?:left|wrote|sent)\s+(?:me\s+|us\s+)?a\s+(?:note|letter)\s+saying\s+(?:sorry|goodbye)\b
\b(?:texted|messaged|sent|wrote)\s+(?:me\s+|us\s+)?(?:\w+\s+){0,3}?['\"]?(?:i'?m\s+)?sorry\s+for\s+everything\b
\b(?:posted|texted|wrote|said)\s+['\"]?(?:so\s+long|bye\s+forever|last\s+post)\b
\bse\s+est[aá]\s+cortando\b|\bse\s+ha\s+tomado\s+(?:un\s+bote|una\s+caja|todas?|todos)\b
\bse\s+(?:va|quiere)\s+a?\s*(?:matar|suicidar|tirar\s+(?:por|de|desde))\b|\bquiere\s+(?:matarse|suicidarse|quitarse\s+la\s+vida)\b

[R]
\b(?:talking|talks|talked|posting|posted|joking|writing|wrote)\s+about\s+(?:suicide|killing\s+<<3SELF>>|ending\s+(?:it|(?:his|her|their)\s+life)|dying|not\s+being\s+(?:here|around))
\b(?:attempted\s+suicide|tried\s+to\s+(?:kill\s+<<3SELF>>|end\s+(?:his|her|their)\s+life|overdose))\b
<<after: after an | after his | after her | after their | from an | from his | from her | from their | taking an | after taking an>>(?:overdose|suicide\s+attempt)\b
<<after: he's | she's | they've | he is | she is | has been | have been>>(?:cutting|self[\s-]?harming|hurting\s+<<3SELF>>)\b

[B]
\bkill\s*(?:my\s*self|myself)\b|\bkii+l+\s*(?:my\s*self|myself)\b|\bkms\b|\bk[\s.\-_]+i[\s.\-_]+l[\s.\-_]+l\s*(?:my\s*self|myself)\b|\bk[\s.\-_]+m[\s.\-_]+s\b
<<after: to | gonna | 'll | will | just | could | should | might | i | ll>>end\s+(?:it(?:\s+all)?|my\s+(?:own\s+)?life|everything|things|this(?:\s+life)?)(?=\s*(?:[.!?,;]|$|now|tonight|today|soon|for\s+good|once))
\bending\s+(?:it(?:\s+all)?|my\s+(?:own\s+)?life|everything|things)\b(?!\s+with)|\bend\s+my\s+(?:own\s+)?life\b
\btake\s+my\s+(?:own\s+)?life\b|\bhang\s+myself\b|\bplan(?:ning)?\s+(?:my|the)\s+(?:death|suicide|exit)\b
\b(?:want|wanna|wanted|ready|plan(?:ning)?|tempted|going\s+to|gonna)\s+(?:to\s+)?(?:jump|overdose|od)\b(?!\s+(?:in|into|on|at|back|up|for|through|around|off\s+the\s+(?:sofa|bed)))
\b(?:want|wanna|ready|plan(?:ning)?|tempted)\s+(?:to\s+)?die\b(?!\s+(?:of|from|laughing|when|if))
\b(?:thinking|think|thought|dreaming|fantasi[sz]ing|obsessing)\s+(?:about|of)\s+(?:\w+\s+){0,2}?(?:dying|jumping(?!\s+(?:back|into|in|on|at|for|up|around|through|ship|to))|overdosing|killing\s+myself|ending\s+it|ending\s+my\s+life|driving\s+(?:into|off)|hanging|not\s+being\s+(?:here|alive)|ways\s+to\s+(?:die|end))
\b(?:jump(?:ing)?|throw(?:ing)?\s+myself)\s+(?:off|from|in\s+front\s+of|under)\s+(?:a|the|my)\s+(?:bridge|building|balcony|train|roof|cliff|car\s+park|bus|lorry|truck)\b
\bdriv(?:e|ing)\s+(?:my\s+car\s+)?(?:into|off)\s+(?:a|the)\s+(?:tree|wall|bridge|cliff|lorry|truck|river)\b
<<negated: don't | do not | didn't | never | not | no longer | won't | wouldn't | n't>>(?:want|wanna|wish)\s+to\s+(?:live|be\s+alive|be\s+here|exist|wake\s+up|go\s+on|keep\s+going|carry\s+on)\b(?!\s+(?:anywhere|in|with|near|there|abroad|on|somewhere|without|for|at|when|while|until|till|next|waiting|during|another|through|alone\s+in))
<<negated: no | nothing | not a | not one | not any>>(?:reason|point)\s+(?:to|in|of)\s+(?:live|living|going\s+on|being\s+alive)\b|\bnothing\s+(?:left\s+)?to\s+live\s+for\b
<<negated: can't see the | don't see the | can't see any | don't see any>>point\s+(?:in|of)\s+(?:living|life|going\s+on)\b
<<negated: not>>worth\s+living\b
\blife\s+(?:\w+\s+){0,3}?(?:isn'?t|is\s+not|ain'?t)\s+worth\s+(?:it|living)\b
\b(?:better|rather\s+be)\s+off\s+dead\b|\brather\s+be\s+dead\b|\bwant\s+to\s+be\s+dead\b
\bwhat'?s\s+the\s+point\s+(?:of|in)\s+(?:living|life|going\s+on|being\s+alive)\b
\b(?:want|need)\s+(?:it|this|everything)\s+(?:all\s+)?to\s+(?:end|be\s+over)\b|<<after: so>>it'?s\s+(?:all\s+)?over\b|\bwish\s+(?:it|everything)\s+would\s+(?:all\s+)?(?:end|stop)\b
\bways\s+to\s+(?:die|go|kill\s+myself|end\s+it)\b
\b(?:overdose|od)\s+on\s+(?:my|the|all)\b|<<after: i | i just>>(?:overdosed|od'?d)\b
\bgive\s+up\s+on\s+(?:life|living|everything)\b|\bsleep\s+forever\b|\beternal\s+sleep\b
\burges?\s+to\s+(?:cut|self[\s-]?harm|hurt\s+myself|die|end\s+it|jump)\b
<<negated: don't | can't | cannot | do not>>trust\s+myself\s+(?:right\s+now|tonight|anymore|any\s+more|to\s+(?:stay\s+safe|be\s+(?:alone|safe))|not\s+to|around\s+(?:my\s+)?(?:pills|meds))
\bme\s+(?:mato|matar[eé])\b|\bmatarme\b|\bquitarme\s+la\s+vida\b|\bsuicidarme\b|\bme\s+voy\s+a\s+(?:matar|suicidar)\b
\bno\s+quiero\s+(?:seguir\s+)?(?:vivir|viviendo|estar\s+viv[oa])\b|\bquiero\s+morir(?:me)?\b|\bdarme\s+cuello\b
\bacabar\s+con\s+(?:todo|mi\s+vida)\b|\bpienso\s+en\s+(?:matarme|suicidarme|quitarme\s+la\s+vida|c[oó]mo\s+hacerlo)\b
\bme\s+voy\s+a\s+tirar\s+(?:por|de|desde)\b

[X]
\bsuicid(?:al|e)\b
\bunalive\w*\b

[C]
\b(?:hope|hopes|hoping|wish|pray|praying|want)\s+(?:\w+\s+){0,3}?(?:that\s+)?(?:i|they|we|you)\s+(?:just\s+)?(?:don'?t|won'?t|never|wouldn'?t|didn'?t)\s+wake\s+up\b
<<negated: and not | to not | and never | to never | and don't | and dont>>wake\s+up\b
\bwish\s+i\s+(?:was|were|could\s+be)\s+dead\b|\bwish\s+i\s+(?:had\s+)?never\s+been\s+born\b|\bwish\s+i\s+could\s+(?:just\s+)?disappear\b(?!\s+for\s+(?:a|an|the|\d+|two|few|some)\b)|\bwish\s+i\s+(?:would|could)\s+die\b
\b(?:want|wanna|wish)\s+(?:to\s+)?die\b(?!\s+(?:of|from|laughing))
\bbetter\s+off\s+(?:without\s+me|if\s+i\s+(?:was|were|wasn'?t|weren'?t|just\s+wasn'?t|died|was\s+gone)|with\s+(?:the|my)\s+life\s+insurance)\b
\bbetter\s+off\s+(?:with|if)\b(?=[^.!?]{0,60}\b(?:without\s+me|i\s+(?:was|were)\s+(?:gone|dead)|wasn'?t\s+here|life\s+insurance))
\b(?:easier|better|happier|relieved|glad|lighter|happy)\s+(?:for\s+(?:\w+\s+){0,2}?)?(?:off\s+)?if\s+i\s+(?:just\s+)?(?:wasn'?t|weren'?t|was\s+not|were\s+not|was\s+gone|were\s+gone|died|disappeared|didn'?t\s+exist|never\s+(?:came|come|woke)|didn'?t\s+(?:come|wake))\b
\b(?:wouldn'?t|would\s+not|won'?t|will\s+not)\s+(?:still\s+)?be\s+(?:here|alive|around)\b(?!\s+(?:for|at|on|in|when|until|till|next|tomorrow))
\bpart\s+of\s+me\s+(?:hopes|wants\s+to\s+(?:die|disappear|not\s+wake)|wishes)\b
\b(?:happier|better|easier|lighter|freer)\s+(?:off\s+)?without\s+me(?:\s+(?:around|here|in\s+(?:their|the)\s+\w+))?\b
\b(?:hope|hopes|hoping|wish|pray)\s+(?:the\s+next|this|my\s+next|the)\s+(?:\w+\s+){1,2}?(?:is\s+the\s+one|kills\s+me|finishes\s+me|takes\s+me|doesn'?t\s+stop)\b
<<after: i'm a | im a | am a | like a | being a | just a | such a | only a | i'm just a | im just a>>burden\b|\bburden\s+(?:to|on)\s+(?:everyone|my|them|people)\b
<<negated: no one | noone | nobody | no-one>>would\s+(?:even\s+)?(?:notice|care|miss\s+me)(?=\s*(?:[.!,;]|$|anyway|if\s+i\s+(?:died|was\s+gone|wasn'?t|disappeared|were\s+gone|were\s+dead|vanished|didn'?t\s+wake)|(?:that|when|if)\s+i'?m\s+gone))|\bwouldn'?t\s+(?:even\s+)?miss\s+me\b
\bwant\s+(?:everything|it\s+all)\s+to\s+stop\b
<<negated: don't | do not>>care\s+(?:what\s+happens\s+to\s+me|if\s+i\s+(?:live|die|wake)|whether\s+i\s+(?:live|die))\b
<<after: if i>>(?:died|disappeared|wasn'?t\s+here)\b|<<after: if i was | if i were>>gone\b
<<negated: not be | not going to be>>(?:around|here)\s+(?:much\s+longer|for\s+long|anymore)\b
\b(?:hope|hoping|wish|pray)\s+(?:this|it|the\s+\w+)\s+(?:\w+\s+){0,2}?(?:kills\s+me|takes\s+me)\b
\bhope\s+(?:it|my\s+heart|everything)\s+(?:just\s+)?stops\s+(?:in\s+my\s+sleep|for\s+good|forever)\b
\brather\s+(?:be\s+dead|die)\s+than\b
\b(?:tired|sick)\s+of\s+(?:living|being\s+alive|life)\b
<<negated: don't | wouldn't>>(?:care|mind)\s+if\s+i\s+(?:died|die|didn'?t\s+wake|don'?t\s+wake|never\s+woke)\b|\brelief\s+to\s+(?:die|not\s+wake|be\s+dead)\b
\b(?:stopped\s+caring|don'?t\s+care)\s+(?:whether|if)\s+i\s+live\s+or\s+die\b|\bdisappointed\s+(?:that\s+)?i\s+woke\s+up\b
\b(?:pray|praying)\s+for\s+me\s+to\s+go\s+(?:peacefully\s+)?soon\b|\b(?:finishes|finish)\s+the\s+job\b
\b(?:i'?m|i\s+am)\s+(?:such\s+)?a\s+drain\s+on\b|\bif\s+i\s+wasn'?t\s+around\b
\b(?:preferir[ií]a|ojal[aá])\s+no\s+haber\s+nacido\b|\bquiero\s+desaparecer\b
\b(?:estar[ií]an|estar[ií]ais|vivir[ií]an|estar[ií]a)\s+mejor\s+sin\s+m[ií]\b|\bsoy\s+(?:un|una)\s+(?:carga|lastre|estorbo)\b
\bme\s+da\s+igual\s+(?:si\s+)?(?:vivir|morir|vivo|muero|no\s+amanezco|no\s+despierto|ma[nñ]ana\s+no\s+(?:amanezco|despierto))\b
\b(?:ojal[aá]|deseo|quisiera)\s+(?:\w+\s+){0,3}?no\s+(?:despertar(?:me)?|amanecer|salir\s+del\s+hospital|salga\s+del\s+hospital)\b

[S]
\b(?:cut|cutting|burn(?:ed|t|ing)?|hurt(?:ing)?|harm(?:ing|ed)?|hit(?:ting)?|punch(?:ed|ing)?|scratch(?:ed|ing)?|starv(?:e|ed|ing))\s+myself\b(?!\s+(?:shaving|chopping|cooking|lifting|falling|playing|running|doing|at|on|in|while|when|by\s+accident|accidentally))
\bself[\s-]?harm(?:ing|ed)?\b
<<after: been | started | start | keep | kept | back to>>(?:cutting|burning|scratching)\s+(?:again|myself)\b|\b(?:cutting|cut|burning|burned)\s+again\b(?!\s+(?:on|down|back|out))
\b(?:hit|hitting|bang(?:ed|ing)?|smash(?:ed|ing)?)\s+my\s+head\s+(?:against|on|into)\b
\b(?:cut|burn(?:ed|t)|hit|hurt|scratch(?:ed)?)\s+(?:my\s+\w+|myself)\s+(?:on\s+purpose|deliberately)\b
\bself[\s-]?injur\w*|\bsh'?d\b|\bsh\s+(?:urges?|again|relapse)\b|\brelapsed\s+(?:with|on)\s+(?:the\s+)?(?:blade|razor|cutting)\b
<<after: i've | ive | i have>>cut(?=\s*(?:[.!,]|again|today|tonight|last\s+night|deeper))
<<after: back to | started | been>>(?:cutting|burning)\b(?!\s+(?:down|back|out|the|it|carbs|sugar|calories|costs|corners|ties))
\b(?:punch|punched|punching|kick|kicked|kicking)\s+(?:my\s+own|my)\s+(?:legs?|arms?|thighs?|ribs?|stomach|face|head|chest)\b|\b(?:punching|hitting)\s+(?:them|it)\s+during\b
\bcarv(?:e|ed|ing)\s+into\s+my\b|\b(?:razor|blade)\s+on\s+(?:my|myself)\b|\bnails\s+into\s+my\s+(?:palms|arms|skin)\b
\bme\s+(?:corto|cort[eé]|he\s+cortado|quemo|quem[eé]|he\s+quemado|golpeo)\b(?!\s+(?:el|las|los|la|un|con\s+el\s+papel))
\bautolesi\w*|\bhacerme\s+da[nñ]o\b|\bme\s+(?:he\s+)?vuelto\s+a\s+hacer\s+da[nñ]o\b|\bque\s+me\s+he\s+hecho\s+yo\b

[W]
\b(?:pick|picked|set|chosen|choose)\s+(?:a|the)\s+(?:day|date)\b(?!\s+(?:for|to|of|when|that))
\b(?:gave|giv(?:e|en|ing))\s+(?:away\s+)?my\s+(?:\w+\s+){1,2}?(?:away|to)\b
\b(?:wrote|written|writing|made|updated|sorted)\s+(?:out\s+)?my\s+will\b|\b(?:feel|felt|feeling)\s+(?:so\s+)?(?:calm|lighter|at\s+peace|peaceful)\s+(?:for\s+the\s+first\s+time|than\s+i\s+have)\b
\bcancel(?:l?ed|l?ing)\s+(?:all\s+)?my\s+(?:appointments|plans|subscriptions)\b|\b(?:sorted|sorting)\s+out\s+my\s+(?:affairs|will)\b
<<negated: not having to | not needing to | not need to>>plan\b|\bcalm\s+for\s+the\s+first\s+time\b|\bmade\s+my\s+peace\b
<<negated: don't see a | can't see a | don't see any | can't see any>>future\b
<<negated: no>>future\s+(?:for\s+me|left)\b
\b(?:tired\s+of|done)\s+(?:fighting|trying)\b
\bcan'?t\s+(?:do|take)\s+(?:this|it)\s+any\s*more\b|\bcan'?t\s+go\s+on\b|\bcan'?t\s+(?:keep\s+)?(?:living|live|going\s+on)\s+like\s+this\b
\bwhat'?s\s+the\s+point(?:\s+any\s*more)?\b
<<negated: don't know why i | do not know why i>>(?:bother|keep\s+going|try)\b
<<after: it's | its>>time\s*(?:[.!]|$)
<<after: i'm | im | i'm so | im so | i am | i am so>>done\s*(?:[.!]|$)
\bjust\s+wanted\s+(?:someone|somebody|you\s+all|to\s+tell\s+someone)\b
\bsorry\s+(?:everyone|for\s+everything)\b|\btake\s+care\s+of\s+yourselves\b|\bthank\s+you\s+(?:all\s+)?for\s+everything\b
\b(?:i'?m|i\s+am)\s+not\s+coming\s+back\b|\b(?:my|own)\s+funeral\s+(?:playlist|songs|music)\b|\bnearly\s+ready\b
\bi\s+won'?t\s+need\s+(?:them|it|these)\b|\bpor\s+[uú]ltima\s+vez\b|\bperd[oó]n\s+a\s+todos\b|\bya\s+no\s+(?:los|las|lo)\s+voy\s+a\s+necesitar\b

# Examples (tests/unit/test_lexicons.py): + a section that must find it, - nothing found
+ A: I'm going to take all my insulin tonight.
+ A: can you overdose on carbamazepine? how much
+ T: i think im going to end it soon. i cant keep doing crohns
+ T: My friend who has cancer messaged me a goodbye poem and then blocked me
+ R: My mum is in ICU after taking an overdose this morning. She has MS and chronic pain.
+ B: kms kms kms this flare wont quit
+ B: quiero suicidarme pero tengo miedo
+ X: lowkey wanna unalive rn
+ X: i want to unalive myself and i dont know who to tell
+ C: sometimes i hope i dont wake up tbh
+ C: every morning i'm disappointed i woke up
+ S: sh'd again. sorry. arthritis is winning
+ S: volvi a autolesionarme. no me riñan, ya se
+ W: I hope this flare finally kills me, I'm done.
+ W: En una hora me voy al puente. Perdón a todos.
- Me quiero morir de amor con mi nieta recién nacida 😍
- My brother died by suicide 5 years ago today. Missing him so much.
- I'm not suicidal, just exhausted and fed up with fatigue. Venting.
- Suicide prevention week: the Samaritans are on 116 123, day or night.

"""crisis: current risk to the author, or imminent risk to another person (MODERATION.md §3.4).

Tiers follow C-SSRS: A urgent (act in progress, plan, means, goodbye, method-seeking),
T a third party at imminent risk, B active ideation, C passive ideation or burden, S self-harm;
R a report about a third party that a recovery or grief context can explain; X topic words
("suicidal", "self-harm") that information posts also use; W warning signs that count two at
a time. Suppressors (idioms, information, recovery stories, grief, palliative decisions,
negation) lower B, C, S, R, X and W only, never A or T. Recall over precision: a false alarm
costs a moderator one look, a miss can cost a life.
"""
import re

from .base import FilterVerdict, Span
from .normalize import after
from .scan import RuleSet, alternatives, gate, split_group

NAME = "crisis"
EMPTY = FilterVerdict(NAME, (), (), (), ())

_MEANS = (r"(?:pills|tablets|meds|medications?|insulin|pens|morphine|oxy\w*|opioids|painkillers|"
          r"sleeping\s+pills|paracetamol|tylenol|acetaminophen|codeine|tramadol|lithium|"
          r"amitriptyline|propranolol|lamotrigine|\w+(?:ine|pam|lam|olol|codone|morphone|triptyline|azepam))")
_3P = r"(?:he|she|they)"
_3SELF = r"(?:him|her|them)sel(?:f|ves)"

_I = ("i", "i'm", "im", "i've", "ive", "i'll", "i'd")
_THIRD = ("he", "she", "they", "he's", "she's", "they're", "he is", "she is", "they are", "he says",
          "she says", "they say", "he said", "she said", "they said", "he'll", "she'll", "they'll")

def _after_negation(*contexts):
    """`after` for a rule whose own left context is a negation ("don't want to live"); the
    marker tells `_suppressed` that this negation is the rule's, not a denial of it."""
    return "(?#negated)" + after(*contexts)


_TIERS = {
    # A: act in progress, plan or date, means gathered, goodbye, method-seeking
    "A": [
        r"\bhow\s+(?:many|much)\s+(?:of\s+)?(?:\w+\s+){0,4}?(?:(?:would|does|will|do)\s+it|it\s+(?:would|will|'?d))\s+take\b",
        r"\bhow\s+(?:many|much)\s+(?:\w+\s+){0,4}?(?:to\s+(?:die|overdose|od|not\s+wake|end\s+it|kill)|"
        r"(?:is|are|would\s+be|will\s+be|be)\s+(?:lethal|fatal|deadly|enough\s+to|an\s+overdose))",
        r"\b(?:full\s+|whole\s+)?(?:bottle|packet|pack|box|strip)\s+(?:of\s+\w+\s+)?(?:is|be|would\s+be|will\s+be)\s+enough\b",
        # (a lookahead reads at most a long sentence ahead, normalize.SENTENCE_MAX: unbounded, each
        # hit in text without full stops read on to the end of the post)
        r"\b(?:lethal|fatal|deadly)\s+(?:dose|amount)\b(?=[^.!]{0,500}\?)",
        r"\b(?:stockpil\w*|hoard\w*)\b",
        r"\b(?:saving|saved|collecting|collected|stashing|stashed)\s+(?:up\s+)?(?:\w+\s+){0,4}?" + _MEANS + r"\b",
        r"\benough\s+(?:\w+\s+){0,2}?" + _MEANS + r"\s+(?:saved|stored|to\s+(?:end|die|do\s+it|not\s+wake|kill|finish|overdose))",
        r"\benough\s+(?:\w+\s+){0,3}?(?:saved\s+up|stored)\s+to\s+(?:end|die|do\s+it|finish)",
        r"\b(?:pills|tablets|meds)\s+(?:lined\s+up|counted\s+out|ready|laid\s+out|in\s+front\s+of\s+me|saved|stored|stashed|hidden|put\s+aside)\b",
        r"\b(?:insulin|pens|morphine|oxy\w*|opioids|painkillers|paracetamol|tylenol|codeine|tramadol|lithium)\s+"
        r"(?:lined\s+up|counted\s+out|ready|laid\s+out|in\s+front\s+of\s+me|saved|stored|stashed|hidden|put\s+aside)\b",
        after("going to", "gonna", "will", "i'll", "about to", "planning to") +
        r"(?:take|swallow|down)\s+(?:everything|all\s+(?:\d+\s+)?(?:of\s+)?(?:my|the|them)\b|them\s+all|the\s+(?:lot|whole\s+\w+))",
        r"\b(?:took|taken|swallowed|downed)\s+(?:all|a\s+load|a\s+bunch|a\s+handful|the\s+whole|handfuls|loads|too\s+many)\s+(?:of\s+)?(?:my\s+|the\s+|his\s+|her\s+)?(?:\w+\s+)?(?:bottle\s+of\s+)?" + _MEANS + r"\b",
        r"\b(?:took|taken|swallowed)\s+an?\s+overdose\b|" + after("i've", "i'm", "just") + r"(?:overdosed|od'?d)\b",
        r"\b(?:took|taken|swallowed)\s+(?:\w+\s+){1,4}?(?:on\s+purpose|deliberately)\b",
        r"\bbought\s+(?:\w+\s+){0,3}?(?:rope|noose|gun|charcoal|" + _MEANS + r")\s+(?:from|at)\s+(?:\w+\s+){0,2}?(?:different|several|multiple|three|two|3|2)\b",
        after("got a", "got the", "have a", "have the", "bought a", "bought the", "found a", "found the") +
        r"(?:rope|noose)\b|\b(?:rope|noose)\s+(?:in|is|ready|tied|up)\b",
        r"\b(?:suicide|goodbye)\s+(?:note|letters?)\b|\b(?:wrote|written|writing|finished)\s+my\s+(?:last\s+)?note\b",
        r"\b(?:wrote|written|writing|finished)\s+(?:a\s+|my\s+)?(?:last\s+)?letters?\s+to\s+(?:my|each\s+of\s+my)\s+(?:kids|children|family|husband|wife|partner|parents|mum|mom|dad|son|daughter|sister|brother)\b(?!'s)",
        after("this is", "this is my") + r"goodbye\b|" + after("last") + r"post\s+(?:here|from\s+me|ever)\b|"
        r"\bsaying\s+goodbye\b(?!\s+to)|\bsaid\s+my\s+goodbyes\b|\bgoodbye\s+(?:everyone|all|forever|world|mum|mom|dad)\b|"
        r"\bby\s+the\s+time\s+you\s+read\s+this\b|" + after("my") + r"last\s+(?:night|day|post)\b",
        r"\bgoodbye\W*$",
        r"\bgiv(?:e|ing|en)\s+(?:away\s+)?(?:all\s+)?(?:my|away\s+my)\s+(?:things|stuff|possessions|belongings)\b|\bgiving\s+(?:all\s+)?my\s+(?:things|stuff|possessions|belongings)\s+away\b",
        r"\b(?:standing|sitting|stood|sat)\s+on\s+(?:the|a)\s+(?:bridge|ledge|edge|roof|balcony|cliff|platform|tracks)\b",
        after(*_I) + r"(?:have|'ve\s+got|got|'ve\s+made|made)\s+a\s+plan\b|" + after("i") + r"know\s+(?:how|what|when)\s+i'?(?:m\s+going\s+to|d|ll)\s+do\b|"
        r"\b(?:worked|figured)\s+out\s+how\s+(?:i'?d|to)\s+do\s+it\b",
        r"\b(?:tonight|today)\s+(?:might|could|will|is\s+going\s+to)\s+be\s+(?:it|the\s+(?:night|day|end))\b|"
        r"\b(?:pills|tablets|meds)\s+and\s+(?:a\s+bottle\s+of\s+)?(?:vodka|wine|whisky|whiskey|gin|rum|alcohol|booze)\b|"
        r"\b(?:looking|staring|stare|look)\s+(?:down\s+)?at\s+the\s+(?:tracks|drop|water|edge|pills)\b|"
        r"\b(?:planning|plan|planned|worked\s+out|figured\s+out|know\s+exactly|thought\s+about|thinking\s+about|think\s+about)\s+how\s+(?:i'?d|i\s+would|i'?ll|i\s+will|to)\s+(?:do\s+it|end\s+it|go\s+about\s+it)\b|"
        r"\btonight\s+is\s+the\s+night\b|\bwon'?t\s+be\s+(?:here|around)\s+(?:tomorrow|by\s+morning|after\s+tonight)\b",
        r"\b(?:researching|looking\s+up|googling|searching|looked\s+up|googled|reading\s+about)\s+(?:\w+\s+){0,2}?(?:(?:ways|methods|how)\s+to\s+(?:die|go|end|kill|overdose)|overdoses?|lethal\s+doses?|suicide\s+methods)",
        r"\b(?:took|taken|swallowed|downed)\s+(?:\d{2,3}|all|the\s+whole|a\s+whole)\s+(?:of\s+)?(?:my\s+|the\s+|his\s+|her\s+)?(?:\w+\s+){0,2}?"
        + _MEANS + r"\b(?=[^.!?]{0,40}\b(?:ago|just\s+now|minutes|mins|an\s+hour|tonight|on\s+purpose|at\s+once|feel\s+(?:weird|sick|dizzy|sleepy)))",
        r"\b(?:overdose|od)\s+on\s+\w+(?=[^.!]{0,20}\bhow\s+(?:much|many)\b)",
        r"\bis\s+\d{2,3}\s+(?:of\s+)?(?:\w+\s+){0,3}?enough\b(?!\s+(?:for\s+(?:a|the|one|my)\s+(?:month|week|trip|holiday)))",
        r"\bwould\s+(?:that|this)\s+(?:do\s+it|be\s+enough\s+to|kill\s+me)\b",
        r"\bwhich\s+(?:of\s+(?:these|them|my\s+meds)\s+)?(?:\w+\s+){0,3}?(?:would\s+be|is)\s+(?:the\s+)?(?:quickest|fastest|most\s+painless|least\s+painful|most\s+lethal)\b",
        r"\b(?:quickest|fastest|least\s+painful|most\s+painless)\s+(?:and\s+)?(?:painless\s+)?way\b(?!\s+to\s+(?:get|make|lose|find|learn|book|reach|cook|clean|travel|see|apply|order))",
        r"\bpainless\s+way\s+(?:to\s+(?:go|do\s+it|end\s+it))?(?=\s*(?:[.!?]|$|just|please))",
        # Spanish: an act in progress, means gathered, method-seeking, a plan with a day, a place
        r"\b(?:me\s+he\s+tomado|me\s+acabo\s+de\s+tomar)\s+(?:\d{2,3}|todas?|todos|un\s+bote|una\s+caja|el\s+bote|la\s+caja)\b",
        r"\bdosis\s+(?:\w+\s+){0,3}?(?:es\s+)?(?:mortal|letal)\b|\b(?:mortal|letal)\s+(?:\w+\s+){0,2}?(?:es\s+para\s+m[ií])",
        r"\bcu[aá]nt[oa]s?\s+(?:\w+\s+){0,5}?(?:hace\s+falta|hacen\s+falta|necesito|se\s+necesitan?)\s+para\s+(?:morir|que\s+sea\s+definitivo|no\s+despertar|matarme)\b",
        r"\b(?:ahorrando|juntando|guardando|acumulando|juntar|ahorrar)\s+(?:\w+\s+){0,3}?(?:pastillas|opioides|morfina|insulina|medicaci[oó]n|pastis|calmantes)\b",
        r"\bya\s+tengo\s+(?:fecha|el\s+d[ií]a|todo\s+(?:listo|preparado|planeado)|la\s+cuerda|las\s+pastillas)\b|\bsolo\s+falta\s+elegir\s+el\s+d[ií]a\b",
        r"\bcartas?\s+de\s+despedida\b",
        r"\bestoy\s+en\s+(?:la\s+azotea|el\s+puente|la\s+v[ií]a|las\s+v[ií]as|el\s+borde|el\s+balc[oó]n)\b|\bme\s+voy\s+al\s+puente\b",
        r"\bvoy\s+a\s+usar\s+la\s+(?:pistola|escopeta|cuerda)\b",
    ],
    # T: a third party at imminent risk
    "T": [
        r"\b(?:kill|hang|shoot|hurt|cut|harm|drown|poison)\s+" + _3SELF + r"\b",
        r"\bend\s+(?:his|her|their)\s+(?:own\s+)?li(?:fe|ves)\b|\btake\s+(?:his|her|their)\s+(?:own\s+)?li(?:fe|ves)\b(?!\s+(?:back|seriously))",
        after("he's", "she's", "they're", "he is", "she is", "they are") + r"(?:suicidal|going\s+to\s+(?:jump|overdose|end\s+it|do\s+it))\b",
        r"\bgoing\s+to\s+(?:use|take)\s+(?:them|it)\s+all\b",
        after(*_THIRD) + r"(?:overdose|end\s+it|jump)\b(?!\s+(?:in|into|on|at|back|up|for|through|around|with))",
        r"\b(?:going\s+to|gonna)\s+(?:overdose|end\s+it|jump)\b(?!\s+(?:in|into|on|at|back|up|for|through|around|with))",
        r"\b(?:texted|messaged|posted|wrote|said|sent)\s+(?:me\s+)?(?:\w+\s+){0,4}?['\"]?goodbye\b",
        after("is", "been", "seems") + r"suicidal\b",
        after("his", "her", "their") + r"(?:suicide|goodbye)\s+(?:note|letter|message|post)\b",
        r"\blocked\s+" + _3SELF + r"\s+in\b",
        after(*_THIRD) + r"(?:wants?|wanted|wanting|going|ready|planning)\s+to\s+(?:die|kill\s+" + _3SELF + r"|end\s+it)\b",
        after("he doesn't", "she doesn't", "they don't", "he does not", "she does not", "they do not", "he no longer",
              "she no longer", "they no longer") + r"(?:want|wants|wish)\s+to\s+(?:be\s+alive|live|be\s+here|exist|wake\s+up|go\s+on)\b",
        r"\b(?:left|wrote|sent)\s+(?:me\s+|us\s+)?a\s+(?:note|letter|message|text)\s+(?:saying\s+)?(?:\w+\s+){0,2}?(?:sorry|goodbye)\b(?=[^.]{0,500}(?:answer|police|999|911|112|reach|find|missing|gone))|"
        r"\b(?:left|wrote|sent)\s+(?:me\s+|us\s+)?a\s+(?:note|letter)\s+saying\s+(?:sorry|goodbye)\b",
        r"\b(?:texted|messaged|sent|wrote)\s+(?:me\s+|us\s+)?(?:\w+\s+){0,3}?['\"]?(?:i'?m\s+)?sorry\s+for\s+everything\b",
        r"\b(?:posted|texted|wrote|said)\s+['\"]?(?:so\s+long|bye\s+forever|last\s+post)\b",
        r"\bse\s+est[aá]\s+cortando\b|\bse\s+ha\s+tomado\s+(?:un\s+bote|una\s+caja|todas?|todos)\b",
        r"\bse\s+(?:va|quiere)\s+a?\s*(?:matar|suicidar|tirar\s+(?:por|de|desde))\b|\bquiere\s+(?:matarse|suicidarse|quitarse\s+la\s+vida)\b",
    ],
    # R: a third party at risk, as a report (a recovery or grief context can explain it)
    "R": [
        r"\b(?:talking|talks|talked|posting|posted|joking|writing|wrote)\s+about\s+"
        r"(?:suicide|killing\s+" + _3SELF + r"|ending\s+(?:it|(?:his|her|their)\s+life)|dying|not\s+being\s+(?:here|around))",
        r"\b(?:attempted\s+suicide|tried\s+to\s+(?:kill\s+" + _3SELF + r"|end\s+(?:his|her|their)\s+life|overdose))\b",
        after("after an", "after his", "after her", "after their", "from an", "from his", "from her", "from their",
              "taking an", "after taking an") + r"(?:overdose|suicide\s+attempt)\b",
        after("he's", "she's", "they've", "he is", "she is", "has been", "have been") + r"(?:cutting|self[\s-]?harming|hurting\s+" + _3SELF + r")\b",
    ],
    # B: active ideation
    "B": [
        r"\bkill\s*(?:my\s*self|myself)\b|\bkii+l+\s*(?:my\s*self|myself)\b|\bkms\b|\bk[\s.\-_]+i[\s.\-_]+l[\s.\-_]+l\s*(?:my\s*self|myself)\b|\bk[\s.\-_]+m[\s.\-_]+s\b",
        after("to", "gonna", "'ll", "will", "just", "could", "should", "might", "i", "ll") +
        r"end\s+(?:it(?:\s+all)?|my\s+(?:own\s+)?life|everything|things|this(?:\s+life)?)(?=\s*(?:[.!?,;]|$|now|tonight|today|soon|for\s+good|once))",
        r"\bending\s+(?:it(?:\s+all)?|my\s+(?:own\s+)?life|everything|things)\b(?!\s+with)|\bend\s+my\s+(?:own\s+)?life\b",
        r"\btake\s+my\s+(?:own\s+)?life\b|\bhang\s+myself\b|\bplan(?:ning)?\s+(?:my|the)\s+(?:death|suicide|exit)\b",
        r"\b(?:want|wanna|wanted|ready|plan(?:ning)?|tempted|going\s+to|gonna)\s+(?:to\s+)?(?:jump|overdose|od)\b(?!\s+(?:in|into|on|at|back|up|for|through|around|off\s+the\s+(?:sofa|bed)))",
        r"\b(?:want|wanna|ready|plan(?:ning)?|tempted)\s+(?:to\s+)?die\b(?!\s+(?:of|from|laughing|when|if))",
        r"\b(?:thinking|think|thought|dreaming|fantasi[sz]ing|obsessing)\s+(?:about|of)\s+(?:\w+\s+){0,2}?(?:dying|jumping(?!\s+(?:back|into|in|on|at|for|up|around|through|ship|to))|overdosing|killing\s+myself|ending\s+it|ending\s+my\s+life|driving\s+(?:into|off)|hanging|not\s+being\s+(?:here|alive)|ways\s+to\s+(?:die|end))",
        r"\b(?:jump(?:ing)?|throw(?:ing)?\s+myself)\s+(?:off|from|in\s+front\s+of|under)\s+(?:a|the|my)\s+(?:bridge|building|balcony|train|roof|cliff|car\s+park|bus|lorry|truck)\b",
        r"\bdriv(?:e|ing)\s+(?:my\s+car\s+)?(?:into|off)\s+(?:a|the)\s+(?:tree|wall|bridge|cliff|lorry|truck|river)\b",
        _after_negation("don't", "do not", "didn't", "never", "not", "no longer", "won't", "wouldn't", "n't") +
        r"(?:want|wanna|wish)\s+to\s+(?:live|be\s+alive|be\s+here|exist|wake\s+up|go\s+on|keep\s+going|carry\s+on)\b"
        r"(?!\s+(?:anywhere|in|with|near|there|abroad|on|somewhere|without|for|at|when|while|until|till|next|waiting|during|another|through|alone\s+in))",
        _after_negation("no", "nothing", "not a", "not one", "not any") + r"(?:reason|point)\s+(?:to|in|of)\s+(?:live|living|going\s+on|being\s+alive)\b|\bnothing\s+(?:left\s+)?to\s+live\s+for\b",
        _after_negation("can't see the", "don't see the", "can't see any", "don't see any") + r"point\s+(?:in|of)\s+(?:living|life|going\s+on)\b",
        _after_negation("not") + r"worth\s+living\b",
        r"\blife\s+(?:\w+\s+){0,3}?(?:isn'?t|is\s+not|ain'?t)\s+worth\s+(?:it|living)\b",
        r"\b(?:better|rather\s+be)\s+off\s+dead\b|\brather\s+be\s+dead\b|\bwant\s+to\s+be\s+dead\b",
        r"\bwhat'?s\s+the\s+point\s+(?:of|in)\s+(?:living|life|going\s+on|being\s+alive)\b",
        r"\b(?:want|need)\s+(?:it|this|everything)\s+(?:all\s+)?to\s+(?:end|be\s+over)\b|" + after("so") + r"it'?s\s+(?:all\s+)?over\b|\bwish\s+(?:it|everything)\s+would\s+(?:all\s+)?(?:end|stop)\b",
        r"\bways\s+to\s+(?:die|go|kill\s+myself|end\s+it)\b",
        r"\b(?:overdose|od)\s+on\s+(?:my|the|all)\b|" + after("i", "i just") + r"(?:overdosed|od'?d)\b",
        r"\bgive\s+up\s+on\s+(?:life|living|everything)\b|\bsleep\s+forever\b|\beternal\s+sleep\b",
        r"\burges?\s+to\s+(?:cut|self[\s-]?harm|hurt\s+myself|die|end\s+it|jump)\b",
        _after_negation("don't", "can't", "cannot", "do not") + r"trust\s+myself\s+(?:right\s+now|tonight|anymore|any\s+more|to\s+(?:stay\s+safe|be\s+(?:alone|safe))|not\s+to|around\s+(?:my\s+)?(?:pills|meds))",
        # Spanish
        r"\bme\s+(?:mato|matar[eé])\b|\bmatarme\b|\bquitarme\s+la\s+vida\b|\bsuicidarme\b|\bme\s+voy\s+a\s+(?:matar|suicidar)\b",
        r"\bno\s+quiero\s+(?:seguir\s+)?(?:vivir|viviendo|estar\s+viv[oa])\b|\bquiero\s+morir(?:me)?\b|\bdarme\s+cuello\b",
        r"\bacabar\s+con\s+(?:todo|mi\s+vida)\b|\bpienso\s+en\s+(?:matarme|suicidarme|quitarme\s+la\s+vida|c[oó]mo\s+hacerlo)\b",
        r"\bme\s+voy\s+a\s+tirar\s+(?:por|de|desde)\b",
    ],
    # X: ideation named as a topic ("suicidal", "unalive thoughts"); information posts use it too
    "X": [
        r"\bsuicid(?:al|e)\b",
        r"\bunalive\w*\b",
    ],
    # C: passive ideation or burden
    "C": [
        r"\b(?:hope|hopes|hoping|wish|pray|praying|want)\s+(?:\w+\s+){0,3}?(?:that\s+)?(?:i|they|we|you)\s+(?:just\s+)?(?:don'?t|won'?t|never|wouldn'?t|didn'?t)\s+wake\s+up\b",
        _after_negation("and not", "to not", "and never", "to never", "and don't", "and dont") + r"wake\s+up\b",
        r"\bwish\s+i\s+(?:was|were|could\s+be)\s+dead\b|\bwish\s+i\s+(?:had\s+)?never\s+been\s+born\b|\bwish\s+i\s+could\s+(?:just\s+)?disappear\b(?!\s+for\s+(?:a|an|the|\d+|two|few|some)\b)|\bwish\s+i\s+(?:would|could)\s+die\b",
        r"\b(?:want|wanna|wish)\s+(?:to\s+)?die\b(?!\s+(?:of|from|laughing))",
        r"\bbetter\s+off\s+(?:without\s+me|if\s+i\s+(?:was|were|wasn'?t|weren'?t|just\s+wasn'?t|died|was\s+gone)|with\s+(?:the|my)\s+life\s+insurance)\b",
        r"\bbetter\s+off\s+(?:with|if)\b(?=[^.!?]{0,60}\b(?:without\s+me|i\s+(?:was|were)\s+(?:gone|dead)|wasn'?t\s+here|life\s+insurance))",
        r"\b(?:easier|better|happier|relieved|glad|lighter|happy)\s+(?:for\s+(?:\w+\s+){0,2}?)?(?:off\s+)?if\s+i\s+(?:just\s+)?(?:wasn'?t|weren'?t|was\s+not|were\s+not|was\s+gone|were\s+gone|died|disappeared|didn'?t\s+exist|never\s+(?:came|come|woke)|didn'?t\s+(?:come|wake))\b",
        r"\b(?:wouldn'?t|would\s+not|won'?t|will\s+not)\s+(?:still\s+)?be\s+(?:here|alive|around)\b(?!\s+(?:for|at|on|in|when|until|till|next|tomorrow))",
        r"\bpart\s+of\s+me\s+(?:hopes|wants\s+to\s+(?:die|disappear|not\s+wake)|wishes)\b",
        r"\b(?:happier|better|easier|lighter|freer)\s+(?:off\s+)?without\s+me(?:\s+(?:around|here|in\s+(?:their|the)\s+\w+))?\b",
        r"\b(?:hope|hopes|hoping|wish|pray)\s+(?:the\s+next|this|my\s+next|the)\s+(?:\w+\s+){1,2}?(?:is\s+the\s+one|kills\s+me|finishes\s+me|takes\s+me|doesn'?t\s+stop)\b",
        after("i'm a", "im a", "am a", "like a", "being a", "just a", "such a", "only a", "i'm just a", "im just a") + r"burden\b|\bburden\s+(?:to|on)\s+(?:everyone|my|them|people)\b",
        _after_negation("no one", "noone", "nobody", "no-one") + r"would\s+(?:even\s+)?(?:notice|care|miss\s+me)(?=\s*(?:[.!,;]|$|anyway|if\s+i\s+(?:died|was\s+gone|wasn'?t|disappeared|were\s+gone|were\s+dead|vanished|didn'?t\s+wake)|(?:that|when|if)\s+i'?m\s+gone))"
        r"|\bwouldn'?t\s+(?:even\s+)?miss\s+me\b",
        r"\bwant\s+(?:everything|it\s+all)\s+to\s+stop\b",
        _after_negation("don't", "do not") + r"care\s+(?:what\s+happens\s+to\s+me|if\s+i\s+(?:live|die|wake)|whether\s+i\s+(?:live|die))\b",
        after("if i") + r"(?:died|disappeared|wasn'?t\s+here)\b|" + after("if i was", "if i were") + r"gone\b",
        _after_negation("not be", "not going to be") + r"(?:around|here)\s+(?:much\s+longer|for\s+long|anymore)\b",
        r"\b(?:hope|hoping|wish|pray)\s+(?:this|it|the\s+\w+)\s+(?:\w+\s+){0,2}?(?:kills\s+me|takes\s+me)\b",
        r"\bhope\s+(?:it|my\s+heart|everything)\s+(?:just\s+)?stops\s+(?:in\s+my\s+sleep|for\s+good|forever)\b",
        r"\brather\s+(?:be\s+dead|die)\s+than\b",
        r"\b(?:tired|sick)\s+of\s+(?:living|being\s+alive|life)\b",
        _after_negation("don't", "wouldn't") + r"(?:care|mind)\s+if\s+i\s+(?:died|die|didn'?t\s+wake|don'?t\s+wake|never\s+woke)\b|\brelief\s+to\s+(?:die|not\s+wake|be\s+dead)\b",
        r"\b(?:stopped\s+caring|don'?t\s+care)\s+(?:whether|if)\s+i\s+live\s+or\s+die\b|\bdisappointed\s+(?:that\s+)?i\s+woke\s+up\b",
        r"\b(?:pray|praying)\s+for\s+me\s+to\s+go\s+(?:peacefully\s+)?soon\b|\b(?:finishes|finish)\s+the\s+job\b",
        r"\b(?:i'?m|i\s+am)\s+(?:such\s+)?a\s+drain\s+on\b|\bif\s+i\s+wasn'?t\s+around\b",
        # Spanish
        r"\b(?:preferir[ií]a|ojal[aá])\s+no\s+haber\s+nacido\b|\bquiero\s+desaparecer\b",
        r"\b(?:estar[ií]an|estar[ií]ais|vivir[ií]an|estar[ií]a)\s+mejor\s+sin\s+m[ií]\b|\bsoy\s+(?:un|una)\s+(?:carga|lastre|estorbo)\b",
        r"\bme\s+da\s+igual\s+(?:si\s+)?(?:vivir|morir|vivo|muero|no\s+amanezco|no\s+despierto|ma[nñ]ana\s+no\s+(?:amanezco|despierto))\b",
        r"\b(?:ojal[aá]|deseo|quisiera)\s+(?:\w+\s+){0,3}?no\s+(?:despertar(?:me)?|amanecer|salir\s+del\s+hospital|salga\s+del\s+hospital)\b",
    ],
    # S: self-harm behaviour
    "S": [
        r"\b(?:cut|cutting|burn(?:ed|t|ing)?|hurt(?:ing)?|harm(?:ing|ed)?|hit(?:ting)?|punch(?:ed|ing)?|"
        r"scratch(?:ed|ing)?|starv(?:e|ed|ing))\s+myself\b(?!\s+(?:shaving|chopping|cooking|lifting|falling|"
        r"playing|running|doing|at|on|in|while|when|by\s+accident|accidentally))",
        r"\bself[\s-]?harm(?:ing|ed)?\b",
        after("been", "started", "start", "keep", "kept", "back to") + r"(?:cutting|burning|scratching)\s+(?:again|myself)\b|\b(?:cutting|cut|burning|burned)\s+again\b(?!\s+(?:on|down|back|out))",
        r"\b(?:hit|hitting|bang(?:ed|ing)?|smash(?:ed|ing)?)\s+my\s+head\s+(?:against|on|into)\b",
        r"\b(?:cut|burn(?:ed|t)|hit|hurt|scratch(?:ed)?)\s+(?:my\s+\w+|myself)\s+(?:on\s+purpose|deliberately)\b",
        r"\bself[\s-]?injur\w*|\bsh'?d\b|\bsh\s+(?:urges?|again|relapse)\b|\brelapsed\s+(?:with|on)\s+(?:the\s+)?(?:blade|razor|cutting)\b",
        after("i've", "ive", "i have") + r"cut(?=\s*(?:[.!,]|again|today|tonight|last\s+night|deeper))",
        after("back to", "started", "been") + r"(?:cutting|burning)\b(?!\s+(?:down|back|out|the|it|carbs|sugar|calories|costs|corners|ties))",
        r"\b(?:punch|punched|punching|kick|kicked|kicking)\s+(?:my\s+own|my)\s+(?:legs?|arms?|thighs?|ribs?|stomach|face|head|chest)\b|\b(?:punching|hitting)\s+(?:them|it)\s+during\b",
        r"\bcarv(?:e|ed|ing)\s+into\s+my\b|\b(?:razor|blade)\s+on\s+(?:my|myself)\b|\bnails\s+into\s+my\s+(?:palms|arms|skin)\b",
        # Spanish
        r"\bme\s+(?:corto|cort[eé]|he\s+cortado|quemo|quem[eé]|he\s+quemado|golpeo)\b(?!\s+(?:el|las|los|la|un|con\s+el\s+papel))",
        r"\bautolesi\w*|\bhacerme\s+da[nñ]o\b|\bme\s+(?:he\s+)?vuelto\s+a\s+hacer\s+da[nñ]o\b|\bque\s+me\s+he\s+hecho\s+yo\b",
    ],
    # W: warning signs that count two at a time
    "W": [
        r"\b(?:pick|picked|set|chosen|choose)\s+(?:a|the)\s+(?:day|date)\b(?!\s+(?:for|to|of|when|that))",
        r"\b(?:gave|giv(?:e|en|ing))\s+(?:away\s+)?my\s+(?:\w+\s+){1,2}?(?:away|to)\b",
        r"\b(?:wrote|written|writing|made|updated|sorted)\s+(?:out\s+)?my\s+will\b|\b(?:feel|felt|feeling)\s+(?:so\s+)?(?:calm|lighter|at\s+peace|peaceful)\s+(?:for\s+the\s+first\s+time|than\s+i\s+have)\b",
        r"\bcancel(?:l?ed|l?ing)\s+(?:all\s+)?my\s+(?:appointments|plans|subscriptions)\b|\b(?:sorted|sorting)\s+out\s+my\s+(?:affairs|will)\b",
        _after_negation("not having to", "not needing to", "not need to") + r"plan\b|\bcalm\s+for\s+the\s+first\s+time\b|\bmade\s+my\s+peace\b",
        _after_negation("don't see a", "can't see a", "don't see any", "can't see any") + r"future\b",
        _after_negation("no") + r"future\s+(?:for\s+me|left)\b",
        r"\b(?:tired\s+of|done)\s+(?:fighting|trying)\b",
        r"\bcan'?t\s+(?:do|take)\s+(?:this|it)\s+any\s*more\b|\bcan'?t\s+go\s+on\b|\bcan'?t\s+(?:keep\s+)?(?:living|live|going\s+on)\s+like\s+this\b",
        r"\bwhat'?s\s+the\s+point(?:\s+any\s*more)?\b",
        _after_negation("don't know why i", "do not know why i") + r"(?:bother|keep\s+going|try)\b",
        after("it's", "its") + r"time\s*(?:[.!]|$)",
        after("i'm", "im", "i'm so", "im so", "i am", "i am so") + r"done\s*(?:[.!]|$)",
        r"\bjust\s+wanted\s+(?:someone|somebody|you\s+all|to\s+tell\s+someone)\b",
        r"\bsorry\s+(?:everyone|for\s+everything)\b|\btake\s+care\s+of\s+yourselves\b|\bthank\s+you\s+(?:all\s+)?for\s+everything\b",
        r"\b(?:i'?m|i\s+am)\s+not\s+coming\s+back\b|\b(?:my|own)\s+funeral\s+(?:playlist|songs|music)\b|\bnearly\s+ready\b",
        r"\bi\s+won'?t\s+need\s+(?:them|it|these)\b|\bpor\s+[uú]ltima\s+vez\b|\bperd[oó]n\s+a\s+todos\b|\bya\s+no\s+(?:los|las|lo)\s+voy\s+a\s+necesitar\b",
    ],
}
_RULES = RuleSet([(tier + ("!" if alt.startswith("(?#negated)") else ""), alt)
                  for tier, pats in _TIERS.items() for p in pats for alt in alternatives(p)])

# Compositional ideation: a death concept, wanted or pictured, in a sentence about oneself.
_DEATH = RuleSet([("death", alt) for alt in split_group(
    r"\b(?:die|dying|dead|death|" + after("not", "not be") + r"(?:alive|here|around)|" + after("not", "not to") +
    r"exist(?:ing)?|stop\s+existing|cease\s+to\s+exist|disappear(?:\s+forever)?(?!\s+for\s+(?:a|an|the|\d+|two|few|some)\b)|"
    r"(?:car|myself)\s+(?:going|go|drive|driving|veer\w*|swerv\w*)\s+off\s+(?:the\s+road|a\s+cliff|a\s+bridge)|crash(?:ing)?\s+my\s+car|never\s+(?:wake|come\s+back|came\s+back)|" + after("not") + r"(?:waking|coming\s+back|wake)|"
    r"funeral|jump(?:ing)?\s+(?:off|in\s+front)|"
    r"(?:walk|walking|drive|driving|step|stepping)\s+(?:into|in\s+front\s+of)\s+(?:the\s+|a\s+)?(?:sea|river|water|traffic|lake|ocean|train|bus|lorry|truck)|"
    r"drown(?:ing)?\s+myself|sleep\s+forever|end(?:ing)?\s+(?:it|things|my\s+life)(?!\s+with))\b")])
_VOLITION = re.compile(
    r"\b(?:want|wanna|wish|hope|pray|plan\w*|think(?:ing)?\s+(?:about|of)|thought\s+(?:about|of)|picture|picturing|"
    r"imagin\w*|fantasi\w*|dream\w*|deserve|ready|tempted|longing|crave|craving|"
    r"(?:would|'d)\s+be\s+(?:so\s+)?(?:easy|easier|peaceful|nice|better|a\s+relief|lovely|kinder)|better\s+off|relief|"
    r"can'?t\s+stop\s+thinking|keep\s+thinking|obsess\w*|urge|only\s+thing\s+(?:keeping|stopping)|"
    r"if\s+(?:it\s+)?(?:wasn'?t|weren'?t)\s+for|if\s+i\s+didn'?t\s+have|no\s+fight|rather)\b")
_SELF_WORD = re.compile(r"\b(?:i|i'?m|i'?d|i'?ve|i'?ll|me|my|myself)\b")
_NOT_SELF_DEATH = re.compile(
    r"(?:\b(?:he|she|they|it|you|we|mum|mom|mother|dad|father|[a-z]+'s|(?:my|the|this|his|her|our|your)\s+(?!own\b)\w+)\s+"
    r"(?:is|was|are|were|isn'?t|wasn'?t|'s|'re|will|would|to|not)?\s*(?:just\s+|slowly\s+|already\s+)?(?:not\s+(?:be\s+|to\s+)?)?|\bscared\s+(?:to|i'?ll|i'?m\s+going\s+to)\s+|"
    r"\b(?:afraid|terrified|worried|frightened|nervous)\s+(?:i'?ll|i'?m\s+going\s+to|of|to)\s+|\bhalf\s+|\bnearly\s+|\balmost\s+)$")
_NEGATED_VOLITION = re.compile(r"\b(?:don'?t|do\s+not|never|not|no\s+longer|didn'?t|wouldn'?t)\s+(?:\w+\s+)?$")
_MEDICAL_FEAR = re.compile(
    r"\b(?:scared|afraid|terrified|worried|nervous|fear|frightened|anxious)\b[^.!?]*\b(?:surgery|operation|procedure|"
    r"anaesthe\w*|anesthe\w*|biopsy|hypo|attack|seizure|crash|stroke|covid|flight|scan|results)\b")


def _composed(doc):
    """Spans where a sentence about oneself wants or pictures a death concept."""
    low = doc.low
    found = []
    wanting = {}     # a sentence's start -> whether it wants or pictures (once per sentence, not per hit)
    for start, end, _ in doc.scan(_DEATH):
        if _NOT_SELF_DEATH.search(low, max(0, start - 30), start):
            continue
        s_start, s_end = doc.sentence_at(start)
        sentence = low[s_start:s_end]
        if s_start not in wanting:
            wanting[s_start] = (any(not _NEGATED_VOLITION.search(sentence, 0, v.start())
                                    for v in _VOLITION.finditer(sentence))
                                and not _MEDICAL_FEAR.search(sentence))
        if not wanting[s_start]:
            continue
        if not (_SELF_WORD.search(sentence) or _SELF_WORD.search(doc.previous_sentences(start, 1))):
            continue
        found.append((start, end))
    return found


_IDIOM = re.compile(
    r"\b(?:is|are|was|were|'s|'re)\s+(?:\w+\s+)?killing\s+me\b|\bkill\s+for\b|\bdying\s+(?:to|for)\b|"
    r"\bdead\s+on\s+my\s+feet\b|\bshoot\s+me\s+now\b|\b(?:bored|scared|frightened|worried|tired)\s+to\s+death\b|"
    r"\b(?:died|dying|die)\s+(?:of\s+)?(?:laughing|embarrassment)\b|\bdeath\s+of\s+me\b|\bgoing\s+to\s+kill\s+me\b|"
    r"\bkilling\s+it\b|\bi'?d\s+rather\s+die\s+than\s+[^.!?]*\b(?:lol|lmao|haha|\U0001f602|\U0001f923)|"
    # Spanish: dying of shame or love, laughing about it, and the kitchen's cuts and burns
    r"\bmori(?:r|rme)\s+de\s+(?:la\s+)?(?:verg[uü]enza|amor|risa|sue[nñ]o|hambre|calor|fr[ií]o|ganas|aburrimiento|asco|miedo|envidia)\b|"
    r"\bme\s+quiero\s+morir\b[^.!?]*\bja(?:ja)+|\bja(?:ja)+\b[^.!?]*\bme\s+quiero\s+morir\b|"
    r"\bme\s+(?:cort[eé]|quem[eé])\b[^.!?]{0,40}\b(?:picando|cocinando|cortando\s+(?:pan|cebolla|verdura)|afeit\w*|sin\s+querer|"
    r"plancha\s+de\s+(?:la\s+)?ropa|horno|sart[eé]n|bolsa\s+de\s+agua|jaja)")
_INFORMATION = re.compile(
    r"\bside[\s-]?effects?\b|\blisted\s+as\b|\bcan\s+cause\b|\bmay\s+cause\b|\bcause\s+suicidal\b|\brisk\s+of\b|"
    r"\bblack\s+box\b|\bwarning\b|\bawareness\b|\bprevention\b|\bresources\b|"
    r"\bhelpline\b|\bhotline\b|\bcrisis\s+line\b|\bdocumentary\b|\barticle\b|\bstudy\b|\brates?\b|\bstatistics\b|"
    r"\bif\s+(?:you'?re|you\s+are)\s+struggling\b|\btrigger\s+warning\b|\bcheck\s+on\s+your\b")
_SCREENING = re.compile(
    r"\bscreening\b|\bquestionnaire\b|\bphq\b|\b(?:asked|ask|asks)\s+(?:me\s+)?(?:if|whether|about|the\s+usual)\b|"
    r"\b(?:answered|said)\s+no\b|\bme\s+pregunt\w+\s+si\b|\bpreguntan?\s+si\b|\bcuestionario\b|\ble\s+dije\s+que\s+no\b")
_RECOVERY_STRONG = re.compile(
    r"\b(?:clean|free)\s+(?:from|of|for)\b|\bsurviv(?:or|ed)\b|\b(?:in\s+)?recover(?:y|ed)\b|\bit\s+gets\s+better\b|"
    r"\bglad\s+i'?m\s+(?:still\s+)?here\b|\bsaved\s+my\s+life\b|\bpeer\s+support\b|\bvolunteer\b|\bsupport\s+group\b|"
    r"\bscars?\b|\b(?:years?|months?)\s+since\s+my\b|\bgrateful\b|"
    r"\bs[ií]\s+se\s+sale\b|\bse\s+sale\b|\bse\s+puede\s+salir\b|\b(?:llevo|cumplo|hace)\s+(?:\w+\s+){0,2}?(?:d[ií]as?|mes(?:es)?|a[nñ]os?)\s+(?:sin|que\s+no)\b|"
    r"\bsobreviviente\b|\bsuperviviente\b|\bagradecid[oa]\b")
_RECOVERY_PAST = re.compile(
    r"\b(?:years?|yrs?|decades?)\s+ago\b|\bused\s+to\b|\bback\s+(?:then|in)\b|\bin\s+(?:19|20)\d\d\b|"
    r"\bas\s+a\s+(?:teen(?:ager)?|kid|child)\b|\bwhen\s+i\s+was\s+(?:younger|\d+|a\s+teen)\b|"
    r"\b(?:in|from|during)\s+my\s+(?:teens|twenties|youth|childhood)\b|\b(?:years?|months?)\s+since\b|"
    r"\bhace\s+(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|varios|muchos)\s+(?:a[nñ]os|meses)\b|"
    r"\ben\s+lo\s+peor\s+de\b|\bcuando\s+(?:era|ten[ií]a)\b|\bde\s+adolescente\b")
_PRESENT = re.compile(
    r"\b(?:again|tonight|right\s+now|lately|these\s+days|any\s*more|still|currently|this\s+week|last\s+night|"
    r"yesterday|this\s+morning|otra\s+vez|de\s+nuevo|esta\s+noche|ahora\s+mismo|anoche|vuelto\s+a)\b")
_GRIEF = re.compile(
    r"\b(?:died|passed|lost\s+\w+)\s+(?:\w+\s+){0,2}?(?:by|to)\s+suicide\b|\blost\s+(?:my\s+)?\w+(?:\s+\w+)?\s+to\s+suicide\b|"
    r"\b(?:took|taken)\s+(?:his|her|their)\s+own\s+life\b|\bcommitted\s+suicide\b|\bsuicide\s+(?:loss|bereavement)\b")
_PALLIATIVE = re.compile(r"\b(?:hospice|palliative|end[\s-]of[\s-]life\s+care|comfort\s+care|assisted\s+dying)\b")
_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|don'?t|isn'?t|wasn'?t|am\s+not|i'?m\s+not|aren'?t)\s+(?:\w+\s+)?$"
                      r"|\b(?:no|nunca|jam[aá]s)\s+(?:\w+\s+){0,2}$")
# Most sentences hold none of the literals these need: `gate` skips `re` for them.
(_VOLITION, _MEDICAL_FEAR, _IDIOM, _INFORMATION, _SCREENING, _RECOVERY_STRONG, _RECOVERY_PAST, _PRESENT,
 _GRIEF, _PALLIATIVE, _NEGATED) = map(gate, (_VOLITION, _MEDICAL_FEAR, _IDIOM, _INFORMATION, _SCREENING,
                                             _RECOVERY_STRONG, _RECOVERY_PAST, _PRESENT, _GRIEF,
                                             _PALLIATIVE, _NEGATED))

# Method details and encouragement: the post is held as well.
_METHOD = re.compile(
    r"\bhow\s+(?:many|much)\b|\blethal\b|\bfatal\b|\benough\b|\bbottle\b|\bmg\b|\brope\b|\bnoose\b|"
    r"\bgun\b|\bbridge\b|\btrain\b|\bstockpil|\blined\s+up\b|\bsaved\b|\bstashed\b")
_ENCOURAGE = RuleSet([("encourage",
    r"\b(?:you|we|y'?all|everyone)\s+(?:should|could|can)\s+(?:all\s+)?(?:just\s+)?(?:end\s+it|kill\s+(?:yourself|yourselves|ourselves)|do\s+it\s+too|join\s+me)\b"
    r"|\bjoin\s+me\b|\bdo\s+it\s+together\b")])

_SEVERITY = {"A": "urgent: plan, means, goodbye or an act in progress",
             "T": "urgent: a third party at risk", "R": "a third party at risk (report)",
             "B": "active suicidal ideation", "X": "suicidal ideation named",
             "C": "passive ideation or feeling a burden", "S": "self-harm behaviour",
             "Y": "wish to die or not exist",
             "W": "several warning signs (goodbyes, no future, giving things away)"}
_ORDER = "ATRBXCYSW"


def _suppressed(doc, start, end, tier, own_negation=False):
    """Whether the context explains the match away (never for tiers A and T)."""
    if tier in ("A", "T"):
        return False
    s_start, s_end = doc.sentence_at(start)
    if tier != "R" and not own_negation and _NEGATED.search(doc.low, s_start, start):
        return True
    idioms, explained, information = _context(doc, s_start, s_end)
    if any(a < end and start < b for a, b in idioms):
        return True
    return explained or (tier in ("X", "R") and information)


def _context(doc, s_start, s_end):
    """(idiom spans, whether grief, palliative care, screening or recovery explain the sentence,
    whether it is information), read once per sentence: one may hold many hits."""
    cache = doc.__dict__.setdefault("_crisis_context", {})
    if s_start not in cache:
        sentence = doc.low[s_start:s_end]
        idioms = [(m.start() + s_start, m.end() + s_start) for m in _IDIOM.finditer(sentence)]
        explained = bool(_GRIEF.search(sentence) or _PALLIATIVE.search(sentence) or _SCREENING.search(sentence)
                         or _RECOVERY_STRONG.search(sentence)
                         or (_RECOVERY_PAST.search(sentence) and not _PRESENT.search(sentence)))
        cache[s_start] = (idioms, explained, _INFORMATION.search(sentence) is not None)
    return cache[s_start]


def check(doc):
    low = doc.low
    tiers, spans = [], []
    for start, end, name in doc.scan(_RULES):
        tier, own_negation = name[0], name.endswith("!")
        if tier == "T" and _GRIEF.search(doc.sentence(start)):
            continue
        if _suppressed(doc, start, end, tier, own_negation):
            continue
        tiers.append(tier)
        a, b = doc.raw_span(start, end)
        spans.append(Span(a, b, "method" if tier == "A" and _METHOD.search(low, start, end) else "risk"))
    covered = {sp.start for sp in spans}
    for start, end in _composed(doc):
        a, b = doc.raw_span(start, end)
        # the death concept may hold its own "not" ("not exist"); the wish's negation was checked
        if a not in covered and not _suppressed(doc, start, end, "Y", own_negation=True):
            tiers.append("Y")
            spans.append(Span(a, b, "risk"))
    if not tiers or (set(tiers) == {"W"} and len(tiers) < 2):
        return EMPTY
    actions = ["crisis_resources", "limit_members", "alert"]
    if "A" in tiers or "T" in tiers:
        actions.append("escalate_now")
    if any(s.kind == "method" for s in spans) or doc.has_match(_ENCOURAGE):
        actions.append("hold")
    reasons = tuple(_SEVERITY[t] for t in sorted(set(tiers), key=_ORDER.index))
    return FilterVerdict(NAME, (NAME,), tuple(actions), tuple(spans), reasons)

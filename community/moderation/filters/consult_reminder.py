"""consult_reminder: advice to change a treatment, or a self-directed change (MODERATION.md §3.3).

Decision per clause, OR-ed over the post: a treatment mention (drug dictionary, generic
treatment nouns, remedy and diet lexicon) + a change event in the same clause, then the
decision table: advice to others and self-directed changes count; clinician-directed or
imposed changes, questions to one's own clinician, negated and cautionary stories do not.
"""
import bisect
import re

from . import drugs
from .normalize import CAUTION, CONDITION, actors, after, alt, compile_imperative, modality, own_initiative
from .base import FilterVerdict, Span
from .scan import RuleSet, alternatives, gate, matches_at, split_group

NAME = "consult_reminder"
EMPTY = FilterVerdict(NAME, (), (), (), ())

_TREATMENT_NOUNS = (
    r"meds?|medications?|medicines?|pills?|tablets?|tabs|capsules|doses?|dosage|dosing|insulin|"
    r"basal|bolus|inhalers?|puffers?|preventers?|relievers?|nebuli[sz]ers?|nebs|steroids?|"
    r"steroid\s+creams?|biologics?|infusions?|injections?|jabs|pens|dmts?|immunosuppressants?|"
    r"(?:blue|brown|purple|orange|pink|white|yellow|red|green)\s+(?:one|inhaler|pill|pills)|"
    r"water\s+(?:pills|tablets)|antidepressants?|antipsychotics?|mood\s+stabili[sz]ers?|"
    r"blood\s+thinners?|statins?|"
    r"prescriptions?|dialysis|oxygen|concentrator|cpap|bipap|chemo|patch(?:es)?|eye\s*drops|treatments?|"
    r"arvs?|ppis?|ssris?|snris?|nsaids?|dmards?|triptans?|beta\s+blockers?|ace\s+inhibitors?|"
    r"diuretics?|painkillers?|opioids?|enzymes|drugs|sprays?|creams?|ointments?|" + alt("prednisone", "methotrexate",
                                                                      "levothyroxine", "hydroxychloroquine",
                                                                      "low dose naltrexone")
)
_REMEDIES = (
    r"cinnamon|berberine|turmeric|curcumin|magnesium(?:\s+\w+)?|vitamin\s+[a-e]\d*|fish\s+oil|omega[\s-]?3s?|"
    r"john'?s\s+wort|cbd(?:\s+oil|\s+gummies)?|ashwagandha|apple\s+cider\s+vinegar|acv|vinegar|"
    r"garlic|ginger|elderberry|echinacea|feverfew|riboflavin|coq10|probiotics?|collagen|sea\s+moss|"
    r"nattokinase|serrapeptase|colloidal\s+silver|kratom|kombucha|celery(?:\s+juice)?|juicing|"
    r"chlorella|spirulina|moringa|black\s+seed\s+oil|oregano\s+oil|frankincense|essential\s+oils?|"
    r"boswellia|quercetin|theanine|zinc|iron\s+supplements?|salt\s+tablets|electrolytes|"
    r"baking\s+soda|bicarbonate|cherry\s+juice|bone\s+broth|aloe\s+vera|slippery\s+elm|"
    r"peppermint\s+oil|reishi|lion'?s\s+mane|mushrooms?|herbs|herbal(?:\s+\w+)?|roots|"
    r"natural\s+(?:remedies|remedy|protocol|cure)|homeopath\w*|ayurved\w*|cannabis|weed|"
    r"marijuana|thc|psilocybin|microdos\w*|hydrogen\s+water|alkaline\s+water|detox|cleanse|"
    r"enemas?|ozone|chelation|stem\s+cells?(?:\s+clinic)?|(?:fecal|faecal|poo|stool)\s+transplant|fmt|"
    r"raw\s+milk|epsom\s+salts?|honey|coconut\s+oil|castor\s+oil|sunlight|sun\s+exposure|feverfew|"
    r"keto(?:genic)?|carnivore|paleo|aip|autoimmune\s+protocol|vegan|plant[\s-]based|"
    r"(?:gluten|dairy|sugar)[\s-]free(?!\s+(?:bread|pasta|options?|food|snacks?|aisle|menu|version|beer|cakes?|biscuits?|pizza|range))|"
    r"low[\s-]carb|zero[\s-]carb|"
    r"intermittent\s+fasting|fasting|(?:water|juice|dry)\s+fast|omad|18:6|16:8|wahls(?:\s+protocol)?|"
    r"coimbra(?:\s+protocol)?|elimination\s+diet|scd|specific\s+carbohydrate\s+diet|gaps\s+diet|"
    r"raw\s+(?:food|vegan)|nightshades|juice\s+cleanse|"
    r"cold\s+plunges?|ice\s+baths?|cold\s+showers?|wim\s+hof|breathing\s+(?:exercises|method|technique|course)|"
    r"buteyko|grounding|earthing|yoga|tai\s+chi|red\s+light(?:\s+therapy)?|salt\s+(?:pipe|therapy|room)|"
    r"ldn|low\s+dose\s+naltrexone|supplements?|"
    r"(?:detox|slimming|skinny|hormone[\s-]*balancing|balancing|herbal|healing|weight[\s-]loss)\s+teas?|"
    r"(?:cut(?:ting)?\s+out|ditch(?:ing|ed)?|giv(?:e|ing)\s+up|gave\s+up|eliminat\w+|avoid(?:ing)?|quit(?:ting)?|" + after("no") + r"more)\s+"
    r"(?:all\s+)?(?:dairy|gluten|sugar|carbs|meat|red\s+meat|nightshades|lectins|caffeine|processed\s+foods?|grains|wheat|salt|fodmaps|"
    r"alcohol|booze|coffee)|"
    r"(?:stop(?:ped|ping)?|quit(?:ting)?|gave\s+up|give\s+up|giving\s+up|cut(?:ting)?\s+down\s+on)\s+(?:drinking|smoking|vaping)|"
    r"halotherapy|mouth\s+tap(?:e|ing)|tens\s+machine|breathing\s+through\s+a\s+straw|soak"
)
_QUANTITY = (
    r"\b(?:more|extra|less|fewer|\d[\d.,]*\s*(?:l|litres?|liters?|ml|g|grams?|mg|glasses|cups|"
    r"bottles|tsp|teaspoons?|tbsp|tablespoons?|servings?))\s+(?:of\s+)?(?:\w+\s+)?"
    r"(?:salt|sodium|water|fluids?|potassium|sugar|carbs?|protein|electrolytes|caffeine)"
    r"|(?:fluids?|salt|sodium|water)\s+(?:intake\s+)?(?:to|down\s+to|under|below)\s+\d"
    r"|\bdrink\s+\d[\d.,]*\s*(?:l|litres?|liters?)"
)
_TREATMENTS = RuleSet([("drug", alt) for alt in split_group(r"\b(?:" + _TREATMENT_NOUNS + r")\b")] +
                      [("remedy", alt) for alt in split_group(r"\b(?:" + _REMEDIES + r")\b")] +
                      [("remedy", alt) for part in alternatives(_QUANTITY) for alt in split_group(part)])

# Change events. Group names say which family matched; "adopt" and "claim" count only for
# remedies and diets (starting a prescription drug is normally the prescriber's doing).
_CHANGE_FAMILIES = [
    ("stop", r"\b(?:stop(?:s|ped|ping)?|quit(?:s|ting)?|ditch(?:ed|ing|es)?|drop(?:s|ped|ping)?|"
    r"bin(?:ned)?|dump(?:ed)?|(?:came|come|coming|get|gets|got|getting|go|went|going|gone)\s+off\b(?:\s+of)?|"
    r"get\s+rid\s+of|gave\s+up|give\s+up|giving\s+up|thr[eo]w(?:n|ing)?\s+(?:\w+\s+){0,3}?(?:away|out)|"
    r"wean(?:ed|ing)?(?:\s+\w+)?\s+off|taper(?:ed|ing)?|skip(?:s|ped|ping)?|"
    r"not\s+(?:taking|refilling|filling|using|use)|no\s+longer\s+(?:take|takes|taking|use|need)|"
    r"haven'?t\s+(?:taken|used|had)\s+(?:it|them|mine|any)|"
    r"(?:don'?t|do\s+not|never|won'?t|will\s+not)\s+(?:bother|need|use)\b|(?:don'?t|do\s+not)\s+take(?!\s+more\s+than)|"
    r"no\s+need\s+for|no\s+more|without\s+(?:any\s+)?(?:meds|medications?|medicine|pills|insulin|drugs|steroids|"
    r"inhalers|treatment)|forget\s+(?:the|about)|stop\s+wasting|want\s+off|"
    r"(?:don'?t|never)\s+let\s+(?:them|anyone|your\s+\w+|the\s+\w+)\s+(?:put|start)\s+you\s+on|"
    r"before\s+you\s+let\s+(?:them|anyone)\s+put\s+you\s+on|off\s+(?:all\s+)?(?:my|the|your)\s+meds|"
    r"say\s+no\s+to|cold\s+turkey|leave\s+(?:\w+\s+){0,3}?off|(?:go|went|going|do|manage|managing)\s+without)\b"),
    ("reduce", r"\b(?:cut(?:s|ting)?(?:\s+(?:back|down|out))?|halv(?:e|ed|es|ing)|" + after("in") + r"half|"
    r"lower(?:ed|ing)?|reduc(?:e|ed|es|ing)|decreas(?:e|ed|ing)|less\s+often|" + after("every") + r"other\s+day|"
    r"only\s+(?:take|use|wear|do|need)\w*|space[ds]?\s+(?:\w+\s+){0,2}?out|spacing|"
    r"push(?:ed|ing)?\s+(?:\w+\s+){0,3}?(?:out|back)|stretch(?:ed|ing)?|extend(?:ed|ing)?)\b"),
    ("increase", r"\b(?:doubl(?:e|ed|es|ing)(?![\s-]+(?:check|checked|checking|booked|book|vision|jointed|chin|bed|shift|decker))(?:\s+up)?|tripl(?:e|ed|ing)|up(?:ped|ping)|"
    r"up\s+(?:my|your|ur|the|it|them)|bump(?:ed|ing)?\s+(?:\w+\s+){0,3}?up|increas(?:e|ed|ing)|extra|"
    r"second\s+(?:one|dose|pill|tablet)|take\s+both|\d+\s+puffs|another\s+(?:one|dose|pill)|"
    r"" + after("on") + r"top\s+of)\b"),
    ("switch", r"\b(?:switch(?:ed|ing|es)?|swap(?:ped|ping|s)?|replac(?:e|ed|es|ing)|instead\s+of|"
    r"instead|substitut\w*|traded)\b"),
    ("borrow", r"\b(?:us(?:e|ed|ing)|tak(?:e|en|ing)|took|borrow(?:ed|ing)?|nick(?:ed|ing)?|stole|stealing)\s+"
    r"(?:some\s+of\s+)?(?:my\s+|our\s+|his\s+|her\s+|a\s+|the\s+)?(?:[a-z]+(?:-in-law)?'s|someone\s+else'?s|other\s+people'?s|"
    r"leftover|spare|old)\s"),
    ("compare", r"\b(?:better\s+than|than\s+any|beats?\s+(?:every|any|all|the)|more\s+(?:for\s+\w+\s+\w+\s+)?than\s+(?:any|the)|"
    r"does\s+the\s+same\s+(?:job|thing)|works\s+the\s+same|same\s+(?:job|effect))\b"),
    ("claim", r"\b(?:cured?|cures|cured|fix(?:ed|es)?|revers(?:e|ed|es)|heal(?:ed|s)?|cleared|"
    r"beat|got\s+rid|put\s+(?:\w+\s+){0,3}?in(?:to)?\s+remission|lower(?:s|ed)\s+(?:my|your|ur)|"
    r"brought\s+(?:\w+\s+){0,4}?down|changed\s+my\s+life|game\s+changer|done\s+more\s+for|"
    r"works?\s+better|did\s+wonders|saved\s+me|only\s+thing\s+that\s+works|nature'?s|"
    r"" + after("is", "are") + r"(?:great|amazing)\s+for|" + after("is a", "are a") + r"must\s+for|helps?\s+with)\b"),
    ("adopt", r"\b(?:try(?:ing)?|tried|go(?:ing)?|went|gone|start(?:ed|ing)?|add(?:ed|ing)?|"
    r"switched\s+to|juic(?:e|ed|ing)|doing|do|take|use|eat|drink|have(?!\s+to\b)|look\s+into|recommend|"
    r"swear\s+by|worth\s+a\s+(?:shot|try|go)|give\s+it\s+a\s+go)\b"),
    ("quantity", r"" + _QUANTITY + r""),
]
# each alternative on its own, so only the few that start with a digit are searched everywhere
_REMEDY_ONLY = ("adopt", "claim", "quantity")
_CHANGE = RuleSet([(family, alt) for family, pattern in _CHANGE_FAMILIES if family not in _REMEDY_ONLY
                   for alt in split_group(pattern)])
# "try", "go", "take", "do" count only for remedies and diets: searched near those alone
_ADOPT = RuleSet([(family, alt) for family, pattern in _CHANGE_FAMILIES if family in _REMEDY_ONLY
                  for alt in split_group(pattern)])
_ADOPT_SELF = re.compile(r"(?:start(?:ed|ing)?|add(?:ed|ing)?|switched\s+to|tried|trying|went|gone|"
                         r"juic(?:e|ed|ing)|swear\s+by|recommend|look\s+into|worth)\b")
_PRONOUN_OBJECT = re.compile(
    r"(?:\s+(?:to|with|on|off|of|up|out|taking|using|stay|staying|be|being|keep|keeping|bother))*"
    r"\s*(?:(?:it|them|mine|yours|his|hers|theirs|this|that|these|those|one)\b|(?:my|your|ur)\s+(?:dose|one)\b)")
_NEGATED_CHANGE = re.compile(
    r"\b(?:never|not|don'?t|do\s+not|didn'?t|did\s+not|won'?t|wouldn'?t|would\s+not|shouldn'?t|"
    r"can'?t|cannot|no\s+intention\s+of|not\s+planning\s+to|refuse\s+to)\s+(?:\w+\s+){0,3}?$")
_IMPOSED = re.compile(
    r"\b(?:pharmacy|pharmacist|chemist|insurance|insurer|insurance\s+company|formulary|nhs|medicare|"
    r"medicaid|plan|supplier|manufacturer|shortage|recall)\b(?:\s+\w+){0,3}?\s+"
    r"(?:switched|swapped|changed|substituted|forced|made|stopped|denied|replaced|won'?t|wouldn'?t|"
    r"refused|dropped|ran\s+out)|\b(?:forced|made)\s+(?:me|us)\s+(?:to\s+)?switch|\bshortage\b|\bout\s+of\s+stock\b")
_REPORTED = re.compile(r"\b(?:study|studies|trial|trials|research|paper|data|evidence|article|review|meta-analysis)\s+"
                       r"(?:\w+\s+){0,2}?(?:showed|shows|found|finds|suggests?|says|reports?)\b")
_QUOTED = re.compile(r"\"[^\"]{2,200}\"|(?<![a-z])'[^']{2,120}'(?![a-z])|\u201c[^\u201d]{2,200}\u201d")
_UNFAVOURABLE = re.compile(
    r"\b(?:didn'?t|did\s+not|doesn'?t|does\s+not|never)\s+(?:help|work|do\s+(?:anything|much|a\s+thing))|\bno\s+difference\b|"
    r"\bmade\s+(?:it|me|things|everything)\s+worse\b|\bwaste\s+of\s+(?:time|money)\b|\bdid\s+nothing\b")
_ABANDONED = re.compile(r"\b(?:was|were)\s+(?:going|gonna|about|planning|thinking|tempted|considering)\b|\b(?:almost|nearly)\s+$")
_CONTRAST = re.compile(r"\b(?:but|however|anyway|although|though|even\s+though|still)\b")

_IMPERATIVE_VERBS = (
    r"stop|quit|skip|ditch|drop|cut|halve|double|reduce|lower|taper|wean|swap|switch|replace|"
    r"forget|get\s+off|come\s+off|throw|bin|space|push|stretch|up|bump|increase|take|try|go|do|"
    r"use|eat|drink|add|avoid|don'?t|never|ignore|look\s+into|start|have|get|give\s+it|skip"
)
_IMPERATIVE = compile_imperative(_IMPERATIVE_VERBS)
_IMPERATIVE_INSIDE = re.compile(r"\b(?:just|simply|then)\s+(?:" + _IMPERATIVE_VERBS + r")\b")
_OTHER_SUBJECT = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:(?:my|our|his|her)\s+)?(?:mum|mom|mother|dad|father|husband|wife|partner|sister|"
    r"brother|son|daughter|friend|aunt|uncle|gran|grandma|grandad|grandpa|cousin|neighbou?r|"
    r"boyfriend|girlfriend|kid|child|colleague)|^\s*(?:he|she|they)\b")

# High-risk advice (§3.3 "dangerous-advice" lexicon): the reason says so for moderators.
_HIGH_RISK = re.compile(
    r"\b(?:insulin|lantus|tresiba|levemir|basal|keppra|lamotrigine|lamictal|tegretol|depakote|"
    r"epilim|seizure\s+meds|warfarin|eliquis|xarelto|apixaban|blood\s+thinners?|tacrolimus|"
    r"prednisone|pred|prednisolone|steroids?|opioids?|oxycodone|morphine|someone\s+else'?s|"
    r"\w+'s\s+(?:leftover|spare))\b")


_MODEL_ADVICE = re.compile(
    r"\bdo\s+the\s+same\b|\btell\s+(?:your|ur)\s+\w+\s+to\b|\b(?:you|u)\s+(?:should|could|can)\s+(?:too|as\s+well)\b"
    r"|\bso\s+should\s+(?:you|u)\b")
_SELF_SUBJECT = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|we|we'?re|we'?ve)\b")
_WE = re.compile(r"\bwe(?:'re|'ve|\s+are|\s+have|\s+will)?\b")
# "A promotion that claims a product helps a condition" (MODERATION.md): a claim about a
# condition in a post that sells.
_COMMERCE = RuleSet([("commerce", alt) for alt in split_group(
    r"\b(?:code\s+[a-z0-9]+|\d+\s*%\s*off|order|buy|shop|link\s+(?:in|below)|ebook|dm\s+me|sign\s+up|"
    r"get\s+yours|paypal|whatsapp|telegram|contact\s+(?:him|her|them|us|me)|price|discount|masterclass|shipping|"
    r"free\s+sample|book\s+(?:your|a|now)|our\s+(?:clinic|product|supplement|formula|program|programme|course|tea|shop))\b")] +
                    [("commerce", r"[$£€]\s?\d")])
_PROMO_CLAIM = RuleSet([("claim", alt) for alt in alternatives(
    r"\b(?:great|amazing|perfect|must|answer)\s+for\s+(?:\w+\s+){0,2}?(?:" + CONDITION + r")\b"
    r"|\b(?:cures?|cured|reverses?|reversed|heals?|healed|treats?|fix(?:es|ed)?|eliminates?|"
    r"say\s+goodbye\s+to|get\s+rid\s+of|changed\s+my\s+life|helps?\s+with)\s+(?:\w+\s+){0,3}?(?:" + CONDITION + r")\b"
    r"|\b(?:reverse|beat|heal|cure|fix)\w*\s+(?:\w+\s+){0,3}?(?:naturally|for\s+good|forever|in\s+\d+\s+days)\b"
    r"|\b(?:cured|healed)\s+(?:of|my|me)\b|\blose\s+\d+\s*(?:pounds|lbs|kg|kilos|stone)\b"
    r"|\banti[\s-]?inflammatory\b|\bimmune[\s-]?boost\w*|\bhormone[\s-]?balanc\w*|\bblood[\s-]sugar\s+(?:support|balance|control)\b"
    r"|\b(?:treatment|therapy|cure|remedy|relief|solution|supplements?|teas?|pills|gummies|oils?|formula|blend|protocol)"
    r"\s+for\s+(?:\w+\s+){0,2}?(?:" + CONDITION + r")\b")])


# (run on a clause or a sentence, which mostly holds none of the literals these need)
(_IMPOSED, _REPORTED, _UNFAVOURABLE, _ABANDONED, _CONTRAST, _IMPERATIVE_INSIDE, _HIGH_RISK, _MODEL_ADVICE) = map(
    gate, (_IMPOSED, _REPORTED, _UNFAVOURABLE, _ABANDONED, _CONTRAST, _IMPERATIVE_INSIDE, _HIGH_RISK, _MODEL_ADVICE))


def _model_advice(low):
    return _MODEL_ADVICE.search(low) is not None


def _quote_marks(low):
    """Where a `_QUOTED` match can start: each of its branches opens with a quote mark (`re`
    would try every character, as one branch starts with a lookbehind)."""
    found = []
    for mark in "\"'\u201c":
        i = low.find(mark)
        while i >= 0:
            found.append(i)
            i = low.find(mark, i + 1)
    return sorted(found)


def _in(spans, start, end):
    """The spans (sorted) inside [start, end]: found by bisection, as one is asked for each
    change word (a scan of all of them made k changes and k treatments cost O(k^2))."""
    lo, hi = bisect.bisect_left(spans, (start,)), bisect.bisect_left(spans, (end + 1,))
    return [t for t in spans[lo:hi] if t[1] <= end]


def _inside(ranges, pos):
    """Whether pos is in one of `ranges` (sorted, disjoint [a, b) pairs)."""
    k = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
    return k >= 0 and ranges[k][0] <= pos < ranges[k][1]


def _antecedents(doc, pos, tx_all):
    """Treatments named earlier in the sentence or in the two sentences before it."""
    s_start, _ = doc.sentence_at(pos)
    return _in(tx_all, s_start - len(doc.previous_sentences(pos)), pos)


def _candidate_ranges(doc, tx_all):
    """Sentences holding a treatment, and the two after each (for "stopped it" and the like):
    [start, end] ranges, in order, each yielded once it is complete."""
    current = None
    s_start = own_end = 0
    for start, _, _, _ in tx_all:
        if s_start <= start < own_end:
            continue        # (sorted) in the sentence of the one before: its range is there already
        s_start, own_end, s_end = doc.sentences_from(start, 2)
        if current and s_start <= current[1]:
            current[1] = max(current[1], s_end)
        else:
            if current:
                yield current
            current = [s_start, s_end]
    if current:
        yield current


def _is_advice(clause, mods, who):
    if "advice" in mods or _IMPERATIVE.match(clause):
        return True
    return _IMPERATIVE_INSIDE.search(clause) is not None and ("self" not in who or "reader" in who)


def _other_subject(clause, rel):
    """A relative (not the writer) is the subject of the change at `rel` in the clause."""
    m = _OTHER_SUBJECT.match(clause)
    return m is not None and not _SELF_SUBJECT.search(clause, m.end(), rel)


_NEAR = 7


def _words_between(low, m, t):
    a, b = (m[1], t[0]) if m[1] <= t[0] else (t[1], m[0])
    return low.count(" ", a, b) if a < b else 0


def _memo(doc, feature, text):
    """A clause feature, computed once per post (several change words may share a clause)."""
    cache = doc.__dict__.setdefault("_features", {})
    key = (feature, text)
    if key not in cache:
        cache[key] = feature(text)
    return cache[key]


def _decide(doc, clause, cs, m, family, kinds):
    """m is (start, end, matched text) of the change event."""
    """'advice', 'self', 'question' or 'other' (a relative's change) when it counts, else None."""
    mods = _memo(doc, modality, clause)
    who = _memo(doc, actors, clause)
    head = clause[:m[0] - cs]
    negated = (_NEGATED_CHANGE.search(head) is not None
               and not m[2].startswith(("don", "do ", "never", "not ", "no ")))
    other = _other_subject(clause, m[0] - cs)
    if _is_advice(clause, mods, who) and not other:
        if negated or "cautionary" in mods:
            return None            # "please don't stop your seizure meds"
        if "clinician" in who and "reader" not in who:
            return None            # "my rheum said to just stop the pred"
        return "advice"
    sentence = doc.sentence(cs)
    if "clinician" in who and not own_initiative(clause):
        return None
    if "clinician" in _memo(doc, actors, sentence) and not own_initiative(clause) and not _CONTRAST.search(sentence):
        return None
    if _IMPOSED.search(sentence) or _REPORTED.search(clause) or negated:
        return None
    if mods & {"ask_clinician", "hypothetical", "cautionary"}:
        return None
    question = "question" in mods
    _, s_end = doc.sentence_at(cs)
    following = doc.sentence(s_end + 1) if s_end < len(doc.low) else ""
    if not question and "intent" not in mods and (CAUTION.search(sentence) or CAUTION.search(following)):
        return None
    if _WE.search(head) and "clinician" in actors(doc.previous_sentences(cs, 1) + sentence):
        return None                # "we're switching to Ocrevus" after a visit to the neurologist
    if other and not question:
        return "other"
    if family in _REMEDY_ONLY and "remedy" not in kinds:
        return None
    if _ABANDONED.search(head) or (family in ("adopt", "claim") and _UNFAVOURABLE.search(sentence)):
        return None                # "I was going to stop it but...", "tried yoga, didn't help"
    if family == "claim" and "self" not in who:
        return None                # "the study showed berberine lowered A1c": a report, not a change
    if family == "adopt" and not _ADOPT_SELF.match(m[2]) and not question:
        return None                # "I take magnesium every morning": a routine, not a change
    return "question" if question else "self"


_WHAT = {"advice": "advice to others to change", "self": "self-directed change of",
         "question": "question about changing on one's own", "other": "a relative's change offered as a model:"}


def _blank(text, spans):
    """The text with the (sorted, disjoint) spans made spaces, in one pass."""
    parts, last = [], 0
    for a, b in spans:
        parts += [text[last:a], " " * (b - a)]
        last = b
    return "".join(parts) + text[last:]


# A long post's first range (see `_candidate_ranges`) is first read from the drug names in its
# first characters alone, when no later treatment can join it: its first change near a
# treatment usually decides, and finding every drug name in a long post costs more.
_HEAD = 1000


_ES_HINT = re.compile(r"[áéíóúñ¿¡]|\b(?:que|el|la|los|las|mi|por|con|para|ya|tengo|estoy|me|se|lo|dej\w+)\b")
# Treatments named in Spanish (drug names are the dictionary's, in any language).
_TREATMENT_ES = re.compile(
    r"\b(?:pastillas?|pastis|medicaci[oó]n|medicamentos?|medicinas?|tratamientos?|dosis|insulina|inhalador\w*|parches?|"
    r"dieta|ayunos?|pauta|c[aá]psulas?|comprimidos?|gotas|cremas?|inyecci\w+|plumas|di[aá]lisis|basal|suplementos?|"
    r"t[eé]s?|hierbas|herbolari\w*|miel|aceite|c[eé]lulas\s+madre|qu[ií]mica|quimio|vacunas?|antibi[oó]ticos?|"
    r"corticoides?|pomadas?|jarabes?|sobres?|calmantes|analg[eé]sicos?|antidepresivos?|ansiol[ií]ticos?|keto|gluten|"
    r"l[aá]cteos|az[uú]car|ejercicios?|gimnasio|receta|trasplante|terapia|cbd|gomitas|vitaminas?|remedios?)\b")


# Spanish: a change made or urged by the author (the English clause rules above do not read Spanish),
# in a sentence that names a treatment, unless a clinician made or approved it or it is denied.
_CHANGE_ES = re.compile(
    r"\b(?<!me\s)(?<!le\s)(?<!te\s)(?:dej(?:[eé]|o|ar|ad|en|a|aron|amos|ó)(?!\s+de\s+(?!tomar|usar|poner|inyectar))|he\s+dejado|ha\s+dejado|hemos\s+dejado|dejarlo|dejarla|"
    r"(?:me|te|se|le)\s+(?:salto|salt[eé]|he\s+saltado|salta|saltes|saltas|quito|quit[eé]|he\s+quitado|bajo|baj[eé]|"
    r"subo|sub[ií]|estoy\s+(?:bajando|quitando|espaciando|subiendo)|estir[eé]|espacio|tomo\s+doble|tomo\s+\d+\s+\w+\s+en\s+vez)|"
    r"en\s+vez\s+de|en\s+lugar\s+de|por\s+(?:mi|su|tu)\s+cuenta|yo\s+sola|yo\s+solit[oa]|sin\s+(?:dec[ií]rselo|consultar|"
    r"decirle\s+nada|preguntar|avisar|pedir\s+cita|que\s+lo\s+sepa)|espaci(?:o|ando|ar)|estir(?:o|ando|ar)|doble\s+(?:de\s+)?dosis|"
    r"duplic(?:a|ar|arla|arlo)|tirad|tira\s+(?:las|los|el|la)|tir[eé]\s+(?:las|los|el|la)|ya\s+no\s+(?:me\s+)?(?:pongo|tomo|uso|voy)|"
    r"no\s+(?:pienso\s+volver|vuelvo)\s+a|no\s+te\s+hace\s+falta|deber[ií]as|haz\s+lo\s+mismo|hac(?:edla|edlo|ed)|"
    r"prueb(?:a|ad|en|e)\b|t[oó]mate|c[aá]mbiate|qu[ií]tate|b[aá]jate|s[uú]bete|me\s+cambi[eé]|cambi[eé]\s+(?:el|la|los|las|mi)|"
    r"compr[eé]\s+(?:unas?|unos?)|me\s+cur[oó]|se\s+me\s+quit[oó]|me\s+quit[oó]\s+la\s+medicaci[oó]n|"
    r"me\s+voy\s+a\s+tomar\s+doble|no\s+le\s+doy|ya\s+no\s+le\s+doy|un\s+traguito\s+de)\b")
_CLINICIAN_ES = re.compile(
    r"\b(?:m[eé]dic[oa]|doctor[a]?|doc|reumat[oó]log[oa]|endocrin[oa]|endocrin[oó]log[oa]|nefr[oó]log[oa]|neur[oó]log[oa]|"
    r"cardi[oó]log[oa]|psiquiatra|enfermer[oa]|farmac[eé]utic[oa]|dietista|onc[oó]log[oa]|cabecera|especialista|"
    r"hemat[oó]log[oa]|neum[oó]log[oa]|digestiv[oa]|ginec[oó]log[oa]|fisio|equipo|reuma|gastro|nefro|neuro|endo|"
    r"psiquiatr[ií]a|nefrolog[ií]a)\b[^.!?]{0,40}?\b(?:me|le|nos|te)\s+"
    r"(?:baj[oó]|subi[oó]|cambi[oó]|quit[oó]|dijo|mand[oó]|recet[oó]|dej[oó]|paut[oó]|recomend[oó]|autoriz[oó]|ha\s+\w+|"
    r"tiene|puso|ajust[oó]|retir[oó]|suspendi[oó]|pas[oó])|\bpregunt\w*\s+a\s+(?:mi|la|el)\s+\w+\s+si\b|"
    r"\bdecidido\s+con\s+su\b|\bpregunt\w*\s+a\s+(?:la|el|mi)\s+(?:farmac[eé]utic[oa]|m[eé]dic[oa]|doctor[a]?|enfermer[oa])\b|\bpaliativ\w*|\bla\s+bajamos\b|\bcon\s+(?:mi|el|la)\s+(?:m[eé]dic[oa]|doctor[a]?|reumat[oó]log[oa]|"
    r"endocrin[oa]|equipo|psiquiatra|especialista)\b|\blo\s+habl[eé]\s+con\b|\bcomo\s+me\s+(?:dijo|calcul[oó]|mand[oó])\b")
_DENIED_ES = re.compile(r"\b(?:jam[aá]s|nunca)\s+(?:\w+\s+){0,2}?(?:dejar[ií]a|cambiar[ií]a|saltar[ií]a|har[ií]a)\b|"
                        r"\bni\s+(?:loca|loco|de\s+broma|muert[oa])\b|\bno\s+(?:la|lo|las|los)\s+voy\s+a\s+dejar\b|"
                        r"\ba\s+no\s+(?:dejar|saltar|cambiar|tocar)\b|\bsin\s+receta\b|"
                        r"\bno\s+(?:dej[eé]is|dejes|dejen|cambies|os\s+salt[eé]is)\b|\bno\s+lo\s+hag(?:as|[aá]is|an)\b")
_ADVICE_ES = re.compile(r"\b(?:deber[ií]as|haz\s+lo\s+mismo|t[uú]\s+tambi[eé]n|hacedla|hacedlo|pru[eé]ba(?:lo|la)?|"
                        r"investíguenlo|investiguenlo)\b")


def _spanish(doc):
    low = doc.low
    if not _TREATMENT_ES.search(low) and not (doc.index().words & drugs.names()):
        return None
    for m in _CHANGE_ES.finditer(low):
        s_start, s_end = doc.sentence_at(m.start())
        sentence = low[s_start:s_end]
        # the treatment close by: after the change, or just before it ("la dejé", "el Eliquis por")
        # (dejar's object follows it: "dejé el omeprazol", not "mi hija tiene que dejar el trabajo")
        before = 0 if low.startswith("dej", m.start()) else 40
        near = low[max(s_start, m.start() - before):min(s_end, m.end() + (25 if before == 0 else 50))]
        if not (_TREATMENT_ES.search(near) or drugs.find(near)):
            continue
        if _DENIED_ES.search(sentence) or (_CLINICIAN_ES.search(sentence) and not _ADVICE_ES.search(sentence)):
            continue
        return FilterVerdict(NAME, (NAME,), ("notice:consult_reminder",), (Span(*doc.raw_span(m.start(), m.end()), "change"),),
                             ("a self-directed change to a treatment (Spanish)",))
    return None


def mentions_treatment(doc):
    """Whether the text names a medicine, treatment, remedy or diet at all (cheap: the word index),
    without which no change to one can be told."""
    index = doc.index()
    return bool(_TREATMENTS.may_match(index) or index.words & drugs.names() or index.words & drugs._first_words()
                or _TREATMENT_ES.search(doc.low))


def _check(doc):
    low = doc.low
    index = doc.index()
    if not _CHANGE.may_match(index) and not _ADOPT.may_match(index):
        return _promotion(doc)     # no change word anywhere
    if not _TREATMENTS.may_match(index) and not (index.words & drugs.names() or index.words & drugs._first_words()):
        return _promotion(doc)     # no treatment named: nothing to change
    # an apostrophe opens a quote only after a space ("hear 'have you tried yoga'"), not in "i'm"
    has_quotes = '"' in low or " '" in low or low.startswith("'") or "\u201c" in low
    quoted = [(q.start(), q.end()) for q in matches_at(_QUOTED, low, _quote_marks(low))] if has_quotes else []
    text = _blank(low, quoted) if quoted else low

    def outside(found):
        return [t for t in found if not _inside(quoted, t[0])]

    named = None            # the treatment nouns and remedies of the whole post, when needed
    decided, first_done = set(), False
    names = drugs.candidates(low, index.words)
    if len(low) > _HEAD:
        head_named = [(a, b, low[a:b], kind) for a, b, kind in
                      _TREATMENTS.find(low, index, within=[(0, _HEAD)], until=_HEAD) if a < _HEAD]
        head_named = outside(head_named)
        # (with a remedy here, the post has one: no need to find the others yet)
        if any(t[3] == "remedy" for t in head_named):
            remedies = True
        else:
            named = outside([(a, b, low[a:b], kind) for a, b, kind in doc.scan(_TREATMENTS)])
            remedies = any(t[3] == "remedy" for t in named)
        head = sorted(head_named + outside([(a, b, name, "drug") for a, b, name in
                                            drugs.find(low, before=_HEAD, found=names)]))
        ranges = _candidate_ranges(doc, head)
        first = next(ranges, None)
        # complete if a second range follows it, or if it ends before the sentence holding
        # _HEAD starts (a later treatment's range starts there or after)
        if first and (next(ranges, None) is not None or first[1] < doc.sentence_at(_HEAD)[0]):
            verdict = _in_ranges(doc, text, head, quoted, [first], decided, remedies)
            if verdict:
                return verdict
            first_done = True
    if named is None:
        named = outside([(a, b, low[a:b], kind) for a, b, kind in doc.scan(_TREATMENTS)])
    remedies = any(t[3] == "remedy" for t in named)
    tx_all = sorted(named + outside([(a, b, name, "drug") for a, b, name in drugs.find(low, found=names)]))
    if not tx_all:
        return _promotion(doc)
    verdict = _first_reminder(doc, text, tx_all, quoted, decided, remedies, first_done)
    return verdict or _promotion(doc)


def check(doc):
    verdict = _check(doc)
    if verdict.labels or not _ES_HINT.search(doc.low):
        return verdict
    return _spanish(doc) or verdict


def _first_reminder(doc, text, tx_all, quoted, decided, remedies, first_done):
    """The verdict for the first change near a treatment that earns a reminder, or None."""
    # The changes are read in the first range on its own, the second, then the rest: the first
    # change near a treatment usually decides, and finding every change in a long post costs more.
    ranges = _candidate_ranges(doc, tx_all)
    first = next(ranges)
    if not first_done:
        verdict = _in_ranges(doc, text, tx_all, quoted, [first], decided, remedies)
        if verdict:
            return verdict
    second = next(ranges, None)
    if second is None:
        return None
    verdict = _in_ranges(doc, text, tx_all, quoted, [second], decided, remedies)
    if verdict:
        return verdict
    rest = list(ranges)
    return _in_ranges(doc, text, tx_all, quoted, rest, decided, remedies) if rest else None


def _in_ranges(doc, text, tx_all, quoted, ranges, decided, remedies):
    """The verdict for the first change inside `ranges` (consecutive ones of the post) that
    earns a reminder, or None. `tx_all` holds at least the treatments named up to their end."""
    low, index = doc.low, doc.index()
    lo, hi = ranges[0][0], ranges[-1][1]
    changes = _CHANGE.find(low, index, within=ranges, until=hi)
    if remedies:
        remedy_ranges = _candidate_ranges(doc, [t for t in tx_all if t[3] == "remedy"])
        # ([(0, 0)]: no word-anchored match; an empty list would mean the whole text)
        within = [(max(a, lo), min(b, hi)) for a, b in remedy_ranges if a < hi and lo < b] or [(0, 0)]
        changes = sorted(changes + _ADOPT.find(low, index, within=within, until=hi))
    return _first_change(doc, text, tx_all, quoted, ranges, changes, decided)


def _first_change(doc, text, tx_all, quoted, ranges, changes, decided):
    """The verdict for the first of `changes` (sorted) inside `ranges` that earns a reminder."""
    low = doc.low
    r = 0
    for start, end, family in changes:
        while r < len(ranges) and ranges[r][1] <= start:
            r += 1
        if r == len(ranges):
            break
        if start < ranges[r][0] or _inside(quoted, start):
            continue
        cs, ce = doc.clause_at(start)
        if (cs, family) in decided:
            continue
        clause = text[cs:ce]
        tx = [t for t in _in(tx_all, cs, ce) if family not in _REMEDY_ONLY or t[3] == "remedy"]
        m = (start, end, low[start:end])
        # the treatment must be near the change: "switched pharmacies because ... prescriptions" is not a change of it
        tx = [t for t in tx if _words_between(low, m, t) <= _NEAR]
        if not tx and _PRONOUN_OBJECT.match(low, end):
            tx = [t for t in _antecedents(doc, start, tx_all) if family not in _REMEDY_ONLY or t[3] == "remedy"]
        if not tx:
            continue
        verdict = _decide(doc, clause, cs, m, family, {t[3] for t in tx})
        decided.add((cs, family))
        if verdict is None or (verdict == "other" and not _memo(doc, _model_advice, low)):
            continue
        name = next((t[2] for t in tx if t[3] == "drug"), tx[0][2])
        reasons = [f"{_WHAT[verdict]} a treatment ({name})"]
        if _HIGH_RISK.search(clause):
            reasons.append("high-risk treatment (insulin, antiseizure, anticoagulant, steroid, opioid "
                           "or someone else's medication)")
        spans = [Span(*doc.raw_span(start, end), "change")]
        spans += [Span(*doc.raw_span(t[0], t[1]), t[3]) for t in tx[:2]]
        return FilterVerdict(NAME, (NAME,), ("notice:consult_reminder",), tuple(spans), tuple(reasons))
    return None


def _promotion(doc):
    """A post that sells and claims its product treats a condition."""
    if not doc.has_match(_COMMERCE):
        return EMPTY
    claims = doc.scan(_PROMO_CLAIM)
    if not claims:
        return EMPTY
    a, b = doc.raw_span(claims[0][0], claims[0][1])
    return FilterVerdict(NAME, (NAME,), ("notice:consult_reminder",), (Span(a, b, "change"),),
                         ("promotion claiming a product treats a condition",))

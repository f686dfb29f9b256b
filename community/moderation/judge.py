"""judge: the rules' verdicts and the classifier's scores on one text, combined by the decision
rule of community/moderation/README.md. Pure (no database, no Flask): the worker, the composer's
check, the test box and `moderation classify` all judge through here."""
import re
from dataclasses import replace
from functools import lru_cache

from . import classifier, filters
from .filters import FilterVerdict, consult_reminder
from .filters.normalize import Text

# What a classifier label does when the rules found nothing: for crisis and consult, the same as
# the rule's own label; for spam and abuse, a moderator's look ("review"), never a hold or a
# rejection, which stay with the rules (links, lexicons, trust).
CLASSIFIER_ACTIONS = {
    "crisis": ("crisis_resources", "limit_members", "alert"),
    "consult_reminder": ("notice:consult_reminder",),
    "spam": ("review",),
    "abuse": ("review",),
}
REVIEW_LABELS = ("spam", "abuse")
# A crisis score from a text that touches no crisis topic must be higher: short first-person posts
# ("I would rather not say") lean on "I", "would" and "not" alone. Cross-validated: this gate
# keeps 98 % of the recall of none at 0.66 precision instead of 0.60.
NO_TOPIC_CRISIS = 0.3
QUICK_LABELS = ("crisis",)
MIN_WORDS = 4
_WORDS = re.compile(r"\w+")   # the composer's synchronous check: crisis (and the rules' identifiers)
# A crisis post that names when ("tonight", "on Friday", "after the kids leave") tells of a plan
# with a day, tier A, even with no method named (MODERATION.md §3.4): it is urgent.
_WHEN = re.compile(
    r"\b(?:tonight|today|tomorrow|this\s+(?:morning|afternoon|evening|weekend|week|friday|saturday|sunday|monday|"
    r"tuesday|wednesday|thursday)|(?:on|by|next|this\s+coming)\s+(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|the\s+\d{1,2}(?:st|nd|rd|th)?)|after\s+(?:the\s+kids|everyone|my\s+(?:wife|husband|partner)"
    r"|the\s+funeral|christmas|my\s+birthday)|when\s+(?:everyone|the\s+house|they(?:'re| are))\s+\w+|"
    r"at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?|esta\s+noche|hoy|mañana|este\s+fin\s+de\s+semana|el\s+(?:lunes|martes|"
    r"miércoles|miercoles|jueves|viernes|sábado|sabado|domingo))\b", re.I)


# What crisis posts are about: death, living, waking, ending, harm, means, goodbyes, burden, giving up.
_CRISIS_TOPIC = re.compile(
    r"\b(?:die|dying|died|dead|death|deaths|kill|killing|suicid\w*|(?:to|wanna|not|keep|go\s+on)\s+live|living|alive|"
    r"life|wake|waking|"
    r"sleep\w*|end|ends|ending|ended|over|gone|disappear\w*|exist\w*|vanish|leave|leaving|goodbye\w*|bye|letters?|"
    r"note|notes|burden|better\s+off|without\s+me|point|anymore|any\s+more|give\s+up|giving\s+up|gave\s+up|"
    r"done|enough|stockpil\w*|sav(?:e|ed|ing)|pills?|tablets?|meds?|medicines?|medication|insulin|overdose|od|"
    r"rope|bridge|gun|jump|cut|cuts|cutting|burn\w*|hurt\w*|harm\w*|blade|razor|bleed\w*|hit|hitting|scratch\w*|"
    r"stop\w*|quit\w*|kms|unalive|ctb|morir\w*|muert\w*|matar\w*|vivir|vida|despert\w*|dormir|acabar\w*|"
    r"terminar|desaparec\w*|carga|adi[oó]s|despedida|cartas?|pastillas|insulina|cortar\w*|cort[eé]|quemar\w*|"
    r"lastimar\w*|hacerme\s+da[nñ]o|dejar\w*|rendir\w*|suficiente|nada)\b", re.I)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).with_low_accuracy_mode().build()


# Words and letters that nearly every Spanish post has and English posts almost never do: a text
# with none of them is English without asking lingua, which is a fifth of a typical post's judging
# time. (On the training data: 1 of 975 Spanish posts had none, before "q", "desde" and "siento".)
_SPANISH_HINT = re.compile(
    r"[áéíóúñ¿¡ü]|\b(?:que|q|la|el|los|las|y|en|un|una|por|con|para|pero|yo|es|muy|tengo|estoy|soy|hoy|mas|"
    r"como|cuando|quiero|puedo|nada|todo|todos|bien|mal|porque|nunca|vida|dolor|ganas|de|del|al|le|su|sus|mis|"
    r"tu|te|ni|ya|lo|se|mi|esta|este|eso|esto|alguien|hace|hay|sin|solo|desde|siento|vivir|morir)\b", re.I)


def language(text):
    """"es" or "en", from the text itself (a community's locale says nothing about one post)."""
    head = text[:400]   # plenty for lingua, and a long post costs no more
    if _SPANISH_HINT.search(head) is None:
        return "en"
    found = _detector().detect_language_of(head)
    return "es" if found is not None and found.name == "SPANISH" else "en"


def thresholds():
    return classifier.model().meta["thresholds"]


def combine(decision, scores, labels=tuple(CLASSIFIER_ACTIONS), lang="en", text=None):
    """The rules' decision with the classifier's labels added where the rules found none.
    A crisis post found by either is urgent when the rules say tier A or T, or the urgent head
    is over its threshold; otherwise it goes to the check-in lane (decide)."""
    limits = thresholds()
    found = set(decision.labels)
    verdicts = list(decision.verdicts)
    added = []
    # A title or a reply of a few words gives the model too little to go on ("Inhalers" scored as
    # advice): the rules alone judge texts of fewer than MIN_WORDS words.
    too_short = text is not None and len(text) < 80 and len(_WORDS.findall(text)) < MIN_WORDS
    for label in labels:
        score = scores.get(label, 0.0)
        if too_short or label in found or score < limits[label]:
            continue
        if label == "crisis" and score < NO_TOPIC_CRISIS and text is not None and _CRISIS_TOPIC.search(text) is None:
            continue
        # advice about a change needs something to change: a medicine, treatment, remedy or diet
        # named (the rules' lists and the drug dictionary), or "use code SAVE20" reads as advice
        if label == "consult_reminder" and text is not None and not consult_reminder.mentions_treatment(Text(text)):
            continue
        added.append(label)
    review = [label for label in added if label in REVIEW_LABELS]
    if review:
        verdicts.append(FilterVerdict("classifier", tuple(review), ("review",), (), tuple(
            f"classifier: {label} {scores[label]:.2f}, for a moderator's look" for label in review)))
        # Contact details stay identifiers here: the classifier's spam is a guess for a moderator
        # to check ("e-mail me for the group" scores high), and a wrongly removed e-mail costs
        # less than a member's address left public. Spam the rules find takes them (filters).
    added = [label for label in added if label not in REVIEW_LABELS]
    actions = {a for label in added for a in CLASSIFIER_ACTIONS[label]}
    reasons = [f"classifier: {label.replace('_', ' ')} {scores[label]:.2f}" for label in added]
    crisis = "crisis" in found or "crisis" in added
    rules_urgent = "escalate_now" in decision.actions
    model_urgent = crisis and not rules_urgent and scores.get("crisis_urgent", 0.0) >= limits["crisis_urgent"]
    dated = crisis and not rules_urgent and not model_urgent and text is not None and _WHEN.search(text) is not None
    if model_urgent:
        actions.add("escalate_now")
        reasons.append(f"classifier: urgent {scores['crisis_urgent']:.2f}")
    if dated:
        actions.add("escalate_now")
        reasons.append("urgent: a plan with a day or time")
    if crisis and "crisis" not in added:
        reasons.append(f"classifier: crisis {scores.get('crisis', 0.0):.2f}")   # the score, for moderators
    if added or model_urgent or dated or crisis:
        verdicts.append(FilterVerdict("classifier", tuple(added), tuple(sorted(actions)), (), tuple(reasons)))
    merged = tuple(label for label in filters.LABELS if label in found or label in added or label in review)
    all_actions = set(decision.actions) | actions | ({"review"} if review else set())
    if crisis:
        all_actions.discard("reject_if_new")
    return replace(decision, labels=merged, actions=frozenset(all_actions), verdicts=tuple(verdicts),
                   scores=scores, language=lang)


# A post in Spanish is read for Spanish-speaking countries' phone numbers too, in any community
# (the five with the most speakers who write here: Spain, Mexico, the US, Argentina, Colombia).
SPANISH_REGIONS = ("ES", "MX", "US", "AR", "CO")


def _regions(regions, lang):
    return tuple(dict.fromkeys(regions + SPANISH_REGIONS)) if lang == "es" else regions


def judge(text, regions=filters.DEFAULT_REGIONS):
    """All filters and the classifier over one post (None for an empty text)."""
    if not text.strip():
        return None
    lang = language(text)
    return combine(filters.run_filters(text, regions=_regions(regions, lang)), classifier.scores(text), lang=lang,
                   text=text)


def quick(text, regions=filters.DEFAULT_REGIONS):
    """Crisis and identifiers: what the composer checks while the author waits."""
    if not text.strip():
        return filters.quick_check(text, regions=regions)
    lang = language(text)
    decision = filters.quick_check(text, regions=_regions(regions, lang))
    return combine(decision, classifier.scores(text), labels=QUICK_LABELS, lang=lang, text=text)

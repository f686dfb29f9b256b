"""Drug names for the treatment lexicon.

The names come from the `drug-named-entity-recognition` package (MIT; DrugBank, MeSH and
MedlinePlus brand and generic names, shipped inside its wheel). Importing that package builds
n-gram indexes and reads a cache in the home folder, so only its data file is read here, once
per process and only when a filter first needs it (well under a second, ~10 MB kept).
"""
import bz2
import gc
import importlib.util
import os
import pickle
import re
import threading

from .scan import matches_at

# Variants that are everyday words or phrases far more often than drug names in posts.
_NOT_DRUGS = frozenset("""
armin arvin caps fargo fras modus palin sits indicators fertilizers reagents sunscreen dona
angelica kendrick mirna all\x20clear far\x20go cough\x20out state\x20of\x20return man\x20whole
little\x20noses oral\x20defense clear\x20eyes ears\x20and\x20nose call\x20protein thank\x20protein
lets\x20proteins veto\x20centre dog\x20hair house\x20dust blood\x20group blood\x20groups
medical\x20air heavy\x20water mineral\x20water grain\x20alcohol domestic\x20dog\x20hair
was\x20protein\x20family yes\x20associated\x20proteins says\x20serum\x20institute hops tris
sone cera vitae oats aloe honey
""".replace("\\x20", " ").split())

# Names members use that the dictionary lacks (abbreviations and common classes).
_EXTRA = frozenset("""
pred mtx levo hcq ldn ppi ppis ssri ssris snri snris nsaid nsaids dmard dmards arv arvs dmt dmts
triptan triptans biologic biologics statin statins steroid steroids benzo benzos opioid opioids
oxy oxys percs xans bars tegretol keppra lamictal depakote epilim sinemet entresto farxiga
jardiance ozempic wegovy mounjaro trulicity victoza saxenda rybelsus tresiba lantus levemir
novorapid humalog fiasp toujeo basaglar ventolin symbicort seretide fostair spiriva trelegy
breo clenil qvar flixotide creon fampyra ocrevus kesimpta tecfidera copaxone tysabri gilenya
mavenclad aubagio vumerity lemtrada humira enbrel stelara entyvio remicade inflectra cimzia
simponi cosentyx taltz skyrizi tremfya rinvoq xeljanz olumiant otezla benlysta saphnelo
lupkynis dupixent nucala fasenra xolair aimovig ajovy emgality vyepti nurtec ubrelvy qulipta
eliquis xarelto pradaxa lixiana warfarin coumadin prolia forteo evenity trikafta kaftrio
dovonex enstilar midodrine mestinon vyvanse elvanse concerta
""".split())

# Everyday first words of multi-word dictionary entries ("all clear", "i 131", "go off"):
# a treatment would be named without them.
_NOT_FIRST = frozenset("""
i me my no go all very yes lets live man the a an to and of in on for with is it big bad true false
hot cold call far clear little whole plan met says saw ran sits thank quick knowing killed
laughing repeat reverse deadly normal pure wild sweet deep fresh soft hard slow safer trace bet
button car cart contact cool fancy flip floating giant hand holy lamp leak mate memo nate pres
repeat roof rough sand scan sex shave silk slam snap spotted stat tall tear tight trap tramp
twist vault washed witch yes agent advantage kitchen
best brilliant central common cross death first free full general group guide half heat high house
human local long morning post purple queen rock royal second sheep single small table third three
type wake white evening energy food hair period mixed angel blue brown black boots mother sting
dental emergency medical fatty water sleep sleeping blood cell brain lung liver skin weight kidney
sugar rice wine covid cancer lupus rheum neuro endo heavy muscle natural oral metallic
""".split())

_OK = re.compile(r"[a-z0-9][a-z0-9' -]*[a-z0-9]\Z")
_lock = threading.Lock()
_names = None


class _DataOnly(pickle.Unpickler):
    """The dictionary is plain dicts, lists and strings; refuse anything that names a class."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the drug dictionary")


def _read_dictionary():
    spec = importlib.util.find_spec("drug_named_entity_recognition")  # locates; does not import
    if spec is None or not spec.submodule_search_locations:
        return ""
    path = os.path.join(spec.submodule_search_locations[0], "drug_ner_dictionary.pkl.bz2")
    try:
        with bz2.open(path, "rb") as fh:
            data = _DataOnly(fh).load()
    except OSError:
        return ""
    variants = data.get("drug_variant_to_canonical", {})
    # One joined string: once the dictionary is freed its memory goes back whole, instead of
    # staying pinned by 70k small strings scattered through it.
    return "\n".join(v for v in variants if v.count(" ") <= 2 and _OK.match(v))


def names():
    """The set of drug names (lower case, at most three words)."""
    global _names
    if _names is None:
        with _lock:
            if _names is None:
                blob = _read_dictionary()
                gc.collect()
                found = set(blob.split("\n")) if blob else set()
                found.discard("")
                _names = frozenset((found - _NOT_DRUGS) | _EXTRA)
    return _names


_WORD = re.compile(r"[a-z0-9](?:[a-z0-9'\-]*[a-z0-9])?")
_LAB_CONTEXT = re.compile(r"\s*(?:levels?|count|readings?|results?|numbers?|was\s+(?:low|high)|is\s+(?:low|high)|deficien)")
_firsts = None


def _first_words():
    """First words of the multi-word names, so most words need no n-gram built at all."""
    global _firsts
    if _firsts is None:
        # a short or numeric first word ("at", "2", "u") is nearly always something else
        firsts = {name.split(" ", 1)[0] for name in names() if " " in name}
        _firsts = frozenset(w for w in firsts if len(w) >= 4 and w.isalpha()) - _NOT_FIRST
    return _firsts


_NEXT_TWO = re.compile(r"\s+([a-z0-9][a-z0-9'\-]*)(?:\s+([a-z0-9][a-z0-9'\-]*))?")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'-")


def _occurrences(s, word, before=None):
    """Where `word` stands as a word in `s` (starting before `before`, when given)."""
    limit = len(s) if before is None else before + len(word) - 1
    i = s.find(word, 0, limit)
    while i >= 0:
        end = i + len(word)
        if (i == 0 or s[i - 1] not in _WORD_CHARS) and (end == len(s) or s[end] not in _WORD_CHARS):
            yield i
        i = s.find(word, end, limit)


_HYPHEN = re.compile(r"[a-z0-9]-[a-z0-9]")      # cheap to scan for; the word is read around it
_HYPHEN_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def _dashes(s):
    i = s.find("-")
    while i >= 0:
        yield i
        i = s.find("-", i + 1)


_longest_name = None


def _longest():
    """The length of the longest one-word name or first word (see `candidates`)."""
    global _longest_name
    if _longest_name is None:
        _longest_name = max((len(w) for w in names() | _first_words() if " " not in w), default=0)
    return _longest_name


def candidates(s, words=None):
    """(singles, starts) for `find`: the words of `s` that are drug names, and those that
    start a multi-word one. `words`, when given, are the words of `s` already split (a set)."""
    lexicon, firsts = names(), _first_words()
    if words is None:
        present = set(_WORD.findall(s))
        return present & lexicon, present & firsts
    hyphenated = set()
    if "-" in s:
        # tried only around each "-" (the pattern's middle): `re` alone tries every letter
        for m in matches_at(_HYPHEN, s, (i - 1 for i in _dashes(s) if i)):
            start = m.start()
            while start and s[start - 1] in _WORD_CHARS and s[start - 1] != "-":
                start -= 1
            # read no further than the longest name: a chain "1-2-3-..." is read from each of
            # its dashes, and whole it would cost O(n) a dash; a longer word is no name anyway
            word = _HYPHEN_WORD.match(s, start, start + _longest() + 2)
            if word and len(word.group()) <= _longest():
                hyphenated.add(word.group())
    # (the two sets apart: copying `words` to add the hyphenated ones costs more)
    return (words & lexicon) | (hyphenated & lexicon), (words & firsts) | (hyphenated & firsts)


def find(s, offset=0, words=None, before=None, found=None):
    """Drug names in `s` as (start, end, name), longest match first, offsets plus `offset`.
    `words`, when given, are the words of `s` already split (a set); `found`, the result of
    `candidates(s, words)`, made once for several calls. With `before`, only the names that
    start before that index (the start of the whole result): words are searched for no further.

    A name followed by "levels", "count" and the like is a lab value, not a treatment."""
    lexicon = names()
    singles, starts = found or candidates(s, words)
    if not singles and not starts:
        return []
    hits = []
    for word in singles | starts:
        for i in _occurrences(s, word, before):
            end, name = i + len(word), None
            if word in starts:
                m = _NEXT_TWO.match(s, end)
                if m:
                    if m.group(2) and f"{word} {m.group(1)} {m.group(2)}" in lexicon:
                        end, name = m.end(), f"{word} {m.group(1)} {m.group(2)}"
                    elif f"{word} {m.group(1)}" in lexicon:
                        end, name = m.end(1), f"{word} {m.group(1)}"
            if name is None and word in singles:
                name = word
            if name and not _LAB_CONTEXT.match(s, end):
                hits.append((i, end, name))
    hits.sort(key=lambda h: (h[0], -h[1]))
    found, last = [], -1
    for start, end, name in hits:
        if start >= last:
            found.append((start + offset, end + offset, name))
            last = end
    return found

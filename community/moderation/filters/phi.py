"""phi: identifiers of the author or of another private person (MODERATION.md §3.4).

Detectors: phone numbers (`phonenumbers`, only where a run of 7+ digits exists), e-mail
(also "name [at] domain [dot] com"), street addresses and postcodes, keyword-anchored ID
numbers (SSN, NHS with its mod-11 check, MRN, hospital, patient, member, policy, Medicare),
dates of birth, and a full name introduced as oneself or a relative in a health post.
Not phi: helplines, organisation and clinic numbers or addresses, clinicians' names ("Dr"),
first names, usernames. Contact details inside spam are left to the spam filter (the merge
in `run_filters` drops them from phi).
"""
import bisect
import functools
import re
import threading
from pathlib import Path
import unicodedata

import phonenumbers

from . import lexicon
from .base import FilterVerdict, Span
from .normalize import CONDITION_RULES, after
from .scan import DIGIT_RUN, RuleSet, gate, matches_at, split_group

NAME = "phi"
EMPTY = FilterVerdict(NAME, (), (), (), ())

# --- phone numbers ----------------------------------------------------------------------
# starts with a character class, so `re` skips quickly to digits; the left edge is checked after
_PHONE_CANDIDATE = re.compile(r"[+(\d][\d().\- \n]{5,}\d(?![\w/]|[.,]\d|-[a-z])")
LEXICON = lexicon.load("phi")
_HELPLINES = frozenset(LEXICON.lists["HELPLINES"])
_PHONE_CONTEXT = re.compile(LEXICON.defines["PHONE_CONTEXT"])
_SELF_CONTACT = re.compile(LEXICON.defines["SELF_CONTACT"])
_ORG_CONTEXT = re.compile(LEXICON.defines["ORG_CONTEXT"])
_RELATION = LEXICON.defines["RELATION"]
_SUFFIX = LEXICON.defines["SUFFIX"]
_ADDRESS_ES = re.compile(LEXICON.defines["ADDRESS_ES"])
_ADDRESS_ES_WORDS = tuple(LEXICON.lists["ADDRESS_ES_WORDS"])
_ID = re.compile(LEXICON.defines["ID"])
_MONTH = LEXICON.defines["MONTH"]
_MES = LEXICON.defines["MES"]
_CONDITION_ES = re.compile(LEXICON.defines["CONDITION_ES"])
_CLINICIAN_BEFORE = re.compile(LEXICON.defines["CLINICIAN_BEFORE"], re.I)
_TITLES = frozenset(LEXICON.lists["TITLES"])
_FICTIONAL = re.compile(
    r"^(?:1?\d{3})?55501\d\d$|^55501\d\d$"                      # NANP 555-01XX
    r"|^(?:44|0)(?:7700900|1632960|2079460|1134960|1144960|1154960|1164960|1174960|1184960|"
    r"1214960|1314960|1414960|1514960|1614960|2896496|2920180|3069990|8081570|9098790)\d{3}$"
    r"|^(?:61|0)(?:491570|491571|491572|4916570)\d{3}$|^(?:61|0)[2378]5550\d{4}$")
_THIRD_PARTY = re.compile(
    r"\b(?:my|our)\s+" + _RELATION + r"(?:'s)?\b|\b(?:his|her|their)\s+(?:number|mobile|cell|phone|email|address)\b")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*-\s*(?:19|20)?\d\d$")
# (run on a sentence or a few words, which mostly hold none of the literals these need)
_PHONE_CONTEXT, _SELF_CONTACT, _ORG_CONTEXT, _THIRD_PARTY = map(
    gate, (_PHONE_CONTEXT, _SELF_CONTACT, _ORG_CONTEXT, _THIRD_PARTY))

# --- e-mail -----------------------------------------------------------------------------
_EMAIL = re.compile(r"\b[a-z0-9][\w.+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
_AT = r"(?:\s*[\[({<]\s*(?:at|@|arroba)\s*[\])}>]\s*|\s+(?:at|arroba)\s+)"
_DOT = r"(?:\s*[\[({<]\s*(?:dot|punto|\.)\s*[\])}>]\s*|\s+(?:dot|punto)\s+)"
_TLD = (r"(?:com|org|net|co|uk|ie|au|nz|ca|edu|gov|io|me|info|us|example|mx|es|ar|cl|pe|in|de|fr|it|pt|br|nl|be|ch|"
        r"za|sg|ph|jp|cn|pl|se|no|dk|fi|ve|ec|uy|py|bo|cr|gt|hn|sv|ni|pa|do|pr|cu)")
_EMAIL_OBFUSCATED = re.compile(
    r"\b[a-z0-9][\w.+-]*(?:" + _DOT + r"[\w+-]+)*" + _AT + r"[a-z0-9-]+(?:" + _DOT + r"[a-z0-9-]+)*" + _DOT +
    _TLD + r"\b")
# "samuel_r_hughes at example.ie": " at " before a real domain, from a name that is not a word
_EMAIL_AT_WORD = re.compile(r"\b[a-z0-9]+[._+][\w.+-]*\s+at\s+[a-z0-9-]+(?:\.[a-z0-9-]+)*\." + _TLD + r"\b")
_EMAIL_PROVIDER = re.compile(r"\b[a-z0-9][\w+-]*(?:" + _DOT + r"[\w+-]+)*" + _AT +
                             r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|live|aol|proton(?:mail)?|msn|btinternet)\b")
# "b e n . w a r d @ e x a m p l e . c o m"
_EMAIL_SPACED = re.compile(r"(?<![\w.])(?:[a-z0-9._-] ){2,}@(?: [a-z0-9._-]){3,}")

# What each holds, whatever it matches: an "@"; a "dot" or a bracket (its last `_DOT`).
# An organisation's role address ("helpline@…", "info@…") is not a person's identifier.
_ROLE_ADDRESS = re.compile(r"(?:helpline|info|pals|contact|support|hello|admin|enquiries|inquiries|office|team|help|"
                           r"membership|press|admissions|appointments|reception|citas|informacion|atencion)@"
                           r"|[\w.+-]*(?:study|research|trial|clinic|ward|team|ventas|sales|office)[\w.+-]*@")
_EMAIL_NEEDS = ((_EMAIL, ("@",)), (_EMAIL_OBFUSCATED, ("dot", "punto", "[", "(", "{", "<")), (_EMAIL_AT_WORD, (" at ",)),
                (_EMAIL_SPACED, (" @ ",)),
                (_EMAIL_PROVIDER, ("gmail", "hotmail", "yahoo", "outlook", "icloud", "live", "aol", "proton", "msn", "btinternet")))

# --- addresses (case matters: street names are capitalised) -----------------------------
_ADDRESS = re.compile(
    r"\d{1,5}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z'\u2019\-]+\s+){1,3}" + _SUFFIX + r"\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Flat|Suite|#)\.?\s*\w+)?")
_ADDRESS_ANCHORED = re.compile(
    r"\b(?:live\s+at|address\s+is|address:|come\s+(?:by|round|over)(?:\s+to)?|send\s+(?:\w+\s+)?to|mail\s+(?:\w+\s+)?to|"
    r"my\s+place,?|located\s+at|we'?re\s+at|i'?m\s+at|drop\s+by)\s+"
    r"(\d{1,5}[a-z]?\s+(?:[a-z][\w'\-]*\s+){0,3}[a-z][\w'\-]*)", re.IGNORECASE)
# Spanish order: the street's kind, its name, then the number ("Calle Mayor 23", "Av. Insurgentes Sur 1602").
_ADDRESS_DE = re.compile(r"\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)\s+\d{1,4}[a-z]?\b"
                         r"(?:,?\s+\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+)?")
# French order, in France and Quebec: "22 Rue Saint-Denis", "8, avenue des Lilas"
_ADDRESS_FR = re.compile(r"\b\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|boul\.|bd|chemin|impasse|all[ée]e|quai|place)\s+"
                         r"(?:d[eu]s?\s+|de\s+la\s+|l'|d')?[A-ZÉÈ][\w'\u00c0-\u017f-]+(?:[\s-][A-ZÉÈ][\w'\u00c0-\u017f-]+){0,3}")
_ADDRESS_FR_HINT = ("rue ", "avenue ", "boulevard", "boul.", "bd ", "chemin ", "impasse ", "allée ", "allee ", "quai ", "place ")
_ADDRESS_DE_HINT = ("stra", "str.", "weg ", "gasse", "platz", "allee", "ring ", "damm ")
# "av. insurgentes sur 1840 int 5, col. florida": lower case, so only with a colonia or postcode after it
_ADDRESS_MX = re.compile(r"\b(?:calle|c/|avenida|av\.|avda\.?|privada|cerrada|andador|boulevard|blvd\.?|calzada|"
                         r"carretera)\s+(?:[a-záéíóúñü.]+\s+){1,4}(?:n[º°o]\.?\s*|#\s*)?\d{1,5}\b"
                         r"(?:\s*(?:int\.?|interior|depto\.?|piso)\s*\w+)?,?\s*(?:col\.|colonia|c\.\s?p\.|cp\b|\d{5}\b)")
_POSTCODE = re.compile(
    r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}"      # UK
    r"|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d"   # Canada
    r"|(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|"
    r"S[CD]|T[NX]|UT|V[TA]|W[AVIY])\s+\d{5}(?:-\d{4})?)\b")   # US state + ZIP

# --- ID numbers and dates of birth (lower-cased text) ------------------------------------
_NHS = re.compile(r"\bnhs\s*(?:no\.?|number|#)?\s*(?:is|:)?\s*\(?(?P<id>\d{3}[\s-]?\d{3}[\s-]?\d{4})\b")
_SSN = re.compile(
    r"\b(?:ssn|social\s+security(?:\s+(?:number|no))?)\s*(?:is|:|#)?\s*(?P<id>\d{3}[-\s]?\d{2}[-\s]?\d{4})\b")
_SSN_BARE = re.compile(r"\d{3}-\d{2}-\d{4}(?<![\d-]\d{3}-\d{2}-\d{4})(?![\d-])")
_DATE = (r"(?:\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH +
         r",?\s+\d{4}|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})")
# The date before what it is: "march 14 '61 is my birthday", "a 14/03/61 baby", "12/25/49 - christmas baby".
_DATE_SHORT = (r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{2}|\d{4})|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH +
               r",?\s+(?:'?\d{2}|\d{4})|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:'\d{2}|\d{4}))")
_DOB_BEFORE = re.compile(r"(?<![\d/.\-])(?P<date>" + _DATE_SHORT + r")(?:\s+(?:is|was)\s+(?:my|his|her|our|their)\s+"
                         r"(?:birthday|b-?day|date\s+of\s+birth|dob)|\s*[-\u2013\u2014,:!]*\s*(?:[a-z]+\s+)?baby\b)")
_ORDINAL = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
            r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-\w+|thirtieth|thirty-first)")
_DOB_WORDS = re.compile(r"\b(?:dob|date\s+of\s+birth|born(?:\s+on)?|birthday)\s*(?:is|was|:)?\s*(?P<date>(?:the\s+)?" + _ORDINAL
                        + r"\s+of\s+" + _MONTH + r"\w*,?\s+(?:nineteen|twenty|two\s+thousand)(?:[\s-]+[a-z]+){1,2})")
_DOB_ES = re.compile(r"\b(?:nac[ií]|naci[oó]|nacid[oa]|fecha\s+de\s+nacimiento|f\.\s*nac\.?)\s*[:\-]?\s*(?:es\s+)?(?:el\s+)?"
                     r"(?P<date>\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}\s+de\s+" + _MES + r"\s+(?:de\s+|del\s+)?\d{4}|"
                     r"\d{1,2}[/.\- ](?:i{1,3}|iv|vi{0,3}|ix|xi{0,2})[/.\- ]\d{2,4})")
_DOB = re.compile(r"\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday\s+is|b-?day\s+is)\s*[:\-]?\s*(?:(?:on|in)\s+(?:\w+\s+){1,3}?(?:is|says|reads)\s+)?(?:is\s+)?"
                  r"(?:the\s+)?(?P<date>" + _DATE + r")")

# --- full names (original case) ------------------------------------------------------------
_CAP = r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_SURNAME = r"(?:(?:O'|O\u2019|Mc|Mac|D'|Al-|El-|Van\s|De\s|Le\s)?[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)"
_FULL = r"(?P<first>" + _CAP + r")\s+(?:[A-Z]\.?\s+)?(?P<last>" + _SURNAME + r")"
_NAME_SELF = re.compile(
    r"(?:\b[Mm]y\s+name\s+is|\b[Mm]y\s+name's|\bI'm|\bI\u2019m|\bI\s+am|\bIm|\b[Tt]his\s+is|\b[Ii]t's\s+me,?|"
    r"\b[Ss]igned:?|\b(?:Love|Thanks|Regards|Cheers|Best|Warmly|Hugs),|\b[Ff]rom:)\s+"
    r"(?:[A-Z][a-z]+\s+\()?" + _FULL + r"\b")
_NAME_HERE = re.compile(r"(?:^|[,.!]\s+|\b[Hh]i\s+(?:all|everyone),?\s+)" + _FULL + r"\s+here\b")
_NAME_OTHER = re.compile(
    r"\b(?:[Mm]y|[Oo]ur)\s+(?:little\s+|dear\s+|best\s+|late\s+)?" +
    _RELATION + r"(?:'s)?,?\s+" + _FULL + r"\b")
# A full name anywhere near a condition, with no "my name is" or relation before it: the given
# name must be in the given-name lists and the surname in the surname list (zxcvbn's).
_NICKNAME = r"(?:['\"\u201c\u2018(][A-Z][a-z]+['\"\u201d\u2019)]\s+)?"   # Harold 'Hal' Jennings
_UP, _LOW = "A-ZÀ-ÖØ-Þ\u0100-\u017f", "a-zß-öø-ÿ\u0100-\u017f"     # Latin letters, accented too ("Wiśniewski")
_CAP_ANY = r"(?:[" + _UP + r"][" + _LOW + r"]+(?:-[" + _UP + r"][" + _LOW + r"]+)?)"
_SURNAME_ANY = (r"(?:(?:O'|O\u2019|Mc|Mac|D'|Al-|El-|Van\s|De\s|Le\s)?[" + _UP + r"][" + _LOW + r"]+(?:[-'][" + _UP + r"][" + _LOW
                + r"]+)?)")
_STARTERS = (r"(?!(?:Soy|Hola|Me|Mi|Mis|Yo|El|La|Los|Las|Con|Por|Para|Tengo|Hi|Hello|I|My|Our|The|This|Real|Full|Name|"
             r"Dear|Thanks|Gracias|Ayer|Hoy|Ahora|Today|Yesterday|Es|Era|Fue|Se|Le|Lo|Ella|Su|Sus|Tu|De|Del|Al|En|"
             r"She|He|It|Is|Was|And|But|So|To|At|In|On|For|With|From|Of|By|As|If|When|Also|Just|Yes|Please|Tell|"
             r"Send|Sending|Love|Poor|Sweet|Welcome|Congrats|Mr|Mrs|Ms|Miss)\b)")
_FULL_ANY = re.compile(r"(?<!\w)(?<!\w')" + _STARTERS + r"(?P<first>" + _CAP_ANY + r")\s+" + _NICKNAME + r"(?:[A-Z]\.?\s+)?(?P<last>" + _SURNAME_ANY
                       + r")(?:\s+(?P<second>" + _SURNAME_ANY + r"))?\b")
_CAP_START = re.compile(r"(?<!\w)(?<!\w')[A-ZÁÉÍÓÚÑ]")
_TWO_CAPITALS_ANY = re.compile(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+\s+" + _NICKNAME + r"(?:[A-Z]\.?\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]")
# Conditions named in Spanish (the shared condition lexicon is English).
_NEAR_CONDITION = 120
_SELF_BEFORE = re.compile(LEXICON.defines["SELF_BEFORE"], re.I)
# Someone else named as such: a relation word (Spanish too), a prayer or a letter's greeting.
_OTHER_CUE = LEXICON.defines["OTHER_CUE"]
_OTHER_BEFORE = re.compile(_OTHER_CUE + r"\s*[,:\u2014\u2013-]?\s+$", re.I)
# Dates of birth without "DOB" or "born": a full date whose year is a plausible birth year, in a
# sentence that is not about a diagnosis, an operation or an appointment.
# (tried only where a run of digits starts, or a month's name: `re` alone tries every character)
_FULL_DATE = re.compile(r"(?<![\d/.\-])(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?P<y1>(?:19|20)\d\d)|\d{1,2}(?:st|nd|rd|th)?\s+"
                        r"(?:of\s+)?" + _MONTH + r",?\s+(?P<y2>(?:19|20)\d\d)|" + _MONTH +
                        r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?P<y3>(?:19|20)\d\d))(?![\d/.\-])")
_MONTH_START = re.compile(r"\b" + _MONTH + r"\s+\d")
_BIRTH_YEARS = range(1920, 2013)
_EVENT_CONTEXT = re.compile(r"\b(?:diagnos\w*|dx|surgery|operation|op|appointment|appt|scan|mri|ct|started|since|"
                            r"until|from|infusion|flare|admitted|discharged|transplant|diagn[oó]stic\w*|cirug[ií]a|"
                            r"cita|desde|hasta|ingres\w*)\b")
_BORN_NEAR = re.compile(r"\b(?:nac[ií]\w*|naci[oó]|born|birth\w*|b-?day|cumplea[nñ]os)\b")
# Spanish and Mexican ID numbers, precise enough to need no cue: DNI/NIE (with the mod-23
# letter), CURP (its fixed shape); and a record-style number of 8 to 12 digits that is not a
# phone number.
_DNI = re.compile(r"(?<![\w-])(?P<id>[xyz]?\d{7,8}[\s-]?(?P<letter>[a-z]))(?![\w-])")
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CURP = re.compile(r"(?<![\w])[a-z]{4}\d{6}[hm][a-z]{5}[a-z0-9]\d(?![\w])")
# A US Medicare number's shape (digit, letters and digits in a fixed order), with or without dashes.
_MBI = re.compile(r"(?<![\w-])[1-9][a-z][a-z0-9]\d-?[a-z][a-z0-9]\d-?[a-z]{2}\d{2}(?![\w-])")
# A DNI whose check letter is wrong is still an identifier when the sentence says what it is.
_DNI_CUE = re.compile(r"\b(?:dni|nie|nif|copia\s+del?|documento|identidad|carn[eé]t?)\b[^.!?]{0,25}$")
# Health context for a name introduced as oneself or a relative ("my dad Harold Bishop ... A&E"),
# and more health words than the shared condition list for any full name.
_HEALTH_CONTEXT = re.compile(LEXICON.defines["HEALTH_CONTEXT"])
_HEALTH_MORE = re.compile(LEXICON.defines["HEALTH_MORE"])
_HEALTH_SUFFIX = re.compile(LEXICON.defines["HEALTH_SUFFIX"])
_HEALTH_ENDINGS = tuple(LEXICON.lists["HEALTH_ENDINGS"])
# A number said to be an ID after it ("A0048213 is my hospital number").
_ID_AFTER = re.compile(r"(?<![\w-])(?P<id>[a-z]{0,3}\d[\d -]{4,16}\d[a-z]{0,2})\s+(?:is|was|=)\s+(?:my|his|her|our|their)\s+"
                       r"(?:\w+\s+){0,2}?(?:number|no|id|card|nhs|mrn)\b")
# Ontario's health card (ten digits and a two-letter version) and France's NIR (with its key).
_HEALTH_CARD_ON = re.compile(r"(?<![\w-])\d{4}[- ]?\d{3}[- ]?\d{3}[- ]?[a-z]{2}(?![\w-])")
_NIR = re.compile(r"(?<![\w-])[12] ?\d\d ?(?:0[1-9]|1[0-2]) ?(?:\d\d|2[ab]) ?\d{3} ?\d{3} ?\d\d(?![\w-])")
_NHS_SPACED = re.compile(r"(?<![\d-])[4-9]\d{2} \d{3} \d{4}(?![\d-])")
_NINO = re.compile(r"(?<![\w-])(?![dfiquv]|[a-z][dfiquvo]|bg|gb|kn|nk|nt|tn|zz)[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d](?![\w-])")
# A number that names an order, a parcel, a claim or a trial, not a person.
_REFERENCE_BEFORE = re.compile(
    r"\b(?:order|pedido|tracking|track|parcel|package|ticket|claim|confirmation|invoice|receipt|ref|reference|"
    r"(?:lot|batch)(?=\s*(?:number|no\b|#|:|\d))|serial|rx|prescription|factura|env[ií]o|seguimiento|folio|referencia|lote|gu[ií]a|complaint|auth|"
    r"authori[sz]ation|trial|study|ensayo|estudio|eudract|isrctn|registry|protocol|reclamo|queja|incidencia)\b"
    r"[^.!?\d]{0,30}$")
# An ID's cue a few words before the number ("the CHI number on my appointment letter (1206734419)",
# "PPS number (mine's 7412583TA)"), or just after it ("'M0092213' … they used my hospital number").
_ID_CUE = re.compile(
    r"\b(?:(?:hospital|patient|clinic|member|membership|insurance|policy|medicare|medicaid|chi|nhi|pps|health\s+card|"
    r"nhs|unit|case|subscriber|group|passport|licen[cs]e|national\s+insurance|social\s+security|health\s+insurance)"
    r"\s+(?:number|no\b|id\b|#)|n[uú]mero\s+de\s+(?:la\s+)?(?:seguridad\s+social|afiliaci[oó]n|historia|paciente|"
    r"expediente|p[oó]liza|socio|asegurado)|mrn|nss|ppsn?|cip|curp|aadhaar|dni|d\.n\.i\.|rut|documento|"
    r"patient(?=\s+\d))")
_ID_TOKEN = re.compile(r"(?<![\w/.$\u00a3\u20ac-])(?P<id>(?:[a-z]{1,4}[-/]?)?\d[\d/.-]{3,18}\d[a-z]{0,2})(?![\w/-]|[.,]\d)")
_ID_OWNED = re.compile(r"(?:hospital|patient|nhs|clinic|unit|member|insurance|medicare|case)\s+(?:number|no\b|id\b)")
_OWNER_BEFORE = re.compile(r"\b(?:my|his|her|their|our)\s+$")
_DATE_ONLY = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$")
_LONG_NUMBER = re.compile(r"(?<![\w/.,:+-])(?:[a-z]{1,3}-?)?\d{8,12}(?![\w/.,-])")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SIX_DIGITS = re.compile(r"\d{6}")
_SEVEN_DIGITS = re.compile(r"\d{7}")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Sr|Sra|Srta)\.?\s+(?P<first>" + _CAP_ANY + r")\s+(?:[A-Z]\.?\s+)?(?P<last>"
                     + _SURNAME_ANY + r")\b")
# A name on a form or a label: "Patient: MICHAEL KEEGAN", "SURNAME: O'DONOGHUE-PRICE", "DUBOIS, MARIE-CLAUDE"
_FORM_NAME = re.compile(r"\b(?i:patient|name|full\s+name|nombre|paciente|surname|forenames?|apellidos?|for|says|reads|pone)\s*:?\s+"
                        r"(?P<name>[A-Z][A-Z'\-]+(?:,?[ \t]+[A-Z][A-Z'\-]+){1,3})\b"
                        r"|(?<!\w)(?P<label>[A-Z][A-Z'\-]{2,},[ \t]+[A-Z][A-Z'\-]+(?:[ \t]+[A-Z][A-Z'\-]+)?)\b")
# (looked for cheaply: a title after its letters are seen; two capitalised words in the text's shape)
_TITLE_HINT = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Sra?|Srta)\b")
_CAPS_SHAPE = re.compile(rb"AA[ .]{1,3}AA")
_NOT_PERSON_BEFORE = re.compile(r"(?:\b(?:Dr|Dra|Doctor|Doctora|Prof|Profa|Professor|Nurse|Sister|Saint|St|Mount|Lake|Enf|"
                                r"Lic|Licda)\.?\s*)$")

# Where an identifier can start: keyword anchors, found with the shared word index.
# (each word spelt out: a character class as a rule's first letters makes every word starting with
# that letter a candidate in the shared word index, which long posts pay for)
_ID_ANCHOR = (r"\b(?:mrn|medical\s+record|hospital|patient|clinic|group|membership|member|insurance|policy|medicare|"
              r"medicaid|chi|nhi|pps|health\s+card|subscriber|unit|case|nss|numero|afiliacion|historia|tarjeta|aadhaar|"
              r"passport|pasaporte|poliza|cip|dni|rut|documento|driver's|drivers|driving|licence|license|licencia|ihi|ni|"
              r"national|ppsn|social|sin|cedula|curp|rfc|secu|carte|ohip|tax|itin|id|versicherungsnummer|"
              r"krankenversicherungsnummer|codice|bsn|cpf|dui|ine)\b")
_CUE_ANCHOR = (r"\b(?:tell|say|love|hugs|sending|send|shout|shoutout|congrats|congratulations|welcome|heard|news|"
               r"update|rip|memory|remembering|miss|missing|condolences|pray|praying|prayers|thoughts|thinking|dear|"
               r"diganle|dile|saludo|saludos|abrazo|abrazos|felicidades|animo|fuerza|recuerdos|oren|recen|rezad|oremos|"
               r"pido|querido|querida|hijo|hija|madre|padre|mama|papa|marido|esposo|esposa|hermano|hermana|abuelo|abuela|"
               r"tio|tia|primo|prima|sobrino|sobrina|vecino|vecina|amigo|amiga|novio|novia|suegro|suegra|pareja|nieto|"
               r"nieta|llamo|nombre|soy|know|wondering)\b")
_ACCENTED_ANCHORS = re.compile(r"\b(?:(?P<id>n[uú]m(?:ero)?|n[º°]|p[oó]liza|c[eé]dula|s[eé]cu|afiliaci[oó]n|n[uú]mero)"
                               r"|(?P<cue>d[ií]ganle|[aá]nimo|mam[aá]|pap[aá]|t[ií][oa])|(?P<dob_es>nac[ií]|naci[oó]))")
_ANCHORS = RuleSet([
    ("nhs", r"\bnhs\b"),
    ("ssn", r"\b(?:ssn|social\s+security)\b"),
    ("dob", r"\b(?:dob|date\s+of\s+birth|born|birthday|bday)\b|(?<=\bd\.o\.)b\b"),
    ("baby", r"\bbaby\b"),
    ("dob_es", r"\b(?:nac[ií]|naci[oó]|nacid[oa]|nacimiento|nac)\b"),
    ("address", r"\b(?:live|address|come|send|mail|located|we'?re|drop)\b|" + after("my") + r"place\b"),
    ("self", r"\b(?:i'?m|signed|love|thanks|regards|cheers|best|warmly|hugs)\b|" + after("my") + r"name\b|"
             + after("i") + r"am\b|" + after("it's") + r"me\b"),
    ("here", r"\bhere\b"),
] + [("relation", p) for p in split_group(r"\b" + _RELATION + r"\b")]
    + [("id", p) for p in split_group(_ID_ANCHOR)] + [("cue", p) for p in split_group(_CUE_ANCHOR)])
_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")
# Where postcodes and street addresses can start, found in the text's "shape" (one byte a
# character: capital "A", other ASCII letter "a", digit "1", ASCII space " ", not ASCII "?" (it
# may be a digit or a space), anything else "."), where `re` finds these literals fast; `re`
# would try each capital or digit of the text itself. A postcode starts with a capital before
# a capital or a digit (every branch); an address with a digit, and a capitalised word (or
# N/S/E/W) after the number.
_SHAPE = bytes(65 if 65 <= c <= 90 else 97 if 97 <= c <= 122 else 49 if 48 <= c <= 57 else
               32 if c < 128 and chr(c).isspace() else 63 if c == 63 else 46 for c in range(256))
_POSTCODE_START = re.compile(rb"A(?=[A1?])")
_ADDRESS_AFTER = rb"(?=[1?]{0,4}[aA]?[ ?]+A)"
_ADDRESS_START = re.compile(rb"1" + _ADDRESS_AFTER)
_ADDRESS_START_OTHER = re.compile(rb"\?" + _ADDRESS_AFTER)     # a digit that is not ASCII
_TWO_CAPITALS = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+(?:[A-Z]\.?\s+)?(?:O'|Mc|Mac|D'|Al-|El-)?[A-Z][a-z]")
# a cheap look for two capitalised words shortly after an anchor, before the full name pattern
_CAPITALS_AHEAD = re.compile(r"[^.!?\n]{0,30}?[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+(?:[A-Z]\.?\s+)?(?:O'|Mc|Mac|D'|Al-|El-)?[A-Z][a-z]")
_LEFT_EDGE = re.compile(r"[\w/.,:]")
_lock = threading.Lock()
_words = None


def _word_lists():
    """(common words, all names, given names, surnames): zxcvbn's frequency lists, loaded on first use."""
    global _words
    if _words is None:
        with _lock:
            if _words is None:
                try:
                    from zxcvbn.frequency_lists import FREQUENCY_LISTS as lists
                except ImportError:
                    lists = {}
                # (the top 6,000 of each: further down they hold many surnames, "Anand", "Delacroix")
                common = set(lists.get("english_wikipedia", [])[:6000])
                common.update(lists.get("us_tv_and_film", [])[:6000])
                given = frozenset(lists.get("female_names", [])) | frozenset(lists.get("male_names", []))
                surnames = frozenset(lists.get("surnames", []))
                _words = (frozenset(common), given | surnames, given, surnames)
    return _words


def _plausible_name(first, last):
    common, names, _, _ = _word_lists()
    for part in (first, last.split("'")[-1].split("-")[-1]):
        word = part.lower()
        if word in common and word not in names:
            return False
    return True


def _nhs_valid(digits):
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_NANP = ("US", "CA")
_FREEPHONE = ("0800", "0808", "0500", "1800", "800", "888", "877", "866", "855", "844", "833", "1888", "1877", "1866",
              "1855", "1844", "1833", "00800", "900")


def _is_phone(candidate, digits, regions, context):
    """A real or reserved-for-fiction number; a merely possible one only with "call me" context."""
    if _FICTIONAL.match(digits):
        return True
    try:
        if candidate.startswith(("+", "00")):
            international = "+" + candidate[2:] if candidate.startswith("00") else candidate
            # Mexico's mobiles were written "+52 1 …" until 2019, and people still do
            number = phonenumbers.parse(re.sub(r"^\+52[\s.-]*1[\s.-]+", "+52 ", international), None)
            # a number given as one's own ("+33 6 …, my cell") is one even where the plan is unknown
            return phonenumbers.is_valid_number(number) or bool(context) and phonenumbers.is_possible_number(number)
        # parsing is the costly part: try first the regions whose numbers look like this one
        nanp_first = digits[0] != "0"
        ordered = sorted(regions, key=lambda r: (r in _NANP) != nanp_first)
        possible = False
        for region in ordered:
            number = phonenumbers.parse(candidate, region)
            if phonenumbers.is_valid_number(number):
                return True
            if context and not possible:
                possible = phonenumbers.is_possible_number(number)
    except phonenumbers.NumberParseException:
        return False
    return possible


def _occurrences(text, char):
    """The positions of `char` in text."""
    i = text.find(char)
    while i >= 0:
        yield i
        i = text.find(char, i + 1)


def _health_ending(doc):
    """Whether a word of the post ends as a disease's name does ("-itis", "-oma"): once a post."""
    cache = doc.__dict__
    if "_phi_health_ending" not in cache:
        cache["_phi_health_ending"] = any(w.endswith(_HEALTH_ENDINGS) for w in doc.index().words)
    return cache["_phi_health_ending"]


def _at_before_domain(low, i):
    """ " at " between a name with . _ + or a digit and a domain with a dot ("sam_r at example.ie")."""
    word = low[low.rfind(" ", 0, i) + 1:i]
    end = low.find(" ", i + 4)
    domain = low[i + 4:end if end >= 0 else len(low)]
    return "." in domain.rstrip(".,;:!?)") and any(c in word for c in "._+0123456789")


_PROVIDERS = ("gmail", "googlemail", "hotmail", "yahoo", "outlook", "icloud", "live", "aol", "proton", "msn", "btinternet")


def _at_signs(low):
    """Positions of "@" and of "at" written out for an e-mail ("[at]", " at ")."""
    for marker in ("@", "[at]", "(at)", "{at}", " at ", "arroba"):
        i = low.find(marker)
        while i >= 0:
            after = low[i:i + 80]
            if (marker != " at " or " dot " in after or "[dot]" in after or _at_before_domain(low, i)
                    or after[4:].startswith(_PROVIDERS)):
                yield i
            i = low.find(marker, i + 1)


def _phones(doc, regions, add, overlaps):
    low = doc.low
    # A candidate starts with "+", "(" or a digit; one that starts inside a run of digits has
    # one at the run's first digit too (the class after it takes digits): `re` alone would
    # try every digit.
    index = doc.index()
    starts = index.starts(low, DIGIT_RUN)
    if "+" in low or "(" in low:
        starts = sorted(starts + index.starts(low, "+") + index.starts(low, "("))
    for m in matches_at(_PHONE_CANDIDATE, low, starts):
        if m.start() and _LEFT_EDGE.match(low, m.start() - 1):
            continue
        candidate = m.group().replace("\n", " ").strip(" .-(")
        digits = _NOT_DIGIT.sub("", candidate)
        if not 7 <= len(digits) <= 15 or digits in _HELPLINES or _YEAR_RANGE.match(candidate):
            continue
        if overlaps(m.start(), m.end()) or (m.start() >= 2 and low[m.start() - 1] == "-" and low[m.start() - 2].isalpha()):
            continue           # "CMP-2024-08812": a reference's number
        s_start, s_end = doc.sentence_at(m.start())
        if _REFERENCE_BEFORE.search(low, max(s_start, m.start() - 30), m.start()):
            continue
        sentence = low[s_start:s_end]
        near = low[max(s_start, m.start() - 60):m.start()]
        self_contact = _SELF_CONTACT.search(sentence) is not None
        if not self_contact and _ORG_CONTEXT.search(near):
            continue
        if digits.startswith(_FREEPHONE) and not self_contact:
            continue           # a freephone number is an organisation's
        if _is_phone(candidate, digits, regions, self_contact or _PHONE_CONTEXT.search(near) is not None):
            start = m.start() + m.group().index(candidate[0])
            add(start, start + len(candidate), "phone")


# A phone number spelt out, whole or in part ("eight-one-eight, five-five-five, 0149", "seis uno dos …")
_NUMBER_WORDS = {w: str(i) for i, ws in enumerate((
    "zero oh o cero", "one uno", "two dos", "three tres", "four cuatro", "five cinco", "six seis", "seven siete",
    "eight ocho", "nine nueve")) for w in ws.split()}
_SPELT = re.compile(r"(?<![\w-])(?:(?:double|hundred|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) +
                    r"|\d{1,4})(?:[\s,.-]{1,3}|$)){4,}")
_SPELT_WORDS = frozenset("zero oh three four five six seven eight nine cero tres cuatro cinco seis siete ocho nueve".split())
_SPELT_HINT = re.compile(r"\b(?:five|cinco|zero|cero|oh|one|two|three|four|six|seven|eight|nine|uno|dos|tres|cuatro|"
                         r"seis|siete|ocho|nueve)[\s,.-]+(?:five|cinco|zero|cero|oh|one|two|three|four|six|seven|eight|"
                         r"nine|uno|dos|tres|cuatro|seis|siete|ocho|nueve|\d)\b")


def _spelt_phones(doc, add, overlaps):
    low = doc.low
    for m in _SPELT.finditer(low):
        parts = re.findall(r"[a-z]+|\d+", m.group())
        digits, double = "", False
        for p in parts:
            if p == "double":
                double = True
                continue
            digit = "00" if p == "hundred" else _NUMBER_WORDS.get(p, p)
            digits += digit * 2 if double else digit
            double = False
        words = sum(not p.isdigit() for p in parts)
        if 7 <= len(digits) <= 13 and words >= 3 and not overlaps(m.start(), m.end()):
            s_start, _ = doc.sentence_at(m.start())
            if _PHONE_CONTEXT.search(low[max(s_start, m.start() - 60):m.start()]) or _SELF_CONTACT.search(doc.sentence(m.start())):
                add(m.start(), m.start() + len(m.group().rstrip(" ,.-")), "phone")


def _owner(doc, start):
    """'self' or 'third' for an identifier at `start`, from its sentence."""
    sentence = doc.sentence(start)
    if _THIRD_PARTY.search(sentence) and not _SELF_CONTACT.search(sentence):
        return "third"
    return "self"


def check(doc, regions=("US", "GB", "CA", "AU", "IE", "NZ")):
    low, raw = doc.low, doc.raw
    found = []   # (start, end, kind, owner) in low offsets
    # the characters inside a span found so far: an overlap check reads only its own span's
    # characters (scanning every span found so far made k identifiers cost O(k^2))
    covered = bytearray(len(low) + 1)

    def add(start, end, kind, owner=None):
        found.append((start, end, kind, owner or _owner(doc, start)))
        covered[start:end] = b"\x01" * (end - start)

    def overlaps(start, end):
        return covered.find(1, start, end) >= 0

    anchors = {}
    for start, _, kind in doc.scan(_ANCHORS):
        anchors.setdefault(kind, []).append(start)
    if not low.isascii():
        # the word index reads ASCII words: cue words with an accent are looked for here
        for m in _ACCENTED_ANCHORS.finditer(low):
            anchors.setdefault(m.lastgroup, []).append(m.start())
        for kind in anchors:
            anchors[kind] = sorted(set(anchors[kind]))
    for pos in anchors.get("id", ()):
        m = _ID.match(low, pos)
        if m and not overlaps(m.start("id"), m.end("id")):
            add(m.start("id"), m.end("id"), "id_number")
    for pos in anchors.get("nhs", ()):
        m = _NHS.match(low, pos)
        if m and _nhs_valid(_NOT_DIGIT.sub("", m.group("id"))) and not overlaps(m.start("id"), m.end("id")):
            add(m.start("id"), m.end("id"), "id_number")
    for pos in anchors.get("ssn", ()):
        m = _SSN.match(low, pos)
        if m and m.group("id") and not overlaps(m.start("id"), m.end("id")):
            add(m.start("id"), m.end("id"), "id_number")
    if "-" in low:
        # a bare SSN has its first "-" three characters in: try only there
        for m in matches_at(_SSN_BARE, low, (i - 3 for i in _occurrences(low, "-") if i >= 3)):
            if not overlaps(m.start(), m.end()):
                add(m.start(), m.end(), "id_number")
    for pos in anchors.get("dob_es", ()):
        m = _DOB_ES.search(low, max(0, pos - 12), pos + 60)
        if m and not overlaps(m.start("date"), m.end("date")):
            add(m.start("date"), m.end("date"), "dob")
    for pos in anchors.get("dob", ()):
        m = _DOB.search(low, max(0, pos - 4), pos + 90)     # (from "d.o." when the anchor is its "b")
        if m and m.start() <= pos and not overlaps(m.start("date"), m.end("date")):
            add(m.start("date"), m.end("date"), "dob")
    for pos in anchors.get("dob", ()):
        m = _DOB_WORDS.match(low, pos)
        if m and not overlaps(m.start("date"), m.end("date")):
            add(m.start("date"), m.end("date"), "dob")
    for pos in anchors.get("baby", []) + anchors.get("dob", []):   # the date before "baby" or "birthday"
        m = _DIGIT.search(low, max(0, pos - 40), pos) and _DOB_BEFORE.search(low, max(0, pos - 40), pos + 40)
        if m and m.end() >= pos and not overlaps(m.start("date"), m.end("date")):
            add(m.start("date"), m.end("date"), "dob")

    for at in _at_signs(low):
        start, end = max(0, at - 64), at + 128
        for rx, needs in _EMAIL_NEEDS:
            if not any(low.find(part, start, end) >= 0 for part in needs):
                continue           # (cheap) this pattern cannot match here
            m = rx.search(low, start, end)
            if m and not overlaps(m.start(), m.end()) and not _ROLE_ADDRESS.match(m.group()):
                add(m.start(), m.end(), "email")

    if not _SPELT_WORDS.isdisjoint(doc.index().words) and _SPELT_HINT.search(low):
        _spelt_phones(doc, add, overlaps)
    digits = sum(map(low.count, "0123456789"))
    if digits:
        if digits >= 7:        # a phone number needs seven digits: only then run the parser
            _phones(doc, regions, add, overlaps)
        shape = raw.encode("ascii", "replace").translate(_SHAPE)
        starts = [c.start() for c in _ADDRESS_START.finditer(shape)]
        if b"?" in shape:
            starts = sorted(starts + [c.start() for c in _ADDRESS_START_OTHER.finditer(shape)])
        for m in matches_at(_ADDRESS, raw, starts):
            if m.start() == 0 or not raw[m.start() - 1].isalnum():
                _address(doc, m.start(), m.end(), add, overlaps)
        for pos in anchors.get("address", []) + anchors.get("self", []):   # "I'm at 14 ..." too
            m = _ADDRESS_ANCHORED.match(raw, doc.to_raw(pos))
            if m:
                _address(doc, m.start(1), m.end(1), add, overlaps)
        if any(word in low for word in _ADDRESS_ES_WORDS):
            for m in _ADDRESS_ES.finditer(raw):
                _address(doc, m.start(), m.end(), add, overlaps)
            if "col" in low or "c.p" in low or "cp " in low:
                for m in _ADDRESS_MX.finditer(low):
                    _address(doc, doc.to_raw(m.start()), doc.to_raw(m.end()), add, overlaps)
        if any(word in low for word in _ADDRESS_FR_HINT):
            for m in _ADDRESS_FR.finditer(raw):
                _address(doc, m.start(), m.end(), add, overlaps)
        if any(word in low for word in _ADDRESS_DE_HINT):
            for m in _ADDRESS_DE.finditer(raw):
                _address(doc, m.start(), m.end(), add, overlaps)
        for m in matches_at(_POSTCODE, raw, [c.start() for c in _POSTCODE_START.finditer(shape)]):
            if m.start() == 0 or not raw[m.start() - 1].isalnum():
                _address(doc, m.start(), m.end(), add, overlaps)

    if ((anchors.get("self") or anchors.get("here") or anchors.get("relation"))
            and _TWO_CAPITALS.search(raw) and (doc.has_match(CONDITION_RULES) or _HEALTH_CONTEXT.search(low)
                                                or _HEALTH_MORE.search(low) or doc.drugs
                                                or _health_ending(doc))):
        for pos in anchors.get("self", ()):
            p = doc.to_raw(pos)
            if _CAPITALS_AHEAD.match(raw, p):
                m = _NAME_SELF.search(raw, max(0, p - 12), p + 80)
                if m:
                    _name(doc, m, "self", add, overlaps)
        for pos in anchors.get("here", ()):
            p = doc.to_raw(pos)
            m = _TWO_CAPITALS.search(raw, max(0, p - 60), p) and _NAME_HERE.search(raw, max(0, p - 60), p + 5)
            if m:
                _name(doc, m, "self", add, overlaps)
        for pos in anchors.get("relation", ()):
            p = doc.to_raw(pos)
            if _CAPITALS_AHEAD.match(raw, p):
                m = _NAME_OTHER.search(raw, max(0, p - 12), p + 80)
                if m:
                    _name(doc, m, "third", add, overlaps)

    _uncued(doc, regions, anchors, add, overlaps)

    if not found:
        return EMPTY
    spans, reasons, hold = [], [], False
    for start, end, kind, owner in sorted(found):
        a, b = doc.raw_span(start, end)
        spans.append(Span(a, b, kind))
        whose = "a third party's" if owner == "third" else "the author's"
        reasons.append(f"{whose} {kind.replace('_', ' ')}")
        hold = hold or owner == "third" or kind == "id_number"
    actions = ("redact", "hold") if hold else ("redact",)
    return FilterVerdict(NAME, (NAME,), actions, tuple(spans), tuple(dict.fromkeys(reasons)))


def _nir_valid(digits):
    """France's NIR: 13 digits and a key of 97 minus the number mod 97 (Corsica's 2A/2B not read)."""
    return len(digits) == 15 and 97 - int(digits[:13]) % 97 == int(digits[13:])


def _dni_valid(number):
    digits = number.lower().replace(" ", "").replace("-", "")
    body, letter = digits[:-1], digits[-1].upper()
    body = body.replace("x", "0").replace("y", "1").replace("z", "2")
    return body.isdigit() and _DNI_LETTERS[int(body) % 23] == letter


def _near(positions, start, end):
    """Whether one of the sorted `positions` is within _NEAR_CONDITION of [start, end)."""
    i = bisect.bisect_left(positions, start - _NEAR_CONDITION)
    return i < len(positions) and positions[i] <= end + _NEAR_CONDITION


def _uncued(doc, regions, anchors, add, overlaps):
    """Identifiers with no cue word before them (issue 13): a full name near a condition, a
    date of birth, and ID numbers whose shape or check digit says what they are."""
    low, raw = doc.low, doc.raw
    lower_cues = sorted(p for kind in ("relation", "self", "cue") for p in anchors.get(kind, ()))
    listed = []

    def health(a=0, b=None):
        """(conditions named, conditions and health events) in low[a:b]: read only near a name
        (a long post costs no more for its length)."""
        if not listed:        # the shared condition list and the drug names, found once (and only if needed)
            listed.extend([start for start, _, _ in doc.scan(CONDITION_RULES)] if doc.has_match(CONDITION_RULES) else [])
            listed.extend(start for start, _, _ in doc.drugs)
            listed.append(-1)
        a, b = max(0, a), len(low) if b is None else min(len(low), b)
        named = sorted([p for p in listed if a <= p < b] + [m.start() for m in _CONDITION_ES.finditer(low, a, b)]
                       + [m.start() for m in _HEALTH_MORE.finditer(low, a, b)]
                       + ([m.start() for m in _HEALTH_SUFFIX.finditer(low, a, b)] if _health_ending(doc) else []))
        # a health event ("in ICU", "left your inhaler") counts beside a name introduced as someone's
        return named, sorted(named + [m.start() for m in _HEALTH_CONTEXT.finditer(low, a, b)])

    # Full names: two capitalised words, tried at each capitalised word so that "Tell Jim Hollis"
    # also gives "Jim Hollis" (an accepted name covers its span: the overlap check skips the rest).
    windows = []
    for m in _TWO_CAPITALS_ANY.finditer(raw):
        a, b = max(0, m.start() - 2), m.end() + 40
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    if windows:
        common, _, given, surnames = _word_lists()
    for a, b in windows:
        la, lb = doc.from_raw(a), doc.from_raw(min(b, len(raw)))
        named, conditions = health(la - _NEAR_CONDITION - 20, lb + _NEAR_CONDITION + 20)
        if not conditions:
            continue
        found = [m for c in _CAP_START.finditer(raw, a, b) if (m := _FULL_ANY.match(raw, c.start(), b))]
        for m in found:
            start, end = doc.from_raw(m.start("first")), doc.from_raw(m.end("second") if m.group("second") else m.end("last"))
            if overlaps(start, end) or not _near(conditions, start, end):
                continue
            first, last = m.group("first"), m.group("last")
            before = raw[max(0, m.start() - 40):m.start()]
            other = _OTHER_BEFORE.search(before) is not None
            # a name that ends the post, after its last sentence, signs it
            signed = not raw[m.end():].strip(" .!\n") and (not before.strip() or before.rstrip(" ")[-1:] in ".!?\n\u2014\u2013-")
            if not other and not signed and not _near(named, start, end):
                continue           # a health event counts beside someone introduced as another's, or a signature
            introduced = other or signed or _SELF_BEFORE.search(before) is not None
            surname = _fold(last.split("'")[-1].split("-")[-1])
            # Introduced ("soy", "real name"), or a known given name (or a double-barrelled surname)
            # and then a surname that is in the list or, for the many surnames it lacks ("Marchetti"),
            # is not an ordinary word.
            if not introduced and ((_fold(first) not in given and "-" not in last)
                                   or (surname not in surnames and surname in common)):
                continue
            if (first in _TITLES or _not_person_before(raw, m.start("first")) or not (other or _plausible_name(first, last))
                    or _CLINICIAN_BEFORE.search(before) or _public_figure(m.group())):
                continue
            add(start, end, "name", "self" if introduced and not other else "third")
    if lower_cues:
        _lower_names(doc, lower_cues, health, add, overlaps)
    titled = ("mr" in low or "ms" in low or "mx" in low or "sr" in low) and _TITLE_HINT.search(raw) is not None
    caps = _CAPS_SHAPE.search(raw.encode("ascii", "replace").translate(_SHAPE)) is not None
    if titled or caps:
        _titled_and_form_names(doc, health, titled, caps, add, overlaps)
    if not _DIGIT.search(low):
        return
    runs = doc.index().starts(low, DIGIT_RUN)
    cues = anchors.get("id", []) + anchors.get("nhs", []) + anchors.get("ssn", [])
    if cues:
        _ids_near_cues(doc, sorted(cues), regions, add, overlaps)
    if _YEAR.search(low):
        starts = sorted(set(runs) | {m.start() for m in _MONTH_START.finditer(low)})
        for m in matches_at(_FULL_DATE, low, starts):
            year = int(m.group("y1") or m.group("y2") or m.group("y3"))
            if year not in _BIRTH_YEARS or overlaps(m.start(), m.end()):
                continue
            s_start, s_end = doc.sentence_at(m.start())
            sentence = low[s_start:s_end]
            # the event words next to the date say what it is ("diagnosed 04/05/2008"), not those
            # of another date in the sentence ("me: 07/11/1988, T1D since 2001")
            around = low[max(s_start, m.start() - 30):min(s_end, m.end() + 12)]
            if _EVENT_CONTEXT.search(around) and not _BORN_NEAR.search(sentence):
                continue
            add(m.start(), m.end(), "dob")
    if _SEVEN_DIGITS.search(low):
        for m in matches_at(_DNI, low, sorted({i for r in runs for i in (r - 1, r) if i >= 0})):
            cued = _DNI_CUE.search(low, max(0, m.start() - 40), m.start()) is not None
            if (cued or _dni_valid(m.group("id"))) and not overlaps(m.start("id"), m.end("id")):
                add(m.start("id"), m.end("id"), "id_number")
    for m in matches_at(_MBI, low, sorted({r - 1 for r in runs if r >= 1} | set(runs))):
        if not overlaps(m.start(), m.end()):
            add(m.start(), m.end(), "id_number")
    for m in matches_at(_NHS_SPACED, low, runs):
        if (_nhs_valid(_NOT_DIGIT.sub("", m.group())) and not overlaps(m.start(), m.end())
                and not _PHONE_CONTEXT.search(low, max(0, m.start() - 40), m.start())):
            add(m.start(), m.end(), "id_number")
    for m in matches_at(_NINO, low, sorted({r - k for r in runs for k in (2, 3) if r >= k})):
        if not overlaps(m.start(), m.end()):
            add(m.start(), m.end(), "id_number")
    for m in matches_at(_HEALTH_CARD_ON, low, runs):
        # the version code is two capitals ("… 123-AB"), not a word after the number ("… 116 in NZ")
        if doc.raw[doc.to_raw(m.end() - 2):doc.to_raw(m.end())].isupper() and not overlaps(m.start(), m.end()):
            add(m.start(), m.end(), "id_number")
    for m in matches_at(_NIR, low, runs):
        if _nir_valid(_NOT_DIGIT.sub("", m.group())) and not overlaps(m.start(), m.end()):
            add(m.start(), m.end(), "id_number")
    if " is " in low or " was " in low or "=" in low:
        for m in matches_at(_ID_AFTER, low, sorted({r - k for r in runs for k in range(4) if r >= k})):
            if not overlaps(m.start("id"), m.end("id")):
                add(m.start("id"), m.end("id"), "id_number")
    if _SIX_DIGITS.search(low):
        for m in matches_at(_CURP, low, sorted({r - 4 for r in runs if r >= 4})):
            if not overlaps(m.start(), m.end()):
                add(m.start(), m.end(), "id_number")
    if _EIGHT_DIGITS.search(low):
        for m in matches_at(_LONG_NUMBER, low, sorted({i for r in runs for i in range(r - 4, r + 1) if i >= 0})):
            if overlaps(m.start(), m.end()):
                continue
            digits = _NOT_DIGIT.sub("", m.group())
            # a valid phone number is the phone check's; letters in front make it an ID ("XGH448…")
            if m.group().startswith("nct") or _REFERENCE_BEFORE.search(low, max(0, m.start() - 30), m.start()):
                continue
            nhs = len(digits) == 10 and m.group().isdigit() and digits[0] in "456789" and _nhs_valid(digits)
            if not m.group()[0].isalpha() and not nhs and _is_phone(m.group(), digits, regions, ""):
                continue
            add(m.start(), m.end(), "id_number")


# A name written in lower case ("tell jim hollis", "mi esposo, luis alberto ramírez"): only
# just after a cue, a known given name, and surnames that are not ordinary words.
_LOWER_WORD = re.compile(r"(?<![\w'])[a-záéíóúñü][a-záéíóúñü'-]+")
_LOWER_NAME = re.compile(r"(?P<first>[a-záéíóúñü]{2,}(?:-[a-záéíóúñü]{2,})?)\s+(?P<last>[a-záéíóúñü][a-záéíóúñü'-]+)"
                         r"(?:\s+(?P<second>[a-záéíóúñü][a-záéíóúñü'-]{2,}))?")


# Words that are given names in the English lists but ordinary Spanish or English words in a sentence.
_NOT_LOWER_NAME = frozenset(
    "esta este esto estos estas eso esa ese ella ellos una uno unos unas las los del con sin por para pero que muy mas "
    "tan ya hoy ayer bien mal todo toda todos cada otra otro algo nada siempre nunca tambien aqui alli donde cuando "
    "como porque solo sola dice dijo tiene tengo hace ser son fue era sus mis tus les nos entre desde hasta sobre "
    "will may hope mark bill frank rich grace joy faith chase page".split())


_SELF_WORDS = frozenset("im i'm name llamo soy".split())


def _lower_names(doc, cues, health, add, overlaps):
    low, raw = doc.low, doc.raw
    common, _, given, surnames = _word_lists()
    if low.isascii() and given.isdisjoint(doc.index().words) and not _SELF_WORDS.intersection(doc.index().words):
        return             # (most posts: no given name in lower case at all, and no "i'm" before one)

    def surname_like(word):
        word = _fold(word.split("'")[-1].split("-")[-1])
        return len(word) >= 3 and word not in common and word not in _NOT_LOWER_NAME

    done = scanned = -1
    for cue in cues:
        # (each word once, however many cues it follows)
        for w in _LOWER_WORD.finditer(low, max(cue, scanned), min(len(low), cue + 50)):
            word = w.group()
            self_named = False
            if word not in given and (word.isascii() and "-" not in word or _fold(word.split("-")[0]) not in given):
                # not a known given name: one only just after "i'm" or "me llamo", and not an ordinary word
                if len(word) < 3 or word in _NOT_LOWER_NAME or _fold(word) in common:
                    continue
                a = doc.to_raw(w.start())
                if _SELF_BEFORE.search(raw, max(0, a - 20), a) is None:
                    continue
                self_named = True
            m = _LOWER_NAME.match(low, w.start())
            first = _fold(m.group("first").split("-")[0]) if m else ""
            if (not m or m.start() < done or (first not in given and not self_named) or first in _NOT_LOWER_NAME
                    or _fold(m.group("last")) in _NOT_LOWER_NAME or not surname_like(m.group("last"))):
                continue
            a = doc.to_raw(m.start())
            if not raw[a].islower():
                continue           # capitalised names are read by the other rules
            end = m.end("second") if m.group("second") and surname_like(m.group("second")) else m.end("last")
            before = raw[max(0, a - 40):a]
            other = _OTHER_BEFORE.search(before) is not None
            if not (other or _SELF_BEFORE.search(before)) or overlaps(m.start(), end):
                continue
            if not _near(health(m.start() - _NEAR_CONDITION - 1, end + _NEAR_CONDITION + 1)[1], m.start(), end):
                continue
            add(m.start(), end, "name", "third" if other else "self")
            done = end
        scanned = max(scanned, cue + 50)


def _titled_and_form_names(doc, health, titled, caps, add, overlaps):
    """ "Mr Hamid Qureshi" beside his olanzapine; "Patient: MICHAEL KEEGAN" on a pasted letter."""
    raw = doc.raw
    common, _, given, surnames = _word_lists()
    found = [(m.start("first"), m.end("last"), m.group("first"), m.group("last")) for m in _TITLED.finditer(raw)] if titled else []
    for m in _FORM_NAME.finditer(raw) if caps else ():
        group = "name" if m.group("name") else "label"
        words = re.findall(r"[A-Za-z'\-]+", m.group(group))
        parts = [_fold(p) for w in words for p in w.split("-") if p]
        if (any(p in given or p in surnames for p in parts)
                and any(p not in common and len(p) >= 3 for p in parts[1:] + parts[:1])):
            found.append((m.start(group), m.end(group), words[0], words[-1]))
    for a, b, first, last in found:
        start, end = doc.from_raw(a), doc.from_raw(b)
        if overlaps(start, end) or _public_figure(f"{first} {last}"):
            continue
        if _near(health(start - _NEAR_CONDITION - 1, end + _NEAR_CONDITION + 1)[0], start, end):
            add(start, end, "name", "third" if _OTHER_BEFORE.search(raw[max(0, a - 40):a]) else "self")


def _id_number_like(doc, m, regions=(), cue=""):
    token = m.group("id")
    digits = sum(ch.isdigit() for ch in token)
    if not 5 <= digits <= 20 or _DATE_ONLY.match(token) or _REFERENCE_BEFORE.search(doc.low, max(0, m.start() - 30), m.start()):
        return False
    # digits alone that make a phone number ("clinic number … (617) 555-0100") are the phone check's,
    # unless they carry NHS's or CHI's check digit
    plain = _NOT_DIGIT.sub("", token)
    chi = len(plain) == 10 and 1 <= int(plain[:2]) <= 31 and 1 <= int(plain[2:4]) <= 12   # CHI: date of birth first
    return (not cue.startswith("clinic") or any(ch.isalpha() for ch in token) or len(plain) == 10 and (_nhs_valid(plain) or chi)
            or not _is_phone(token, plain, regions, ""))


def _ids_near_cues(doc, cues, regions, add, overlaps):
    low = doc.low
    for pos in cues:
        cue = _ID_CUE.match(low, pos)
        if cue:
            m = next((t for t in _ID_TOKEN.finditer(low, cue.end(), min(len(low), cue.end() + 90))
                      if _id_number_like(doc, t, regions, cue.group())), None)
            if m and not overlaps(m.start("id"), m.end("id")):
                add(m.start("id"), m.end("id"), "id_number")
        # "'M0092213' … they used my hospital number": the last ID with letters earlier in the sentence
        if _ID_OWNED.match(low, pos) and _OWNER_BEFORE.search(low, max(0, pos - 8), pos):
            s_start, _ = doc.sentence_at(pos)
            before = [t for t in _ID_TOKEN.finditer(low, max(s_start, pos - 80), pos)
                      if any(ch.isalpha() for ch in t.group("id")) and _id_number_like(doc, t)]
            if before and not overlaps(before[-1].start("id"), before[-1].end("id")):
                add(before[-1].start("id"), before[-1].end("id"), "id_number")


@functools.lru_cache(maxsize=20_000)
def _fold(word):
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))


def _address(doc, raw_start, raw_end, add, overlaps):
    start, end = doc.from_raw(raw_start), doc.from_raw(raw_end)
    if overlaps(start, end):
        return
    s_start, _ = doc.sentence_at(start)
    context = doc.low[s_start:end + 40]
    if _ORG_CONTEXT.search(context) and not _SELF_CONTACT.search(doc.sentence(start)):
        return
    add(start, end, "address")


@functools.lru_cache(maxsize=1)
def _public_figures():
    path = Path(__file__).with_name("public_figures.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def _public_figure(name):
    return _fold(" ".join(name.split())) in _public_figures()


def _not_person_before(raw, end):
    """`_NOT_PERSON_BEFORE.search(raw[:end])`, read only near `end` (not from the start of a long
    post): a match is the title, an optional "." and all the spaces just before `end`."""
    spaces = end
    while spaces and raw[spaces - 1].isspace():
        spaces -= 1
    return _NOT_PERSON_BEFORE.search(raw, max(0, spaces - len("Professor.")), end) is not None


def _name(doc, m, owner, add, overlaps):
    first, last = m.group("first"), m.group("last")
    if first in _TITLES or _not_person_before(doc.raw, m.start("first")) or _public_figure(f"{first} {last}"):
        return
    if not _plausible_name(first, last):
        return
    start, end = doc.from_raw(m.start("first")), doc.from_raw(m.end("last"))
    if not overlaps(start, end):
        add(start, end, "name", owner)

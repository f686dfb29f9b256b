# phi: the lexicon of filters/phi.py (MODERATION.md §3). Format: filters/lexicon.py.

@list HELPLINES: 988 | 18002738255 | 8002738255 | 116123 | 111 | 741741 | 131114 | 18334564566 | 8334564566 | 116111 | 08457909090 | 0800689999 | 1300224636 | 0508828865 | 085609090 | 911 | 999 | 112 | 000 | 18008264357 | 8008264357 | 024 | 8009112000 | 900100036 | 717003717 | 8882289427 | 5552590000 | 8008001000
@list ADDRESS_ES_WORDS: calle | c/ | avenida | av. | avda | plaza | pza. | paseo | camino | carrera | ronda | travesía | colonia | col.
@list TITLES: Dr | Doctor | Prof | Professor | Nurse | Sister | Mr | Mrs | Ms | Miss | Sir | Dame | Lord | Lady | Rev | Reverend | Father | Pastor

@define PHONE_CONTEXT: \b(?:call|text|txt|ring|phone|mobile|cell|number|no\.|tel|whats\s?app|signal|reach|contact|digits|landline|sms|msg|message|ll[aá]m\w*|tel[eé]fono|tlf|m[oó]vil|celular|cel|whats|contact\w*|escr[ií]b\w*|n[uú]mero|al)\b

@define SELF_CONTACT: \b(?:my\s+(?:personal\s+|own\s+|home\s+|work\s+)?(?:number|mobile|cell|phone|landline|digits|email|e-mail|address)|(?:reach|text|call|ring|contact|email|e-mail|message|whats\s?app|flick)\s+me|me\s+(?:on|at)|i\s+live|i'?m\s+at|our\s+(?:address|place|house|number)|my\s+place)\b

@define ORG_CONTEXT: \b(?:helpline|hotline|line|clinic|clinic's|surgery|practice|pharmacy|pharmacy's|hospital|office|foundation|society|association|trust|charity|service|centre|center|switchboard|reception|appointments?|department|ward|samaritans|crisis|nhs|org|organisation|organization|company|customer|support\s+line|library|church|hall|school|venue|meeting|suite|unit|uk|team|program(?:me)?|l[ií]nea|tel[eé]fono\s+de|asociaci[oó]n|fundaci[oó]n|cl[ií]nica|centro|hospital|ayudas?|gratuit[oa]|aecc|servicio|farmacia|consultorio|ayuntamiento|urgencias)\b

@define RELATION: (?:mum|mom|mother|dad|father|husband|wife|partner|sister|brother|son|daughter|friend|aunt|auntie|uncle|gran|grandma|granny|grandmother|grandad|grandpa|grandfather|cousin|neighbou?r|boyfriend|girlfriend|fianc[eé]e?|kid|child|niece|nephew|colleague|coworker|flatmate|roommate|carer|caregiver|(?:mother|father|sister|brother|son|daughter)-in-law|stepmum|stepmom|stepdad|stepson|stepdaughter)

@define SUFFIX: (?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Boulevard|Blvd|Way|Close|Crescent|Cres|Place|Pl|Terrace|Tce|Grove|Gardens|Gdns|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Mews|Row|Walk|Hill|View|Park|Green|Trail|Rise|Vale|Wynd|Loop)

@define ADDRESS_ES: \b(?:[Cc]alle|C/|[Aa]venida|[Aa]v\.|[Aa]vda\.?|[Pp]laza|[Pp]za\.|[Pp]aseo|[Cc]amino|[Cc]arrera|[Rr]onda|[Tt]ravesía|[Cc]olonia|[Cc]ol\.)\s*(?:de\s+(?:la\s+|los\s+|las\s+|el\s+)?)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+(?:\s+(?:de\s+(?:la\s+|los\s+|las\s+)?)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+){0,3},?\s+(?:n[º°o]\.?\s*|#\s*)?\d{1,5}\b(?:,?\s*(?:\d{1,2}\s*[º°ªo]?\s*[A-Za-z]?|depto\.?\s*\w+|piso\s+\w+|bajo))?

@define ID: \b(?:mrn|medical\s+record\s+(?:number|no)|hospital\s+(?:number|no|#|id)|patient\s+(?:number|no|#|id)|member\s+(?:id|number|no|#)|insurance\s+(?:id|number|no)|policy\s+(?:number|no|#)|medicare\s+(?:number|no|card\s+number)|medicaid\s+(?:id|number)|chi\s+number|nhi\s+(?:number|no)|pps\s+number|health\s+card\s+number|subscriber\s+id|unit\s+number|hospital\s+no|case\s+number|nss|n[uú]mero\s+de\s+(?:afiliaci[oó]n|paciente|historia|la\s+seguridad\s+social|seguro(?:\s+social)?|expediente)|afiliaci[oó]n|historia\s+cl[ií]nica|tarjeta\s+sanitaria)\.?\s*(?:is|es|:|#|=)?\s*(?:el\s+)?(?P<id>(?=[a-z0-9 /-]*\d[a-z0-9 /-]*\d[a-z0-9 /-]*\d[a-z0-9 /-]*\d)[a-z0-9][a-z0-9/-]*(?:\s[0-9][0-9/-]*){0,3})

@define MONTH: (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)

@define MES: (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)

@define CONDITION_ES: \b(?:vih|sida|diabetes|diab[eé]tic[oa]|lupus|c[aá]ncer|esclerosis|epilepsia|depresi[oó]n|ansiedad|artritis|asma|crohn|colitis|epoc|fibromialgia|migra[nñ]a|insuficiencia|hepatitis|bipolar|esquizofrenia|parkinson|alzheimer|tiroides|hipotiroidismo|celiac[oa]|ri[nñ][oó]n|di[aá]lisis|trasplante|anorexia|bulimia|ela|sobredosis|ictus|infarto|demencia|autismo|tdah|psoriasis|endometriosis|cirrosis|leucemia|tumor|ingresad[oa]|psiquiatr[ií]a|quimio\w*|insulina)\b

@define CLINICIAN_BEFORE: (?:\b(?:dr|doctor|prof|professor|nurse|gp|consultant|surgeon|physician|rheum\w*|neuro\w*|endo\w*|cardio\w*|onco\w*|derm\w*|gastro\w*|nephro\w*|pulmo\w*|psychiatrist|therapist|specialist|pharmacist|dietitian|m[eé]dic[oa]|doctora?|enfermer[oa]|especialista)\.?,?\s+(?:is\s+|es\s+)?)$

# Examples (tests/unit/test_lexicons.py): + a section that must find it, - nothing found


# Examples (tests/unit/test_lexicons.py): + a section that must find it, - nothing found
+ ID: My dad's MRN is 55102938 if that helps the ward find him
+ ID: Insurance member ID: WXQ883214905, they denied my Dupixent again
+ CONDITION_ES: Born on 3 June 1975 and diagnosed with lupus at 40.
+ CONDITION_ES: I'm Aoife Brennan, 27, Crohn's since 2015, from Galway.
+ RELATION: Text 07700 900782, that's my personal mobile, not the clinic.
+ RELATION: Contact my husband on (503) 555-0148 if I don't reply, he's my carer
+ PHONE_CONTEXT: Auckland folks with asthma, flick me a text: 021 555 0187
+ PHONE_CONTEXT: my cell is 415-555-0198, text me if you're in SF and have lupus
- motherf***ing migraine won't quit
- mother f***er of a migraine today
- Sussex has a great lupus nurse service.
- lupus: 1, me: 0 today. rematch tomorrow

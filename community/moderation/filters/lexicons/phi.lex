# phi: the lexicon of filters/phi.py (MODERATION.md §3). Format: filters/lexicon.py.

@list HELPLINES: 988 | 18002221222 | 8002221222 | 0800611116 | 18002738255 | 8002738255 | 116123 | 111 | 741741 | 131114 | 18334564566 | 8334564566 | 116111 | 08457909090 | 0800689999 | 1300224636 | 0508828865 | 085609090 | 911 | 999 | 112 | 000 | 18008264357 | 8008264357 | 024 | 8009112000 | 900100036 | 717003717 | 8882289427 | 5552590000 | 8008001000
@list ADDRESS_ES_WORDS: pasaje | calle | c/ | avenida | av. | avda | plaza | pza. | paseo | camino | carrera | ronda | travesía | colonia | col.
@list TITLES: Dr | Doctor | Prof | Professor | Nurse | Sister | Mr | Mrs | Ms | Miss | Sir | Dame | Lord | Lady | Rev | Reverend | Father | Pastor

@define PHONE_CONTEXT: \b(?:call|text|txt|ring|phone|mobile|cell|number|no\.|tel|whats\s?app|signal|reach|contact|digits|landline|sms|msg|message|ll[aá]m\w*|tel[eé]fono|tlf|m[oó]vil|celular|cel|whats|contact\w*|escr[ií]b\w*|n[uú]mero|al)\b

@define SELF_CONTACT: \b(?:my\s+(?:personal\s+|own\s+|home\s+|work\s+)?(?:number|mobile|cell|phone|landline|digits|email|e-mail|address)|(?:reach|text|call|ring|contact|email|e-mail|message|whats\s?app|flick)\s+me|me\s+(?:on|at)|i\s+live|i'?m\s+at|we'?re\s+at|we\s+live|(?:send|mail|post|write|bring|drop)\s+(?:\w+\s+){0,6}to\s+me|our\s+(?:address|place|house|home|flat|number)|my\s+(?:place|house|home|flat)|mi\s+(?:n[uú]mero|tel[eé]fono|cel\w*|m[oó]vil|correo|casa|direcci[oó]n)|estoy\s+en|vivo\s+en|vivimos\s+en|nuestra\s+casa|la\s+casa\s+de\s+mi|escr[ií]b\w*(?:me|le)|ll[aá]m\w*(?:me|le)|marc\w*(?:me|le)|manden|mandad|env[ií]en|a\s+ella|a\s+[eé]l|(?:call|text|ring|message|phone)\s+(?:her|him)|(?:old|new|home|current)\s+address|i\s+moved|we\s+moved)\b

@define ORG_CONTEXT: \b(?:helpline|hotline|line|outpatients?|secretary|study\s+team|main\s+number|bookings?|radiology|x-ray|department|unidad|sede|oficina|clinic|clinic's|surgery|practice|pharmacy|pharmacy's|hospital|office|foundation|society|association|trust|charity|service|centre|center|switchboard|reception|appointments?|department|ward|samaritans|crisis|nhs|org|organisation|organization|company|customer|support\s+line|library|church|hall|school|venue|meeting|suite|unit|uk|team|program(?:me)?|l[ií]nea|tel[eé]fono\s+de|asociaci[oó]n|fundaci[oó]n|cl[ií]nica|centro|hospital|ayudas?|gratuit[oa]|aecc|servicio|farmacia|consultorio|ayuntamiento|urgencias)\b

@define RELATION: (?:mum|mom|mother|dad|father|husband|wife|partner|sister|brother|son|daughter|friend|aunt|auntie|uncle|gran|grandma|granny|grandmother|grandad|grandpa|grandfather|cousin|neighbou?r|boyfriend|girlfriend|fianc[eé]e?|kid|child|niece|nephew|colleague|coworker|flatmate|roommate|carer|caregiver|(?:mother|father|sister|brother|son|daughter)-in-law|stepmum|stepmom|stepdad|stepson|stepdaughter|stepbrother|stepsister|granddaughter|grandson|grandchild|grandkid|grandbaby|goddaughter|godson|godmother|godfather|nan|nana|twin|bestie|best\s+mate|hubby|spouse|fianc[eé]e?|other\s+half)

@define SUFFIX: (?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Boulevard|Blvd|Way|Close|Crescent|Cres|Place|Pl|Terrace|Tce|Grove|Gardens|Gdns|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Mews|Row|Walk|Hill|View|Park|Green|Trail|Rise|Vale|Wynd|Loop)

@define ADDRESS_ES: \b(?:[Cc]alle|C/|[Aa]venida|[Aa]v\.|[Aa]vda\.?|[Pp]laza|[Pp]za\.|[Pp]aseo|[Cc]amino|[Cc]arrera|[Rr]onda|[Tt]ravesía|[Pp]asaje|[Cc]olonia|[Cc]ol\.)\s*(?:del\s+|de\s+(?:la\s+|los\s+|las\s+|el\s+)?)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+(?:\s+(?:de\s+(?:la\s+|los\s+|las\s+)?)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+){0,3},?\s+(?:n[º°o]\.?\s*|#\s*)?\d{1,5}\b(?:,?\s*(?:\d{1,2}\s*[º°ªo]?\s*[A-Za-z]?|depto\.?\s*\w+|piso\s+\w+|bajo))?

@define ID: \b(?:mrn|medical\s+record\s+(?:number|no)|hospital\s+(?:number|no|#|id)|patient\s+(?:number|no|#|id)|member\s+(?:id|number|no|#)|insurance\s+(?:id|number|no)|policy\s+(?:number|no|#)|medicare\s+(?:number|no|card\s+number)|medicaid\s+(?:id|number)|chi\s+number|nhi\s+(?:number|no)|pps\s+number|health\s+card\s+number|subscriber\s+id|unit\s+number|hospital\s+no|case\s+number|nss|n[uú]mero\s+de\s+(?:afiliaci[oó]n|paciente|historia|la\s+seguridad\s+social|seguro(?:\s+social)?|expediente)|afiliaci[oó]n|historia\s+cl[ií]nica|tarjeta\s+sanitaria|aadhaar(?:\s+(?:number|no|card))?|(?:n[uú]mero\s+de\s+)?p[oó]liza|cip|c[oó]digo\s+cip|passport(?:\s+(?:number|no|#))?|pasaporte|driver'?s\s+licen[cs]e(?:\s+(?:number|no|#))?|driving\s+licen[cs]e(?:\s+(?:number|no))?|licencia(?:\s+de\s+(?:conducir|manejo))?|ihi(?:\s+(?:number|no))?|nhi|ni\s+(?:number|no)|national\s+insurance(?:\s+(?:number|no))?|ppsn?(?:\s+(?:number|no))?|social\s+insurance(?:\s+(?:number|no))?|sin\s+(?:number|no|#)|c[eé]dula(?:\s+de\s+ciudadan[ií]a)?|curp|rfc|n(?:[uú]m[eé]ro|°|º)\s+de\s+s[eé]cu(?:rit[eé]\s+sociale)?|s[eé]cu(?:rit[eé]\s+sociale)?|carte\s+vitale|ohip(?:\s+(?:number|no))?|health\s+card|medicare\s+card|tax\s+(?:id|number)|itin|id\s+(?:number|no|card)|patient\s+id|versicherungsnummer|krankenversicherungsnummer|codice\s+fiscale|bsn|cpf|dui|ine)\.?\s*(?:is|es|:|#|=)?\s*(?:el\s+)?(?:n[º°o]\.?\s*|no\.\s*|number\s+)?(?P<id>(?=[a-z/-]*\s?\d)(?=[a-z0-9 /-]*\d[a-z0-9 /-]*\d[a-z0-9 /-]*\d[a-z0-9 /-]*\d)[a-z0-9][a-z0-9/-]*(?:\s[0-9][0-9/-]*){0,6})

@define MONTH: (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)

@define MES: (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)

@define CONDITION_ES: \b(?:vih|sida|diabetes|diab[eé]tic[oa]|lupus|c[aá]ncer|esclerosis|epilepsia|depresi[oó]n|ansiedad|artritis|asma|crohn|colitis|epoc|fibromialgia|migra[nñ]a|insuficiencia|hepatitis|bipolar|esquizofrenia|parkinson|alzh[eé]imer|tiroides|hipotiroidismo|celiac[oa]|ri[nñ][oó]n|di[aá]lisis|trasplante|anorexia|bulimia|ela|sobredosis|ictus|infarto|demencia|autismo|tdah|psoriasis|endometriosis|cirrosis|leucemia|tumor|ingresad[oa]|psiquiatr[ií]a|quimio\w*|insulina)\b

@define CLINICIAN_BEFORE: (?:\b(?:dr|doctor|prof|professor|nurse|gp|consultant|surgeon|physician|rheum\w*|neuro\w*|endo\w*|cardio\w*|onco\w*|derm\w*|gastro\w*|nephro\w*|pulmo\w*|psychiatrist|therapist|specialist|pharmacist|dietitian|m[eé]dic[oa]|doctora?|enfermer[oa]|especialista)\.?,?\s+(?:is\s+|es\s+)?)$

# --- names, dates and numbers that need no "DOB" or "my name is" (issue 13) ---------------
# Health words a private person's full name is phi beside, besides the shared condition list:
# diseases by their endings, treatments and events.
@define HEALTH_MORE: \b(?:leuka?emia|lymphoma|myeloma|melanoma|sarcoma|tumou?rs?|chemo\w*|radiotherapy|radiation|
  duchenne|muscular\s+dystrophy|cerebral\s+palsy|down\s+syndrome|autis\w*|heart\s+attack|cardiac|pacemaker|bypass|
  angioplasty|stent|resection|whipple|biopsy|mastectomy|amputation|[rps]rms|me/cfs|aneurysm|
  sepsis|pneumonia|neumon[ií]a|acv|hypo|hypos|hypoglyc\w*|hiperglucemia|hipoglucemia|psychosis|psicosis|
  pacemakers?|osteoporosis|addison'?s|cushing'?s|graves'?|inhalers?|epipen|nebuli[sz]er|cpap|insulin\s+pump|cgm|
  laparoscopy|endo|artrosis|espondilitis|bpd|ventilator|feeding\s+tube|stoma|ostomy|colostomy|ileostomy|dialysis|transplant|sclerosis|warrior|survivor|
  quimioterapia|radioterapia|marcapasos)\b
# Diseases by their endings (English and Spanish): read only when a word of the post ends so.
@list HEALTH_ENDINGS: itis | osis | emia | aemia | oma | pathy | algia | ectomy | otomy | plasty | trophy | patía | patia | ectomía | ectomia
@define HEALTH_SUFFIX: \b\w{3,}(?:itis|osis|emia|aemia|oma|pathy|algia|ectomy|otomy|plasty|trophy|pat[ií]a|ectom[ií]a)\b
# Health events beside a name introduced as someone's (their own full name needs a condition).
@define HEALTH_CONTEXT: \b(?:a&e|er|icu|ward|ambulance|hospital|hospitali[sz]ed|admitted|surgery|operation|diagnos\w*|
  symptoms?|pains?|chemo|dialysis|seizures?|meds|medication|treatment|ambulancia|urgencias|ingresad[oa]|
  diagn[oó]stic\w*|tratamiento|medicaci[oó]n|operaci[oó]n|oxygen|inhaler|sepsis|port|infusion|insulin|wheelchair|
  hospice|ox[ií]geno|inhalador|silla\s+de\s+ruedas|uci|insulina|cirug[ií]a|quimio\w*|sick|ill|unwell|poorly|
  recovering|recovery|rehab|transplant|enferm[oa]|malit[oa]|infusions?|discharged|ventilator|hospitales?|
  hospitali[sz]ad[oa]|pacemaker|internad[oa]|internaron|psych\s+unit|care\s+home|paramedics|palliative|terminal|
  goodbye|despedida|suicid\w*|overdose|sobredosis|kill\s+myself|end\s+(?:it|my\s+life)|matarme|quitarme\s+la\s+vida|
  despertara|despertar|better\s+off|burden|carga|cuidarme)\b
# Someone else named as such: a relation word, a prayer, a greeting, news asked or sent.
@define OTHER_CUE: (?:\b(?:my|our)\s+(?:little\s+|dear\s+|late\s+|baby\s+|eldest\s+|youngest\s+|older\s+|younger\s+|
  big\s+|twin\s+)?<<RELATION>>s?(?:'s)?(?:\s+is|\s+are)?(?:,?\s+[a-z]+\s+(?:and|&|y))?|
  \b(?:mi|mis|nuestr[oa])\s+(?:hij[oa]|madre|padre|mam[aá]|pap[aá]|marido|espos[oa]|herman[oa]|abuel[oa]|t[ií][oa]|
  prim[oa]|sobrin[oa]|vecin[oa]|amig[oa]|novi[oa]|suegr[oa]|compa[nñ]er[oa]|pareja|niet[oa])(?:\s+es|\s+se\s+llama)?|
  \bpray(?:ing)?\s+for|\bprayers?\s+(?:for|request:?)|\bthoughts\s+(?:are\s+)?with|\bthinking\s+of|\bdear|
  \bquerid[oa]|\b(?:rezad|recen|oren|oremos)\s+por|\btell|\bsay\s+(?:hi|hello)\s+to|\b(?:love|hugs|hello|hi)\s+to|
  \bsend(?:ing)?\s+(?:my\s+|our\s+|lots\s+of\s+|all\s+my\s+)?(?:love|hugs|prayers|strength|best\s+wishes|
  (?:good|positive|healing)\s+vibes)\s+(?:to|for)|\bshout\s*-?\s*outs?\s+to|\bcongrat\w*\s+(?:to)?|\bwelcome(?:\s+back)?|
  \b(?:know|wondering|wonder|asking|heard)\s+how|\bheard\s+from|\bnews\s+(?:of|from|about)|\bupdate\s+on|\brip|
  \bin\s+memory\s+of|\bremembering|\bmiss(?:ing)?|\bcondolences\s+to|\bfellow\s+member|
  \bd[ií]ganle\s+a|\bdile\s+a|\bsaludos?\s+(?:a|para)|\babrazos?\s+(?:a|para)|\bfelicidades\s+a|\b[aá]nimo\s+a|
  \bfuerza\s+a|\brecuerdos\s+a|\bpido\s+oraci[oó]n\s+por|\b(?:she|he)(?:'s|\s+is|\s+was)|\b(?:her|his)\s+name\s+(?:is|was|'s)|
  \byou(?:'re|\s+are)|\bnamed|\bthanks?\s+(?:to|you)|\bthank\s+you,?|\bgrateful\s+to|\bgracias\s+a|\bbut|\bcalled|\bin\s+your\s+(?:thoughts|prayers)|\bse\s+llama|\bes|\bhe\s+heard\s+that)
# The author introducing or signing as themselves.
@define SELF_BEFORE: (?:\b(?:i'?m|i\s+am|my\s+name\s+is|me\s+llamo|soy|mi\s+nombre\s+es|(?:real|full)\s+name(?:\s+is)?:?|
  nombre\s+(?:real|completo)(?:\s+es)?:?|name'?s|name:|this\s+is|it'?s\s+me,?|introducing\s+myself:?|about\s+me:?|(?:and|&|y)\s+me,|
  yo,|firmad[oa]:?|atentamente,?)\s+|(?:\n|[—–~]|--)\s*)$

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
+ HEALTH_MORE: Our son Ethan Whitlock-Barnes is 9 and has Duchenne.
+ OTHER_CUE: tell Jim Hollis I said hi, he's back on chemo and not checking the forum much
+ OTHER_CUE: Sending love to Kelly-Ann Marsh who has just started dialysis.
+ HEALTH_MORE: Neuro moved me onto Ocrevus last month, so far so good. — Helen Marsh, RRMS
- Dr. Beatriz Almansa is the best rheumatologist, she finally diagnosed my lupus.

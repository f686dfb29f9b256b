# spam: the lexicon of filters/spam.py (MODERATION.md §3). Format: filters/lexicon.py.


[promotion]
\b(?:discount|promo|coupon|voucher|referral|invite|affiliate)\s+(?:code|link)\b|<<after: use | with | enter | use my | with my | enter my>>code\s+[a-z0-9]{3,}\b|\bcode\s+[a-z]*\d+[a-z0-9]*\b|\d+\s*%\s*(?:off|discount|less|below)\b|\b(?:limited|only\s+\d+)\s+(?:spots|places|time|offer|stock)\b|\b(?:spots|places)\s+left\b|\btoday\s+only\b|\b(?:free|fr33)\s+(?:masterclass|webinar|trial|shipping|delivery|giveaway|gift)\b|\bgiveaway\b|\blink\s+(?:in|below|on)\s+(?:my\s+)?(?:bio|profile|comments)?|\bclick\s+(?:here|the\s+link|now|below)\b|\bclick\b|\b(?:buy|order|shop|get\s+yours|sign\s+up|subscribe|book|join)\s*(?:now|today|here|online|at|via|:)|\bcheck\s+out\s+my\b|\b(?:coaching|wellness|mentoring)\s+(?:program|programme|course|package)\b|\bhot\s+deal\b|\b(?:book|order|buy|claim|grab|get)\s+(?:your|a)\s+(?:free\s+)?(?:\w+\s+)?(?:now|today|here|consultation|spot|place|session|sample)\b|\bfree\s+samples?\b|\bjust\s+pay\s+(?:shipping|postage)\b|\bask\s+me\s+how\b|\bstorefront\b|\bbest\s+price\b|\bwholesale\b|\bhalf\s+price\b|\bcheap(?:est)?\s+(?:[a-z]+\s+){0,3}?(?:online|here|now|!)|\bcheap\s+\w+\s*!|\bhot\s+deal\b|\bpatreon\b|\bselling\b|<<after: for>>sale\b|\bpaypal\s+(?:me|accepted)\b|\bcash\s*app\b|\bvenmo\s+me\b

[price]
[$£€](?<![\w.][$£€])\s?\d[\d,.]*+(?!\s*(?:/|per|a)\s*(?:day|week|month|hour|survey))|\d+\s*(?:dollars|pounds|euros)\b

[cure_claim]
\b(?:cures?|reverses?|heals?|eliminates?)\s+(?:\w+\s+){0,2}?(?:forever|naturally|for\s+good|permanently|in\s+\d+\s+(?:days|weeks))\b|\b(?:miracle|secret)\s+(?:cure|remedy|protocol)\b|\bdoctors\s+(?:don'?t|won'?t)\s+want\s+you\s+to\s+know\b

[contact]
\b(?:dm|pm|inbox|message|text|whats\s?app|telegram|wickr|signal|kik|snapchat)\s+(?:me|us|him|her)\b|\b(?:contact|reach)\s+(?:him|her|them|us)\b|<<after: on | via>>(?:whats\s?app|telegram|wickr|kik|signal)\b|\b(?:whats\s?app|telegram|wickr|kik)\s*[:@+]|\bemail\s+(?:him|her|them)\b|(?<=\be-)mail\s+(?:him|her|them)\b

[money]
\b(?:earn|make|making|earning)\s+(?:up\s+to\s+)?(?:[$£€]\s?\d[\d,.]*k?|\d[\d,.]*k?\s*(?:dollars|pounds|a\s+(?:day|week|month)))|[$£€]\s?\d[\d,.]*k?\s*(?:/|per|a)\s*(?:day|week|month|hour|survey)\b|\bpassive\s+income\b|\bfinancial\s+freedom\b|<<after: be your>>own\s+boss\b|\bjoin\s+(?:my|our)\s+team\b|\bwork\s+from\s+home\b|\bfrom\s+(?:your|my)\s+bed\b|\b(?:crypto|bitcoin|btc|forex|nft|token|trading\s+signals)\b|\binvest\s+(?:with|in)\b|\d+\s*%\s+returns?\b|\bloans?\s+approved\b|\bbad\s+credit\b|\bcash\s+fast\b|\bgift\s+card\b|\bpaid\s+(?:survey|participants)\b|\bper\s+survey\b|<<after: my>>mentor\b|\bmlm\b|\bdistributor\b|\bopportunity\b

[pill_mill]
<<after: no | without | without a>>(?:rx|prescription|script)\b|\bovernight\s+(?:delivery|shipping)\b|\bdiscreet\s+(?:shipping|packaging|delivery)\b|<<after: no>>questions\s+asked\b|\bshipped\s+(?:overnight|worldwide|fast)\b|\bworldwide\s+shipping\b|\bshipping\s+worldwide\b|\b100\s*%\s+(?:genuine|legit|real)\b|\bgenuine\s+stock\b|<<after: the | for>>menu\b|\bonline\s+pharmacy\b|\bbars\b

[herbal_doctor]
\b(?:dr\.?|doctor|priest|spell\s*caster|herbalist|native\s+doctor|baba)\s+\w+(?:\s+\w+)?\s+(?:herbal\s+\w+\s+)?(?:cured|healed|cure|brought\s+back)\b|\b(?:cured|healed)\s+(?:of|my|me)\b.{0,80}\b(?:dr\.?|doctor|herbal|spell)\b

[phishing]
\b(?:verify|confirm|validate|update|reactivate)\s+(?:your\s+)?(?:[\w-]+\s+){0,2}?(?:account|login|password|identity|details)\b|\b(?:account|profile)\s+(?:will\s+be|has\s+been)\s+(?:deleted|closed|suspended|disabled)\b|\baccount\s+(?:has\s+been\s+)?(?:flagged|suspended|locked|compromised)\b|\bcongratulations\b.{0,60}\b(?:selected|won|winner)\b|\bclaim\s+(?:here|your|now)\b|\bwithin\s+24\s*h

# Examples (tests/unit/test_lexicons.py): + a section that must find it, - nothing found
+ promotion: I make $300 a day from my phone, ask me how! 💸💸
+ promotion: Selling my leftover Humira pens, 4 boxes, message me for price
+ price: Lose 20 pounds in 2 weeks with our miracle keto pills!!! Order now at ketomiracle.example
+ price: Buy followers and likes for your chronic illness blog, 10k for $9.99: socialboost-cheap.net
+ cure_claim: Throw away your inhalers! Our breathing course cures asthma forever. Sign up: breathefree.example/join
+ cure_claim: Throw away your inhalers! Our salt-cave breathing device reverses asthma naturally. Order now at breathefree-salt.com
+ contact: S3LLING X@nax 2mg bars, message me on Wickr: painfreeplug
+ contact: 💰 Make $500/day from home! No experience needed. DM me 'INFO' 💰
+ money: Want to be your own boss? Join my team selling essential oils, DM me 💜
+ money: Earn $25 per survey! Use my referral link: surveycash.example/ref=lupusgal
+ pill_mill: Buy real Adderall and Xanax bars, discreet, DM for menu
+ pill_mill: DM me for wholesale prices on Humira pens, genuine stock from Turkey.
+ herbal_doctor: Spell caster Dr Zuma cured my HIV and I stopped my ARVs. Contact: drzumaspells@example.com
+ herbal_doctor: Dr Ayo cured my sister's sickle cell with herbs, contact him on WhatsApp +234 809 555 0111
+ phishing: Verify your Patient Commons account now or it will be deleted: pc-verify.example/login
+ phishing: Dear member, unusual sign-in detected. Please confirm your password here: bit.ly/3xSecureHelp
- GoodRx coupon saved me $200 on my Xifaxan this month.
- Support group tonight at 7 on Zoom, link in the pinned post.
- Best price I found for test strips was at Costco, $25 for 50.
- my cell is 415-555-0198, text me if you're in SF and have lupus

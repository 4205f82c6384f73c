"""The word lists phrase reading relies on: words that never start or end a name, the
trade's own vocabulary, and the qualifiers that only describe it (data, no logic)."""

import re

# Verbs: a phrase holding one is a clause of a headline ("GodDamn Ransomware Uses
# PoisonX"), not a name, unless headlines write it as a name ("Have I Been Pwned").
VERB_WORDS = frozenset("""
    are be been can could did do does had has have is was were will would may might says
    said get gets got go goes going come comes need needs know knows make makes made take
    takes use uses used using want wants see sees tell tells keep keeps help helps look looks
""".split())
# Words that carry no subject; they may sit inside a phrase ("Bank of America") but never
# start or end one.
FUNCTION_WORDS = VERB_WORDS | frozenset("""
    a an and as at by for from how i if in into it its me my no not of off on or our out
    over so than that the their them then there these they this those to up us we what when
    where which while who why with you your all any about after against amid before behind
    between but during down each more most now via vs just also here best
    one two three four five six seven eight nine ten dozen dozens hundred hundreds
    thousand thousands million millions billion billions
""".split())
# Verbs headlines put right after a name ("UNC1069 Targets …"): inside a headline they
# are sentence-case evidence like any word, but no name starts or ends with one.
HEADLINE_VERBS = frozenset("""
    targets targeting warns warned urges unveils launches announces reveals deploys abuses
    spreads hits exposes claims orders bans fines sues releases adds confirms enables
    expands lets finds allows disrupts raises delivers pleads introduces offers faces
    uncovers hijacks bypasses steals infects evolves resurfaces seizes affects leverages
    publishes suffers dismantles discloses identifies joins fuels retires fixes patches
    emerges requests acquires denies admits removes disables halts debuts boosts delays
    extends closes opens shuts flags escalates intensifies resumes threatens demands
    extorts impersonates weaponizes calls tells pauses plans pays settles agrees ships
    buys sells cuts signs wins loses scraps kills blocks drops rolls files gives
""".split())
# Words no name starts or ends with, and the verbs that make a phrase a headline's clause.
NEVER_AT_EDGE = FUNCTION_WORDS | HEADLINE_VERBS
CLAUSE_VERBS = VERB_WORDS | HEADLINE_VERBS
# What headlines write before a person's name ("President Biden", "Telegram CEO Pavel
# Durov") or after it ("the Trump administration"): a person is no trend by itself.
PERSON_TITLES = frozenset("""
    president president-elect senator sen. rep. representative congressman congresswoman
    governor gov. secretary minister chancellor ambassador judge ceo cto ciso founder
    attorney general attorney-general
    co-founder chairman chairwoman commissioner mayor director billionaire mr. ms. dr.
    prince king queen pope
""".split())
PERSON_FOLLOWERS = frozenset("administration admin presidency cabinet".split())
# Past participles not ending in -ed: "AI-driven", "state-backed" describe, name nothing.
IRREGULAR_PARTICIPLES = frozenset("""
    driven written stolen hidden taken given known shown grown drawn born built held led
    run sent spent bound found caught brought bought sold told made
""".split())
# Endings of words that describe rather than name ("agentic", "fileless", "generative").
DESCRIBING_ENDINGS = ("ic", "ive", "less", "ous")
CALENDAR_WORDS = frozenset("""
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday week weekly month monthly
    year annual today yesterday tomorrow holiday holidays season christmas summer winter
    spring autumn weekend jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
COMPASS_WORDS = frozenset("""
    north south east west northern southern eastern western southeast southwest northeast
    northwest southeastern
""".split())
# Adjectives of nationality, and peoples without a country of their name ("Uyghur"),
# name no subject alone ("Chinese"), only inside a phrase; the regular ones
# ("Romanian", "Brazilian") are formed from the gazetteer's countries.
DEMONYMS = frozenset("""
    american australian british canadian chinese dutch european french german indian
    iranian israeli italian japanese korean pakistani russian spanish turkish ukrainian
    vietnamese asian african arab latin nordic polish swiss taiwanese thai
    uyghur uyghurs tibetan tibetans kurdish kurds
""".split())
# Typographic quotes and dashes are written as escapes: they look like ASCII ones.
APOSTROPHES, QUOTES, DASHES = "'\u2019", '"\u201c\u201d', "\u2013\u2014\u2026"
# Security news vocabulary: always covered, never one subject, so never a theme or an
# event's name by itself ("RCE", "actively exploited", a product category such as "SIEM");
# inside a name they are fine ("Citrix Bleed", "Lumma Stealer", "AI SOC").
VOCABULARY = frozenset("""
    rce lpe eop ssrf csrf xss xxe sqli idor poc dll cve cves apt c2 ioc iocs ttps
    zero-day zero-days 0-day 0day exploit exploits
    exploited exploitation vulnerability vulnerabilities flaw flaws bug bugs patch patches
    malware ransomware phishing botnet botnets backdoor backdoors spyware stealer stealers
    infostealer infostealers trojan trojans rat rats worm wiper loader dropper rootkit
    decryptor decryptors darknet exfiltration
    keylogger hacker hackers hacking attacker attackers cyberattack cyberattacks attack
    attacks breach breaches scam scams fraud ddos threat threats campaign campaigns
    cybercrime cybercriminals cybersecurity security privacy data actively
    0-click 1-click zero-click one-click
    soc siem edr xdr mdr ndr mfa 2fa iam pam dlp casb sase ztna waf soar cspm cnapp
    vpn vpns firewall firewalls antivirus endpoint endpoints
    dns ip ips api apis url urls ciso cisos ceo ceos cio cto sms llm iot genai
    ssh rdp smb tls ssl http https ftp sftp vnc isp isps msp msps bec
    hacktivist hacktivists smishing vishing quishing chatbot chatbots toolkit toolkits
    phisher phishers scammer scammers fraudster fraudsters raas maas phaas captcha captchas
    uefi esim esims ldap sideloading clipper clippers brute-force
    byovd malvertising misconfiguration misconfigurations deep-dive
    dos tbps gbps mbps pps rps vm vms
    aitm mitm oauth sso saml rmm sdk sdks lnk svg observability cli
    sextortion cryptojacking cryptomining cryptominer cryptominers skimmer skimmers
    skimming robocall robocalls fileless hypervisor hypervisors devops ci/cd
""".split()) | frozenset({
    "actively exploited", "remote code execution", "code execution", "privilege escalation",
    "authentication bypass", "data breach", "data breaches", "threat actor", "threat actors",
    "cyber attack", "cyber attacks", "security flaw", "security flaws", "critical flaw",
    "critical vulnerability", "zero day", "proof of concept", "supply chain attack",
    "supply chain attacks", "ransomware attack", "ransomware attacks", "ransomware gang",
    "phishing campaign", "malware campaign", "security update", "security updates",
    "dark web", "secure boot", "zero trust", "credential stuffing", "brute force",
    "password spraying", "money laundering", "deep dive", "deep dives", "credit card",
    "credit cards", "gift card", "gift cards", "social media", "law enforcement",
    "seo poisoning", "pig butchering", "dns hijacking", "red teaming",
    "social engineering", "prompt injection", "prompt injections", "qr code", "qr codes",
    # Classes of flaws, in every week's advisories ("MediaArea heap-based buffer overflow").
    "buffer overflow", "buffer overflows", "heap overflow", "stack overflow",
    "use-after-free", "sql injection", "command injection", "code injection",
    "path traversal", "directory traversal", "cross-site scripting", "denial of service",
    "memory corruption", "race condition", "integer overflow", "out-of-bounds write",
    "out-of-bounds read", "type confusion", "insecure deserialization",
})
# Kinds of malware a name ends with ("STX RAT", "Raspberry Robin worm"): unlike "flaws"
# or "attacks", the phrase names the thing itself.
KINDS = frozenset("""
    rat worm wiper loader dropper trojan backdoor stealer infostealer botnet rootkit
    keylogger clipper spyware ransomware
""".split())

# What an organisation does in a headline right after its name ("Fortinet patches",
# "Europol dismantles", "CISA warns"): threat actors and malware are never written so.
ORGANISATION_VERBS = frozenset("""
    says said warns warned urges confirms confirmed announces announced unveils unveiled
    launches launched releases released patches patched fixes fixed denies denied
    discloses disclosed reports reported sues sued fines fined acquires acquired
    dismantles dismantled arrests arrested seizes seized adds added expands introduces
    debuts partners updates addresses issues notifies investigates probes rolls
""".split())

# Words that head a name written capitalised before it ("Operation Endgame", "Project
# Glasswing"): common words, yet the name is cut short without them.
NAME_HEADS = frozenset({"operation", "project"})
# What a company's full name adds to its short one ("Palo Alto Networks"): nothing new.
CORPORATE = frozenset("""
    networks systems technologies technology software security inc corp corporation
    group labs solutions communications holdings
""".split())

# Whom a story addresses: after a name they say nothing of what happened ("Mac users").
AUDIENCES = frozenset("""
    user users customer customers owner owners client clients people victims fans
    players subscribers buyers shoppers travelers travellers parents kids
""".split())
# Whom a story is about: a phrase ending with one names people, not a subject ("Arizona
# woman", "basketball player", "Ethereum developers"; not "IT workers", a scheme).
PERSON_NOUNS = AUDIENCES | frozenset("""
    woman women man men teen teens teenager teenagers boy boys girl girls student
    students player developer developers employee employees hacker member suspect
""".split())

# Words that only qualify the vocabulary: "active exploitation", "unauthenticated RCE",
# "critical flaws" describe a story, name no subject.
MODIFIERS = frozenset("""
    active critical severe serious malicious remote unauthenticated authenticated new
    fake rogue major massive widespread ongoing sophisticated targeted mass global
    cyber online dangerous stealthy
""".split())

# Threat actors as the trade names them: ids ("APT28", "UNC3944", "Storm-0558") and the
# naming schemes of Microsoft (weather) and CrowdStrike, Unit 42 (animals, stars).
ACTOR = re.compile(
    r"\b(?:APT ?\d{1,3}|UNC\d{3,5}|UAT-?\d{3,5}|TA\d{3,4}|FIN\d{1,2}|Storm-\d{3,4}"
    r"|[A-Z][a-z]+ (?:Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Bear|Panda|Kitten|Chollima"
    r"|Spider|Libra|Scorpius))\b"
)

# What happens to a subject, as headlines say it: an event named like its theme is named
# for the one its headlines use most ("CrowdStrike outage", "Ivanti zero-days").
HAPPENINGS = (
    "zero-day", "zero-days", "outage", "breach", "hack", "leak", "takedown", "arrest",
    "arrests", "exploitation", "exploit", "exploits", "vulnerability", "vulnerabilities",
    "flaw", "flaws", "bug", "bugs", "backdoor", "worm", "attack", "attacks", "campaign",
    "lawsuit", "fine", "settlement", "acquisition", "sanctions", "ban", "indictment",
    "disruption", "launch", "release", "update", "patch", "outages", "incident",
    "ransomware attack", "data breach", "supply chain attack", "cyberattack", "heist",
    "scheme", "scam", "crackdown", "investigation", "charges", "seizure", "sentencing",
    "wiper", "wipers", "verdict", "ruling", "damages", "probe", "funding", "fraud",
    "decryptor",
)
# ... and as headlines write them of who did it or whom it happened to ("Europol
# dismantles", "Coinbase breached"): the subject is named with the noun ("Europol
# takedown"), and the verb's stem says it in any inflection.
HAPPENING_VERBS = {
    "dismantle": "takedown", "disrupt": "takedown", "seize": "seizure", "sue": "lawsuit",
    "fine": "fine", "ban": "ban", "arrest": "arrests", "charge": "charges",
    "sentence": "sentencing", "acquire": "acquisition", "breach": "breach", "hack": "hack",
    "leak": "leak", "indict": "indictment", "investigate": "investigation", "probe": "probe",
    "drain": "heist",
}
# "FBI Takes Down …" is a takedown; not "shut down", which says as often that a victim
# shut its systems down.
TAKEN_DOWN_FORMS = ("take down", "takes down", "taken down", "took down", "taking down")
# Words sites use for one happening: one writes "seizes" where another writes
# "dismantled" or "disrupted", "data breach" where another writes "hack".
ONE_HAPPENING = (
    frozenset({"takedown", "seizure", "disruption", "disrupt", "crackdown"}),
    frozenset({"breach", "data breach", "hack", "leak", "compromise", "incident",
               "ransomware attack", "cyberattack", "cyber-attack", "intrusion"}),
    frozenset({"flaw", "vulnerability", "bug", "zero-day", "exploit", "exploitation"}),
    frozenset({"arrests", "charges", "indictment", "sentencing"}),
)
# What befalls a product or an organisation, not what an actor does ("APT40 exploits",
# "Secret Blizzard attack"): a theme of one such happening is named for it. A flaw is
# said only of a name with a past: a new name may be the flaw's own ("React2Shell").
FLAWS = frozenset({"zero-day", "zero-days", "vulnerability", "vulnerabilities", "flaw",
                   "flaws", "bug", "bugs", "exploitation"})
# What defeats a threat: its takedown, or a decryptor freeing its victims' files.
TAKEN_DOWN = frozenset({"takedown", "seizure", "disruption", "decryptor"})
BEFALLS = FLAWS | TAKEN_DOWN | frozenset({
    "outage", "outages", "breach", "data breach", "hack", "leak", "incident",
    "cyberattack", "ransomware attack", "supply chain attack", "lawsuit", "fine",
    "settlement", "ban", "sanctions", "investigation", "probe", "backdoor", "heist",
})   # sanctions befall a company as a ban does ("Intellexa sanctions")
# What the law does to a threat actor: it befalls the actor ("REvil sentencing").
PROSECUTED = frozenset({"arrest", "arrests", "charges", "indictment", "sentencing",
                        "sanctions"})
DOERS = frozenset({"exploit", "exploits", "exploitation"})   # an actor exploits a flaw
VAGUE = frozenset({"incident"})   # what is said when what happened is not yet known
# Planted in something a longer name says ("WordPress plugins", not "WordPress backdoor").
PLANTED = frozenset({"backdoor"})
# The routine ones name a subject only when nothing else happened: "Firefox zero-day", not
# "Firefox update", when its headlines say both.
ROUTINE = frozenset({"launch", "release", "update", "patch"})
# Prepositions that relate a name to something else ("NVIDIA on Real-Time Immunity");
# "of", "in" and "by" may sit inside one ("Bank of America", "Man in the Middle",
# "Secure by Design").
RELATING = frozenset("on to for with from at via over into against after before about "
                     "as than amid during vs".split())

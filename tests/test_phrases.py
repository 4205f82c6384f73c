"""Headline phrases, and whether a phrase names a subject."""

from __future__ import annotations

import pytest

from radar.engine.phrases import PhraseTable, title_phrases


def keys(title: str) -> tuple[str, ...]:
    return title_phrases(title)[0]


def test_phrases_keep_names_whole_and_stop_at_clause_breaks() -> None:
    found = keys("C++ and ATT&CK on Next.js: Notepad++ update hijacked CVE-2026-21509")
    for whole in ("c++", "att&ck", "next.js", "notepad++", "cve-2026-21509"):
        assert whole in found
    assert "next.js notepad++" not in found          # ":" ends a clause
    assert "c++ and att&ck" in found                 # function words inside a phrase
    assert "and att&ck" not in found                 # ... never at its edge


def test_abbreviations_keep_their_dots_and_slashed_acronyms_stay_whole() -> None:
    found = keys("U.S. and New York warn on CI/CD pipelines")
    assert {"u.s.", "new york", "ci/cd pipelines"} <= set(found)
    assert "u.s" not in found and "ci" not in found
    found = keys("SAP S/4HANA flaw hits Radar/Dispossessor")
    assert "sap s/4hana" in found and "4hana" not in found
    assert "dispossessor" in found                   # two names, one slash apart


def test_possessives_and_letters_of_any_script() -> None:
    assert "viasat" in keys("Hackers breached Viasat\u2019s network")
    assert "pokémon" in keys("Pokémon cards sold by scammers")


def test_acronyms_that_look_like_function_words_stay_acronyms() -> None:
    assert "north korean IT workers" in keys("Arrests over North Korean IT workers scheme")
    assert "it workers" not in keys("Arrests over North Korean IT workers scheme")


def test_casing_evidence_only_from_sentence_case_headlines() -> None:
    sentence = dict(zip(*title_phrases("Hackers exploit Salt Typhoon access in telecoms"),
                        strict=True))
    assert sentence["salt typhoon"] is True and sentence["telecoms"] is False
    title_case = dict(zip(*title_phrases("Hackers Exploit Salt Typhoon Access In Telecoms"),
                          strict=True))
    assert title_case["salt typhoon"] is None        # Title Case says nothing


TITLES = [
    "Attackers hit Glimmerfox gateways in banks", "Banks warn on Glimmerfox gateways",
    "New passkeys rollout in retail banks", "Retail passkeys adoption grows again",
    "Windows patch fixes targeting bug", "Researchers see Windows targeting rise",
    "Police arrest a Mark Zuckerberg impostor in court",
    "Scammers borrow the Mark Zuckerberg name again",
    "Critical RCE found in routers", "Another RCE found in cameras",
    "Unpatched routers hit by Glimmerfox", "Glimmerfox AI-powered kits on sale",
    "Leak of 210M records at a retailer", "Retailer admin pleads guilty in court",
    "US sanctions Chinese firm for Glimmerfox", "Ransomware payments fall in Europe",
    "Officials in the U.S. warn retailers about ransomware waves",
    "More retailers see ransomware payments",
    "Active exploitation of gateways reported", "Unauthenticated RCE in cameras",
    "Glimmerfox AI-driven lures reach banks", "Glimmerfox Ransomware Uses Vexbyte Driver",
    "Retail SOCs drown in LLMs alerts", "Hacktivists flood SSH servers",
    "Crooks weaponizing Glimmerfox lures", "Crooks weaponize lures", "Zero trust for banks",
    "Vexbyte Exchange Disrupted by police", "Glimmerfox backdoor found on Apr 31st",
    "Weekly digest for the 32nd week", "Record 7.3 Tbps DDoS hits Glimmerfox",
    "Glimmerfox lures target Ethereum developers", "Glimmerfox Ethereum developers hit",
    "Five plead guilty in North Korean IT worker scheme",
    "Research by Vexbyte on Real-Time Immunity",
    "FoxJacked flaw lets sites hijack agents", "PowerShell-Based loader spreads",
    "Attackers bypass SSO on gateways",
] * 5


@pytest.fixture(scope="module")
def table() -> PhraseTable:
    return PhraseTable.build(TITLES)


@pytest.mark.parametrize(("phrase", "subject"), [
    ("glimmerfox", True),       # a rare word
    ("passkeys", True),         # a rare word, in lower case
    ("windows", True),          # a common word written as a name every time
    ("rise", False),            # an ordinary word
    ("banks", False),
    ("rce", False),             # security vocabulary
    ("hacktivists", False),     # ... its actors
    ("ssh", False),             # ... and protocols
    ("sso", False),
    ("zero trust", False),      # ... and its frameworks
    ("socs", False),            # ... in the plural too
    ("llms", False),
    ("found", False),
    ("unpatched", False),       # a participle describes a subject, names none
    ("foxjacked", True),        # ... but one written with a capital inside is coined
    ("powershell-based", False),  # ... unless the capital is in the name it describes by
    ("weaponizing", False),     # ... a verb or its -ing form names none either
    ("weaponize", False),
    ("vexbyte exchange disrupted", False),  # ... nor does a name with what happened to it
    ("vexbyte exchange", True),
    ("ai-powered", False),
    ("ai-driven", False),       # ... also when its participle does not end in -ed
    ("ransomware uses vexbyte", False),  # a verb inside: a clause of a headline
    ("vexbyte", True),
    ("210m", False),            # a quantity
    ("31st", False),            # an ordinal: a date or a rank, no name
    ("32nd", False),
    ("apr 31st", False),
    ("7.3 tbps", False),        # a measure ...
    ("tbps ddos", False),       # ... and its unit, the trade's vocabulary
    ("ethereum developers", False),  # people, not a subject
    ("ethereum", True),
    ("sanctions chinese", False),
    ("north korean IT", False),  # a demonym and an acronym: who, not a subject
    ("vexbyte on real-time immunity", False),  # a name and what is said of it
    ("ransomware payments", True),  # a compound noun
    ("u.s.", True),             # an abbreviation written in capitals
    ("active exploitation", False),  # vocabulary and its qualifiers
    ("unauthenticated rce", False),
])
def test_what_names_a_subject(table: PhraseTable, phrase: str, subject: bool) -> None:
    assert table.is_subject(table.index[phrase]) is subject


def test_no_name_ends_with_a_verb_headlines_put_after_it(table: PhraseTable) -> None:
    assert "windows targeting" not in table.index and "targeting rise" not in table.index
    assert "targeting" not in table.index
    assert "pleads guilty" not in table.index   # nor starts with one


def test_a_verb_after_a_name_ends_no_phrase_even_capitalised_mid_sentence() -> None:
    """"CISA Retires …", "OpenAI Confirms …", and a sentence-case headline capitalising
    the verb after the name ("Acme Confirms breach"): no phrase ends with the verb."""
    table = PhraseTable.build(["CISA Retires Ten Emergency Directives",
                               "OpenAI Confirms Data Breach at Vendor",
                               "Vendor Acme Confirms breach of its support portal"])
    assert not {"cisa retires", "openai confirms", "acme confirms", "retires",
                "confirms"} & set(table.index)
    assert {"cisa", "openai", "emergency directives"} <= set(table.index)


def test_a_first_name_is_left_to_the_names_it_is_part_of(table: PhraseTable) -> None:
    mark = table.index["mark"]
    assert table.is_common_word(mark)
    assert [table.keys[c] for c in table.names_around(mark, TITLES)] == ["mark zuckerberg"]


def test_a_word_neither_rare_nor_common_is_a_name_once_written_as_one() -> None:
    """Early coverage of the Snowflake breach was mostly Title Case: one sentence-case
    headline capitalising it mid-sentence, and none in lower case, is enough."""
    table = PhraseTable.build([
        "Cloud company Snowflake denies reported breach",
        "Snowflake Warns Customers Of Credential Theft", "Snowflake Breach Exposes Data",
        "Another outage hits banks across several nations", "Outage Hits Banks Again"])
    assert table.is_subject(table.index["snowflake"])
    assert not table.is_subject(table.index["outage"])   # written in lower case


def test_an_ordinary_word_that_only_ends_names_is_no_name_alone() -> None:
    """"Pro" is capitalised in nearly every sentence-case headline, but as the end of
    iPhone 17 Pro or MacBook Pro; "Adobe" heads its product names and names itself."""
    table = PhraseTable.build([
        "Review finds the new iPhone 17 Pro leaks location data",
        "Researchers say the MacBook Pro firmware can be hijacked",
        "Attackers target iPad Pro owners with fake update prompts",
        "Thieves resell stolen Pixel 10 Pro handsets across borders",
        "Why the Galaxy S26 Pro camera worries privacy advocates",
        "Hackers exploit Adobe Commerce stores again this month",
        "Patch now as Adobe Reader flaw is exploited in the wild",
        "Researchers show an Adobe Experience Manager bypass in great detail",
        "Criminals abuse Adobe cloud links in phishing waves",
        "Report says Adobe fixes critical bugs across products",
    ])
    assert not table.is_subject(table.index["pro"])
    assert table.is_subject(table.index["adobe"])


def test_a_word_neither_rare_nor_common_ending_only_names_is_no_name_alone() -> None:
    """"Sleet" ends Microsoft's names for North Korean actors: a theme "Sleet" would
    gather several of them under a fragment; "Moonstone Sleet" names one."""
    table = PhraseTable.build([
        "Microsoft says Moonstone Sleet deploys a custom ransomware strain",
        "Researchers tie Jasper Sleet to fake IT workers in the West",
        "Analysts link Citrine Sleet to a Chromium zero-day exploit",
        "Investigators track Moonstone Sleet through fake game companies",
        "Officials warn that Jasper Sleet keeps placing remote workers",
        "North Korea's Citrine Sleet targets crypto firms again",
        "Banks see Jasper Sleet applicants with stolen identities",
        "Reports show Moonstone Sleet sharing tools with another group"])
    assert not table.is_subject(table.index["sleet"])
    assert table.is_subject(table.index["moonstone sleet"])


def test_the_trades_words_joined_and_a_month_name_no_subject() -> None:
    """"RCE and LPE" is two words of the trade's vocabulary, not a subject; neither is
    "Dec" of "Dec 12" (OpenVPN is, in the same headlines)."""
    table = PhraseTable.build([
        "Microsoft found OpenVPN bugs chained to RCE and LPE",
        "Four OpenVPN flaws lead to RCE and LPE",
        "OpenVPN vulnerabilities discovered leading to RCE and LPE",
        "Dec 12 OpenVPN update fixes RCE and LPE"] * 2)
    assert table.is_subject(table.index["openvpn"])
    assert not any(table.is_subject(table.index[p]) for p in ("rce and lpe", "lpe", "dec")
                   if p in table.index)


def test_a_kind_of_the_trades_vocabulary_is_no_subject() -> None:
    """"banking trojan" and "mobile malware" are kinds of the vocabulary, written in lower
    case; "Predator spyware" names one, its ordinary word written as a name."""
    table = PhraseTable.build([
        "A new banking trojan spreads through fake apps",
        "Researchers track a banking trojan in app stores",
        "Police warn of mobile malware in schools",
        "Experts see mobile malware rise again",
        "Activists found Predator spyware on their phones",
        "Researchers link Predator spyware to new servers",
        "Officials say Predator spyware hit journalists",
        "Apple warns users about Predator spyware",
        "Lawmakers ask why Predator spyware spread"] * 2)
    assert not table.is_subject(table.index["banking trojan"])
    assert not table.is_subject(table.index["mobile malware"])
    assert table.is_subject(table.index["predator spyware"])


def test_a_vendor_heads_a_product_and_a_kind_of_malware_ends_a_name() -> None:
    """"Cisco FMC": a vendor written as a name starts the name of a product written as one
    although "Cisco" alone is in many more headlines; "STX RAT": a kind of malware ends a
    name although "rat" is an everyday word. The vendor makes no name of an everyday word
    ("Cisco routers")."""
    cisco = [f"Bugs in Cisco routers exploited, part {n}" for n in range(3)] + \
        [f"Botnet hijacks home routers, wave {n}" for n in range(6)] + \
        [f"Police say Cisco staff were hit, report {n}" for n in range(4)] + \
        ["Attackers Exploit Cisco FMC Flaw", "Interlock abuses the Cisco FMC zero-day"]
    rats = [f"City fights a rat problem in district {n}" for n in range(9)] + \
        ["Watering Hole Spreads STX RAT Malware", "STX RAT Targets Finance Sector"]
    table = PhraseTable.build(cisco + rats)
    assert table.is_subject(table.index["cisco fmc"])
    assert table.is_subject(table.index["stx rat"])
    assert not table.is_subject(table.index["cisco routers"])


def test_technique_and_category_words_are_vocabulary() -> None:
    """"OAuth", "RMM", "AitM" and "SEO poisoning" name a kind of thing many campaigns
    use, not one subject; "Tycoon2FA", the kit in the same headlines, does."""
    table = PhraseTable.build([
        "Tycoon2FA phishing kit abuses OAuth in AitM attacks",
        "Hackers use RMM tools and SEO poisoning to spread Tycoon2FA",
        "Tycoon2FA returns with new OAuth tricks",
        "SEO poisoning campaign pushes RMM installers"] * 2)
    assert not any(table.is_subject(table.index[p]) for p in ("oauth", "rmm", "aitm",
                                                              "seo poisoning"))
    assert table.is_subject(table.index["tycoon2fa"])
    # A class of flaws is in every week's advisories: no subject.
    flaws = PhraseTable.build(["Quillzip Heap Buffer Overflow Can Lead to Code Execution",
                               "ABB Stack Buffer Overflow in CMS parsing",
                               "Critical Buffer Overflow in Quillzip fixed"] * 2)
    assert not flaws.is_subject(flaws.index["buffer overflow"])
    # "Files for Bankruptcy" is what a company did, not part of its name.
    filing = PhraseTable.build(["Vodka Giant Quillvodka Files for Bankruptcy After Attack",
                                "Quillvodka Files for Bankruptcy in the United States"] * 2)
    assert not filing.is_subject(filing.index["quillvodka files for bankruptcy"])
    orders = PhraseTable.build(["CISA Gives Federal Agencies a Year to Drop Old Routers",
                                "CISA gives federal agencies one year to act"] * 2)
    assert not orders.is_subject(orders.index["cisa gives federal agencies"])

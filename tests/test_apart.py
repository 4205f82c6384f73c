"""What happened to a subject, as headlines say it: names apart, what befell a name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from radar.engine.apart import (
    befalls_an_actor,
    befell,
    events_befallen,
    full_name,
    ids_named,
    in_their_own_words,
    is_actor,
    name_apart,
    names_apart,
    said_by,
    words_about,
    written_in_lower_case,
)
from radar.models import Finding

FINDING = Finding(id="", label="", keywords=(), entities=(), terms={}, quadrant="Threats",
                  quadrant_reason="", suggested_ring="hold", status="steady", score=0.0,
                  article_count=1, story_count=1, source_count=1, first_seen="", last_seen="",
                  weekly_counts=(), why="", members=frozenset())


def test_an_event_named_like_its_theme_is_named_for_what_happened() -> None:
    theme = replace(FINDING, id="t", label="CrowdStrike", kind="theme", story_count=40)
    event = replace(FINDING, id="e", label="CrowdStrike", kind="event", story_count=12)
    other = replace(FINDING, id="o", label="Snowflake", kind="event", story_count=5)
    titles = [["CrowdStrike earnings"] * 40,
              ["CrowdStrike outage grounds flights", "Global IT outage: CrowdStrike update",
               "CrowdStrike says the outage was a bad update"], ["Snowflake breach"]]
    named = names_apart([theme, event, other], titles)
    assert [f.label for f in named] == ["CrowdStrike", "CrowdStrike outage", "Snowflake"]
    assert name_apart("Coupang", ["Coupang shares rise"]) == "Coupang news"
    # What one headline of eight says is no name for the event ("Quillcoder AI damages").
    series = replace(FINDING, id="s", label="Quillcoder AI", kind="event", story_count=8)
    mixed = ["Quillcoder AI docs", "Quillcoder AI API", "Quillcoder AI marketplace",
             "Quillcoder AI editor", "Quillcoder AI tips", "Quillcoder AI queries",
             "Rockwell ThinManager advisory", "NSO Group damages could be large"]
    named = names_apart([replace(theme, label="Quillcoder AI"), series],
                        [["Quillcoder AI"] * 40, mixed])
    assert "damages" not in named[1].label


@pytest.mark.parametrize(("theme", "perennial", "titles", "event_named"), [
    # GitHub, 20 May 2026: a name in the news all along, its take-off "GitHub breach".
    ("GitHub breach", True, ["GitHub tokens leak in Grafana breach",
                             "GitHub leak exposes code", "Stolen GitHub tokens: the leak"],
     "GitHub leak"),
    # LoanDepot, January 2024: a theme of one happening, named for what befell it.
    ("LoanDepot data breach", False, ["LoanDepot ransomware attack",
                                      "LoanDepot breach: 16.6M affected",
                                      "Ransomware attack on LoanDepot"],
     "LoanDepot ransomware attack"),
])
def test_an_event_never_takes_the_bare_name_of_a_theme_named_apart(
        theme: str, perennial: bool, titles: list[str], event_named: str) -> None:
    """An event of three headlines named by the bare name would put the bare vendor on
    the radar beside (or under) its theme named for what happened."""
    bare = theme.split()[0]
    found = replace(FINDING, id="t", label=theme, kind="theme", story_count=90,
                    perennial=perennial, keywords=(bare,))
    event = replace(FINDING, id="e", label=bare, kind="event", story_count=3)
    named = names_apart([found, event], [[f"{theme} hits many"] * 90, titles])
    assert [f.label for f in named] == [theme, event_named]


def test_what_befell_a_name_is_a_happening_to_it_not_what_it_did() -> None:
    assert befell("TeamViewer breach", "TeamViewer")
    assert befell("Cisco SD-WAN zero-day", "Cisco SD-WAN")
    assert not befell("NetNut Proxy", "NetNut")            # a longer name of it
    assert not befell("APT40 exploit", "APT40")            # what an actor does
    assert not befell("Secret Blizzard attack", "Secret Blizzard")
    assert not befell("CVE-2025-14847 vulnerability", "CVE-2025-14847")
    assert not befell("TeamViewer", "TeamViewer")
    # A supply chain attack or a backdoor befalls the project it is in.
    assert befell("Checkmarx supply chain attack", "Checkmarx")
    assert befell("XZ Utils backdoor", "XZ Utils")
    # A flaw is said of a product, new or not, but not of malware.
    assert befell("SmarterMail bug", "SmarterMail")
    assert not befell("RondoDox Botnet exploitation", "RondoDox Botnet")
    assert befell("RondoDox Botnet takedown", "RondoDox Botnet")
    # A threat actor breaches; it is only taken down, or prosecuted.
    assert not befell("Salt Typhoon breach", "Salt Typhoon")
    assert befell("Storm-0558 takedown", "Storm-0558")
    assert befell("REvil sentencing", "REvil", actor=True)
    assert not befell("Workday sentencing", "Workday")   # a company is not sentenced
    assert befell("Intellexa sanctions", "Intellexa")      # ... but sanctioned, as banned
    assert befell("FunkSec decryptor", "FunkSec", actor=True)   # a decryptor defeats it
    assert not befell("Predator Spyware sanctions", "Predator Spyware")  # its makers are
    assert not befell("TeamPCP hack", "TeamPCP", actor=True)   # its headlines say so
    # ... even named apart as a name in the news all along.
    assert befalls_an_actor("Scattered Spider data breach", "Scattered Spider")
    assert not befalls_an_actor("Scattered Spider arrests", "Scattered Spider")
    assert not befalls_an_actor("Coinbase data breach", "Coinbase")


def test_a_company_s_full_name_says_nothing_new_about_it() -> None:
    assert full_name("Palo Alto Networks", "Palo Alto")
    assert not full_name("Palo Alto exploit", "Palo Alto")
    assert not full_name("Cisco ASA", "Cisco")


def test_words_about_a_name_are_no_longer_name_of_it() -> None:
    titles = ["Malicious Facebook ads push an infostealer", "Facebook Ads Spread Malware",
              "Google Play removes apps", "Apple zero-day exploited"]
    assert words_about("Facebook Ads", "Facebook", titles)
    assert not words_about("Google Play", "Google", titles)       # a longer name
    assert not words_about("Apple zero-day", "Apple", titles)     # what befell it
    assert not words_about("Qilin Ransomware", "Qilin", ["Qilin ransomware hits a clinic"])
    assert not words_about("Facebook Ads", "Facebook", titles[1:])  # no evidence


def test_headlines_tell_an_actor_and_words_of_a_category() -> None:
    assert is_actor("TeamPCP", ["EU agency attributes breach to TeamPCP hacking group"])
    assert is_actor("Qilin ransomware", ["Qilin ransomware gang hits a hospital"])
    assert not is_actor("Salesforce", ["Hackers breach Salesforce instances"])
    assert not is_actor("Change Healthcare", ["Change Healthcare hackers cash in"])
    assert is_actor("Gamaredon", ["Russian Hackers Gamaredon and Turla Collaborate"])
    assert not is_actor("Salesforce", ["Hackers Target Salesforce Data"])
    assert written_in_lower_case("Federal agencies", ["CISA warns federal agencies"])
    assert not written_in_lower_case("SmarterMail", ["Hackers exploit SmarterMail"])
    assert not written_in_lower_case("n8n", ["Critical flaw in n8n"])   # lower case anyway


def test_an_event_called_by_a_bare_name_is_named_for_what_befell_it() -> None:
    def named(label: str, titles: list[str], *, past: bool = False) -> str:
        event = replace(FINDING, id="e", label=label, kind="event", story_count=len(titles))
        return events_befallen([event], [titles], had_past=lambda name: past)[0].label

    flaw = ["Critical WatchGuard flaw enables code execution",
            "WatchGuard VPN flaw gives hackers control", "WatchGuard patches a firewall bug"]
    assert named("WatchGuard", flaw) == "WatchGuard flaw"
    # ... each headline in its own words, none writing the name and the happening together.
    breach = ["Quillbrook Payroll Hit by Phishing Attack, Staff Records Exposed",
              "Quillbrook hit by phishing data breach of its HR platform",
              "Quillbrook Reveals CRM Breach", "Payroll firm Quillbrook disclosed a data breach"]
    assert named("Quillbrook", breach) == "Quillbrook breach"
    # A flaw only as one headline writes it: a new name may be the flaw's own.
    coined = ["Exploit released for critical FenBleed bug", "FenBleed: a flaw in LDAP servers",
              "Patch FenBleed vulnerability now"]
    assert named("FenBleed", coined) == "FenBleed bug"
    # A flaw of a name with a past, each headline in its own words: the vendor's flaw.
    vendor = ["Critical Quillguard Fireware Flaw Enables Code Execution",
              "Quillguard VPN Flaw Gives Hackers Control", "Researchers find Quillguard VPN Bug"]
    assert named("Quillguard", vendor, past=True) == "Quillguard flaw"
    assert named("Quillguard", vendor) == "Quillguard"
    assert named("FenBleed", [t.replace("FenBleed bug", "FenBleed PoC").replace(
        "FenBleed vulnerability", "the LDAP vulnerability") for t in coined]) == "FenBleed"
    # Not when only one headline of three says it, nor for an actor, nor for malware.
    assert named("WatchGuard", [flaw[0], "WatchGuard earnings", "WatchGuard hires"]) == \
        "WatchGuard"
    assert named("TeamPCP", ["TeamPCP hacking group breach at a bank",
                             "TeamPCP breach widens", "TeamPCP breach: what we know"]) == \
        "TeamPCP"
    gang = ["Quillgang ransomware gang member sentenced to 13 years",
            "Quillgang Hacker Sentenced to 13 Years", "Quillgang affiliate sentenced"]
    assert named("Quillgang", gang) == "Quillgang sentencing"
    assert named("RondoDox Botnet", ["RondoDox Botnet exploits flaws in routers",
                                     "RondoDox Botnet flaw hunting"]) == "RondoDox Botnet"


def test_a_name_apart_is_written_as_the_headlines_write_it() -> None:
    # No happening follows the name, but headlines write "Roundcube Webmail" twice.
    titles = ["Roundcube Webmail flaw exploited in a campaign",
              "Hackers target Roundcube webmail servers", "Patch Roundcube now"]
    assert name_apart("Roundcube", titles) == "Roundcube Webmail"
    # Another of its own names holding the subject comes before a happening said apart.
    assert name_apart("Roundcube", ["A campaign hits Roundcube"],
                      names=("Roundcube", "Roundcube Elastic")) == "Roundcube Elastic"
    taken = frozenset({"roundcube webmail"})
    assert name_apart("Roundcube", titles, taken) == "Roundcube campaign"
    # The whole name the headlines write, up to the trade's vocabulary after it ...
    products = ["Cleo File Transfer Vulnerability Under Exploitation",
                "Multiple Cleo file transfer products being exploited",
                "Zero Day in Cleo File Transfer Software Exploited", "Cleo explains",
                "Cleo hires", "Cleo opens an office"]
    assert name_apart("Cleo", products) == "Cleo File Transfer"
    # ... unless most headlines say what befell it, each in its words: that tells more.
    flaws = [products[0], "Cleo file transfer flaw hit", "Zero-day in Cleo File Transfer"]
    assert name_apart("Cleo", flaws) == "Cleo vulnerability"
    breach = ["Quillgram confirms customer data breach", "Quillgram cyber incident",
              "Quillgram data breach follows cyber incident", "Quillgram outage"]
    assert name_apart("Quillgram", breach) == "Quillgram data breach"   # not "incident"
    # A verb written after the name twice is what headlines say it did, not its name.
    verbs = ["UNC1069 Targets Crypto Firms With Deepfake Calls",
             "UNC1069 targets crypto staff in new attacks"]
    assert name_apart("UNC1069", verbs) == "UNC1069 attacks"
    assert name_apart("OpenAI", ["OpenAI Pauses Astra Over Risk Concerns",
                                 "OpenAI pauses model work after attack"]) == "OpenAI attack"
    # A name with an ampersand is written whole ("ATT&CK", not "ATT").
    evaluations = ["MITRE Engenuity ATT&CK Evaluations results", "Inside MITRE Engenuity "
                   "ATT&CK Evaluations for managed services"]
    assert name_apart("MITRE", evaluations) == "MITRE Engenuity ATT&CK Evaluations"
    # A routine happening names it only when nothing else happened.
    routine = ["Firefox zero-day under attack", "Urgent Firefox update fixes exploited flaw",
               "Firefox update fixes zero-day"]
    assert name_apart("Firefox", routine) == "Firefox zero-day"
    assert name_apart("Firefox", routine[1:2]) == "Firefox flaw"
    assert name_apart("Firefox", ["Firefox update adds tab groups"]) == "Firefox update"
    # Whom the stories address says nothing of what happened ("Mac users").
    addressed = ["Mac users warned of a fake installer campaign",
                 "Mac Users Face New Campaign", "Campaign lures Mac owners"]
    assert name_apart("Mac", addressed) == "Mac campaign"
    # Nor does a person's title ("Telegram founder" is who, not what).
    founder = ["Russia charges Telegram founder with aiding terrorism",
               "Telegram Founder Faces Arrest Warrant", "Telegram bots sell stolen data"]
    # One happening in other words, a verb written bare among them, counts as one.
    stealer = ["Servers of Quillrock and Vexbyte hacked by police",
               "Police Disrupt Quillrock and Vexbyte in joint action",
               "International action against Quillrock",
               "Law enforcement takes down Quillrock infostealer",
               "US names the developer behind Quillrock"]
    assert name_apart("Quillrock", stealer, said_share=0.25) == "Quillrock takedown"
    freed = ["Decryptor released for Quillrock ransomware", "Free Quillrock decryptor out",
             "Quillrock victims can now recover files with free decryptor"]
    assert name_apart("Quillrock", freed) == "Quillrock decryptor"
    # (his arrest and the charges, one happening in two words)
    assert name_apart("Telegram", founder) in {"Telegram charges", "Telegram arrests"}
    # A participle says what happened to it, it is no part of its name.
    exploited = ["Salt Typhoon exploited Cisco flaws", "Salt Typhoon Exploited Routers"]
    assert name_apart("Salt Typhoon", exploited) == "Salt Typhoon flaws"
    # Past what happened to it, a headline goes on with its clause, not with the name.
    clause = ["Lazarus Group Exploits Google Chrome Flaw", "Lazarus Group Exploits Google",
              "Lazarus Group targets crypto firms"]
    assert name_apart("Lazarus", clause) == "Lazarus Group"
    # What a group deployed or a court awarded is what happened, not "… news".
    wipers = ["Sandworm hackers deploying wipers against grain firms",
              "Sandworm Deploys New Wiper Malware in Ukraine"]
    assert name_apart("Sandworm", wipers) == "Sandworm wipers"
    assert name_apart("MITRE", ["Funding for MITRE's CVE program ends",
                                "MITRE warns of a lapse"]) == "MITRE funding"


def test_what_a_name_apart_adds_is_said_by_some_headlines() -> None:
    titles = ["ASUS routers hijacked by a botnet", "Botnet enslaves ASUS Router fleet",
              "ASUS patches laptop driver"]
    assert said_by("ASUS Routers", "ASUS", titles) == [0, 1]
    assert said_by("ASUS botnet", "ASUS", titles) == [0, 1]
    assert said_by("ASUS news", "ASUS", []) == []
    # Who did it is not what happened: a hacker using DeepSeek is no DeepSeek hack.
    deepseek = ["Chinese hacker uses DeepSeek", "DeepSeek hacked, data exposed",
                "Hackers abuse DeepSeek"]
    assert said_by("DeepSeek hack", "DeepSeek", deepseek) == [1]
    # A plural says what its singular says ("vulnerabilities" of "vulnerability").
    flaws = ["Ivanti vulnerability exploited", "CISA directive on Ivanti vulnerabilities",
             "Ivanti breaches pile up", "Ivanti patches"]
    assert said_by("Ivanti vulnerabilities", "Ivanti", flaws) == [0, 1]
    assert said_by("Ivanti breaches", "Ivanti", flaws) == [2]
    # ... and a singular what its plural says, in the words of one happening.
    assert said_by("Ivanti vulnerability", "Ivanti", flaws) == [0, 1]
    assert said_by("Ivanti bugs", "Ivanti", flaws) == [0, 1]
    # ... and a noun of action what its verb says ("exploitation" of "exploited").
    exploited = ["Citrix patches actively exploited bug", "Citrix warns of exploitation"]
    assert said_by("Citrix exploitation", "Citrix", exploited) == [0, 1]
    # Sites tell one happening in their own words: a seizure is also dismantled, disrupted.
    sim_farm = ["US Secret Service dismantled covert network near the UN",
                "Secret Service says it disrupted illicit cellular network",
                "U.S. Secret Service Seizes 300 SIM Servers", "Secret Service hires"]
    assert said_by("Secret Service seizure", "Secret Service", sim_farm) == [0, 1, 2]
    # A ransomware attack on a company is the breach other sites report.
    attacked = ["Quillmed hit by ransomware attack", "Quillmed confirms data breach",
                "Hackers leak Quillmed data", "Quillmed attack costs $800m"]
    assert said_by("Quillmed breach", "Quillmed", attacked) == [0, 1, 2]


def test_what_happened_written_as_a_verb_names_it_with_its_noun() -> None:
    """"Secret Service dismantles ..." is a takedown: "Secret Service takedown", said by
    the headlines that write the verb in any inflection. A headline saying nothing
    happened says nothing new."""
    titles = ["Secret Service dismantles SIM farm near the UN",
              "US Secret Service Dismantled a Massive SIM Farm Network",
              "Secret Service warns of telecom threats"]
    assert name_apart("Secret Service", titles) == "Secret Service takedown"
    assert said_by("Secret Service takedown", "Secret Service", titles) == [0, 1]
    assert name_apart("Europol", ["Europol arrests 5 in fraud ring",
                                  "Police arrested hackers, Europol says"]) == "Europol arrests"
    assert name_apart("Europol", ["Europol says hello"]) == "Europol news"
    # ... and its -ing form: hacking a court's system is the court's hack.
    assert name_apart("Quillcourt", ["Man to plead guilty to hacking Quillcourt filing system",
                                     "Hacker admits hacking Quillcourt"]) == "Quillcourt hack"
    # A network disrupted or taken down is taken down.
    proxy = ["Google disrupts Quillnet proxy network", "FBI takes down Quillnet proxies",
             "Quillnet platform seized"]
    assert name_apart("Quillnet", proxy) == "Quillnet takedown"
    assert said_by("Quillnet takedown", "Quillnet", proxy) == [0, 1, 2]
    # A victim shutting its systems down is no takedown.
    assert name_apart("Quillcar", ["Quillcar shuts down production after cyberattack",
                                   "Cyberattack on Quillcar shut down plants"]) == \
        "Quillcar cyberattack"
    # Funds drained from a protocol are its heist, told by two of three headlines.
    drained = ["More than $100 million stolen in exploit of Quillswap DeFi protocol",
               "DeFi Protocol Quillswap Loses $120m in Cyber Heist",
               "How an Attacker Drained $128M from Quillswap"]
    assert name_apart("Quillswap", drained, said_share=0.25) == "Quillswap heist"
    assert said_by("Quillswap heist", "Quillswap", drained) == [1, 2]


def test_what_befell_a_proper_name_may_be_said_in_the_headlines_own_words() -> None:
    assert in_their_own_words("Workday breach", "Workday", past=False)
    assert in_their_own_words("Quillswap heist", "Quillswap", past=False)
    # A flaw only of a name with a past (a new name may be the flaw's own) ...
    assert in_their_own_words("WatchGuard flaw", "WatchGuard", past=True)
    assert not in_their_own_words("LDAPNightmare vulnerability", "LDAPNightmare", past=False)
    # ... and nothing of a word that is no name.
    assert not in_their_own_words("plaintext fine", "plaintext", past=True)


def test_a_happening_one_headline_of_many_mentions_does_not_name_the_subject() -> None:
    """Gartner warns of AI browsers in six headlines; one cites "breaches" it expects:
    that is no "Gartner breach" when a share of the headlines must say what happened."""
    titles = ["Gartner tells businesses to block AI browsers now",
              "Gartner urges businesses to block all AI browsers",
              "Gartner Calls For Pause on AI Browser Use", "Gartner Calls For a Pause on AI",
              "Keep AI browsers out of your enterprise, warns Gartner",
              "Shadow AI security breaches will hit 40% of all companies, warns Gartner",
              "Gartner: 40% of Firms to Be Hit By Shadow AI Incidents"]
    assert name_apart("Gartner", titles, said_share=0.25) == "Gartner news"
    assert name_apart("Gartner", titles[4:6], said_share=0.25) == "Gartner breach"  # 1 of 2
    assert name_apart("Gartner", titles) == "Gartner breach"     # any share


def test_an_event_named_by_a_cve_id_alone_is_named_for_its_subject() -> None:
    """CVE-2025-10585, an event of the "Chrome" theme, is the "Chrome zero-day" its
    headlines write; an id of an event with no theme, or one whose headlines say nothing
    of what happened, stays."""
    chrome = replace(FINDING, id="t", kind="theme", label="Chrome")
    flaw = replace(FINDING, id="e", kind="event", label="CVE-2025-10585", theme="t")
    alone = replace(flaw, id="f", theme=None)
    said = ["Google Patches Chrome Zero-Day CVE-2025-10585", "Update Chrome today",
            "CVE-2025-10585 is the sixth exploited Chrome zero-day of 2025"]
    renamed = ids_named([chrome, flaw, alone], [[], said, said])
    assert [f.label for f in renamed] == ["Chrome", "Chrome zero-day", "CVE-2025-10585"]
    quiet = ids_named([chrome, flaw], [[], ["CVE-2025-10585 in Chrome"]])
    assert quiet[1].label == "CVE-2025-10585"


def test_a_number_or_a_date_never_ends_a_name_apart() -> None:
    """"CISA gives federal agencies one year to …" twice: "one year" is when, not which."""
    titles = ["CISA gives federal agencies one year to retire edge devices",
              "CISA gives federal agencies one year to replace old routers"]
    assert "one" not in name_apart("federal agencies", titles).split()

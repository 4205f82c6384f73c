"""Trends tied to the roadmap, the stack and KEV: true links, near misses, and people's
confirmations that survive re-analysis, merges and splits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from radar.config import Settings
from radar.engine.analyze import analyze
from radar.errors import NotFoundError
from radar.flaws import exposure, flaws_line, open_flaws
from radar.links import Ties, find_links, initiative_target, match_all, stack_target, suggested_ring
from radar.models import (
    CONFIRMED,
    INITIATIVE,
    MITIGATED,
    NOT_AFFECTED,
    PATCHED,
    REJECTED,
    STACK,
    KevEntry,
    KevMark,
)
from radar.org import make_initiative, make_stack_item, read_kev
from radar.store import Store

from .records import make_trend
from .synthetic import default_topics, make_corpus
from .test_org import fixture_text

GF_VPN = make_stack_item("Glimmerfox", "GF-VPN")
NETSCALER = make_stack_item("Citrix", "NetScaler ADC")
EXCHANGE = make_stack_item("Microsoft", "Exchange")
GO_PLATFORM = make_initiative("Go services", keywords=["Go", "Kubernetes"])
KEV = {e.cve: e for e in read_kev(fixture_text("kev.json"))}


def links_of(trend, headlines, *targets):
    return {(link.kind, link.target_id): link.reason for link in find_links(
        trend, headlines, [initiative_target(t) if hasattr(t, "keywords") else stack_target(t)
                           for t in targets])}


def test_a_trend_named_after_a_product_touches_it() -> None:
    trend = make_trend("t", label="GF-VPN", keywords=("GF-VPN", "Glimmerfox GF-VPN"))
    assert links_of(trend, ["anything"], GF_VPN) == {
        (STACK, GF_VPN.id): "the trend is named after 'GF-VPN'; stack item Glimmerfox GF-VPN"}


def test_enough_headlines_naming_a_product_make_a_link_a_few_in_many_do_not() -> None:
    theme = make_trend("t", label="Glimmerfox", keywords=("Glimmerfox",))
    headlines = ["Glimmerfox GF-VPN flaw exploited", "Patch GF-VPN now, says Glimmerfox",
                 "GF-VPN 4.3 released", *[f"Glimmerfox story {n}" for n in range(7)]]
    assert links_of(theme, headlines, GF_VPN) == {
        (STACK, GF_VPN.id): "3 of 10 headlines name GF-VPN; stack item Glimmerfox GF-VPN"}
    mentioned_twice = headlines[:2] + [f"Glimmerfox story {n}" for n in range(40)]
    assert links_of(theme, mentioned_twice, GF_VPN) == {}


def test_near_miss_another_product_of_the_same_vendor() -> None:
    """'Citrix Bleed' in NetScaler is ours; a Citrix ShareFile flaw is not."""
    sharefile = make_trend("s", label="Citrix ShareFile", keywords=("Citrix ShareFile",))
    headlines = ["Citrix ShareFile flaw exploited", "Citrix warns ShareFile users",
                 "Citrix patches ShareFile"]
    assert links_of(sharefile, headlines, NETSCALER) == {}
    bleed = make_trend("b", label="Citrix Bleed", keywords=("Citrix Bleed", "NetScaler ADC"))
    assert (STACK, NETSCALER.id) in links_of(bleed, ["Citrix Bleed hits NetScaler ADC"],
                                             NETSCALER)


def test_go_the_language_is_not_the_verb() -> None:
    language = make_trend("g", label="Go", keywords=("Go", "Go modules"))
    assert (INITIATIVE, GO_PLATFORM.id) in links_of(language, ["Go 1.31 released"], GO_PLATFORM)
    verb = make_trend("p", label="Phishing", keywords=("phishing",))
    headlines = ["Attackers go after payroll", "Why phishers go for MFA", "Go phish",
                 "Crooks go big on QR codes"]
    assert links_of(verb, headlines, GO_PLATFORM) == {}


def test_an_everyday_product_name_counts_only_with_its_vendor() -> None:
    market = make_trend("m", label="Crypto", keywords=("crypto",))
    assert links_of(market, ["Exchange hacked", "Crypto exchange loses funds",
                             "Exchange rates"], EXCHANGE) == {}
    mail = make_trend("x", label="ProxyShell", keywords=("ProxyShell",))
    assert (STACK, EXCHANGE.id) in links_of(
        mail, ["ProxyShell hits Microsoft Exchange", "Microsoft Exchange servers hacked",
               "ProxyShell again"], EXCHANGE)


def test_every_kev_cve_in_headlines_is_linked_and_ours_means_act_now() -> None:
    event = make_trend("e", label="GF-VPN Gateway zero-day", keywords=("GF-VPN Gateway",))
    found = match_all([event], {"e": ["CVE-2031-1111 exploited in GF-VPN Gateway",
                                      "CISA adds CVE-2031-3333 and CVE-2031-1111 to KEV",
                                      "CVE-2031-9999 is not in the catalog"]},
                      [], [GF_VPN], KEV)
    assert found.kev["e"] == [("CVE-2031-1111", GF_VPN.id), ("CVE-2031-3333", None)]
    reasons = {link.target_id: link.reason for link in found.links}
    assert reasons[GF_VPN.id] == "the trend is named after 'GF-VPN'; stack item Glimmerfox GF-VPN"


def test_one_advisory_among_many_headlines_is_not_the_trend() -> None:
    agency = make_trend("c", label="CISA", keywords=("CISA",))
    headlines = ["CISA adds CVE-2031-1111 to catalog", *[f"CISA story {n}" for n in range(30)]]
    found = match_all([agency], {"c": headlines}, [], [GF_VPN], KEV)
    assert found.kev["c"] == [("CVE-2031-1111", None)] and found.links == []


def test_exposure_counts_flaws_one_per_cve_and_marked_ones_are_closed() -> None:
    exchange_server = make_stack_item("Microsoft", "Exchange Server")
    flaws = exposure(KEV, [GF_VPN, NETSCALER, exchange_server])
    assert [(f.entry.cve, f.products) for f in flaws] == [
        ("CVE-2031-1111", "Glimmerfox GF-VPN"), ("CVE-2031-3333", "Microsoft Exchange Server")]
    assert not exposure({"x": KevEntry("CVE-2031-5", "Citrix", "ShareFile")}, [NETSCALER])
    # one CVE hitting two of our products is one flaw, open while one product is open
    second = make_stack_item("Glimmerfox", "GF-VPN Gateway")
    patched = KevMark("CVE-2031-1111", PATCHED, "INC-1", "ana", "2031-04-01", GF_VPN.id)
    [flaw] = exposure({"CVE-2031-1111": KEV["CVE-2031-1111"]}, [GF_VPN, second], [patched])
    assert flaw.open and flaw.items == (second,) and flaw.closed == ((GF_VPN, patched),)
    everywhere = KevMark("CVE-2031-1111", NOT_AFFECTED, "not exposed", "ana", "2031-04-02")
    flaws = exposure(KEV, [GF_VPN, second, exchange_server], [patched, everywhere])
    assert [f.entry.cve for f in open_flaws(flaws)] == ["CVE-2031-3333"]
    assert flaws_line(flaws, "2031-02-15") == (
        "1 exploited flaw (a CVE in CISA's KEV catalog) in products we run, 1 past CISA's "
        "due date; 1 closed (marked patched, mitigated or not affected)")


def test_a_flaw_marked_in_our_stack_is_no_longer_act_now() -> None:
    entry = KEV["CVE-2031-1111"]
    assert Ties(kev=((entry, GF_VPN),)).act_now
    marked = KevMark(entry.cve, MITIGATED, "blocked at the proxy", "ana", "2031-04-01")
    ties = Ties(kev=((entry, GF_VPN), (KEV["CVE-2031-3333"], None)), marks=(marked,))
    assert not ties.act_now
    assert ties.closed_in_stack == [(entry, GF_VPN, marked)]


# --- in the store: people's word survives re-analysis, merges and splits ----------------------


def analysed_store(path) -> Store:
    store = Store(path)
    store.save_articles(make_corpus(default_topics(90), noise=200, days=90))
    store.save_initiatives([make_initiative("Passkeys for customers", keywords=["passkeys"])])
    analyze(store, Settings(), as_of=datetime(2031, 3, 31, 23, 59, tzinfo=UTC))
    return store


def passkeys_link(store: Store, trend_id: str):
    return next(link for link in store.load_links().get(trend_id, [])
                if link.target_id == "passkeys-for-customers")


def test_links_are_found_by_analysis_and_confirmations_survive_it(tmp_path) -> None:
    store = analysed_store(tmp_path / "radar.db")
    passkeys = next(t for t in store.load_trends() if t.label == "Passkeys")
    assert passkeys_link(store, passkeys.id).state == "suggested"
    store.record_link_state(passkeys.id, INITIATIVE, "passkeys-for-customers", CONFIRMED,
                            author="ana", at="2031-04-01T00:00:00Z")
    analyze(store, Settings(), as_of=datetime(2031, 4, 1, 23, 59, tzinfo=UTC))
    assert passkeys_link(store, passkeys.id).state == CONFIRMED
    store.record_link_state(passkeys.id, INITIATIVE, "passkeys-for-customers", REJECTED,
                            author="ana", at="2031-04-02T00:00:00Z")
    assert passkeys_link(store, passkeys.id).state == REJECTED
    store.close()


def test_confirmations_follow_merges_and_splits(tmp_path) -> None:
    store = analysed_store(tmp_path / "radar.db")
    trends = {t.label: t for t in store.load_trends()}
    passkeys, other = trends["Passkeys"], trends["Kubernetes"]
    store.record_link_state(passkeys.id, INITIATIVE, "passkeys-for-customers", CONFIRMED,
                            author="ana", at="2031-04-01T00:00:00Z")
    # A split: a new trend whose parent is the confirmed one inherits the confirmation.
    store.db.execute("insert into trends (id, label, state, parent_id, kind) values"
                     " ('child', 'Passkeys rollout', 'active', ?, 'event')", [passkeys.id])
    store.db.execute("insert into trend_links values ('child', 'initiative',"
                     " 'passkeys-for-customers', 'named', 1.0)")
    assert passkeys_link(store, "child").state == CONFIRMED
    # A merge: the trend it was merged into carries the confirmation.
    store.record_edit(passkeys.id, "merge", other.id, note="", author="ana",
                      at="2031-04-02T00:00:00Z")
    assert passkeys_link(store, other.id).state == CONFIRMED
    store.close()


def test_a_link_to_something_unknown_is_refused(tmp_path) -> None:
    store = analysed_store(tmp_path / "radar.db")
    trend_id = store.load_trends()[0].id
    with pytest.raises(NotFoundError, match="no stack item"):
        store.record_link_state(trend_id, STACK, "nothing", CONFIRMED, author="a", at="x")
    store.close()


def test_a_vendor_theme_needs_fewer_headlines_naming_its_product() -> None:
    pan_os = make_stack_item("Palo Alto Networks", "PAN-OS")
    headlines = ["PAN-OS flaw exploited", "Palo Alto Networks patches PAN-OS",
                 *[f"Palo Alto Networks story {n}" for n in range(30)]]
    vendor = make_trend("v", label="Palo Alto Networks", keywords=("Palo Alto Networks",))
    assert (STACK, pan_os.id) in links_of(vendor, headlines, pan_os)
    other = make_trend("o", label="Firewalls", keywords=("firewalls",))
    assert links_of(other, headlines, pan_os) == {}


def test_a_kev_entry_is_linked_by_product_when_added_during_the_burst() -> None:
    headlines = ["Glimmerfox GF-VPN Gateway zero-days under attack",
                 "Hackers exploit Glimmerfox GF-VPN Gateway, patch now",
                 "Glimmerfox warns of GF-VPN Gateway attacks"]
    during = make_trend("d", label="Glimmerfox zero-days", kind="event",
                        first_seen="2031-03-10T08:00:00Z", last_seen="2031-03-14T08:00:00Z")
    # CVE-2031-1111 (GF-VPN Gateway) was added on 2031-03-12: during the burst, named by
    # product in all three headlines, never by its id. Exchange is not named.
    assert match_all([during], {"d": headlines}, [], [GF_VPN], KEV).kev["d"] == [
        ("CVE-2031-1111", GF_VPN.id)]
    months_later = replace(during, first_seen="2031-06-01T08:00:00Z",
                           last_seen="2031-06-05T08:00:00Z")
    assert "d" not in match_all([months_later], {"d": headlines}, [], [GF_VPN], KEV).kev
    vendor_only = ["Glimmerfox shares fall", "Glimmerfox hires a new CEO", "GF-VPN review"]
    assert "d" not in match_all([during], {"d": vendor_only}, [], [GF_VPN], KEV).kev


def test_the_inner_ring_is_suggested_only_with_evidence() -> None:
    settings = Settings()
    threats, tools = settings.quadrants[0].name, settings.quadrants[1].name
    exploited = Ties(kev=((KEV["CVE-2031-1111"], GF_VPN),))
    named_only = Ties(kev=((KEV["CVE-2031-3333"], None),))
    steady = make_trend("t", quadrant=threats, status="steady")
    assert suggested_ring(steady, exploited, settings) == "adopt"       # act now
    assert suggested_ring(steady, named_only, settings) == "hold"       # not our product
    assert suggested_ring(steady, Ties(), settings) == "hold"
    assert suggested_ring(replace(steady, status="rising"), Ties(), settings) == "assess"
    # In the other quadrants only a person adopts.
    assert suggested_ring(replace(steady, quadrant=tools), exploited, settings) == "hold"


def test_matching_many_finds_what_matching_each_target_finds() -> None:
    """match_all looks only at targets whose words occur in a trend; it must find what
    comparing the trend with every target finds, names with symbols and case included."""
    stack = [GF_VPN, NETSCALER, EXCHANGE, make_stack_item("", ".NET"),
             make_stack_item("Acme", "C++ Builder"), make_stack_item("", "go"),
             make_stack_item("Glimmerfox", "GF-VPN Gateway", version="2")]
    initiatives = [GO_PLATFORM, make_initiative("Passkeys", keywords=["passkeys", "FIDO2"]),
                   make_initiative("Zero trust", keywords=["zero trust", "ZTNA"])]
    trends = [
        make_trend("a", label="GF-VPN Gateway zero-day", keywords=("GF-VPN",)),
        make_trend("b", label="GO", keywords=("Kubernetes operators",)),
        make_trend("c", label="Developer tools", keywords=("tooling",)),
        make_trend("d", label="Identity", keywords=("Passkeys",)),
        make_trend("e", label="Citrix", keywords=("Citrix",)),
        make_trend("f", label=".NET 11", keywords=("runtime",)),
    ]
    headlines = {
        "a": ["CVE-2031-1111 exploited in GF-VPN Gateway", "Glimmerfox patches gf-vpn"],
        "b": ["Go 1.30 released", "Kubernetes 2 ships", "kubernetes-operators grow"],
        "c": [".NET 11 preview", "C++ Builder update", "New .net release", "c++ builder 12"],
        "d": ["FIDO2 keys everywhere", "Passkeys and FIDO2 rise", "Zero-trust ZTNA rollouts"],
        "e": ["Citrix NetScaler ADC flaw", "NetScaler ADC exploited again", "Citrix story"],
        "f": [".NET 11 ships"],
    }
    targets = [initiative_target(i) for i in initiatives] + [stack_target(s) for s in stack]
    found = match_all(trends, headlines, initiatives, stack, KEV)
    one_by_one = [link for trend in trends
                  for link in find_links(trend, headlines[trend.id], targets)]
    by_words = [link for link in found.links if "in CISA KEV" not in link.reason]
    assert by_words == one_by_one
    assert {(link.trend_id, link.target_id) for link in found.links} >= {
        ("a", GF_VPN.id), ("b", GO_PLATFORM.id), ("f", stack[3].id), ("c", stack[4].id),
        ("d", initiatives[1].id), ("e", NETSCALER.id)}

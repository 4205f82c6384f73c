import numpy as np
import pytest

from radar.engine.cluster import (
    NOISE,
    cluster_rows,
    extract_entities,
    is_boilerplate,
    title_tokens,
    tokens,
    vectorize,
)


def test_tokens_keep_security_ids_and_drop_stopwords() -> None:
    assert tokens("Hackers exploit CVE-2024-3400 in Fortinet, says APT29 and Storm-0558") == [
        "hackers", "exploit", "cve-2024-3400", "fortinet", "apt29", "storm0558"]
    assert title_tokens("Shai-Hulud worm hits npm") == ["shai", "hulud", "worm", "npm"]
    assert "c++" in tokens("A C++ zero-day") and "node.js" in tokens("node.js flaw")


def test_a_hyphenated_name_reads_as_its_words_and_ids_stay_whole() -> None:
    """Headlines write "PAN-OS" and "PAN OS", "Shai-Hulud" and "Shai Hulud": for
    clustering both spellings are the same words, while a CVE id stays one token."""
    hyphen = title_tokens("Hackers exploit CVE-2024-3400 in PAN-OS")
    assert hyphen == title_tokens("Hackers exploit CVE-2024-3400 in PAN OS")
    assert {"pan", "os", "cve-2024-3400"} <= set(hyphen) and "cve" not in hyphen


@pytest.mark.parametrize("title", [
    "A week in review: ransomware, AI and more",
    "ISC Stormcast For Tuesday, March 5th, 2024",
    "CISA Adds Three Known Exploited Vulnerabilities to Catalog",
    "CISA Releases Twelve Industrial Control Systems Advisories",
    "Weekly Recap: Zero-days everywhere",
    "The smell of victory, Sysmon, Kimwolf - SWN #553",
    "U.S. CISA adds Ivanti flaw to its Known Exploited Vulnerabilities catalog",
    "Webinar: Kickstarting Your SaaS Security Program",
    "Routers Targeted for Gafgyt Botnet [Guest Diary], (Thu, Nov 9th)",
    "These 70+ Black Friday TV deals are still live: Save up to $2,200",
    "Dashlane Review 2025: Features, Pricing, and Security",
    "Best VPN services 2026: Expert tested and recommended",
    "Zabbix Server Product Security Update Advisory (CVE-2024-22116)",
    "Ransom & Dark Web Issues Week 2, July 2025",
    "How to Write a Query to Monitor Multiple Sources in Your SIEM",
    "QRadar vs Splunk (2024): SIEM Tool Comparison",
    "MFA vs 2FA: Which Is Best for Your Business?",
    "6 Best Open Source Password Managers for Windows in 2031",
    "Open Source Password Managers: Overview, Pros & Cons",
    "Top 6 Quillpass Alternatives and Competitors for 2031",
])
def test_boilerplate_titles(title: str) -> None:
    assert is_boilerplate(title)


@pytest.mark.parametrize("title", [
    "Cleo file transfer products exploited by hackers",
    "Microsoft signs deal with OpenAI over model access",
    "Australia launches cyber review board",
    "CISA adds emergency directive for Ivanti gateways",
    "How hackers abused Cloudflare Workers to spread malware",
    "AI vs. AI: Detecting an AI-obfuscated phishing campaign",
    "Top 10 ransomware gangs hit 400 firms",
])
def test_real_stories_are_not_boilerplate(title: str) -> None:
    assert not is_boilerplate(title)


def test_entities_cves_actors_and_vendors() -> None:
    titles = ["Ivanti flaw CVE-2025-0282 exploited by UNC5221",
              "Salt Typhoon and Volt Typhoon target Cisco gear", "Ivanti patches again"]
    assert extract_entities(titles, ["Ivanti", "Cisco"]) == [
        "Ivanti", "CVE-2025-0282", "Cisco", "Salt Typhoon", "UNC5221", "Volt Typhoon"]


STORIES = [(t, "") for t in [
    "Glimmerfox VPN appliance exploited", "Glimmerfox appliance flaw exploited in attacks",
    "Attackers exploit Glimmerfox VPN gateway", "Glimmerfox releases appliance patch",
    "Passkeys rollout at bank", "Bank passkeys rollout expands", "Passkeys rollout for staff",
    *[(f"Unrelated story number {w} about {w}x things") for w in
      ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
       "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo")],
]]


def test_clusters_topics_leaves_noise_and_is_deterministic() -> None:
    matrix = vectorize(STORIES, sites=[f"s{i % 5}" for i in range(len(STORIES))], max_df=0.2)
    labels = cluster_rows(matrix)
    assert np.array_equal(labels, cluster_rows(matrix))
    assert (labels[7:] == NOISE).all()
    assert len(set(labels[:4])) == 1 and labels[0] != NOISE
    assert len(set(labels[4:7])) == 1 and labels[4] not in (NOISE, labels[0])


def test_nothing_to_group_is_all_noise_not_an_error() -> None:
    stories = [("Alpha beta", ""), ("Gamma delta", ""), ("Epsilon zeta", "")]
    matrix = vectorize(stories, sites=["a", "b", "c"], max_df=0.02)
    assert matrix.shape == (3, 0)
    assert (cluster_rows(matrix) == NOISE).all()


def test_words_every_story_shares_are_no_features_not_an_error() -> None:
    """Ten headlines alike but for a number: every shared word is too common to use."""
    stories = [(f"Story number {n} about subject {n}", "") for n in range(10)]
    matrix = vectorize(stories, sites=["blog.example"] * 10, max_df=0.05)
    assert matrix.shape == (10, 0)
    assert (cluster_rows(matrix) == NOISE).all()

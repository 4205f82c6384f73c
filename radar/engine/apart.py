"""What happened to a subject, as the headlines say it (pure): a name apart for an event
named like its theme ("CrowdStrike outage"), what befell a bare name ("TeamViewer
breach", "GeoServer vulnerability") and whether headlines say it, whether a name is a
threat actor's or words of a category.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache

from radar.engine.naming import CVE_KEY, NAMES
from radar.engine.vocabulary import (
    ACTOR,
    BEFALLS,
    CORPORATE,
    DOERS,
    FLAWS,
    HAPPENING_VERBS,
    HAPPENINGS,
    NEVER_AT_EDGE,
    ONE_HAPPENING,
    PERSON_NOUNS,
    PERSON_TITLES,
    PLANTED,
    PROSECUTED,
    ROUTINE,
    TAKEN_DOWN,
    TAKEN_DOWN_FORMS,
    VAGUE,
    VOCABULARY,
)
from radar.engine.wordforms import is_kind, is_participle
from radar.models import EVENT, THEME, Finding
from radar.text import find_word, plural
from radar.thresholds import THRESHOLDS

MOSTLY = THRESHOLDS.scope.facet_share   # "mostly", as a facet is mostly another's
# What follows a threat actor's name when headlines call it a group.
A_GROUP = re.compile(r"(?:'s)? (?:(?:hacking |hacker |threat |ransomware |cybercrime "
                     r"|extortion )?(?:group|gang|crew)|threat actors?)\b")
# ... or what comes right before it ("Russian Hackers Gamaredon", "APT group Lazarus").
GROUP_BEFORE = re.compile(r"\b(?:hackers|apt|(?:apt|hacking|hacker|threat|spy) groups?"
                          r"|threat actors?|cyberspies) $")
# What happened, as headlines write it (the words for it are in `vocabulary`): a noun,
# a verb in any inflection ("dismantles", "hacking"), or "takes down".
HAPPENING_VERB = re.compile(r"\b(" + "|".join(HAPPENING_VERBS) + r")(?:s|d|ed|es|ned|ing)?\b",
                            re.I)   # "Police Disrupt …" writes the verb bare
TAKE_DOWN = re.compile(r"\b(?:" + "|".join(TAKEN_DOWN_FORMS) + r")\b", re.I)
VERBS_OF = {noun: tuple(verb for verb, of in HAPPENING_VERBS.items() if of == noun)
            for noun in set(HAPPENING_VERBS.values())}
HAPPENING = re.compile(r"\b(" + "|".join(sorted((re.escape(h) for h in HAPPENINGS),
                                                key=len, reverse=True)) + r")\b", re.I)


NEWS_FALLBACK = re.compile(r"(.+) news(?: \(\d+ stor(?:y|ies)\))?")   # name_apart's last word


def name_apart(label: str, titles: Sequence[str], taken: frozenset[str] = frozenset(),
               *, names: Sequence[str] = (), said_share: float = 0.0) -> str:
    """A name for an event that would repeat its theme's, as its headlines write it: the
    subject and what happened to it right after it ("CrowdStrike outage"), else another of
    its own names holding the subject ("Roundcube Webmail"), else the subject and what
    most of its headlines say happened, a routine happening last ("Oracle patch"); never
    one `taken` (lower case). A happening said anywhere in its headlines (not right
    after the name) names it only when `said_share` of them say it."""
    own = set(label.lower().split())
    happenings = [_happened(title) for title in titles]
    # Not "Supply Chain supply chain attack", nor "Gogs vulnerability flaw".
    said = Counter(m for told in happenings for m in told
                   if not own & {*m.split(), *_told_forms(m)})
    lowered = [title.lower() for title in titles]
    after = {w: sum(any(f"{label.lower()} {form}" in t for form in _forms(w)) for t in lowered)
             for w in said}
    by_use = sorted(said, key=lambda w: (-said[w], -len(w), w))
    # Headlines telling one happening in other words count for it ("Disrupt", "Takes
    # Down": two of RedLine's five say its takedown); not flaws, which headlines write of
    # what a tool finds as often as of what befell a name ("Mythos Has Found 271
    # Zero-Days" is no "Mythos vulnerability").
    telling = {w: sum(bool(told & _same_happening(w)) for told in happenings) for w in said}
    happened = [w for w in by_use if (said[w] if w in FLAWS else telling[w])
                >= said_share * len(titles)]
    written = sorted((w for w in said if after[w]), key=lambda w: (-after[w], -said[w], w))
    word = re.compile(rf"(?<!\w){re.escape(label.lower())}(?!\w)")
    holding = [n for n in names if n.lower() != label.lower() and word.search(n.lower())]
    # What most of them say happened tells more than a longer name a few write
    # ("BeyondTrust vulnerability", not "BeyondTrust Remote Access Products").
    mostly = sorted((w for w in by_use if w in BEFALLS - PLANTED
                     and telling[w] >= MOSTLY * len(titles)),
                    key=lambda w: w in VAGUE)   # "MoneyGram data breach" over "MoneyGram incident"
    for name in (*(f"{label} {w}" for w in written if w not in ROUTINE),
                 *(f"{label} {w}" for w in mostly), *holding,
                 *_next_words(label, titles),
                 *(f"{label} {w}" for w in happened if w not in ROUTINE),
                 *(f"{label} {w}" for w in (*written, *happened) if w in ROUTINE),
                 f"{label} news"):
        if name.lower() not in taken:
            return name
    return f"{label} news ({plural(len(titles), 'story', 'stories')})"


def befell(name: str, bare: str, *, actor: bool = False) -> bool:
    """`name` is `bare` and what befell it ("TeamViewer breach"), not a longer name of it
    ("NetNut Proxy") nor what it did ("APT40 exploit"); a CVE id says nothing it befell
    ("CVE-2025-14847 vulnerability"), nor does a flaw or sanctions of malware ("RondoDox
    Botnet exploitation"); a threat actor (`actor`, or named like one) is only taken down or
    prosecuted ("REvil sentencing")."""
    happening = _added(name, bare)
    if happening is None or CVE_KEY.fullmatch(bare.lower()):
        return False
    if actor or ACTOR.fullmatch(bare):   # "Salt Typhoon breach": who breached whom?
        return happening in TAKEN_DOWN | PROSECUTED
    malware = is_kind(bare.split()[-1])   # "RondoDox Botnet"
    # Its makers are sanctioned, not the software ("Predator Spyware").
    return happening in BEFALLS and not (malware and happening in FLAWS | PROSECUTED)


def befalls_an_actor(name: str, bare: str, *, actor: bool = False) -> bool:
    """`name` says a threat actor suffered what it did to others ("Scattered Spider data
    breach" for its breaches of companies): a misleading name, even for a take-off."""
    return (actor or bool(ACTOR.fullmatch(bare))) and _added(name, bare) in BEFALLS - TAKEN_DOWN


def is_actor(name: str, titles: Sequence[str]) -> bool:
    """Headlines call `name` a group (`Names.actor_headlines` of them: "TeamPCP hacking
    group", "Qilin ransomware gang", "Russian Hackers Gamaredon"): a threat actor,
    whatever its name looks like.
    "Change Healthcare hackers" are its attackers: "hackers" says nothing of the name."""
    lowered = name.lower()

    def calls_a_group(title: str) -> bool:
        text = title.lower()
        at = find_word(text, lowered)
        while at >= 0:
            if A_GROUP.match(text, at + len(lowered)) or GROUP_BEFORE.search(text, 0, at):
                return True
            at = find_word(text, lowered, at + 1)
        return False

    return sum(calls_a_group(title) for title in titles) >= NAMES.actor_headlines


def in_their_own_words(name: str, bare: str, *, past: bool) -> bool:
    """`name` may say what befell `bare` though no headline writes the two together
    (each says it in its own words: "Workday breach"): only of a proper name ("plaintext"
    of "Meta fined for storing passwords in plaintext" is none), and a flaw only of a
    name with a `past` in the news ("WatchGuard flaw"), as a new name may be the flaw's
    own ("LDAPNightmare", not "LDAPNightmare vulnerability")."""
    return bare != bare.lower() and (past or _added(name, bare) not in FLAWS)


def words_about(name: str, bare: str, titles: Sequence[str]) -> bool:
    """A headline writes what `name` adds to `bare` in lower case right after it, and
    that is no happening: words about the name ("Facebook ads", "Snowflake data"), not
    a longer name of it ("Google Play"), what befell it ("Apple zero-day") nor the kind
    of malware it is ("Qilin ransomware")."""
    added = _added(name, bare)
    if not added or HAPPENING.fullmatch(added) or is_kind(added):
        return False
    pattern = re.compile(rf"(?<![\w-]){re.escape(bare)} {re.escape(added)}(?![\w-])",
                         re.IGNORECASE if bare.lower() == bare else 0)
    return any(pattern.search(title) for title in titles)


def full_name(name: str, bare: str) -> bool:
    """`name` is only `bare` with what a company's full name adds ("Palo Alto Networks")."""
    added = _added(name, bare)
    return added is not None and all(word in CORPORATE for word in added.split())


def written(name: str, titles: Sequence[str]) -> bool:
    """Some headline writes `name` as it stands, in any case."""
    lowered = name.lower()
    return any(lowered in title.lower() for title in titles)


def written_in_lower_case(name: str, titles: Sequence[str]) -> bool:
    """A headline writes `name` in lower case ("CISA warns federal agencies"): words of a
    category, not the proper name of something that a flaw or a breach befalls."""
    lowered = name.lower()
    return lowered != name and any(
        re.search(rf"(?<![\w-]){re.escape(lowered)}(?![\w-])", title) for title in titles)


def _added(name: str, bare: str) -> str | None:
    """What `name` adds after `bare` (lower case), if it starts with it."""
    starts = name.lower().startswith(f"{bare.lower()} ")
    return name[len(bare) + 1:].lower() if starts else None


def said_by(name: str, bare: str, titles: Sequence[str]) -> list[int]:
    """Which headlines (positions) say what a name apart adds to the bare name ("breach"
    of "Canvas breach", "routers" of "ASUS Routers"), in any inflection; not who did it
    ("Chinese hacker uses DeepSeek" says no "DeepSeek hack")."""
    added = [_said_forms(w) for w in name.lower().split() if w not in bare.lower().split()]
    lowered = (title.lower() for title in titles)
    return [i for i, title in enumerate(lowered)
            if all(pattern.search(title) for pattern in added)]


@cache
def _befalls_said(actor: bool = False) -> re.Pattern[str]:
    """Any of `BEFALLS` (an `actor`: what befalls one) as `said_by` finds it in a headline."""
    words = TAKEN_DOWN | PROSECUTED if actor else BEFALLS
    return re.compile("|".join(f"(?:{_said_forms(word).pattern})" for word in sorted(words)))


@cache
def _said_forms(word: str) -> re.Pattern[str]:
    """`_told_forms` of `word` in a headline, not as the doer's noun ("hacker")."""
    forms = "|".join(re.escape(form) for form in _told_forms(word))
    return re.compile(rf"(?:{forms})(?!ers?\b)")


def _happened(title: str) -> set[str]:
    """What a headline says happened, as nouns ("takedown" of "Europol dismantles …")."""
    return {h.lower() for h in HAPPENING.findall(title)} | {
        HAPPENING_VERBS[verb.lower()] for verb in HAPPENING_VERB.findall(title)} | (
        {"takedown"} if TAKE_DOWN.search(title) else set())


@cache
def _same_happening(word: str) -> frozenset[str]:
    """The words headlines use for what befell a name, as `word` says it ("breach",
    "data breach", "incident"); not the exploits a threat actor is the doer of."""
    family = next((f for f in ONE_HAPPENING if word in f), frozenset({word}))
    plurals = {w for w in HAPPENINGS if w.rstrip("s") in family}
    return (family | plurals) - DOERS


def _forms(word: str) -> tuple[str, ...]:
    """How headlines write a word of a name apart: its stem, and the verbs saying the
    same happening ("dismantle" for "takedown")."""
    return (_stem(word), *VERBS_OF.get(word, ()),
            *(TAKEN_DOWN_FORMS if word == "takedown" else ()))


@cache
def _told_forms(word: str) -> tuple[str, ...]:
    """How headlines telling the same happening write it: its forms and those of the
    other words for it ("seize" and "disrupt" for "takedown")."""
    stem = _stem(word)
    family = next((f for f in ONE_HAPPENING if stem in {_stem(m) for m in f}), {word})
    return tuple(sorted({form for member in family for form in _forms(member)}))


def _stem(word: str) -> str:
    """A plural's stem, as singular and plural both hold it ("vulnerabilit" of
    "vulnerabilities" and of "vulnerability", "breach" of "breaches", "flaw" of "flaws"),
    and a noun of action's, as its verb holds it too ("exploit" of "exploitation":
    "actively exploited")."""
    if word.endswith("ation") and len(word) > len("ation") + 3:
        return word[:-len("ation")]
    if word.endswith("ies"):
        return word[:-3]
    if word.endswith("y") and len(word) > 3 and word[-2] not in "aeiou":
        return word[:-1]   # as its plural holds it: "vulnerabilit" of "vulnerability"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def says_nothing_new(name: str) -> str | None:
    """The subject of a name `name_apart` could only make "<subject> news" (headlines
    that say nothing of what happened to it), else None."""
    match = NEWS_FALLBACK.fullmatch(name)
    return match.group(1) if match else None


def nothing_new_named(findings: Sequence[Finding]) -> dict[int, str]:
    """Events named only "<a name in the news all along> news" ("TikTok news"): no
    trend; {index: the name}."""
    perennial = {f.keywords[0].lower() for f in findings
                 if f.kind == THEME and f.perennial and f.keywords}
    found = {i: says_nothing_new(f.label) for i, f in enumerate(findings) if f.kind == EVENT}
    return {i: subject for i, subject in found.items()
            if subject and subject.lower() in perennial}


def _next_words(label: str, titles: Sequence[str]) -> list[str]:
    """The name and the words headlines write right after it, most written first, when
    at least two do ("Roundcube Webmail", "Cleo File Transfer" rather than "Cleo File"):
    a name as the headlines write it, up to its last word of the trade's vocabulary.
    Whom stories address or a person's title says who, not what ("Mac users", "Telegram
    founder"); a participle says what happened to it ("Salt Typhoon exploited")."""
    after = re.compile(rf"(?<!\w){re.escape(label)}\s+([A-Za-z][\w.+&-]*)", re.IGNORECASE)
    found = [m.group(1) for title in titles for m in after.finditer(title)
             if m.group(1).lower() not in NEVER_AT_EDGE | PERSON_NOUNS | PERSON_TITLES
             and not is_participle(m.group(1))]
    seen = Counter(w.lower() for w in found)
    spelled = {w.lower(): Counter(x for x in found if x.lower() == w.lower()).most_common(1)[0][0]
               for w in found}
    names = [f"{label} {spelled[w]}" for w, n in sorted(seen.items(),
                                                         key=lambda kv: (-kv[1], kv[0])) if n >= 2]
    return [_written_on(name, titles) for name in names]


def _written_on(name: str, titles: Sequence[str]) -> str:
    """The name with the words at least two headlines write after it, while they are
    not the trade's vocabulary ("Cleo File" -> "Cleo File Transfer", not "... Flaw")."""
    last = name.split()[-1].lower()
    # Past what happened to it ("Lazarus Group exploits") a headline goes on with its
    # clause ("… exploits Google"), not with the name.
    if len(name.split()) >= NAMES.max_words or last in VOCABULARY:
        return name
    longer = [n for n in _next_words(name, titles) if n.split()[-1].lower() not in VOCABULARY]
    return longer[0] if longer else name


def names_apart(findings: list[Finding], titles: Sequence[Sequence[str]]) -> list[Finding]:
    """No two trends share a name: an event named like a theme (or a larger event) is
    named for what happened ("CrowdStrike" -> "CrowdStrike outage"). A name in the news all
    along keeps its bare name for its theme even when the theme's take-off is named apart
    ("GitHub breach"), and so does a theme named for what befell it ("LoanDepot data
    breach"): an event is never the bare "GitHub" or "LoanDepot" on the radar."""
    by_name: dict[str, list[int]] = {}
    for index, found in enumerate(findings):
        by_name.setdefault(found.label.lower(), []).append(index)
        if found.kind == THEME and found.keywords and \
                found.keywords[0].lower() != found.label.lower() and \
                (found.perennial or befell(found.label, found.keywords[0])):
            by_name.setdefault(found.keywords[0].lower(), []).append(index)
    taken = set(by_name)
    renamed = list(findings)
    for name, indexes in by_name.items():
        _, *others = sorted(indexes, key=lambda i: (findings[i].kind != THEME,
                                                    -findings[i].story_count, i))
        for index in others:
            if findings[index].label.lower() != name:   # a theme holding its bare name
                continue
            label = name_apart(findings[index].label, titles[index], frozenset(taken),
                               names=findings[index].keywords,
                               said_share=NAMES.happened_share)
            taken.add(label.lower())
            renamed[index] = replace(findings[index], label=label)
    return renamed


def events_befallen(findings: list[Finding], titles: Sequence[Sequence[str]], *,
                    had_past: Callable[[str], bool] = lambda name: False) -> list[Finding]:
    """An event called by a bare name whose headlines mostly say what befell it is named
    for it, as a theme of one happening is ("Medibank" -> "Medibank breach", "Fluent
    Bit" -> "Fluent Bit bug"), each headline in its own words ("Workday breach" of
    "Workday Reveals CRM Breach" and "Workday disclosed a data breach", see
    `in_their_own_words`; `had_past` tells a name headlines wrote before the event).
    Never as another trend is named; a threat actor only for its takedown or its
    prosecution ("REvil sentencing"), see `befell`."""
    renamed, names = list(findings), {f.label.lower() for f in findings}
    for index, found in enumerate(findings):
        told, bare = titles[index], found.label
        if found.kind != EVENT or HAPPENING.search(bare) or written_in_lower_case(bare, told):
            continue
        enough = max(2, math.ceil(MOSTLY * len(told)))
        actor, taken = is_actor(bare, told), set(names)
        said = _befalls_said(actor or bool(ACTOR.fullmatch(bare)))
        if sum(bool(said.search(title.lower())) for title in told) < enough:
            continue   # most of its headlines say nothing that befalls a name
        while not says_nothing_new(apart := name_apart(bare, told, frozenset(taken),
                                                       said_share=MOSTLY)):
            if befell(apart, bare, actor=actor) and len(said_by(apart, bare, told)) >= enough \
                    and (written(apart, told) or in_their_own_words(
                        apart, bare, past=had_past(bare))):
                renamed[index] = replace(found, label=apart)
                names.add(apart.lower())
                break
            taken.add(apart.lower())
    return renamed


def ids_named(findings: list[Finding], titles: Sequence[Sequence[str]]) -> list[Finding]:
    """An event named only by a CVE id is named for what happened to its theme's subject,
    as its headlines write it ("Chrome zero-day" for CVE-2025-10585): an id alone does
    not tell a reader what it is in."""
    subjects = {f.id: f.keywords[0] if f.perennial and f.keywords else f.label
                for f in findings if f.kind == THEME}
    renamed = list(findings)
    for index, found in enumerate(findings):
        if found.kind == EVENT and CVE_KEY.fullmatch(found.label.lower()) and \
                found.theme in subjects:
            apart = name_apart(subjects[found.theme], titles[index])
            if not says_nothing_new(apart):
                renamed[index] = replace(found, label=apart)
    return renamed

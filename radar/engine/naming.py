"""Names for themes and events, as the headlines spell them (pure).

A name is always one phrase of the trend's own headlines ("Salt Typhoon", "Model Context
Protocol", "CVE-2024-3400"). Among the phrases that name a subject, the one most of the
trend's headlines use wins; a longer phrase holding it wins when nearly as many use it
("Lumma Stealer" over "Lumma"). A name, once given, stays while it still fits: names that
change from one day to the next are worse than a slightly less apt one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from radar.engine.phrases import PhraseTable, common_zipf
from radar.engine.spelling import spellings
from radar.engine.vocabulary import NEVER_AT_EDGE, VOCABULARY
from radar.engine.wordforms import is_participle
from radar.thresholds import THRESHOLDS

NAMES = THRESHOLDS.names
CVE_KEY = re.compile(r"cve-\d{4}-\d{4,7}")

@dataclass(frozen=True)
class NameOption:
    label: str
    support: int          # the trend's stories whose headline uses it


def theme_names(table: PhraseTable, phrases: Sequence[int], titles: Sequence[str]
                ) -> list[NameOption]:
    """A theme's phrases as name options, the preferred one first."""
    support = {col: int(table.story_counts[col]) for col in phrases}
    return _ranked(table, support, {col: float(n) for col, n in support.items()}, titles,
                   coined_first=False)


def event_names(table: PhraseTable, rows: np.ndarray, titles: Sequence[str], *,
                min_share: float = 0.3, limit: int = 5,
                max_stories: float = math.inf) -> list[NameOption]:
    """Name options for an event: subject phrases a good part of its headlines use,
    weighted by how rare they are elsewhere (its own name, not the week's vocabulary).
    An event no subject phrase names is a mixture of stories sharing an ordinary word
    ("app", "Android") or a name in every week's news (`max_stories`: "CISA"), not one
    happening: it gets no options."""
    # Counted over the phrases its headlines hold, not summed over every column of the
    # table; float32, as the table's entries, so the weights are as they always were.
    cols, counts = np.unique(table.by_story[rows].indices, return_counts=True)
    counts = counts.astype(np.float32)
    common = counts >= max(2.0, min_share * len(rows))
    stories = table.matrix.shape[0]
    support, weight, everyday, named = {}, {}, {}, False
    for col, count in zip(cols[common].tolist(), counts[common], strict=True):
        if not table.is_subject(col) or table.story_counts[col] > max_stories:
            continue
        if table.is_common_word(col):
            everyday[col] = int(count)
            continue
        support[col] = int(count)
        weight[col] = count * math.log(stories / table.story_counts[col])
        if table.uncased[col] > table.cased[col]:
            # Words sentence-case headlines write in lower case describe whom or what
            # it hit ("German political parties"), the name is what did it ("WINELOADER").
            weight[col] *= NAMES.described_weight
        else:
            named = True
    if not named:   # nothing rarer names it ("plaintext" only describes)
        for col, count in _everyday_names(table, everyday, len(rows)).items():
            support[col] = count
            weight[col] = count * math.log(stories / table.story_counts[col])
    return _ranked(table, support, weight, titles, coined_first=True,
                   first=_own_coined(table, support))[:limit]


def _own_coined(table: PhraseTable, support: dict[int, int]) -> frozenset[int]:
    """An event's own coined name ("WrtHug", "ClawJacked", "Mandrake Spyware": a name no
    story outside the event writes, of a word no everyday one, not written in lower case)
    comes before a name of the wider news ("ASUS", "Google Play") when nearly as many of
    its headlines use it."""
    least = NAMES.longer_share * max(support.values(), default=0)
    return frozenset(col for col, count in support.items()
                     if count >= least and table.story_counts[col] == count
                     and table.keys[col].count(" ") <= 1 and not CVE_KEY.search(table.keys[col])
                     and _least_common(table.keys[col]) < NAMES.common_zipf
                     and table.uncased[col] <= table.cased[col])


def _everyday_names(table: PhraseTable, counts: dict[int, int], size: int) -> dict[int, int]:
    """A lone ordinary word ("Android") names a week of stories, not one happening: three
    stories share such a name by chance any week. When nothing rarer names an event, one
    written as a name that nearly every headline of a larger burst writes does ("Linux"
    of four stories on one pair of root flaws)."""
    least = max(NAMES.everyday_event_stories, NAMES.everyday_event_share * size)
    return {col: count for col, count in counts.items()
            if count >= least and table.is_name(col, strict=True)}


def _ranked(table: PhraseTable, support: dict[int, int], weight: dict[int, float],
            titles: Sequence[str], *, coined_first: bool,
            first: frozenset[int] = frozenset()) -> list[NameOption]:
    # Between an event's equals, the coined name ("Zardoor") over a description
    # ("Islamic Charity").
    order = sorted(support, key=lambda col: (
        col not in first, -weight[col], _least_common(table.keys[col]) if coined_first else 0.0,
        table.keys[col]))
    if not order:
        return []
    if CVE_KEY.fullmatch(table.keys[order[0]]):
        # People name a flaw by what it is in ("XZ Utils") when they write that nearly
        # as often.
        named = [col for col in order if not CVE_KEY.search(table.keys[col])
                 and support[col] >= NAMES.longer_share * support[order[0]]]
        order = named[:1] + [col for col in order if col not in named[:1]]
    # "IT worker" is mostly a modifier ("IT worker scheme"); the subject is written in
    # the plural ("IT workers", "AI agents") when half as many headlines write that, or
    # when the singular mostly describes the word after it.
    plural_of = table.index.get(table.keys[order[0]] + "s")
    if plural_of in support and (
            support[plural_of] >= NAMES.plural_share * support[order[0]]
            or _mostly_describes(table.keys[order[0]], titles)):
        order = [plural_of, *(col for col in order if col != plural_of)]
    best = order[0]
    words = table.keys[best].split()
    with_id = bool(CVE_KEY.search(table.keys[best]))
    longer = [col for col in order if _holds(table.keys[col].split(), words)
              and support[col] >= NAMES.longer_share * support[best]
              and (with_id or not CVE_KEY.search(table.keys[col]))]
    if longer:
        chosen = max(longer, key=lambda col: (len(table.keys[col].split()), support[col]))
        order.remove(chosen)
        order.insert(0, chosen)
    spelled = spellings(table, order, titles)
    # Two phrases may be completed into one name ("Codex CLI" and "OpenAI Codex CLI"):
    # it is offered once, with the better-ranked one's support.
    named: dict[str, NameOption] = {}
    for col in order:
        named.setdefault(spelled[col].lower(), NameOption(spelled[col], support[col]))
    return list(named.values())


def _least_common(key: str) -> float:
    """How common in English the rarest of a phrase's own words is (0: a coined word),
    the trade's vocabulary aside ("Kingdom ransomware" is no more coined than "Black
    Kingdom")."""
    words = key.split()
    return min((common_zipf(word) for word in words if word not in VOCABULARY), default=math.inf)


def _mostly_describes(name: str, titles: Sequence[str]) -> bool:
    """Half the headlines writing `name` write a noun right after it ("IT worker
    scheme", "IT worker fraud"), not a verb or the end of a clause."""
    after = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)(?:\s+([A-Za-z][\w-]*))?",
                       re.IGNORECASE)
    uses = [m.group(1) for title in titles for m in after.finditer(title)]
    nouns = sum(1 for word in uses if word and word.lower() not in NEVER_AT_EDGE
                and not is_participle(word))
    return bool(uses) and nouns >= NAMES.plural_share * len(uses)


def _holds(longer: list[str], shorter: list[str]) -> bool:
    """`shorter` occurs in `longer` as consecutive words, and `longer` has more of them."""
    size = len(shorter)
    return len(longer) > size and any(longer[i:i + size] == shorter
                                      for i in range(len(longer) - size + 1))


def stable_label(options: Sequence[NameOption], previous: str | None) -> str:
    """The preferred name, unless the name given before still fits well enough and is
    not merely its singular ("IT Worker" gives way to "IT workers")."""
    if not options:
        return previous or "Unnamed subject"
    if previous and options[0].label.lower() != f"{previous.lower()}s":
        for option in options:
            if option.label.lower() == previous.lower() and \
                    option.support >= NAMES.keep_share * options[0].support:
                return option.label
    return options[0].label

"""Themes: subjects whose coverage persists or grows over weeks to months (pure).

Found over a long history (a year by default) from the phrases headlines use: each
phrase that names a subject and is told by several sites is a candidate; a phrase whose
stories nearly all use a longer candidate is left to it ("Salt" to "Salt Typhoon"); and
candidates that mostly share their stories, or share a word and most of the smaller one's
stories, or when one holds nearly all the other's stories, or that headlines give as one
another's names, are one subject ("Lumma" and "Lumma Stealer", "IT workers" and "North
Korean IT", "CVE-2026-21509" and "Microsoft Office", "Clawdbot" and "Moltbot"; not "North
Korean" and "North Korean IT workers", which is a part of it). A theme's stories are
those whose headline holds any of its phrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from radar.engine.phrases import PhraseTable
from radar.thresholds import THRESHOLDS, Themes

# A headline that gives one name for another: the name before the cue and the one after
# it ("ALPHV aka BlackCat", "X (formerly Twitter)", "Clawdbot's rename to Moltbot",
# "Royal rebrands as BlackSuit", "OpenClaw/Moltbot"), or "from Clawdbot to OpenClaw".
ALIAS_CUE = re.compile(r"\s*(?:\baka\b|\ba\.k\.a\.?|\bformerly(?: known as)?\b|\bnow (?:known as|"
                       r"called)\b|['\u2019]s rename to\b|\brenamed? (?:to|as)\b|"
                       r"\brebrand(?:s|ed)? (?:as|to)\b|(?<=[^\W\d_])/(?=[^\W\d_]))\s*")
FROM_TO = re.compile(r"\bfrom (?P<old>[^,:;]+?) to (?P<new>.+)")


@dataclass(frozen=True)
class FoundTheme:
    rows: np.ndarray               # the stories about it (row numbers of the table)
    phrases: tuple[int, ...]       # its phrases (table columns), most used first


def find_themes(table: PhraseTable, titles: Sequence[str],
                story_sites: Sequence[frozenset[str]],
                options: Themes = THRESHOLDS.themes) -> list[FoundTheme]:
    """Every theme in the stories (their headlines and sites) the table was built from,
    largest first."""
    stories = table.matrix.shape[0]
    if stories == 0 or not table.keys:
        return []
    candidates = _candidates(table, story_sites, options)
    kept = _drop_covered(table, candidates, options, titles)
    if not kept:
        return []
    columns = table.matrix[:, kept].tocsc()
    aliases = _alias_pairs(table, kept, columns, titles)
    component = _subjects(table, kept, columns, aliases, options)
    # Stories x subjects: how many of a subject's phrases each headline holds.
    subjects = (columns @ sparse.csr_matrix(
        (np.ones(len(kept)), (np.arange(len(kept)), component)))).tocsc().sorted_indices()
    themes = []
    for group in range(component.max() + 1):
        members = np.flatnonzero(component == group)
        phrases = sorted((kept[m] for m in members),
                         key=lambda col: (-table.story_counts[col], table.keys[col]))
        rows = subjects.indices[subjects.indptr[group]:subjects.indptr[group + 1]]
        themes.append(FoundTheme(rows=rows.astype(np.intp), phrases=tuple(phrases)))
    return sorted(themes, key=lambda t: (-len(t.rows), table.keys[t.phrases[0]]))


def _subjects(table: PhraseTable, kept: list[int], columns: sparse.csc_matrix,
              aliases: set[tuple[int, int]], options: Themes) -> np.ndarray:
    """A subject number per kept phrase: phrases naming one subject share a number.
    `aliases`: pairs of positions in `kept` that a headline gives as one another's
    name."""
    overlap = (columns.T @ columns).tocoo()
    off_diagonal = overlap.row < overlap.col
    rows, cols, shared = overlap.row[off_diagonal], overlap.col[off_diagonal], \
        overlap.data[off_diagonal]
    aliased = np.array([(a, b) in aliases for a, b in zip(rows, cols, strict=True)],
                       dtype=bool)
    counts = table.story_counts[kept].astype(np.float64)
    smaller = np.minimum(counts[rows], counts[cols])
    larger = np.maximum(counts[rows], counts[cols])
    jaccard = shared / (counts[rows] + counts[cols] - shared)
    words = [set(_fold(table.keys[col]).split()) for col in kept]
    same_words = np.array([bool(words[a] & words[b]) for a, b in zip(rows, cols, strict=True)],
                          dtype=bool)
    held = (shared >= options.held_share * smaller) & (larger <= options.held_size * smaller)
    same = (jaccard >= options.same_subject) | held | (
        same_words & (shared >= options.same_name_share * smaller)
        & (larger <= options.same_name_size * smaller)) | (
        aliased & (shared >= options.alias_stories)
        & (shared >= options.alias_share * smaller))
    folded: dict[str, int] = {}
    extra_rows, extra_cols = [], []
    for position, col in enumerate(kept):  # "IT worker" and "IT workers" are one phrase
        twin = folded.setdefault(_fold(table.keys[col]), position)
        if twin != position:
            extra_rows.append(twin)
            extra_cols.append(position)
    graph = sparse.csr_matrix(
        (np.ones(same.sum() + len(extra_rows)),
         (np.concatenate([rows[same], extra_rows]).astype(int),
          np.concatenate([cols[same], extra_cols]).astype(int))),
        shape=(len(kept), len(kept)))
    return connected_components(graph, directed=False)[1]


def _alias_pairs(table: PhraseTable, kept: list[int], columns: sparse.csc_matrix,
                 titles: Sequence[str]) -> set[tuple[int, int]]:
    """Pairs (lower position first) of kept phrases that a headline gives as one another's
    name: the one just before an alias cue and the one just after it. `columns`: the
    kept phrases' columns of the table."""
    by_story = columns.tocsr()
    pairs: set[tuple[int, int]] = set()
    # Only a headline holding two kept phrases can pair them (one in seven of a year's).
    for row in np.flatnonzero(np.diff(by_story.indptr) >= 2):
        sides = _alias_sides(titles[row])
        if not sides:
            continue
        present = [(int(i), table.keys[kept[i]].lower()) for i in
                   by_story.indices[by_story.indptr[row]:by_story.indptr[row + 1]]]
        for before, after in sides:
            ends = {i for i, key in present if re.search(rf"\b{re.escape(key)}\W*$", before)}
            starts = {i for i, key in present if re.match(rf"\W*{re.escape(key)}\b", after)}
            pairs.update((min(a, b), max(a, b)) for a in ends for b in starts if a != b)
    return pairs


@lru_cache(maxsize=100_000)
def _alias_sides(title: str) -> tuple[tuple[str, str], ...]:
    """The text before and after each alias cue of a headline, lower case. Cached: every
    analysis of a backtest reads the same headlines again."""
    text = title.lower()
    return (*((text[:m.start()], text[m.end():]) for m in ALIAS_CUE.finditer(text)),
            *((m["old"], m["new"]) for m in FROM_TO.finditer(text)))


def _fold(key: str) -> str:
    """The key with a plural last word made singular: "ai agents" -> "ai agent"."""
    head, _, last = key.rpartition(" ")
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}".strip()


def vocabulary_ceiling(stories: int, options: Themes = THRESHOLDS.themes) -> float:
    """A phrase in more stories than this is the news's vocabulary ("CISA" in 4 % of a
    year's stories), too broad to be a theme or to name an event."""
    return max(options.max_story_share * stories, options.vocabulary_floor)


def _candidates(table: PhraseTable, story_sites: Sequence[frozenset[str]],
                options: Themes) -> list[int]:
    """Phrases that name a subject, told often enough by enough sites."""
    counts = table.story_counts
    ceiling = vocabulary_ceiling(table.matrix.shape[0], options)
    frequent = np.flatnonzero((counts >= options.min_stories) & (counts <= ceiling))
    if not len(frequent):
        return []
    names = {site: i for i, site in enumerate(sorted(set().union(*story_sites)))}
    rows = [r for r, sites in enumerate(story_sites) for _ in sites]
    cols = [names[s] for sites in story_sites for s in sorted(sites)]
    by_site = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                shape=(len(story_sites), len(names)))
    per_site = (table.matrix[:, frequent].T @ by_site).tocsr()
    distinct = np.diff(per_site.indptr)
    top = per_site.max(axis=1).toarray().ravel()
    spread = (distinct >= options.min_sites) & (top <= options.max_site_share * counts[frequent])
    return [int(col) for col in frequent[spread] if table.is_subject(int(col))]


def _drop_covered(table: PhraseTable, candidates: list[int], options: Themes,
                  titles: Sequence[str]) -> list[int]:
    """Leave a phrase to the longer candidates that contain it when they hold most of its
    stories ("Typhoon" is Salt, Volt and Flax Typhoon; "Salt" is Salt Typhoon). An
    ordinary word written as a name is left to every name it is part of, however rare
    ("Mark" is Mark Zuckerberg, Mark Cuban …), once they hold half of it."""
    position = {table.keys[col]: col for col in candidates}
    longer: dict[int, list[int]] = {}
    for col in candidates:
        words = table.keys[col].split()
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                inner = position.get(" ".join(words[start:start + size]))
                if inner is not None:
                    longer.setdefault(inner, []).append(col)
    kept = []
    for col in candidates:
        holders, share = longer.get(col), options.covered_share
        if table.is_common_word(col):
            holders = [*(holders or []), *table.names_around(col, titles)]
            share = options.common_covered_share
        if holders:
            rows = table.rows_of(col)
            held = np.isin(rows, np.concatenate([table.rows_of(h) for h in holders]))
            if held.sum() >= share * len(rows):
                continue
        kept.append(col)
    return kept

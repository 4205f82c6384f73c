"""How headlines write a phrase: its spelling ("MOVEit", "Next.js"), completed where a
name is cut short ("Palo Alto Networks") or a word only describes ("Agentic AI") (pure)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from radar.engine.phrases import (
    NAMES,
    PhraseTable,
    _clauses,
    _key,
    _zipf,
)
from radar.engine.vocabulary import (
    AUDIENCES,
    CLAUSE_VERBS,
    DESCRIBING_ENDINGS,
    FUNCTION_WORDS,
    MODIFIERS,
    NAME_HEADS,
    NEVER_AT_EDGE,
    PERSON_TITLES,
    VOCABULARY,
)
from radar.engine.wordforms import has_id_shape, is_acronym, is_kind, is_participle

VERSION = re.compile(r"v?\d+(?:\.\d+)*", re.IGNORECASE)   # "v7", "2.0"
# Capitalised words next to an acronym that say what happened or who, not which one.
NOT_WITH_ACRONYM = NEVER_AT_EDGE | MODIFIERS | AUDIENCES | PERSON_TITLES


def spellings(table: PhraseTable, cols: Sequence[int], titles: Sequence[str], *,
              sample: int = 40) -> dict[int, str]:
    """The spelling the headlines use most for each phrase ("MOVEit", "Next.js"),
    judged on its first `sample` headlines: among equally common spellings, one with
    capitals, then the alphabetically first."""
    spelled = {}
    for col in cols:
        told = [titles[row] for row in table.rows_of(col)[:sample]]
        found, before, after = _neighbours(tuple(table.keys[col].split()), told)
        best = _best_spelling(found, table.keys[col])
        spelled[col] = _completed(best, before, after, told,
                                  describing=_is_describing(table, col))
    return spelled


def completed_in(name: str, titles: Sequence[str]) -> str:
    """`name` completed as nearly all of `titles` write it: "Sleet", a theme of Microsoft's
    names for North Korean groups, is "Moonstone Sleet" in the week that group was new."""
    _, before, after = _neighbours(tuple(_key(word) for word in name.split()), titles)
    return _completed(name, before, after, titles) if before else name


def _neighbours(words: tuple[str, ...], titles: Sequence[str]
                ) -> tuple[Counter[str], Counter[str | None], Counter[str | None]]:
    """How `titles` write the phrase of key `words`, and the words just before and after
    it (None at a clause's edge), counted."""
    found: Counter[str] = Counter()
    before: Counter[str | None] = Counter()
    after: Counter[str | None] = Counter()
    for title in titles:
        occurrence = _spelling(title, words)
        if occurrence:
            found[occurrence[0]] += 1
            before[occurrence[1]] += 1
            after[occurrence[2]] += 1
    return found, before, after


def _is_describing(table: PhraseTable, col: int) -> bool:
    """One word shaped like an adjective that headlines write in lower case
    ("agentic", "fileless"): it describes a subject rather than names one."""
    key = table.keys[col]
    return " " not in key and key.endswith(DESCRIBING_ENDINGS) and \
        int(table.uncased[col]) > 0 and table.uncased[col] >= table.cased[col]


def _completed(spelling: str, before: Counter[str | None], after: Counter[str | None],
               titles: Sequence[str], *, describing: bool = False) -> str:
    """The name with the word nearly every headline writes next to it ("Alto Networks"
    is "Palo Alto Networks" wherever it appears), as the headlines write them together;
    a describing word with the word it most often describes ("Agentic AI")."""
    seen = sum(before.values())
    if seen < NAMES.min_completing or len(spelling.split()) >= NAMES.max_words:
        return spelling
    described = Counter({w: n for w, n in after.items()
                         if w and w.lower() not in NEVER_AT_EDGE})
    if describing and described:
        word, count = described.most_common(1)[0]
        if count >= NAMES.describing_share * seen:
            return f"{spelling} {word}"
    for counts, join, said in ((before, lambda w: f"{w} {spelling}", False),
                               (after, lambda w: f"{spelling} {w}", True)):
        word, count = counts.most_common(1)[0]
        if count >= NAMES.completing_share * seen and _completes_name(
                word, cut_short=is_acronym(spelling) or _is_everyday_word(spelling)) and not (
                said and _says_what_or_which(word)):
            longer = join(word)
            if sum(longer.lower() in title.lower() for title in titles) >= \
                    NAMES.completing_share * seen:
                return longer
    return spelling


def _is_everyday_word(spelling: str) -> bool:
    """One word of everyday English ("Commission", "Exchange"): alone, a fragment of the
    name nearly every headline writes it in ("European Commission")."""
    return " " not in spelling and _zipf(spelling.lower()) >= NAMES.common_zipf


def _completes_name(word: str | None, *, cut_short: bool = False) -> bool:
    """A word that may complete a name cut short ("Palo" of Palo Alto Networks, "Ivanti"
    of Ivanti Connect Secure, "Operation" of Operation Endgame): a capitalised uncommon
    word or a word heading names, an acronym or an id, never vocabulary but the kind of
    malware written capitalised ("Banshee Stealer"). An acronym or an everyday word is
    cut short by any capitalised word next to it in nearly every headline ("NSO Group",
    "Ivanti EPMM", "European Commission"): alone it is a fragment."""
    lower = word.lower() if word else ""
    if word and word[0].isupper() and is_kind(word):
        return True   # the kind of malware it is, written as part of its name
    if not word or lower in FUNCTION_WORDS or lower in VOCABULARY:
        return False
    if cut_short and word[0].isupper() and lower not in NOT_WITH_ACRONYM:
        return True
    return has_id_shape(word) or is_acronym(word) or (
        word[0].isupper() and (_zipf(lower) < NAMES.completing_zipf or lower in NAME_HEADS))


def _says_what_or_which(word: str) -> bool:
    """A word after a name that says what it did or which release ("Negotiator Pleads",
    "Kimwolf v7"), not the rest of its name ("MITRE ATT&CK")."""
    return word.lower() in CLAUSE_VERBS or is_participle(word) or bool(VERSION.fullmatch(word))


def _spelling(title: str, words: tuple[str, ...]
              ) -> tuple[str, str | None, str | None] | None:
    """How a headline writes the phrase whose key words are `words`, with the words just
    before and after it in its clause (None at a clause's edge)."""
    size = len(words)
    for clause, keys in zip(_clauses(title), _clause_keys(title), strict=True):
        for start in range(len(clause) - size + 1):
            if keys[start:start + size] == words:
                before = clause[start - 1] if start > 0 else None
                after = clause[start + size] if start + size < len(clause) else None
                return " ".join(clause[start:start + size]), before, after
    return None


@lru_cache(maxsize=100_000)
def _clause_keys(title: str) -> tuple[tuple[str, ...], ...]:
    """The keys of each clause's words. Cached: a headline is searched for each name
    option of each trend it tells, and again every day of a backtest."""
    return tuple(tuple(_key(word) for word in clause) for clause in _clauses(title))


def _best_spelling(found: Counter[str], key: str) -> str:
    if not found:
        return key
    return min(found.items(), key=lambda item: (-item[1], item[0] == item[0].lower(),
                                                item[0]))[0]

"""Phrases as the headlines write them: the raw material of theme detection and of labels.

A phrase is one to four consecutive words of one clause of a headline ("Salt Typhoon",
"Model Context Protocol", "North Korean IT workers", "CVE-2024-3400", "ATT&CK"), starting
and ending with a content word. Because every label is such a phrase, in the spelling the
headlines use most, a label never puts words in an order nobody wrote.

Whether a phrase names a subject is judged from the headlines themselves and from how
common its words are in English (wordfreq): "Ivanti" and "passkeys" are rare words, so
subjects; "Windows" is a common word but capitalised mid-sentence in nearly every
sentence-case headline that uses it, so a name; "targeting" or "outage" are neither.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain

import numpy as np
from scipy import sparse
from wordfreq import zipf_frequency

from radar.engine.vocabulary import (
    APOSTROPHES,
    CALENDAR_WORDS,
    CLAUSE_VERBS,
    COMPASS_WORDS,
    DASHES,
    DEMONYMS,
    FUNCTION_WORDS,
    MODIFIERS,
    NEVER_AT_EDGE,
    PERSON_NOUNS,
    QUOTES,
    RELATING,
    VOCABULARY,
)
from radar.engine.wordforms import (
    INNER_CAPITAL,
    ORDINAL,
    has_id_shape,
    is_acronym,
    is_kind,
    is_participle,
    is_verb_form,
)
from radar.thresholds import THRESHOLDS

NAMES = THRESHOLDS.names
# Letters of any script ("Pokémon" stays whole), with inner &.'- kept ("ATT&CK", "Next.js");
# abbreviations keep their dots ("U.S.") and slashed acronyms stay one ("CI/CD", "S/4HANA").
TOKEN = re.compile(rf"CVE-\d{{4}}-\d{{4,7}}|(?:[^\W\d_]\.){{2,}}|[A-Z]{{2,}}(?:/[A-Z]{{2,}})+\b"
                   rf"|[A-Z]/\d[A-Z0-9]{{2,}}\b"
                   rf"|[^\W_]+(?:[&.{APOSTROPHES}-][^\W_]+)*(?:\+\+|#)?")
# Clause breaks: a phrase never spans them ("Ivanti: hackers exploit …").
CLAUSE = re.compile(rf"[:;,|()\[\]{QUOTES}?!{DASHES}]| - | -- ")
POSSESSIVE = re.compile(rf"[{APOSTROPHES}]s$")
ABBREVIATION = re.compile(r"(?:[^\W\d_]\.){2,}")      # "u.s.", "e.g."
QUANTITY = re.compile(r"\$?\d+(?:\.\d+)?[kmbt]b?")     # "210m", "$5m", "3tb"
NUMBER = re.compile(r"\d[\d.,]*")
# A phrase's casing evidence (`title_phrases`) as a number, to count it per phrase.
EVIDENCE = {True: 1, False: 0, None: -1}


def common_zipf(word: str) -> float:
    """How common a word is in English (Zipf scale, 0 = not in the common-word list)."""
    return _zipf(word.lower())


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    """The commoner of the word and its stem: "hijacks" is as ordinary as "hijack"."""
    stems = [word] + [word[:-len(end)] for end in ("s", "es", "ed", "ing")
                      if word.endswith(end) and len(word) - len(end) >= 3]
    return max(zipf_frequency(stem, "en") for stem in stems)


@lru_cache(maxsize=100_000)
def title_phrases(title: str) -> tuple[tuple[str, ...], tuple[bool | None, ...]]:
    """Every phrase of a headline once, as (keys, cased): `cased` says whether the phrase
    was capitalised mid-sentence in a sentence-case headline (True/False), or None when
    the headline gives no evidence (Title Case headlines capitalise every word; so does a
    clause start). Cached: every analysis of a backtest reads the same headlines again."""
    evidence = _sentence_case(title) is True
    longest = NAMES.max_words
    found: dict[str, bool | None] = {}
    for words in _clauses(title):
        keys, content, capital = zip(*map(_word, words), strict=True)
        count = len(words)
        for start in range(count):
            if not content[start]:
                continue
            marked = evidence and start > 0   # casing evidence only after a clause's start
            key, cased = keys[start], marked and capital[start]
            if key not in found:
                found[key] = cased if marked else None
            for end in range(start + 1, min(start + longest, count)):
                key = f"{key} {keys[end]}"
                cased = cased and capital[end]
                if content[end] and key not in found:
                    found[key] = cased if marked else None
    return tuple(found), tuple(found.values())


@lru_cache(maxsize=100_000)
def _name_tails(title: str) -> tuple[str, ...]:
    """Keys of words capitalised mid-sentence right after another capitalised word or a
    number (not a clause's first), in a sentence-case headline: the end of a longer name."""
    if _sentence_case(title) is not True:
        return ()
    return tuple(_key(words[i]) for words in _clauses(title) for i in range(2, len(words))
                 if words[i][0].isupper() and _is_content(_key(words[i]))
                 and (words[i - 1][0].isupper() or words[i - 1][0].isdigit())
                 and words[i - 1].lower() not in FUNCTION_WORDS)


@lru_cache(maxsize=100_000)
def _camel_words(title: str) -> tuple[str, ...]:
    """Keys of a headline's words with a capital inside their last part: coined names
    ("ClawJacked", "CodeRED"), even when they end like a participle ("PowerShell-Based"
    is none)."""
    return tuple(_key(word) for clause in _clauses(title) for word in clause
                 if INNER_CAPITAL.search(word.rpartition("-")[2]))


@lru_cache(maxsize=100_000)
def _clauses(title: str) -> tuple[tuple[str, ...], ...]:
    # Only a headline with an apostrophe can hold a possessive to drop.
    possessive = any(mark in title for mark in APOSTROPHES)
    clauses = (tuple(POSSESSIVE.sub("", t) for t in TOKEN.findall(part)) if possessive
               else tuple(TOKEN.findall(part)) for part in CLAUSE.split(title))
    return tuple(c for c in clauses if c)


@lru_cache(maxsize=100_000)
def _sentence_case(title: str) -> bool | None:
    """`_is_sentence_case` of a headline's words, read once for its phrases and its name
    tails."""
    return _is_sentence_case([t for c in _clauses(title) for t in c])


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, bool, bool]:
    """A word's key, whether a phrase may start or end with it, and whether it is written
    as in a name (capitalised, a number or a function word). Cached: headlines repeat
    their words."""
    key = _key(word)
    return key, _is_content(key), \
        word[0].isupper() or word[0].isdigit() or word.lower() in FUNCTION_WORDS


def _key(word: str) -> str:
    """Lower case, except acronyms that would read as function words ("IT", "US")."""
    lower = word.lower()
    return word if word.isupper() and len(word) > 1 and lower in FUNCTION_WORDS else lower


def _is_content(key: str) -> bool:
    """A word a name may start or end with: not a function word, a headline's verb or a
    number."""
    return key not in NEVER_AT_EDGE and not key.isdigit() and len(key) > 1


def _is_sentence_case(words: Sequence[str]) -> bool | None:
    """True for "Salt Typhoon hackers breached telecoms", False for Title Case, None when
    the headline has too few long words to tell."""
    long_words = [w for w in words[1:] if len(w) > 3 and w[0].isalpha()
                  and w.lower() not in FUNCTION_WORDS]
    if len(long_words) < 3:
        return None
    return sum(w[0].isupper() for w in long_words) / len(long_words) < 0.5


@dataclass
class PhraseTable:
    """Which phrases each story's headline holds (a sparse story x phrase matrix), with
    the counts needed to judge and spell them."""

    keys: list[str]
    matrix: sparse.csc_matrix           # stories x phrases, 1 where the headline has it
    story_counts: np.ndarray           # stories per phrase
    cased: np.ndarray                   # sentence-case occurrences capitalised mid-sentence
    uncased: np.ndarray                 # ... written in lower case
    index: dict[str, int]
    tails: np.ndarray | None = None     # a word capitalised after another capitalised
                                        # word or a number ("Pro" of "iPhone 17 Pro"), in
                                        # sentence-case headlines
    camel: frozenset[str] = frozenset()  # words written with a capital inside ("ClawJacked")

    @classmethod
    def build(cls, titles: Sequence[str]) -> PhraseTable:
        found = [title_phrases(title) for title in titles]
        keys = [key for title_keys, _ in found for key in title_keys]
        index = dict.fromkeys(keys, 0)   # first seen first
        for col, key in enumerate(index):
            index[key] = col
        cols = np.fromiter(map(index.__getitem__, keys), dtype=np.int32, count=len(keys))
        # Each headline's phrases are distinct: its row of the matrix is its phrases' columns.
        indptr = np.concatenate([[0], np.cumsum([len(k) for k, _ in found], dtype=np.int64)])
        matrix = sparse.csr_matrix((np.ones(len(keys), dtype=np.float32), cols, indptr),
                                   shape=(len(titles), len(index))).tocsc()
        evidence = np.fromiter(map(EVIDENCE.__getitem__, chain.from_iterable(
            flags for _, flags in found)), dtype=np.int8, count=len(keys))
        tails = [index[key] for title in titles for key in _name_tails(title)]
        camel = frozenset(chain.from_iterable(map(_camel_words, titles)))
        return cls(keys=list(index), matrix=matrix, camel=camel,
                   story_counts=np.diff(matrix.indptr).astype(np.int32),
                   cased=_counts(cols[evidence == 1], len(index)),
                   uncased=_counts(cols[evidence == 0], len(index)), index=index,
                   tails=_counts(np.array(tails, dtype=np.int32), len(index)))

    @cached_property
    def by_story(self) -> sparse.csr_matrix:
        """The same matrix, fast to slice by story (an event's rows)."""
        return self.matrix.tocsr()

    def rows_of(self, col: int) -> np.ndarray:
        """The stories whose headline holds phrase `col`."""
        return self.matrix.indices[self.matrix.indptr[col]:self.matrix.indptr[col + 1]]

    def is_common_word(self, col: int) -> bool:
        """A single ordinary English word ("Mark", "Windows", "Apple")."""
        key = self.keys[col]
        return " " not in key and _zipf(key.lower()) >= NAMES.common_zipf

    def names_around(self, col: int, titles: Sequence[str]) -> list[int]:
        """Two-word names holding this word ("Mark Zuckerberg", "Taylor Swift" for
        "Mark", "Taylor"), found in the headlines that use it: a first name alone names
        nobody."""
        word = self.keys[col]
        pairs = {key for row in self.rows_of(col) for key in title_phrases(titles[row])[0]
                 if key.count(" ") == 1 and word in key.split()}
        return sorted(other for other in (self.index[key] for key in pairs)
                      if self.is_name(other, minimum=1))

    def is_name(self, col: int, *, strict: bool = False, minimum: int = 2) -> bool:
        """Capitalised mid-sentence in sentence-case headlines (60 %, or 90 % and at least
        five times with `strict`, for common words such as "Windows")."""
        cased, total = int(self.cased[col]), int(self.cased[col] + self.uncased[col])
        if strict:
            return total >= 5 and cased >= 0.9 * total
        return total >= minimum and cased >= 0.6 * total

    def is_subject(self, col: int) -> bool:
        """Does this phrase name a subject (a product, actor, campaign, flaw, technique)?"""
        key = self.keys[col]
        words = key.split()
        if not any(c.isalpha() for c in key) or (len(words) == 1 and len(key) <= 2):
            return False
        if _is_vocabulary(key) or all(_is_vocabulary(w) or w.lower() in MODIFIERS
                                      for w in words):
            return False
        if any(w.lower() in CALENDAR_WORDS or ORDINAL.fullmatch(w) for w in (words[0], words[-1])):
            return False
        # "7.3 Tbps", "100 million": a measure, not a name ("Windows 11" ends with one);
        # "Arizona woman", "Mac users": people.
        if NUMBER.fullmatch(words[0]) or words[-1].lower() in PERSON_NOUNS:
            return False
        if len(words) > 1 and self._is_kind_of_vocabulary(words):
            return False
        # "Capita Fined 14m", "Exchange Disrupted": what happened to a name, not a name.
        if any(is_participle(w) and not self._is_written_as_name(w) for w in words[1:]):
            return False
        # "Chinese", "South", "Korean IT" and "North Korean IT" (of "North Korean IT
        # workers") name nothing.
        demonym = words[1] if words[0].lower() in COMPASS_WORDS and len(words) > 1 else words[0]
        if demonym.lower() in DEMONYMS or words[-1].lower() in COMPASS_WORDS:
            return False
        if len(words) == 1:
            return self._is_one_word_subject(col, key)
        if any(w in ("and", "or") for w in words[1:-1]):   # two names: "Commerce and Magento"
            return False
        # "NVIDIA on Real-Time Immunity": a name and what a headline says of it.
        if any(w.lower() in RELATING for w in words[1:-1]):
            return False
        # "US sanctions Chinese …", "… pleads guilty": a verb or plural starts a sentence,
        # not a subject ("ransomware payments" is one; so is "Windows Server").
        if _is_inflected(words[0]) and not self._is_written_as_name(words[0]):
            return False
        if self.is_name(col):
            return True
        if words[-1].lower() in DEMONYMS or any(
                w.lower() in CLAUSE_VERBS for w in words[1:-1]):
            return False
        first, last = self._edge_ok(words[0], col), self._edge_ok(words[-1], col)
        if first and not last:   # "STX RAT": a name and the kind of malware it is
            return is_kind(words[-1])
        if last and not first:   # "Cisco FMC": a vendor's name and its product's
            return len(words) == 2 and self._is_written_as_name(words[0]) and \
                self._is_name_word(words[1])
        return first and last

    def _is_kind_of_vocabulary(self, words: Sequence[str]) -> bool:
        """A kind of the trade's vocabulary: ordinary words, never written as a name,
        before a word of it ("banking trojan", "mobile malware", "romance scams"), not
        "Predator spyware" or "Lumma Stealer"."""
        def ordinary(word: str) -> bool:
            alone = self.index.get(word.lower())
            return _zipf(word.lower()) >= NAMES.common_zipf and not (
                alone is not None and self.is_name(alone, minimum=1))

        return _is_vocabulary(words[-1]) and all(ordinary(w) for w in words[:-1])

    def _is_name_tail(self, col: int) -> bool:
        """An ordinary word capitalised nearly only as the end of longer names ("Pro" of
        iPhone 17 Pro and MacBook Pro, "Ultra") names none of them alone; a vendor heads
        its names ("Adobe Commerce") and still names itself."""
        cased = int(self.cased[col])
        return self.tails is not None and cased >= NAMES.min_tail_evidence and \
            self.tails[col] > NAMES.tail_share * cased

    def _is_name_word(self, word: str) -> bool:
        """Capitalised mid-sentence wherever a sentence-case headline writes it ("FMC")."""
        alone = self.index.get(word.lower())
        return alone is not None and self.is_name(alone, minimum=1)

    def _is_written_as_name(self, word: str) -> bool:
        alone = self.index.get(word.lower())
        return alone is not None and self.is_name(alone, strict=True)

    def _is_one_word_subject(self, col: int, key: str) -> bool:
        """"Ivanti", "passkeys", "CVE-2024-3400", and "Windows" written as a name; not
        "unpatched", "AI-powered" (a participle describes), "210M" (a quantity) or
        "e.g." (an abbreviation counts when written in capitals: "U.S."); an ordinal
        never reaches here (`is_subject` turns it down at a phrase's edge)."""
        if (is_participle(key) and key not in self.camel) or QUANTITY.fullmatch(key) or (
                is_verb_form(key) and not self.is_name(col)):
            return False
        if ABBREVIATION.fullmatch(key):
            return self.is_name(col, strict=True)
        if has_id_shape(key) or _zipf(key.lower()) < NAMES.rare_zipf:
            return True
        if _zipf(key.lower()) >= NAMES.common_zipf:
            return (self.is_name(col, strict=True) or self._is_rarely_lower(col, key)) \
                and not self._is_name_tail(col)
        # A word neither rare nor common ("Snowflake") is a name once a sentence-case
        # headline capitalises it mid-sentence and none writes it in lower case, unless
        # only as the end of longer names ("Sleet" of Moonstone Sleet and Jasper Sleet).
        return self.is_name(col, minimum=1) and not self._is_name_tail(col)

    def _is_rarely_lower(self, col: int, key: str) -> bool:
        """A word only somewhat common ("Claude", a first name) that headlines name often
        and, where they give evidence, never write in lower case: most headlines are Title
        Case, so the strict count of sentence-case uses would miss it."""
        return _zipf(key.lower()) < NAMES.nameish_zipf and self.uncased[col] == 0 and \
            self.cased[col] >= 1 and self.story_counts[col] >= NAMES.nameish_stories

    def _edge_ok(self, word: str, col: int) -> bool:
        """A lower-case phrase may start or end with a common word only when the phrase is
        how that word is mostly used: "supply chain", "prompt injection", not "Ivanti flaws"."""
        lower = word.lower()
        if has_id_shape(word) or is_acronym(word) or _zipf(lower) < NAMES.common_zipf:
            return True
        alone = self.index.get(lower)
        return alone is not None and bool(
            self.story_counts[col] >= NAMES.edge_share * self.story_counts[alone])


def _counts(cols: np.ndarray, size: int) -> np.ndarray:
    """How often each column occurs in `cols`."""
    return np.bincount(cols, minlength=size).astype(np.int32)


def _is_vocabulary(phrase: str) -> bool:
    """The trade's vocabulary, in the singular or the plural ("SOC", "SOCs"), or words of
    it joined by function words ("RCE and LPE")."""
    lower = phrase.lower()
    if lower in VOCABULARY or (lower.endswith("s") and lower[:-1] in VOCABULARY):
        return True
    words = lower.split()
    return len(words) > 1 and all(
        w in FUNCTION_WORDS or w in VOCABULARY or (w.endswith("s") and w[:-1] in VOCABULARY)
        for w in words) and not all(w in FUNCTION_WORDS for w in words)


def _is_inflected(word: str) -> bool:
    """A verb or plural that starts a phrase ("pleads guilty", "hits hospitals"): English
    compounds start with a singular word ("supply chain", "password manager")."""
    lower = word.lower()
    if len(lower) <= 4 or not lower.endswith("s") or lower.endswith(("ss", "us", "is")):
        return False
    return _zipf(lower[:-1]) >= NAMES.common_zipf or (
        lower.endswith("es") and _zipf(lower[:-2]) >= NAMES.common_zipf)

"""What a single word's form says of it (pure): a participle, a verb, an acronym, an id.

Shared by phrase extraction, naming and spelling, which all judge words one at a time
before judging the phrases they make.
"""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from radar.engine.vocabulary import IRREGULAR_PARTICIPLES, KINDS
from radar.thresholds import THRESHOLDS

ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)   # "1st", "31st": a date or a rank
# A capital inside a word, after a small letter: "ClawJacked", "ToolShell", "iPhone".
INNER_CAPITAL = re.compile(r"[a-z][A-Z]")


def is_participle(word: str) -> bool:
    """"unpatched", "trojanized", "AI-powered", "China-linked", "AI-driven" (not "seed",
    "Red", "Driven" alone: a word of its own may be a name)."""
    head, _, last = word.lower().rpartition("-")
    return (len(last) > 4 and last.endswith("ed") and not last.endswith("eed")) or \
        (bool(head) and last in IRREGULAR_PARTICIPLES)


def is_verb_form(word: str) -> bool:
    """An English verb ("weaponize") or its -ing form ("weaponizing": "weaponize" is
    English), not a coined name ("Slopsquatting", "EtherHiding") nor one written as a
    name ("Boeing", checked by the caller)."""
    lower = word.lower()
    if lower.endswith(("ize", "izes")):
        return zipf_frequency(lower, "en") >= THRESHOLDS.names.verb_zipf
    return len(lower) > 6 and lower.endswith("ing") and \
        max(zipf_frequency(lower[:-3], "en"),
            zipf_frequency(lower[:-3] + "e", "en")) >= THRESHOLDS.names.verb_zipf


def is_acronym(word: str) -> bool:
    return word.isupper() and len(word) > 1


def has_id_shape(word: str) -> bool:
    """Security ids and product names with digits: CVE-2024-3400, APT29, Log4j, 2FA (not
    an ordinal: "31st")."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word) and \
        not ORDINAL.fullmatch(word)


def is_kind(word: str) -> bool:
    """A kind of malware, in the singular or the plural ("Stealer", "botnets")."""
    return word.lower().rstrip("s") in KINDS

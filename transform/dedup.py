"""Paragraphs of one article that repeat an earlier one, verbatim or in paraphrase.

A later paragraph repeats an earlier one when nearly all its content words already occur
there (containment, not overlap: the earlier one may say more) and it brings no fact of its
own, a fact being a number or a country. Rewording shuffles function words and endings, so
the comparison is on light stems without stopwords.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from akhbar.transform.countries import find_country_mentions
from akhbar.transform.lexicon import stopwords
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.tokens import light_stem, words

# Share of the later paragraph's content stems that must occur in the earlier one.
MIN_CONTAINMENT = 0.7
# Below this many content stems a paraphrase cannot be told from a coincidence.
MIN_CONTENT_STEMS = 6
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class _Profile:
    folded: str
    stems: frozenset[str]
    numbers: frozenset[str]
    countries: frozenset[str]


def paragraph_fingerprint(text: str) -> str:
    """Stable hex digest of the folded paragraph: equal for copies that differ only in spelling variants."""
    return hashlib.sha1(normalize_for_matching(text).encode("utf-8")).hexdigest()


def _profile(text: str) -> _Profile:
    folded = normalize_for_matching(text)
    toks = words(folded)
    stop = stopwords()
    stems = frozenset(light_stem(t) for t in toks if t not in stop and len(t) > 1 and not t.isdigit())
    return _Profile(
        folded=folded,
        stems=stems,
        numbers=frozenset(_NUMBER.findall(folded)),
        countries=frozenset(m.code for m in find_country_mentions(toks)),
    )


def _repeats(later: _Profile, earlier: _Profile) -> bool:
    if later.folded == earlier.folded:
        return True
    if len(later.stems) < MIN_CONTENT_STEMS:
        return False
    if not later.numbers <= earlier.numbers or not later.countries <= earlier.countries:
        return False
    shared = len(later.stems & earlier.stems)
    return shared >= MIN_CONTAINMENT * len(later.stems)


def find_repeated_paragraphs(paragraphs: list[str]) -> list[int | None]:
    """For each paragraph, the index of the earlier paragraph it repeats, else None."""
    profiles = [_profile(p) for p in paragraphs]
    out: list[int | None] = []
    for j, later in enumerate(profiles):
        found = None
        for i in range(j):
            if out[i] is None and _repeats(later, profiles[i]):
                found = i
                break
        out.append(found)
    return out


def containment(later: str, earlier: str) -> float:
    """Share of `later`'s content stems found in `earlier` (for diagnostics and tests)."""
    a, b = _profile(later), _profile(earlier)
    return len(a.stems & b.stems) / len(a.stems) if a.stems else 0.0

"""Phrase lookup over folded tokens, tolerant of the proclitics Arabic glues to a word.

A phrase matches when its first word equals the token with some leading و/ف, ب/ل/ك and ال
removed (so "وبالصين", "للصين" and "الصين" all meet "الصين"), and its further words equal
the following tokens. Whole tokens only: "مصرف" never yields "مصر".
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Iterator, TypeVar

from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.tokens import words
from akhbar.transform.lexicon import TOKEN_CACHE

V = TypeVar("V")

_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")


# Tokens repeat across a corpus; the variants of each are computed once.
@lru_cache(maxsize=TOKEN_CACHE)
def proclitic_variants(word: str) -> tuple[str, ...]:
    """`word` and what remains of it once leading clitics are removed, longest first."""
    out = [word]
    bases = [word]
    if word[:1] in _CONJUNCTIONS and len(word) > 3:
        bases.append(word[1:])
    for base in list(bases):
        if base.startswith("لل") and len(base) > 4:
            bases.append("ال" + base[2:])
        elif base[:1] in _PREPOSITIONS and len(base) > 3:
            bases.append(base[1:])
    for base in bases:
        if base not in out:
            out.append(base)
        if base.startswith("ال") and len(base) > 4:
            bare = base[2:]
            if bare not in out:
                out.append(bare)
    return tuple(out)


@dataclass(frozen=True)
class Match(Generic[V]):
    value: V
    start: int  # token index, inclusive
    end: int    # token index, exclusive
    form: str   # the gazetteer phrase (folded) that matched


class PhraseIndex(Generic[V]):
    """Phrases (as written, folded on insertion) mapped to values; longest match wins."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, V]]] = {}
        # token → the buckets its proclitic variants open; most tokens open none, and a
        # corpus repeats its tokens, so this is computed once per token
        self._candidates: dict[str, tuple] = {}

    def add(self, phrase: str, value: V) -> None:
        toks = tuple(words(normalize_for_matching(phrase)))
        if not toks:
            return
        bucket = self._by_first.setdefault(toks[0], [])
        bucket.append((toks[1:], " ".join(toks), value))
        bucket.sort(key=lambda entry: -len(entry[0]))
        self._candidates.clear()

    def _buckets(self, token: str) -> tuple:
        found = self._candidates.get(token)
        if found is None:
            found = tuple(b for b in (self._by_first.get(v) for v in proclitic_variants(token)) if b)
            if len(self._candidates) > TOKEN_CACHE:
                self._candidates.clear()
            self._candidates[token] = found
        return found

    def candidates(self, token: str) -> bool:
        """Whether some phrase may start at `token`."""
        return bool(self._buckets(token))

    def match_at(self, tokens: list[str], i: int) -> Match[V] | None:
        found = self._candidates.get(tokens[i])  # most calls: a token seen before, opening nothing
        if found is None:
            found = self._buckets(tokens[i])
        for bucket in found:
            for rest, form, value in bucket:
                n = len(rest)
                if tuple(tokens[i + 1:i + 1 + n]) == rest:
                    return Match(value, i, i + 1 + n, form)
        return None

    def scan(self, tokens: list[str]) -> Iterator[Match[V]]:
        """Non-overlapping matches, left to right."""
        i, n = 0, len(tokens)
        cached = self._candidates
        while i < n:
            found = cached.get(tokens[i])
            if found is None:
                found = self._buckets(tokens[i])
            if not found:
                i += 1
                continue
            m = self.match_at(tokens, i)
            if m is None:
                i += 1
                continue
            yield m
            i = m.end

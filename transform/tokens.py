"""Tokens of folded text, and the light stemming that lets paraphrases meet.

Arabic glues conjunctions, prepositions and the article to the word (وبالاتفاق) and
pronouns to its end (اتفاقهما); stripping them is what a bag-of-words comparison needs.
This is deliberately light (no root extraction): over-stemming merges unrelated words.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from akhbar.transform.lexicon import TOKEN_CACHE

WORD = regex.compile(r"[\p{L}\p{N}]+")
_PROCLITICS = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل")
_ENCLITICS = ("هما", "كما", "هم", "ها", "نا", "ه", "ات", "ون", "ين", "ان", "ي")
_MIN_STEM = 3


def words(folded: str) -> list[str]:
    return WORD.findall(folded)


# Stemming is asked of every distinct word of every paragraph (the dedup profiles, the
# agreements reader): a corpus repeats its words, so each is stemmed once (bounded cache).
@lru_cache(maxsize=TOKEN_CACHE)
def strip_proclitics(word: str) -> str:
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= _MIN_STEM:
            return word[len(p):]
    return word


@lru_cache(maxsize=TOKEN_CACHE)
def light_stem(word: str) -> str:
    word = strip_proclitics(word)
    for s in _ENCLITICS:
        if word.endswith(s) and len(word) - len(s) >= _MIN_STEM:
            return word[: -len(s)]
    return word

"""What "the same text" means, once for the whole dedup engine (transform/dedup.py).

A paragraph's *matching key* is its folded text (transform/normalize.py: diacritics,
tatweel, alef/yeh/teh-marbuta variants, digit systems) with punctuation dropped and single
spaces. Two texts are the same text when their matching keys are equal up to spacing: that
is the in-article verbatim repeat, the boilerplate line and the stored fingerprint alike,
so "-----" and "* * *" are one line and "نقلاً عن" meets "نقلا عن". Near-copies are found
through the character 5-grams of the matching key (`shingle_codes`), summarised by a MinHash
signature cut into LSH bands (`band_keys`), for the paragraph and for each of its
sentences (`keyed`).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
import regex

from akhbar.transform.lexicon import TOKEN_CACHE
from akhbar.transform.normalize import normalize_for_matching

SHINGLE = 5
BANDS = 10
ROWS = 3
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")


# Folding is the costly step (camel's Unicode mapping runs per character) and a paragraph
# is keyed several times in a row (its repeats, its boilerplate line, its bands).
@lru_cache(maxsize=TOKEN_CACHE)
def matching_key(text: str) -> str:
    """Folded text without punctuation and with single spaces."""
    return _NOT_WORD.sub(" ", normalize_for_matching(text)).strip()


def text_key(text: str) -> str:
    """The letters and digits of the matching key: equal for the same text."""
    return matching_key(text).replace(" ", "")


def paragraph_fingerprint(text: str) -> str:
    """Stable hex digest of `text_key` (what the warehouse stores per paragraph)."""
    return key_fingerprint(matching_key(text))


def key_fingerprint(key: str) -> str:
    """`paragraph_fingerprint` of the text whose matching key is `key` (the loader has the
    key already and need not fold the text again)."""
    return hashlib.sha1(key.replace(" ", "").encode("utf-8")).hexdigest()


def line_key(text: str) -> int:
    """A signed 64-bit key of `text_key` (stable across processes): a boilerplate line."""
    return int.from_bytes(hashlib.blake2b(text_key(text).encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)


def line_length(text: str) -> int:
    """How many letters and digits the line has."""
    return len(text_key(text))


_NARROW_BITS = 12  # Arabic, Latin, digits: every letter of a matching key below U+1000
_WIDE = np.uint64(1 << 63)


def shingle_codes(key: str) -> np.ndarray:
    """The character 5-grams of a matching key (a key shorter than that is its own one
    gram) as sorted distinct integers, for the engine's many set comparisons (a frozenset of
    strings costs a hundred bytes and a Python step per gram; this is 8 bytes and C loops). A gram of characters below U+1000 is packed exactly, 12 bits each; one with
    a wider character is hashed with the top bit set, so it never meets a packed gram (two
    wide grams collide with odds of 2^-63)."""
    codes = _code_points(key)
    n = len(codes) - SHINGLE + 1
    grams = codes[:n].copy()
    for j in range(1, SHINGLE):
        grams |= codes[j:j + n] << np.uint64(_NARROW_BITS * j)
    wide = codes >= (1 << _NARROW_BITS)
    if wide.any():
        in_gram = np.zeros(n, dtype=bool)
        for j in range(SHINGLE):
            in_gram |= wide[j:j + n]
        grams[in_gram] = _gram_hashes(codes)[in_gram] | _WIDE
    return np.unique(grams)


def shared_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The grams two `shingle_codes` have in common."""
    return np.intersect1d(a, b, assume_unique=True)


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    return len(shared_codes(a, b))


def _constants(tag: bytes, n: int) -> np.ndarray:
    """n odd 64-bit constants derived from `tag`: the same in every process and version."""
    out = [int.from_bytes(hashlib.blake2b(tag + i.to_bytes(2, "big"), digest_size=8).digest(), "big") | 1
           for i in range(n)]
    return np.array(out, dtype=np.uint64)


_POWERS = _constants(b"akhbar-shingle", SHINGLE)
_MUL = _constants(b"akhbar-minhash-a", BANDS * ROWS)
_ADD = _constants(b"akhbar-minhash-b", BANDS * ROWS)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _mix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(31))
    h = h * _MIX
    return h ^ (h >> np.uint64(29))


def signature(key: str) -> np.ndarray:
    """MinHash signature (BANDS * ROWS uint64) of a matching key's character 5-grams."""
    grams = _gram_hashes(_code_points(key))
    with np.errstate(over="ignore"):
        return _mix(_MUL[:, None] * grams[None, :] + _ADD[:, None]).min(axis=1)


def _code_points(key: str) -> np.ndarray:
    """The key's code points, a short key padded to one gram with NUL (no word character:
    no real gram looks like it)."""
    return np.frombuffer(key.ljust(SHINGLE, "\0").encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _gram_hashes(codes: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each 5-gram of the code points `codes` (at least SHINGLE of them)."""
    n = len(codes) - SHINGLE + 1
    with np.errstate(over="ignore"):
        grams = codes[:n] * _POWERS[0]
        for j in range(1, SHINGLE):
            grams = grams + codes[j:j + n] * _POWERS[j]
        return _mix(grams)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in: bands never meet)."""
    out = []
    for b in range(BANDS):
        raw = bytes([b]) + sig[b * ROWS:(b + 1) * ROWS].tobytes()
        out.append(int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True))
    return out


# A sentence of at least this many letters is banded on its own as well: an outlet that
# re-cuts a wire text into other paragraphs keeps its sentences.
MIN_BANDED_SENTENCE = 60
_SENTENCE_END = regex.compile(r"(?<!\d)[.!?؟؛]+(?!\d)")


@lru_cache(maxsize=4096)
def keyed(text: str) -> tuple[str, tuple[int, ...]]:
    """A paragraph's matching key and band keys: the paragraph's, then those of each of its
    sentences long enough to be news rather than a formula (signatures are the costliest
    arithmetic)."""
    key = matching_key(text)
    bands = list(band_keys(signature(key)))
    sentences = [matching_key(s) for s in _SENTENCE_END.split(text)]
    sentences = [s for s in sentences if len(s) >= MIN_BANDED_SENTENCE]
    if len(sentences) > 1:
        for s in sentences:
            bands.extend(band_keys(signature(s)))
    return key, tuple(dict.fromkeys(bands))

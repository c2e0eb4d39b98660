"""Paragraphs of one article that repeat an earlier one, verbatim or in paraphrase.

The rule (the transform contract's `duplicate_of`), measured on the dev gold set and on a
6,000-article sample of the benchmark corpus (docs/dedup.md):

A later paragraph P repeats an earlier paragraph E of the same article when

1. their matching keys are equal (folded text with punctuation and spacing dropped), or
2. P has at least MIN_CONTENT_STEMS content stems, and
   a. P is mostly inside E: at least MIN_CONTAINMENT of P's content stems occur in E
      (swapped words, dropped clauses) or at least MIN_CHAR_CONTAINMENT of P's character
      4-grams occur in E (changed endings and clitics, which stems do not fully catch), and
   b. P's non-shared part carries no fact of its own: no number (digits or number words),
      ordinal, month or weekday, country, person's name (transform/persons.py), place
      named after a place word ("محافظة مأرب", "مدينة العقبة") or word in Latin script
      that E does not carry too.

Containment alone merges near-copies that add a fact ("الدفعة الثانية … 1 يوليو" after
"الدفعة الأولى … 1 أبريل", one statement about two targets); 2b is what keeps them apart.
Paragraphs of fewer than six content stems (sub-headings, list items) only repeat verbatim:
on the corpus they meet a longer paragraph by chance far more often than by repetition.
Restatements reworded with synonyms throughout (about half their words shared) are not
caught: at that level of overlap topical neighbours score the same.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from akhbar.transform.budget import check
from akhbar.transform.countries import find_country_mentions
from akhbar.transform.lexicon import TOKEN_CACHE, read_tsv, stopwords
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.numbers import NUMBER_WORDS, SCALE_WORDS
from akhbar.transform.persons import persons_in_sentence
from akhbar.transform.sentences import split_sentences
from akhbar.transform.tokens import light_stem, strip_proclitics, words

# Share of the later paragraph's content stems that must occur in the earlier one.
MIN_CONTAINMENT = 0.7
# Share of the later paragraph's character 4-grams that must occur in the earlier one:
# the seed's paraphrase scores 0.81; same-topic pairs on the dev set stay below 0.5, and on
# the corpus sample pairs between 0.6 and 0.75 are mostly new statements on one topic.
MIN_CHAR_CONTAINMENT = 0.75
CHAR_N = 4
# Earlier paragraphs a paragraph is compared with for paraphrase (see find_repeated_paragraphs).
MAX_CANDIDATES = 200
# Below this many content stems a paraphrase cannot be told from a coincidence.
MIN_CONTENT_STEMS = 6
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")
# Ordinals distinguish "the first tranche" from "the second"; folded forms.
_ORDINALS = frozenset(normalize_for_matching(w) for w in (
    "الأول", "الأولى", "الثاني", "الثانية", "الثالث", "الثالثة", "الرابع", "الرابعة",
    "الخامس", "الخامسة", "السادس", "السادسة", "السابع", "السابعة", "الثامن", "الثامنة",
    "التاسع", "التاسعة", "العاشر", "العاشرة", "الأخير", "الأخيرة"))


# Words after which Arabic news names a place ("في محافظة مأرب"): the place is a fact.
_PLACE_WORDS = frozenset(normalize_for_matching(w) for w in (
    "محافظة", "مدينة", "ولاية", "منطقة", "بلدة", "قرية", "إقليم", "مقاطعة", "ميناء", "مطار",
    "قاعدة", "مخيم", "حي", "جزيرة", "معبر", "مديرية", "قضاء", "ناحية"))
_LATIN = regex.compile(r"[a-z][a-z0-9]+")


def _calendar_words() -> frozenset[str]:
    return frozenset(normalize_for_matching(f) for _, _, forms in read_tsv("calendar.tsv")
                     for f in forms.split("|"))


_FACT_WORDS = frozenset(NUMBER_WORDS) | frozenset(SCALE_WORDS) | _ORDINALS | _calendar_words()


@dataclass(frozen=True)
class _Profile:
    text: str
    key: str
    stems: frozenset[str]
    grams: frozenset[str]


# Folding is the costly step (camel's Unicode mapping runs per character) and a paragraph
# is keyed several times in a row (its repeats, its boilerplate line, its bands).
@lru_cache(maxsize=TOKEN_CACHE)
def matching_key(text: str) -> str:
    """Folded text without punctuation and with single spaces: what 'the same text' means."""
    return _NOT_WORD.sub(" ", normalize_for_matching(text)).strip()


def paragraph_fingerprint(text: str) -> str:
    """Stable hex digest of the folded paragraph: equal for copies that differ only in spelling variants."""
    return hashlib.sha1(normalize_for_matching(text).encode("utf-8")).hexdigest()


def char_grams(key: str, n: int = CHAR_N) -> frozenset[str]:
    return frozenset(key[i:i + n] for i in range(len(key) - n + 1))


@lru_cache(maxsize=1024)
def _profile(text: str) -> _Profile:
    key = matching_key(text)
    toks = words(key)
    stop = stopwords()
    stems = frozenset(light_stem(t) for t in toks if t not in stop and len(t) > 1 and not t.isdigit())
    return _Profile(text=text, key=key, stems=stems, grams=char_grams(key))


@lru_cache(maxsize=1024)
def paragraph_facts(text: str) -> frozenset[str]:
    """The facts a paragraph carries in the sense of the rule above (computed only for the
    pairs that pass containment: persons need sentence parsing)."""
    key = matching_key(text)
    toks = words(key)
    facts = set(_NUMBER.findall(key))
    facts.update(_LATIN.findall(key))
    for t in toks:
        bare = strip_proclitics(t)
        if t in _FACT_WORDS or bare in _FACT_WORDS:
            facts.add(bare)
    stop = stopwords()
    for prev, t in zip(toks, toks[1:]):
        # the construct state ("محافظة مأرب", "بمدينة العقبة") names a place; "المنطقة" does not
        cue = prev[1:] if prev[:1] in "وفبل" and prev[1:] in _PLACE_WORDS else prev
        if cue in _PLACE_WORDS and t not in stop and len(t) > 2:
            facts.add("place:" + strip_proclitics(t))
    facts.update("@" + m.code for m in find_country_mentions(toks))
    for sentence in split_sentences(text):
        for person in persons_in_sentence(sentence):
            facts.update("name:" + w for w in words(normalize_for_matching(person.name)))
    return frozenset(facts)


def _repeats(later: _Profile, earlier: _Profile) -> bool:
    if later.key == earlier.key:
        return True
    if len(later.stems) < MIN_CONTENT_STEMS:
        return False
    contained = (len(later.stems & earlier.stems) >= MIN_CONTAINMENT * len(later.stems)
                 or len(later.grams & earlier.grams) >= MIN_CHAR_CONTAINMENT * len(later.grams))
    return contained and paragraph_facts(later.text) <= paragraph_facts(earlier.text)


def find_repeated_paragraphs(paragraphs: list[str]) -> list[int | None]:
    """For each paragraph, the index of the earlier paragraph it repeats, else None.

    Verbatim repeats are found anywhere through their key; paraphrases among the
    MAX_CANDIDATES latest first-seen paragraphs. Comparing with every earlier paragraph
    made an article of 2,000 similar paragraphs cost minutes; real articles have far
    fewer paragraphs than the window, so for them nothing changes."""
    profiles = [_profile(p) for p in paragraphs]
    out: list[int | None] = []
    first_by_key: dict[str, int] = {}
    originals: list[int] = []  # first-seen paragraphs, in order
    for j, later in enumerate(profiles):
        check()
        verbatim = first_by_key.get(later.key)
        # the earliest repeated paragraph wins, as when every earlier one was compared
        window = (i for i in originals[-MAX_CANDIDATES:] if verbatim is None or i < verbatim)
        found = next((i for i in window if _repeats(later, profiles[i])), verbatim)
        out.append(found)
        if found is None:
            first_by_key.setdefault(later.key, j)
            originals.append(j)
    return out


def containment(later: str, earlier: str) -> float:
    """Share of `later`'s content stems found in `earlier` (for diagnostics and tests)."""
    a, b = _profile(later), _profile(earlier)
    return len(a.stems & b.stems) / len(a.stems) if a.stems else 0.0


def char_containment(later: str, earlier: str) -> float:
    """Share of `later`'s character 4-grams found in `earlier` (for diagnostics and tests)."""
    a, b = _profile(later), _profile(earlier)
    return len(a.grams & b.grams) / len(a.grams) if a.grams else 0.0

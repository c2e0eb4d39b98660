"""The dedup engine: every rule about repeated text, for the transform, the warehouse and
`akhbar dedup-report` alike (docs/dedup.md).

It is pure: it works on typed paragraph records (`ArticleRecord`) and reaches earlier
articles only through a small store protocol (`DedupStore`: candidates, record, line
counts). load/dedup_index.py is the PostgreSQL store; transform/dedup_memory.py the
in-memory one that `akhbar transform` and `akhbar dedup-report` use.

**Within an article** (`find_repeated_paragraphs`, the contract's `duplicate_of`): a later
paragraph P repeats an earlier paragraph E when

1. they are the same text (textkeys.text_key), whatever their length; or
2. P is no heading (`is_heading`: short, no final stop: a crosshead announces, it does not
   restate), has at least MIN_CONTENT_STEMS content stems, and
   a. P is mostly inside E: at least MIN_CONTAINMENT of P's content stems occur in E
      (swapped words, dropped clauses), or MIN_CHAR_CONTAINMENT of its character 4-grams
      (changed endings and clitics), or, with news verbs folded to one sense (قال/أعلن/أكد,
      وقع/أبرم: data/synonyms.tsv), MIN_ALIGNED of its content stems align with E's and at
      most MAX_UNALIGNED do not (a restatement that reorders, changes the voice or swaps
      synonyms); and
   b. P states no fact E lacks: its facts (numbers, ordinals, months and weekdays, countries,
      persons, names after an honorific, places named after a place word, Latin-script
      words) are a subset of E's, compared as sets (`_new_facts`).

Cost is linear in the article's length: an earlier paragraph is verified only when it shares
one of P's rarer content stems (`_candidates`, at most MAX_CANDIDATES of them), so an
article of many similar paragraphs does not compare every pair.

**Across articles** (`match_article`): a paragraph repeats an earlier article's paragraph
when it shares an LSH band with it, their articles are filed within LOOKBACK_DAYS of each
other (`lookback`: republication happens within days, not years) and it passes
`near_duplicate`; an article joins an earlier story (`republished_of`) when at least
REPUBLISHED_SHARE of its own text's 5-grams stand in that story's candidate articles, the
shared text is longer than a line and its figures are the story's; a same-day rewrite
(`_rewrite_of`) joins from REWRITE_SHARE when its sentences and facts align with the
story's.

**Boilerplate**: transform/boilerplate.py (the rule) over the store's line counts.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache, reduce
from typing import Hashable, Iterable, Protocol

import numpy as np
import regex

from akhbar.transform import boilerplate
from akhbar.transform.budget import check
from akhbar.transform.lexicon import TOKEN_CACHE, read_tsv, read_yaml, stopwords
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.numbers import NUMBER_WORDS, SCALE_WORDS
from akhbar.transform.textkeys import (  # noqa: F401  (re-exported: one place for "the same text")
    keyed, line_key, line_length, matching_key, paragraph_fingerprint, shared_codes, shared_count, shingle_codes, text_key,
)
from akhbar.transform.tokens import light_stem, strip_proclitics, words

# --- within an article -------------------------------------------------------------------
# Share of the later paragraph's content stems that must occur in the earlier one.
MIN_CONTAINMENT = 0.7
# Share of the later paragraph's character 4-grams that must occur in the earlier one:
# the seed's paraphrase scores 0.81; same-topic pairs on the dev set stay below 0.5, and
# near-copies between 0.7 and 0.75 that state something new are held back by the facts.
MIN_CHAR_CONTAINMENT = 0.7
CHAR_N = 4
# Share of content stems that must align once synonyms are folded (a reworded restatement),
# and how many content words of its own such a restatement may bring (beyond that it says
# something else on the same topic).
MIN_ALIGNED = 0.65
MAX_UNALIGNED = 6
# Below this many content stems a paraphrase cannot be told from a coincidence.
MIN_CONTENT_STEMS = 6
# A heading by form: at most this many words and no sentence-final stop.
HEADING_WORDS = 12
# Earlier paragraphs verified per later paragraph, and the in-article document frequency
# above which a stem is too common to propose candidates (linear cost).
MAX_CANDIDATES = 12
COMMON_STEM = 24

# --- across articles ---------------------------------------------------------------------
# A paragraph is an earlier one edited when it shares NEAR_JACCARD of their 5-grams, or
# when EDITED_CONTAINMENT of its own are in the earlier one and they still share
# MIN_JACCARD (a short line inside a long paragraph is no copy of it).
NEAR_JACCARD = 0.7
EDITED_CONTAINMENT = 0.8
MIN_JACCARD = 0.5
CANDIDATES_PER_BAND = 20
# Articles filed more than this many days apart are never compared (either way: a backfill
# loads an older article after its copies). In both corpora every republished article
# follows its first within 7 days, and 98.7 % (ANT 2018) and 99.97 % (SaudiNewsNet 2015) of
# the copies of a paragraph of 120 letters or more within 14; the window bounds what a
# lookup reads, whatever the warehouse's size. AKHBAR_DEDUP_WINDOW_DAYS overrides it.
LOOKBACK_DAYS = 14
# An article whose own text (boilerplate and in-article repeats left out) has this share of
# its 5-grams in an earlier story is that story again: another outlet, another headline or
# lede, a sign-off added, paragraphs merged, trimmed or edited.
REPUBLISHED_SHARE = 0.75
# ... and the shared text must be more than a line: bodies that are only a disclaimer
# ("جميع المقالات المنشورة تمثل رأي كتابها فقط") would otherwise form stories.
MIN_REPUBLISHED_CHARS = 150
# Share of the article's distinct figures (or, for a rewrite, facts) that the story may lack.
MAX_NEW_FIGURES = 1 / 3
# A rewrite by a second outlet on the same day (another lede, the same body facts) keeps
# less of the wording: it joins the story from REWRITE_SHARE when REWRITE_ALIGNED of its
# sentences align with the story's and its facts are the story's.
REWRITE_SHARE = 0.6
REWRITE_ALIGNED = 0.75
REWRITE_DAYS = 1
_SENTENCE_SPLIT = regex.compile(r"(?<!\d)[.!?؟؛]+(?!\d)")

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_DIGITS = re.compile(r"\d+")
_LATIN = regex.compile(r"[a-z][a-z0-9]+")
_FINAL_STOP = regex.compile(r"[.!?؟…:]\W*$")
# Ordinals distinguish "the first tranche" from "the second"; folded forms.
_ORDINALS = frozenset(normalize_for_matching(w) for w in (
    "الأول", "الأولى", "الثاني", "الثانية", "الثالث", "الثالثة", "الرابع", "الرابعة",
    "الخامس", "الخامسة", "السادس", "السادسة", "السابع", "السابعة", "الثامن", "الثامنة",
    "التاسع", "التاسعة", "العاشر", "العاشرة", "الأخير", "الأخيرة"))
# Words after which Arabic news names a place ("في محافظة مأرب"): the place is a fact.
_PLACE_WORDS = frozenset(normalize_for_matching(w) for w in (
    "محافظة", "مدينة", "ولاية", "منطقة", "بلدة", "قرية", "إقليم", "مقاطعة", "ميناء", "مطار",
    "قاعدة", "مخيم", "حي", "جزيرة", "معبر", "مديرية", "قضاء", "ناحية"))


def _calendar_words() -> frozenset[str]:
    return frozenset(normalize_for_matching(f) for _, _, forms in read_tsv("calendar.tsv")
                     for f in forms.split("|"))


_HONORIFICS = frozenset(strip_proclitics(normalize_for_matching(w)) for w in read_yaml("offices.yaml")["honorifics"]
                         if " " not in w and len(w) > 2)
_FACT_WORDS = frozenset(NUMBER_WORDS) | frozenset(SCALE_WORDS) | _ORDINALS | _calendar_words()


def _sense_table() -> dict[str, str]:
    """Light stem → the first stem of its line in synonyms.tsv (one sense, many words)."""
    out = {}
    for row in read_tsv("synonyms.tsv"):
        forms = [light_stem(normalize_for_matching(w)) for w in row[0].split("|")]
        for f in forms:
            out.setdefault(f, forms[0])
    return out


_SENSES = _sense_table()


@lru_cache(maxsize=TOKEN_CACHE)
def _sense(stem: str) -> str:
    """The stem's sense (synonyms.tsv), after the endings that light stemming keeps: a past
    verb's feminine ت (أعلنت), the accusative's alef (اتصالاً), the nisba's ي (هاتفي)."""
    for form in (stem, stem[:-1] if len(stem) > 3 and stem[-1] in "تاي" else stem):
        if form in _SENSES:
            return _SENSES[form]
    return stem[:-1] if len(stem) > 3 and stem[-1] in "اي" else stem


class _Profile:
    """What the repeat rule compares of a paragraph. The 4-grams and senses are asked only
    of the pairs that share stems but fall short of MIN_CONTAINMENT, a few per article:
    built on first use, not for every paragraph."""
    __slots__ = ("text", "key", "compact", "stems", "heading", "_grams", "_senses")

    def __init__(self, text: str, key: str, stems: frozenset[str], heading: bool):
        self.text, self.key, self.stems, self.heading = text, key, stems, heading
        self.compact = key.replace(" ", "")  # textkeys.text_key: equal for the same text
        self._grams = self._senses = None

    @property
    def grams(self) -> frozenset:
        if self._grams is None:
            self._grams = gram_codes(self.key)
        return self._grams

    @property
    def senses(self) -> frozenset[str]:
        if self._senses is None:
            self._senses = frozenset(_sense(s) for s in self.stems)
        return self._senses


def char_grams(key: str, n: int = CHAR_N) -> frozenset[str]:
    return frozenset(key[i:i + n] for i in range(len(key) - n + 1))


_SHIFTS = np.array([48, 32, 16, 0], dtype=np.uint64)


def gram_codes(key: str) -> frozenset:
    """`char_grams(key)` coded one to one as numbers (four 16-bit characters in one 64-bit
    integer, built by numpy): the same counts of shared grams, at a fraction of the cost of
    slicing every gram out as a string. A gram with a character beyond 16 bits (rare: matching
    keys hold letters and digits) stays a string, which no number equals."""
    n = len(key) - CHAR_N + 1
    if n <= 0:
        return frozenset()
    try:
        raw = key.encode("utf-16-le")
    except UnicodeEncodeError:  # a lone surrogate
        raw = b""
    if len(raw) != 2 * len(key):  # some character takes two 16-bit units (or none encoded)
        return frozenset(map(_gram_code, char_grams(key)))
    codes = np.frombuffer(raw, dtype=np.uint16).astype(np.uint64)
    packed = codes[:n] << _SHIFTS[0]
    for j in range(1, CHAR_N):
        packed |= codes[j:j + n] << _SHIFTS[j]
    return frozenset(packed.tolist())


def _gram_code(gram: str):
    """One gram as `gram_codes` codes it (for the rare key it cannot code with numpy)."""
    if max(gram) > "\uffff":
        return gram
    return sum(ord(c) << int(k) for c, k in zip(gram, _SHIFTS))


def is_heading(text: str) -> bool:
    """A crosshead or subtitle by its form: a few words and no sentence-final stop."""
    return _is_heading(text, matching_key(text))


def _is_heading(text: str, key: str) -> bool:
    return len(key.split()) <= HEADING_WORDS and not _FINAL_STOP.search(text.strip())


@lru_cache(maxsize=1024)
def _profile(text: str) -> _Profile:
    key = matching_key(text)
    # each distinct word looked at once: a long paragraph repeats its words
    stems = frozenset(filter(None, map(_content_stem, set(words(key)))))
    return _Profile(text=text, key=key, stems=stems, heading=_is_heading(text, key))


@lru_cache(maxsize=TOKEN_CACHE)
def _content_stem(word: str) -> str | None:
    """The light stem of a content word (no stopword, single letter or number), else None."""
    if word in stopwords() or len(word) <= 1 or word.isdigit():
        return None
    return light_stem(word)


@lru_cache(maxsize=1024)
def paragraph_facts(text: str) -> frozenset[str]:
    """The facts a paragraph carries, as a set (computed only for the pairs that pass
    containment: persons need sentence parsing, and the name finders are imported only
    here, so that a loader that is handed the transform's marks does not load them)."""
    from akhbar.transform.countries import find_country_mentions
    from akhbar.transform.persons import persons_in_sentence
    from akhbar.transform.sentences import split_sentences

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
    # a word after an honorific ("الشيخ القرني", "الدكتور …") is someone's name
    for prev, t in zip(toks, toks[1:]):
        if strip_proclitics(prev) in _HONORIFICS and t not in stop and len(t) > 2:
            facts.add("name:" + strip_proclitics(t))
    for sentence in split_sentences(text):
        for person in persons_in_sentence(sentence):
            facts.add("person:" + " ".join(words(normalize_for_matching(person.name))))
    return frozenset(facts)


def _new_facts(later: _Profile, earlier: _Profile) -> frozenset[str]:
    """Facts of the later paragraph that the earlier one does not state, compared as sets.
    A person is someone new only when more than a third of the words of the name stand
    nowhere in the earlier paragraph (the name finder may cut one name differently in two sentences, or
    run it into the next word: "كيم جونغ أون ستعقد")."""
    new = paragraph_facts(later.text) - paragraph_facts(earlier.text)
    out = set()
    for f in new:
        if f.startswith("person:"):
            names = f[7:].split()
            if 3 * sum(light_stem(w) not in earlier.stems for w in names) <= len(names):
                continue
        elif f.startswith("name:") and light_stem(f[5:]) in earlier.stems:
            continue
        out.add(f)
    return frozenset(out)


def _repeats(later: _Profile, earlier: _Profile) -> bool:
    if later.compact == earlier.compact:
        return True
    if later.heading or len(later.stems) < MIN_CONTENT_STEMS:
        return False
    n = len(later.stems)
    contained = (len(later.stems & earlier.stems) >= MIN_CONTAINMENT * n
                 or len(later.grams & earlier.grams) >= MIN_CHAR_CONTAINMENT * len(later.grams)
                 or (len(later.senses & earlier.senses) >= MIN_ALIGNED * len(later.senses)
                     and len(later.senses - earlier.senses) <= MAX_UNALIGNED))
    return contained and not _new_facts(later, earlier)


def _candidates(j: int, later: _Profile, postings: dict[str, list[int]]) -> list[int]:
    """Earlier paragraphs worth verifying for paragraph j: those sharing its rarer content
    stems, most shared first, at most MAX_CANDIDATES; then in article order."""
    shared: dict[int, int] = defaultdict(int)
    for s in later.stems:
        for i in postings.get(s, ())[:COMMON_STEM]:
            shared[i] += 1
    best = sorted(shared, key=lambda i: (-shared[i], i))[:MAX_CANDIDATES]
    return sorted(best)


def find_repeated_paragraphs(paragraphs: list[str]) -> list[int | None]:
    """For each paragraph, the index of the earlier paragraph it repeats, else None."""
    profiles = [_profile(p) for p in paragraphs]
    out: list[int | None] = []
    exact: dict[str, int] = {}
    postings: dict[str, list[int]] = defaultdict(list)
    for j, later in enumerate(profiles):
        check()  # the article's time budget (budget.py)
        found = exact.get(later.compact)
        if found is None and not later.heading and len(later.stems) >= MIN_CONTENT_STEMS:
            found = next((i for i in _candidates(j, later, postings) if _repeats(later, profiles[i])), None)
        out.append(found)
        if found is None:  # only first occurrences are pointed at
            exact.setdefault(later.compact, j)
            for s in later.stems:
                postings[s].append(j)
    return out


def containment(later: str, earlier: str) -> float:
    """Share of `later`'s content stems found in `earlier` (for diagnostics and tests)."""
    a, b = _profile(later), _profile(earlier)
    return len(a.stems & b.stems) / len(a.stems) if a.stems else 0.0


def char_containment(later: str, earlier: str) -> float:
    """Share of `later`'s character 4-grams found in `earlier` (for diagnostics and tests)."""
    a, b = _profile(later), _profile(earlier)
    return len(a.grams & b.grams) / len(a.grams) if a.grams else 0.0


# --- across articles ---------------------------------------------------------------------

def near_duplicate(new_text: str, old_text: str) -> bool:
    """`new_text` is `old_text` again, up to small edits, and adds no figure of its own (a
    changed toll or sum is news, not an edit). Names and places are not compared here:
    editing desks respell them, and the article-level share guards against false merges."""
    a, b = matching_key(new_text), matching_key(old_text)
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    sa, sb = shingle_codes(a), shingle_codes(b)
    shared = shared_count(sa, sb)
    union = len(sa) + len(sb) - shared
    if shared < NEAR_JACCARD * union and not (
            shared >= EDITED_CONTAINMENT * len(sa) and shared >= MIN_JACCARD * union):
        return False
    return set(_DIGITS.findall(a)) <= set(_DIGITS.findall(b))


@dataclass
class ParagraphRecord:
    """What the engine knows of one paragraph."""
    position: int
    text: str
    key: str
    bands: tuple[int, ...]
    line: int
    length: int
    duplicate_of: int | None = None   # an earlier paragraph of the same article
    is_boilerplate: bool = False


@dataclass
class ArticleRecord:
    """An article as the engine sees it: its outlet, its day and its paragraph records."""
    outlet: str | None
    day: date | None
    paragraphs: list[ParagraphRecord]

    def content(self) -> list[ParagraphRecord]:
        """Paragraphs that are neither boilerplate nor a repeat within the article."""
        return [p for p in self.paragraphs if not p.is_boilerplate and p.duplicate_of is None]

    def lines(self) -> list[tuple[int, int]]:
        return [(p.line, p.length) for p in self.paragraphs]


@dataclass(frozen=True)
class Candidate:
    """An earlier paragraph a store proposes: where it stands, its text, the first
    occurrence it points at (if it is itself a copy) and the story it belongs to."""
    ref: tuple[Hashable, int]
    text: str
    root: tuple[Hashable, int] | None
    story: Hashable


class DedupStore(Protocol):
    """Where the engine finds earlier articles and counts each outlet's lines."""

    def boilerplate_lines(self, outlet: str | None, lines: set[int]) -> set[int]:
        """Which of `lines` the outlet's line counts make boilerplate now."""

    def candidates(self, bands: set[int], day: date | None) -> dict[int, list[Candidate]]:
        """Band key → the earliest (at most CANDIDATES_PER_BAND, by day then load order)
        paragraphs under it among the articles filed within `lookback` of `day` (the new
        article's day, None when it has none)."""

    def story_texts(self, articles: set) -> dict[Hashable, tuple[date | None, list[str]]]:
        """Article → (its day, the texts of its content paragraphs): what the republication
        rule compares."""

    def record(self, article_id, rec: ArticleRecord, match: "Match") -> None:
        """Index the article's non-boilerplate paragraphs under their bands, filed under
        `filed_day` of its day, with the story it joins (`match.republished_of`, else its
        own), and count its lines for its outlet when it is a new story; lines that now pass
        the bar become boilerplate."""


def day_of(published) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published if isinstance(published, date) else None


def lookback_days() -> int:
    """LOOKBACK_DAYS, or the operator's AKHBAR_DEDUP_WINDOW_DAYS."""
    days = int(os.environ.get("AKHBAR_DEDUP_WINDOW_DAYS") or LOOKBACK_DAYS)
    if days < 0:
        raise ValueError(f"AKHBAR_DEDUP_WINDOW_DAYS must be 0 or more, not {days}")
    return days


def filed_day(day: date | None, today: date) -> date:
    """The day an article's paragraphs are filed under: its own, else (undated) the day the
    store takes it in."""
    return day if day is not None else today


def lookback(day: date | None, today: date) -> tuple[date, date]:
    """First and last day of the articles whose paragraphs an article filed on `day` (or
    today, undated) may repeat: earlier copies further away are not looked for."""
    days, center = lookback_days(), filed_day(day, today).toordinal()
    # a day the feed got wrong (year 1, year 9999) keeps its window inside the calendar
    return (date.fromordinal(max(1, center - days)),
            date.fromordinal(min(date.max.toordinal(), center + days)))


def article_record(outlet: str | None, published, texts: list[str],
                   duplicate_of: list[int | None] | None = None) -> ArticleRecord:
    """Paragraph records of an article; `duplicate_of` from the transform, else found here."""
    if duplicate_of is None:
        duplicate_of = find_repeated_paragraphs(texts)
    paras = []
    for i, (t, d) in enumerate(zip(texts, duplicate_of)):
        key, bands = keyed(t)
        paras.append(ParagraphRecord(position=i, text=t, key=key, bands=bands, line=line_key(t),
                                     length=line_length(t), duplicate_of=d))
    return ArticleRecord(outlet=outlet, day=day_of(published), paragraphs=paras)


def mark_article(texts: list[str], known_boilerplate: frozenset[int] = frozenset()) -> list[tuple[int | None, bool]]:
    """What the transform marks on an article's paragraphs: (duplicate_of, is_boilerplate)
    each, given the line keys its outlet's counts make boilerplate."""
    repeats = find_repeated_paragraphs(texts)
    return [(d, bool(known_boilerplate) and boilerplate.may_be_boilerplate(i) and line_key(t) in known_boilerplate)
            for i, (t, d) in enumerate(zip(texts, repeats))]


def mark_boilerplate(store: DedupStore, rec: ArticleRecord, keep: bool = False) -> None:
    """Mark the paragraphs whose line the outlet's counts make boilerplate (never the lede);
    `keep`: also keep the marks the record came with (the transform's)."""
    known = store.boilerplate_lines(rec.outlet, {p.line for p in rec.paragraphs}) if rec.paragraphs else set()
    for p in rec.paragraphs:
        p.is_boilerplate = (p.is_boilerplate and keep) or (
            p.line in known and boilerplate.may_be_boilerplate(p.position))


@dataclass
class Match:
    """What the engine found of an article in the store."""
    earlier: dict[int, tuple] = field(default_factory=dict)  # position → first occurrence
    republished_of: Hashable | None = None
    share: float = 0.0
    best_story: Hashable | None = None


def match_article(store: DedupStore, rec: ArticleRecord) -> Match:
    """Earlier occurrences of the article's paragraphs, and the story it republishes."""
    match = Match()
    own = [p for p in rec.paragraphs if not p.is_boilerplate]
    by_band = store.candidates({k for p in own for k in p.bands}, rec.day) if own else {}
    stories: dict[Hashable, set] = defaultdict(set)  # story → its candidate articles
    for p in own:
        seen = set()
        for cand in sorted({c for k in p.bands for c in by_band.get(k, ())}, key=lambda c: c.ref):
            stories[cand.story].add(cand.ref[0])
            if cand.ref in seen or p.position in match.earlier or p.duplicate_of is not None:
                continue
            seen.add(cand.ref)
            if near_duplicate(p.text, cand.text):
                # the paragraph points at its first occurrence, following the candidate's own
                # cross-article pointer
                root = cand.root
                match.earlier[p.position] = root if root is not None and root[0] != cand.ref[0] else cand.ref
    if stories:
        match.republished_of, match.share, match.best_story = republished_of(store, rec, stories)
    return match


@lru_cache(maxsize=2048)  # ~20 KB an article (8 bytes a gram): bounded to tens of MB
def _story_shingles(texts: tuple[str, ...]) -> np.ndarray:
    """The 5-grams of an earlier article's text: the same candidate article is weighed for
    many new ones (a batch load, a run of one outlet's updates)."""
    codes = shingle_codes(" ".join(matching_key(t) for t in texts))
    codes.flags.writeable = False  # shared by every caller the cache answers
    return codes


def republished_of(store: DedupStore, rec: ArticleRecord, stories: dict[Hashable, set]):
    """(story the article republishes or None, its best share, the best story)."""
    mine = shingle_codes(" ".join(p.key for p in rec.content()))
    texts = store.story_texts({a for arts in stories.values() for a in arts})
    best = (0.0, None)
    for story in sorted(stories, key=_order):
        # mine ∩ (their union) as the union of the small intersections: no copy of their grams
        found = [shared_codes(mine, _story_shingles(tuple(texts.get(a, (None, []))[1]))) for a in stories[story]]
        share = len(reduce(np.union1d, found)) / len(mine)
        if share > best[0]:
            best = (share, story)
    share, story = best
    if share * len(mine) < MIN_REPUBLISHED_CHARS:
        return None, share, story
    if share < REPUBLISHED_SHARE and not (share >= REWRITE_SHARE and _rewrite_of(rec, stories[story], texts)):
        return None, share, story
    # figures are what tells one report from the next (another toll, another tranche): a
    # republication may add a stray one (a date, an hour), not change its figures
    figures = set(_DIGITS.findall(" ".join(p.key for p in rec.content())))
    theirs = set()
    for a in stories[story]:
        theirs.update(_DIGITS.findall(" ".join(matching_key(t) for t in texts.get(a, (None, []))[1])))
    new_figures = figures - theirs
    if MAX_NEW_FIGURES * len(figures) < len(new_figures):
        return None, share, story
    # ... and a new figure in another place is another report (the same visit to another
    # capital, the same attack on another town)
    if new_figures and _places(rec.content()) - _places_of(stories[story], texts):
        return None, share, story
    return story, share, story


def _rewrite_of(rec: ArticleRecord, articles: set, texts: dict) -> bool:
    """A same-day rewrite of the story (another outlet's lede, the same body): published
    within REWRITE_DAYS of it, most of its sentences align with the story's (content stems,
    MIN_CONTAINMENT) and at most MAX_NEW_FIGURES of its facts are not the story's."""
    days = [texts[a][0] for a in articles if texts.get(a) and texts[a][0] is not None]
    if rec.day is None or not days or min(abs((rec.day - d).days) for d in days) > REWRITE_DAYS:
        return False
    theirs = [t for a in articles for t in texts.get(a, (None, []))[1]]
    their_sentences = [_profile(s).stems for t in theirs for s in _sentences(t)]
    total = aligned = 0
    for p in rec.content():
        for sent in _sentences(p.text):
            stems = _profile(sent).stems
            if not stems:
                continue
            total += len(stems)
            if any(len(stems & o) >= MIN_CONTAINMENT * len(stems) for o in their_sentences):
                aligned += len(stems)
    if not total or aligned < REWRITE_ALIGNED * total:
        return False
    mine = paragraph_facts("\n".join(p.text for p in rec.content()))
    story_facts = paragraph_facts("\n".join(theirs))
    return len(mine - story_facts) <= MAX_NEW_FIGURES * len(mine)


def _places(paragraphs) -> set[str]:
    facts = paragraph_facts("\n".join(p.text for p in paragraphs))
    return {f for f in facts if (f.startswith("@") and f != "@?") or f.startswith("place:")}


def _places_of(articles: set, texts: dict) -> set[str]:
    facts = paragraph_facts("\n".join(t for a in articles for t in texts.get(a, (None, []))[1]))
    return {f for f in facts if (f.startswith("@") and f != "@?") or f.startswith("place:")}


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def _order(story):
    return (str(type(story)), story)


def dedup_article(store: DedupStore, article_id, outlet: str | None, published, texts: list[str],
                  duplicate_of: list[int | None] | None = None) -> tuple[ArticleRecord, Match]:
    """The whole engine for one new article: boilerplate, repeats within, earlier
    occurrences, its story; then the store records it."""
    rec = article_record(outlet, published, texts, duplicate_of)
    mark_boilerplate(store, rec)
    match = match_article(store, rec)
    store.record(article_id, rec, match)
    return rec, match


@dataclass
class Decided:
    """One article after `dedup_articles`: its record, what matched and its story."""
    id: object
    record: ArticleRecord
    match: Match
    story: Hashable


def dedup_articles(store: DedupStore, articles: Iterable) -> list[Decided]:
    """Feed ArticleInput-like objects (id, outlet, published, body) to the engine in the
    order given, each one's story settled against those before it."""
    from akhbar.transform.dates import parse_published
    from akhbar.transform.paragraphs import split_paragraphs

    out = []
    for n, a in enumerate(articles):
        try:
            when = parse_published(a.published) if isinstance(a.published, str) else a.published
        except (TypeError, ValueError):
            when = None
        rec, match = dedup_article(store, n, a.outlet, when, split_paragraphs(a.body))
        out.append(Decided(id=a.id, record=rec, match=match,
                           story=n if match.republished_of is None else match.republished_of))
    return out

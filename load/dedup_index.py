"""The warehouse's near-duplicate index: which earlier paragraph a new one repeats, found
through indexed LSH band keys rather than a scan, and per-outlet line counts that teach the
warehouse each outlet's boilerplate.

Each paragraph gets a MinHash signature over the character 5-grams of its matching key
(folded, punctuation dropped), cut into BANDS bands of ROWS values; each band hashes to one
bigint in akhbar.paragraph_bands (btree on band_key). Two paragraphs whose 5-gram Jaccard
is J share at least one band with probability 1 - (1 - J^ROWS)^BANDS: 0.998 at J = 0.8,
0.91 at 0.6, 0.74 at 0.5. Candidates are then checked on their text (`near_duplicate`),
so a band collision never merges. Outlets that take a wire edit it (a hashtag, a synonym,
"داعش" for "الدولة الإسلامية", a clause cut): on the benchmark corpus such copies keep
most of a paragraph's 5-grams (containment 0.8-0.95) while their Jaccard falls to 0.5-0.7.
Lookup reads at most CANDIDATES_PER_BAND earliest rows per band key: its cost does not grow
with the warehouse, and boilerplate (the one kind of line that recurs without bound) is
neither looked up nor indexed once known.

Who is first is settled in the database: a load takes transaction-scoped advisory locks on
the buckets of all its band keys, in ascending order, before it looks anything up, so two
loads holding the same text serialize and the second sees the first's rows.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import numpy as np
from psycopg2.extras import execute_values

from akhbar.transform import boilerplate
from akhbar.transform.dedup import matching_key

SHINGLE = 5
BANDS = 10
ROWS = 3
# A paragraph is an earlier one edited when it shares NEAR_JACCARD of their 5-grams, or
# when EDITED_CONTAINMENT of its own are in the earlier one and they still share
# MIN_JACCARD (a short line inside a long paragraph is no copy of it).
NEAR_JACCARD = 0.7
EDITED_CONTAINMENT = 0.8
MIN_JACCARD = 0.5
CANDIDATES_PER_BAND = 20
# An article whose paragraphs (by length, boilerplate left out) are this much in one
# earlier article is that article republished (another outlet, another headline, a
# sign-off line added, a few words edited).
REPUBLISHED_SHARE = 0.8
# ... and the shared text must be more than a line: on the corpus, bodies that are only a
# disclaimer ("جميع المقالات المنشورة تمثل رأي كتابها فقط") would otherwise form stories.
MIN_REPUBLISHED_CHARS = 150
# Lock space for "who is first": 256 buckets keep a batch's locks few (the server's lock
# table is shared) while unrelated small loads rarely wait on each other.
LOCK_BUCKETS = 256
_LOCK_CLASS = 0x616B6864  # "akhd"
_DIGITS = re.compile(r"\d+")


# The earliest paragraphs under each band key; the btree on (band_key, article_id, position)
# answers it with one short index range per key.
LOOKUP_SQL = (
    "SELECT k.band_key, c.article_id, c.position FROM unnest(%s::bigint[]) AS k(band_key)"
    " CROSS JOIN LATERAL (SELECT b.article_id, b.position FROM akhbar.paragraph_bands b"
    "  WHERE b.band_key = k.band_key ORDER BY b.article_id, b.position LIMIT %s) c")


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
    if len(key) < SHINGLE:
        key = key.ljust(SHINGLE, "\0")
    codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    with np.errstate(over="ignore"):
        grams = codes[:n] * _POWERS[0]
        for j in range(1, SHINGLE):
            grams = grams + codes[j:j + n] * _POWERS[j]
        grams = _mix(grams)
        return _mix(_MUL[:, None] * grams[None, :] + _ADD[:, None]).min(axis=1)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in: bands never meet)."""
    out = []
    for b in range(BANDS):
        raw = bytes([b]) + sig[b * ROWS:(b + 1) * ROWS].tobytes()
        out.append(int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True))
    return out


def shingles(key: str) -> frozenset[str]:
    return frozenset(key[i:i + SHINGLE] for i in range(max(1, len(key) - SHINGLE + 1)))


def near_duplicate(new_text: str, old_text: str) -> bool:
    """`new_text` is `old_text` again, up to small edits, and adds no figure of its own (a
    changed toll or sum is news, not an edit). Names and places are not compared here:
    editing desks respell them, and the article-level share guards against false merges."""
    a, b = matching_key(new_text), matching_key(old_text)
    if a == b:
        return True
    sa, sb = shingles(a), shingles(b)
    shared, union = len(sa & sb), len(sa | sb)
    if shared < NEAR_JACCARD * union and not (
            shared >= EDITED_CONTAINMENT * len(sa) and shared >= MIN_JACCARD * union):
        return False
    return set(_DIGITS.findall(a)) <= set(_DIGITS.findall(b))


@dataclass
class ArticleEntry:
    """What the index needs of one article being loaded, computed once."""
    outlet: str
    day: date | None
    paragraphs: list[dict]
    keys: list[str] = field(default_factory=list)
    bands: list[list[int]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    known_boilerplate: set[int] = field(default_factory=set)
    # per paragraph, the first-seen articles of every story that holds it
    stories: list[set[int]] = field(default_factory=list)

    def content(self) -> list[int]:
        """Positions in `paragraphs` that are not boilerplate."""
        return [i for i, p in enumerate(self.paragraphs) if not p.get("is_boilerplate")]


def _day(published) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published if isinstance(published, date) else None


@lru_cache(maxsize=4096)
def _keyed(text: str) -> tuple[str, tuple[int, ...]]:
    """A paragraph's matching key and band keys; a batch needs them twice (to lock, then to
    look up), and signatures are the loader's costliest arithmetic."""
    key = matching_key(text)
    return key, tuple(band_keys(signature(key)))


def band_keys_of(text: str) -> tuple[int, ...]:
    """The band keys under which a paragraph is indexed in akhbar.paragraph_bands."""
    return _keyed(text)[1]


def lock_batch(cur, paragraph_texts: list[str]) -> None:
    """Take, in ascending order, the advisory locks of every bucket the batch's bands fall in."""
    buckets = {k % LOCK_BUCKETS for text in paragraph_texts for k in _keyed(text)[1]}
    if buckets:  # one statement, the locks taken in ascending order
        cur.execute("SELECT count(pg_advisory_xact_lock(%s, b))"
                    " FROM (SELECT unnest(%s::int[]) AS b ORDER BY 1) ordered",
                    (_LOCK_CLASS, sorted(buckets)))


def outlets(cur) -> dict[int, str]:
    """feed_id → outlet: the key under which an outlet's lines are counted."""
    cur.execute("SELECT feed_id, outlet FROM akhbar.feeds")
    return dict(cur.fetchall())


def prepare(cur, outlet: str, published, paragraphs: list[dict]) -> ArticleEntry:
    """Keys and bands of an article's paragraphs; marks (in `paragraphs`) the lines its
    outlet already counts as boilerplate."""
    entry = ArticleEntry(outlet=outlet, day=_day(published), paragraphs=paragraphs)
    keyed = [_keyed(p["text"]) for p in paragraphs]
    entry.keys = [k for k, _ in keyed]
    entry.bands = [list(bands) for _, bands in keyed]
    entry.lines = [boilerplate.line_key(p["text"]) for p in paragraphs]
    entry.lengths = [boilerplate.line_length(p["text"]) for p in paragraphs]
    if paragraphs:
        cur.execute(
            "SELECT line_key, stories, first_day, last_day, length FROM akhbar.outlet_lines"
            " WHERE outlet = %s AND line_key = ANY(%s)", (entry.outlet, list(set(entry.lines))))
        entry.known_boilerplate = {k for k, n, first, last, length in cur.fetchall()
                                   if boilerplate.is_boilerplate_count(n, first, last, length)}
        for i, (p, line) in enumerate(zip(paragraphs, entry.lines)):
            if line in entry.known_boilerplate and boilerplate.may_be_boilerplate(i):
                p["is_boilerplate"] = True
    return entry


def earlier_occurrences(cur, entry: ArticleEntry, prints: list[str]) -> dict[str, tuple[int, int]]:
    """For each non-boilerplate paragraph's fingerprint, the first (article, position) that
    already holds the same paragraph, up to small edits."""
    wanted = entry.content()
    keys = sorted({k for i in wanted for k in entry.bands[i]})
    if not keys:
        return {}
    cur.execute(LOOKUP_SQL, (keys, CANDIDATES_PER_BAND))
    by_band: dict[int, list[tuple[int, int]]] = {}
    for band, aid, pos in cur.fetchall():
        by_band.setdefault(band, []).append((aid, pos))
    candidates = sorted({c for rows in by_band.values() for c in rows})
    if not candidates:
        return {}
    cur.execute(
        "SELECT p.article_id, p.position, p.text, p.duplicate_of_article, p.duplicate_of_position,"
        "  COALESCE(a.duplicate_of, a.article_id)"
        " FROM akhbar.paragraphs p JOIN unnest(%s::bigint[], %s::int[]) AS c(article_id, position)"
        " USING (article_id, position) JOIN akhbar.articles a USING (article_id)",
        ([a for a, _ in candidates], [p for _, p in candidates]))
    found = {(a, p): (text, (da, dp), story) for a, p, text, da, dp, story in cur.fetchall()}
    out: dict[str, tuple[int, int]] = {}
    entry.stories = [set() for _ in entry.paragraphs]
    for i in wanted:
        mine = sorted({c for k in entry.bands[i] for c in by_band.get(k, ())})
        for cand in mine:
            if cand not in found or not near_duplicate(entry.paragraphs[i]["text"], found[cand][0]):
                continue
            # every story holding the paragraph votes (a background paragraph reused by an
            # earlier story must not hide the story this article republishes) ...
            entry.stories[i].add(found[cand][2])
            if prints[i] not in out:
                # ... while the paragraph points at its first occurrence, following the
                # candidate's own cross-article pointer
                root = found[cand][1]
                out[prints[i]] = root if root[0] is not None and root[0] != cand[0] else cand
    return out


def republished_of(entry: ArticleEntry) -> int | None:
    """The first-seen article of the story this one republishes (after `earlier_occurrences`),
    else None."""
    total, votes = 0, {}
    for i in entry.content():
        if entry.paragraphs[i].get("duplicate_of") is not None:
            continue  # a repeat within the article: its first occurrence speaks for it
        weight = len(entry.keys[i]) + 1
        total += weight
        for story in (entry.stories[i] if entry.stories else ()):
            votes[story] = votes.get(story, 0) + weight
    if not votes or not total:
        return None
    first_seen, shared = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if shared < REPUBLISHED_SHARE * total or shared < MIN_REPUBLISHED_CHARS:
        return None
    return first_seen


def record(cur, entry: ArticleEntry, article_id: int, new_story: bool) -> None:
    """Index the article's paragraphs and count its lines for its outlet; lines that now
    pass the boilerplate bar are marked in every article of the outlet that holds them."""
    bands = [(k, article_id, i) for i in entry.content() for k in set(entry.bands[i])]
    if bands:
        execute_values(cur, "INSERT INTO akhbar.paragraph_bands (band_key, article_id, position)"
                            " VALUES %s ON CONFLICT DO NOTHING", bands)
    # lines already known as boilerplate need no back-reference: nothing will mark them again
    lines = [(k, article_id, i) for i, k in enumerate(entry.lines) if k not in entry.known_boilerplate]
    if lines:
        execute_values(cur, "INSERT INTO akhbar.paragraph_lines (line_key, article_id, position)"
                            " VALUES %s ON CONFLICT DO NOTHING", lines)
    if not new_story or not entry.lines:
        return  # a republication is the same story: its lines are counted once
    rows = execute_values(
        cur,
        "INSERT INTO akhbar.outlet_lines AS o (outlet, line_key, stories, first_day, last_day, length)"
        " VALUES %s ON CONFLICT (outlet, line_key) DO UPDATE SET stories = o.stories + 1,"
        "  first_day = LEAST(o.first_day, EXCLUDED.first_day),"
        "  last_day = GREATEST(o.last_day, EXCLUDED.last_day)"
        " RETURNING line_key, stories, first_day, last_day, length",
        sorted({(entry.outlet, k, 1, entry.day, entry.day, n) for k, n in zip(entry.lines, entry.lengths)}),
        template="(%s, %s, %s, %s::date, %s::date, %s)", fetch=True)
    now_boilerplate = [k for k, n, first, last, length in rows if k not in entry.known_boilerplate
                       and boilerplate.is_boilerplate_count(n, first, last, length)]
    if now_boilerplate:
        cur.execute(
            "UPDATE akhbar.paragraphs p SET is_boilerplate = true"
            " FROM akhbar.paragraph_lines l, akhbar.articles a, akhbar.feeds f"
            " WHERE l.line_key = ANY(%s) AND p.article_id = l.article_id AND p.position = l.position"
            "  AND a.article_id = l.article_id AND f.feed_id = a.feed_id AND f.outlet = %s"
            "  AND NOT p.is_boilerplate AND p.position > 0",  # see boilerplate.may_be_boilerplate
            (now_boilerplate, entry.outlet))


def known_boilerplate(conn) -> dict[str, frozenset[int]]:
    """Per feed name, the line keys its outlet's counts make boilerplate (for the transform,
    which reads no fact from them)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT f.name, o.line_key, o.stories, o.first_day, o.last_day, o.length"
            " FROM akhbar.outlet_lines o JOIN akhbar.feeds f USING (outlet)"
            " WHERE o.stories >= %s", (boilerplate.MIN_STORIES,))
        out: dict[str, set[int]] = {}
        for feed, key, n, first, last, length in cur.fetchall():
            if boilerplate.is_boilerplate_count(n, first, last, length):
                out.setdefault(feed, set()).add(key)
    return {feed: frozenset(keys) for feed, keys in out.items()}

"""The dedup engine's PostgreSQL store (transform/dedup.py's `DedupStore`): which earlier
paragraphs a new one may repeat, found through indexed LSH band keys rather than a scan,
and per-outlet line counts that teach the warehouse each outlet's boilerplate. Every rule
(bands, near-copies, the republication share, the boilerplate bar) is the engine's; this
module only reads and writes the tables.

Each non-boilerplate paragraph's band keys (textkeys.band_keys) are rows of
akhbar.paragraph_bands, filed under the article's day and that day's 16-day bucket
(migration 010). A lookup reads, per band key, at most CANDIDATES_PER_BAND earliest rows of
the articles filed within the engine's look-back window (dedup.lookback) of the new
article's day: an index-only scan of the window's two or three buckets, which are one
contiguous part of the primary key. What a lookup touches is bounded by the window, not by
the warehouse: the window's postings stay in shared_buffers (README: Server sizing), and
the candidates' texts are those of recent articles. Boilerplate (the one kind of line that
recurs without bound) is neither looked up nor indexed once known.

Who is first is settled in the database: a load takes transaction-scoped advisory locks on
the buckets of all its band keys, in ascending order, before it looks anything up, so two
loads holding the same text serialize and the second sees the first's rows.
"""
from __future__ import annotations

from datetime import date

from psycopg2.extras import execute_values

from akhbar.transform import boilerplate
from akhbar.transform.dedup import (
    CANDIDATES_PER_BAND, ArticleRecord, Candidate, Match, day_of, filed_day, lookback,
)
from akhbar.transform.textkeys import keyed

# Lock space for "who is first": 256 buckets keep a batch's locks few (the server's lock
# table is shared) while unrelated small loads rarely wait on each other.
LOCK_BUCKETS = 256
_LOCK_CLASS = 0x616B6864  # "akhd"

# The earliest paragraphs under each band key among the articles filed from %(first)s to
# %(last)s: one index-only range of the primary key per band key and bucket, read in key
# order (bucket, band, day, article, position), so LIMIT stops it after `limit` rows.
LOOKUP_SQL = (
    "SELECT k.band_key, c.article_id, c.position, c.day FROM unnest(%(bands)s::bigint[]) AS k(band_key)"
    " CROSS JOIN LATERAL (SELECT b.article_id, b.position, b.day FROM akhbar.paragraph_bands b"
    "  WHERE b.bucket = ANY(ARRAY(SELECT generate_series(akhbar.band_bucket(%(first)s::date),"
    "                                                    akhbar.band_bucket(%(last)s::date))))"
    "   AND b.band_key = k.band_key AND b.day BETWEEN %(first)s::date AND %(last)s::date"
    "  ORDER BY b.bucket, b.band_key, b.day, b.article_id, b.position LIMIT %(limit)s) c")

# ... with what the engine needs of each candidate, in the same round trip: its text, the
# first occurrence it points at and its story (each candidate once, with its band keys and
# the day it is filed under).
CANDIDATES_SQL = (
    "SELECT h.article_id, h.position, h.bands, h.day, p.text, p.duplicate_of_article, p.duplicate_of_position,"
    "  COALESCE(a.duplicate_of, a.article_id)"
    " FROM (SELECT article_id, position, array_agg(band_key) AS bands, min(day) AS day"
    "       FROM (" + LOOKUP_SQL + ") l"
    "       GROUP BY article_id, position) h"
    " JOIN akhbar.paragraphs p USING (article_id, position) JOIN akhbar.articles a USING (article_id)")


def band_keys_of(text: str) -> tuple[int, ...]:
    """The band keys under which a paragraph is indexed in akhbar.paragraph_bands."""
    return keyed(text)[1]


def lock_bands(cur, bands) -> None:
    """Take, in ascending order, the advisory locks of every bucket the batch's band keys fall in."""
    buckets = {k % LOCK_BUCKETS for k in bands}
    if buckets:  # one statement, the locks taken in ascending order
        cur.execute("SELECT count(pg_advisory_xact_lock(%s, b))"
                    " FROM (SELECT unnest(%s::int[]) AS b ORDER BY 1) ordered",
                    (_LOCK_CLASS, sorted(buckets)))


def outlets(cur) -> dict[int, str]:
    """feed_id → outlet: the key under which an outlet's lines are counted."""
    cur.execute("SELECT feed_id, outlet FROM akhbar.feeds")
    return dict(cur.fetchall())


class PgStore:
    """The engine's store over the warehouse, within the load's transaction (`cur`)."""

    def __init__(self, cur) -> None:
        self.cur = cur
        self._known: dict[str | None, set[int]] = {}
        self._today: date | None = None

    def boilerplate_lines(self, outlet: str | None, lines: set[int]) -> set[int]:
        if not lines:
            return set()
        self.cur.execute(
            "SELECT line_key, stories, first_day, last_day, length FROM akhbar.outlet_lines"
            " WHERE outlet = %s AND line_key = ANY(%s)", (outlet, sorted(lines)))
        known = {k for k, n, first, last, length in self.cur.fetchall()
                 if boilerplate.is_boilerplate_count(n, first, last, length)}
        self._known[outlet] = known
        return known

    @property
    def today(self) -> date:
        """The day undated articles are filed under (dedup.filed_day): the database's."""
        if self._today is None:
            self.cur.execute("SELECT current_date")
            self._today = self.cur.fetchone()[0]
        return self._today

    def candidates(self, bands: set[int], day: date | None) -> dict[int, list[Candidate]]:
        return {band: [c for _, c in found] for band, found in self.dated_candidates(bands, day).items()}

    def dated_candidates(self, bands: set[int], day: date | None) -> dict[int, list[tuple[date, Candidate]]]:
        """`candidates`, each with the day it is filed under (what orders a band's postings,
        for a store that adds postings of its own: load/batch_store.py)."""
        if not bands:
            return {}
        first, last = lookback(day, self.today)
        self.cur.execute(CANDIDATES_SQL, {"bands": sorted(bands), "first": first, "last": last,
                                          "limit": CANDIDATES_PER_BAND})
        out: dict[int, list[tuple[date, Candidate]]] = {}
        for a, p, under, filed, text, da, dp, story in self.cur.fetchall():
            cand = Candidate((a, p), text, (da, dp) if da is not None else None, story)
            for band in under:
                out.setdefault(band, []).append((filed, cand))
        return out

    def story_texts(self, articles: set) -> dict[int, tuple]:
        if not articles:
            return {}
        self.cur.execute(
            "SELECT a.article_id, a.published_at, p.text FROM akhbar.articles a"
            " JOIN akhbar.paragraphs p USING (article_id) WHERE a.article_id = ANY(%s)"
            " AND NOT p.is_boilerplate AND (p.duplicate_of_article IS DISTINCT FROM p.article_id)"
            " ORDER BY a.article_id, p.position", (sorted(articles),))
        out: dict[int, tuple] = {}
        for a, published, text in self.cur.fetchall():
            out.setdefault(a, (day_of(published), []))[1].append(text)
        return out

    def record(self, article_id: int, rec: ArticleRecord, match: Match) -> None:
        cur = self.cur
        filed = filed_day(rec.day, self.today)
        bands = [(k, filed, article_id, p.position) for p in rec.paragraphs if not p.is_boilerplate
                 for k in set(p.bands)]
        if bands:
            execute_values(cur, "INSERT INTO akhbar.paragraph_bands (band_key, day, article_id, position)"
                                " VALUES %s ON CONFLICT DO NOTHING", bands)
        known = self._known.get(rec.outlet, set())
        # where each line that may still become boilerplate stands (never the lede: the
        # engine's may_be_boilerplate), so that its earlier copies are marked when it does
        lines = [(p.line, article_id, p.position) for p in rec.paragraphs
                 if p.line not in known and boilerplate.may_be_boilerplate(p.position)]
        if lines:
            execute_values(cur, "INSERT INTO akhbar.paragraph_lines (line_key, article_id, position)"
                                " VALUES %s ON CONFLICT DO NOTHING", lines)
        if match.republished_of is not None or not rec.paragraphs:
            return  # a republication is the same story: its lines are counted once
        rows = execute_values(
            cur,
            "INSERT INTO akhbar.outlet_lines AS o (outlet, line_key, stories, first_day, last_day, length)"
            " VALUES %s ON CONFLICT (outlet, line_key) DO UPDATE SET stories = o.stories + 1,"
            "  first_day = LEAST(o.first_day, EXCLUDED.first_day),"
            "  last_day = GREATEST(o.last_day, EXCLUDED.last_day)"
            " RETURNING line_key, stories, first_day, last_day, length",
            sorted({(rec.outlet, k, 1, rec.day, rec.day, n) for k, n in rec.lines()}),
            template="(%s, %s, %s, %s::date, %s::date, %s)", fetch=True)
        now_boilerplate = [k for k, n, first, last, length in rows if k not in known
                           and boilerplate.is_boilerplate_count(n, first, last, length)]
        if now_boilerplate:
            cur.execute(
                "UPDATE akhbar.paragraphs p SET is_boilerplate = true"
                " FROM akhbar.paragraph_lines l, akhbar.articles a, akhbar.feeds f"
                " WHERE l.line_key = ANY(%s) AND p.article_id = l.article_id AND p.position = l.position"
                "  AND a.article_id = l.article_id AND f.feed_id = a.feed_id AND f.outlet = %s"
                "  AND NOT p.is_boilerplate",
                (now_boilerplate, rec.outlet))


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

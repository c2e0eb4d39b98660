"""The dedup engine's PostgreSQL store (transform/dedup.py's `DedupStore`): which earlier
paragraphs a new one may repeat, found through indexed LSH band keys rather than a scan,
and per-outlet line counts that teach the warehouse each outlet's boilerplate. Every rule
(bands, near-copies, the republication share, the boilerplate bar) is the engine's; this
module only reads and writes the tables.

Each non-boilerplate paragraph's band keys (textkeys.band_keys) are rows of
akhbar.paragraph_bands (btree on band_key). Lookup reads at most CANDIDATES_PER_BAND
earliest rows per band key: its cost does not grow with the warehouse, and boilerplate (the
one kind of line that recurs without bound) is neither looked up nor indexed once known.

Who is first is settled in the database: a load takes transaction-scoped advisory locks on
the buckets of all its band keys, in ascending order, before it looks anything up, so two
loads holding the same text serialize and the second sees the first's rows.
"""
from __future__ import annotations

from psycopg2.extras import execute_values

from akhbar.transform import boilerplate
from akhbar.transform.dedup import CANDIDATES_PER_BAND, ArticleRecord, Candidate, Match, day_of
from akhbar.transform.textkeys import keyed

# Lock space for "who is first": 256 buckets keep a batch's locks few (the server's lock
# table is shared) while unrelated small loads rarely wait on each other.
LOCK_BUCKETS = 256
_LOCK_CLASS = 0x616B6864  # "akhd"

# The earliest paragraphs under each band key; the btree on (band_key, article_id, position)
# answers it with one short index range per key.
LOOKUP_SQL = (
    "SELECT k.band_key, c.article_id, c.position FROM unnest(%s::bigint[]) AS k(band_key)"
    " CROSS JOIN LATERAL (SELECT b.article_id, b.position FROM akhbar.paragraph_bands b"
    "  WHERE b.band_key = k.band_key ORDER BY b.article_id, b.position LIMIT %s) c")


def band_keys_of(text: str) -> tuple[int, ...]:
    """The band keys under which a paragraph is indexed in akhbar.paragraph_bands."""
    return keyed(text)[1]


def lock_batch(cur, paragraph_texts: list[str]) -> None:
    """Take, in ascending order, the advisory locks of every bucket the batch's bands fall in."""
    lock_bands(cur, {k for text in paragraph_texts for k in keyed(text)[1]})


def lock_bands(cur, bands) -> None:
    """`lock_batch` for band keys the caller has computed already."""
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

    def candidates(self, bands: set[int]) -> dict[int, list[Candidate]]:
        if not bands:
            return {}
        self.cur.execute(LOOKUP_SQL, (sorted(bands), CANDIDATES_PER_BAND))
        rows = self.cur.fetchall()
        refs = sorted({(a, p) for _, a, p in rows})
        if not refs:
            return {}
        self.cur.execute(
            "SELECT p.article_id, p.position, p.text, p.duplicate_of_article, p.duplicate_of_position,"
            "  COALESCE(a.duplicate_of, a.article_id)"
            " FROM akhbar.paragraphs p JOIN unnest(%s::bigint[], %s::int[]) AS c(article_id, position)"
            " USING (article_id, position) JOIN akhbar.articles a USING (article_id)",
            ([a for a, _ in refs], [p for _, p in refs]))
        found = {(a, p): Candidate((a, p), text, (da, dp) if da is not None else None, story)
                 for a, p, text, da, dp, story in self.cur.fetchall()}
        out: dict[int, list[Candidate]] = {}
        for band, a, p in rows:
            if (a, p) in found:
                out.setdefault(band, []).append(found[(a, p)])
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
        bands = [(k, article_id, p.position) for p in rec.paragraphs if not p.is_boilerplate
                 for k in set(p.bands)]
        if bands:
            execute_values(cur, "INSERT INTO akhbar.paragraph_bands (band_key, article_id, position)"
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

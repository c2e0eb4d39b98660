"""The dedup engine's store for a batch load (transform/dedup.py's `DedupStore`): what the
warehouse holds for the batch, read up front with a few set-based statements, and the
batch's own earlier articles, in memory. It answers every question as load/dedup_index.py's
PgStore would have answered it had each earlier article of the batch been written already,
and collects what the batch writes (paragraphs, band postings, line positions, line
counts, the lines that became boilerplate) for one statement per table (load/bulk.py).

Within a batch, the warehouse's rows change only by the batch's own writes: the band locks
(dedup_index.lock_bands) keep out any load that shares a band, and what re-roots a story
or refreshes an article is loaded on its own (load/single.py), after the batch's earlier
articles are written and before the rest is read again.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from akhbar.load.dedup_index import PgStore
from akhbar.transform import boilerplate
from akhbar.transform.dedup import (
    CANDIDATES_PER_BAND, ArticleRecord, Candidate, Match, ParagraphRecord, day_of, filed_day, lookback,
)
from akhbar.transform.textkeys import key_fingerprint


def pointer(article_id: int, para: ParagraphRecord, match: Match) -> tuple | None:
    """The (article, position) a paragraph's row points at: its first occurrence within the
    article (the transform's mark), else in an earlier article (the engine's match)."""
    if para.duplicate_of is not None:
        return article_id, para.duplicate_of
    return match.earlier.get(para.position)


@dataclass(eq=False)
class _Para:
    """A paragraph as story texts and boilerplate marks see it."""
    article_id: int
    position: int
    text: str
    is_boilerplate: bool
    own_repeat: bool  # a repeat within its article: no part of its story's text


@dataclass
class _Article:
    published: object  # as the warehouse returns published_at
    paragraphs: list[_Para] = field(default_factory=list)


@dataclass
class _Line:
    """A row of akhbar.outlet_lines."""
    stories: int
    first_day: date | None
    last_day: date | None
    length: int

    def count(self, day: date | None) -> None:
        # LEAST and GREATEST of PostgreSQL, which pass over NULL
        self.stories += 1
        self.first_day = min((d for d in (self.first_day, day) if d is not None), default=None)
        self.last_day = max((d for d in (self.last_day, day) if d is not None), default=None)

    def is_boilerplate(self) -> bool:
        return boilerplate.is_boilerplate_count(self.stories, self.first_day, self.last_day, self.length)


class BatchStore:
    """The engine's store over a prefetch of the warehouse and the batch's own articles."""

    def __init__(self, cur, bands_by_day: dict[date | None, set[int]], lines: set[tuple[str, int]]) -> None:
        """`bands_by_day`: the band keys of the batch's articles, by the articles' days."""
        self._pg = PgStore(cur)
        self._today = self._pg.today
        # the same lookup as PgStore's, once per look-back window the batch's articles need
        # (an undated article's window is that of the day it is filed under)
        wanted: dict[date, set[int]] = defaultdict(set)
        for day, bands in bands_by_day.items():
            wanted[filed_day(day, self._today)] |= bands
        self._warehouse = {filed: self._pg.dated_candidates(bands, filed) for filed, bands in wanted.items()}
        self._lines = _outlet_lines(cur, lines)
        self._articles: dict[int, _Article] = {}
        self._positions: dict[tuple[str, int], list[_Para]] = defaultdict(list)  # paragraph_lines
        everything = [c for by_band in self._warehouse.values() for dated in by_band.values() for _, c in dated]
        self._stories = _read_articles(cur, everything, self._articles, self._positions)
        self._postings: dict[int, list[tuple[date, Candidate]]] = defaultdict(list)
        self._known: dict[str | None, set[int]] = {}
        self._counted: dict[tuple[str, int], _Line] = {}  # this batch's increments
        self.paragraphs: list[tuple] = []
        self.bands: list[tuple] = []
        self.positions: list[tuple] = []
        self.crossed: set[tuple[str, int]] = set()

    # --- what the writer tells it --------------------------------------------------------
    def admit(self, article_id: int, published, story_id: int) -> None:
        """An article about to be recorded: its published_at as the warehouse returns it, its story."""
        self._stories[article_id] = (published, story_id)

    def story(self, article_id: int) -> tuple:
        """(published_at, story_id) of an article of the batch or of a candidate's story."""
        return self._stories[article_id]

    # --- the DedupStore protocol ---------------------------------------------------------
    def boilerplate_lines(self, outlet: str | None, lines: set[int]) -> set[int]:
        if not lines:
            return set()
        known = {k for k in lines if (line := self._lines.get((outlet, k))) and line.is_boilerplate()}
        self._known[outlet] = known
        return known

    def candidates(self, bands: set[int], day: date | None) -> dict[int, list[Candidate]]:
        warehouse = self._warehouse[filed_day(day, self._today)]  # every article's day was prefetched
        first, last = lookback(day, self._today)
        out = {}
        for k in bands:
            found = warehouse.get(k, []) + [(d, c) for d, c in self._postings.get(k, ()) if first <= d <= last]
            if found:  # PgStore's order: by day, then article and position
                out[k] = [c for _, c in sorted(found, key=lambda dc: (dc[0], dc[1].ref))[:CANDIDATES_PER_BAND]]
        return out

    def story_texts(self, articles: set) -> dict[int, tuple]:
        out = {}
        for a in articles:
            article = self._articles.get(a)
            texts = [p.text for p in article.paragraphs if not p.is_boilerplate and not p.own_repeat] if article else []
            if texts:
                out[a] = (day_of(article.published), texts)
        return out

    def record(self, article_id: int, rec: ArticleRecord, match: Match) -> None:
        story = article_id if match.republished_of is None else match.republished_of
        article = self._articles[article_id] = _Article(self._stories[article_id][0])
        known = self._known.get(rec.outlet, set())
        filed = filed_day(rec.day, self._today)
        for p in rec.paragraphs:
            ref = pointer(article_id, p, match)
            para = _Para(article_id, p.position, p.text, p.is_boilerplate, ref is not None and ref[0] == article_id)
            article.paragraphs.append(para)
            self.paragraphs.append((para, key_fingerprint(p.key), ref))
            if not p.is_boilerplate:
                candidate = Candidate((article_id, p.position), p.text, ref, story)
                for k in set(p.bands):
                    self.bands.append((k, filed, article_id, p.position))
                    self._postings[k].append((filed, candidate))
            if p.line not in known and boilerplate.may_be_boilerplate(p.position):
                self.positions.append((p.line, article_id, p.position))
                self._positions[(rec.outlet, p.line)].append(para)
        if match.republished_of is None and rec.paragraphs:
            self._count(rec, known)

    def _count(self, rec: ArticleRecord, known: set[int]) -> None:
        """Count the article's lines for its outlet (a new story); mark the lines that cross
        the bar wherever they stand (akhbar.paragraph_lines)."""
        for k, n in sorted(set(rec.lines())):
            pair = (rec.outlet, k)
            for counts in (self._lines, self._counted):  # the line's total, and this batch's increment
                if pair in counts:
                    counts[pair].count(rec.day)
                else:
                    counts[pair] = _Line(1, rec.day, rec.day, n)
            line = self._lines[pair]
            if k not in known and line.is_boilerplate():
                self.crossed.add(pair)
                for para in self._positions.get(pair, ()):
                    para.is_boilerplate = True

    # --- what the batch writes -----------------------------------------------------------
    def paragraph_rows(self) -> list[tuple]:
        """akhbar.paragraphs rows, with the marks as the batch left them."""
        return [(para.article_id, para.position, para.text, fp, para.is_boilerplate,
                 ref[0] if ref else None, ref[1] if ref else None) for para, fp, ref in self.paragraphs]

    def line_counts(self) -> list[tuple]:
        """(outlet, line, stories, first_day, last_day, length) increments of akhbar.outlet_lines."""
        return [(outlet, k, c.stories, c.first_day, c.last_day, c.length)
                for (outlet, k), c in sorted(self._counted.items())]


def _outlet_lines(cur, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], _Line]:
    if not pairs:
        return {}
    outlets, keys = zip(*sorted(pairs))
    cur.execute(
        "SELECT o.outlet, o.line_key, o.stories, o.first_day, o.last_day, o.length FROM akhbar.outlet_lines o"
        " JOIN unnest(%s::text[], %s::bigint[]) AS l(outlet, line_key) USING (outlet, line_key)",
        (list(outlets), list(keys)))
    return {(outlet, k): _Line(n, first, last, length) for outlet, k, n, first, last, length in cur.fetchall()}


def _read_articles(cur, candidates: list[Candidate], articles: dict[int, _Article],
                   positions: dict[tuple[str, int], list[_Para]]) -> dict[int, object]:
    """Fill `articles` with the story texts of the candidates' articles (and `positions`
    with where their lines stand, for the marks the batch may add); return (published_at,
    story_id) of the candidates' stories (what a republication of them is inserted with)."""
    ids = sorted({c.ref[0] for c in candidates})
    stories = sorted({c.story for c in candidates})
    if not ids:
        return {}
    cur.execute(
        "SELECT a.article_id, a.published_at, f.outlet, p.position, p.text, l.line_key"
        " FROM akhbar.articles a JOIN akhbar.feeds f USING (feed_id)"
        " JOIN akhbar.paragraphs p USING (article_id)"
        " LEFT JOIN akhbar.paragraph_lines l ON l.article_id = p.article_id AND l.position = p.position"
        " WHERE a.article_id = ANY(%s) AND NOT p.is_boilerplate"
        "  AND p.duplicate_of_article IS DISTINCT FROM p.article_id"
        " ORDER BY a.article_id, p.position", (ids,))
    last = None
    for a, published, outlet, position, text, line in cur.fetchall():
        article = articles.setdefault(a, _Article(published))
        if last is None or (last.article_id, last.position) != (a, position):
            last = _Para(a, position, text, False, False)
            article.paragraphs.append(last)
        if line is not None:
            positions[(outlet, line)].append(last)
    cur.execute("SELECT article_id, published_at, story_id FROM akhbar.articles WHERE article_id = ANY(%s)",
                (stories,))
    return {a: (published, story) for a, published, story in cur.fetchall()}

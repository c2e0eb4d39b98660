"""The warehouse writer: merges a run's transformed articles into the normalized tables.

One transaction per batch; every insert is keyed on a natural key (article URL, paragraph
position, ordinal) so that loading the same items again changes nothing.

Set-based: the dedup engine decides each article in order, in memory, against one prefetch
of the warehouse and the batch's own earlier articles (load/batch_store.py); the batch's
rows then go in with one COPY and one INSERT … SELECT … ON CONFLICT per table
(load/bulk.py). A refresh, or an original loaded after its copy, is loaded on its own
(load/single.py) between the runs of new articles around it.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
from dataclasses import dataclass

import psycopg2.extensions

from akhbar.extract.addresses import redact_url
from akhbar.load import bulk, dedup_index, versions
from akhbar.load.batch_store import BatchStore, pointer
from akhbar.load.facts import Facts
from akhbar.load.single import load_one
from akhbar.load.staging import StagedArticle
from akhbar.transform import dedup
from akhbar.transform.textkeys import key_fingerprint


@dataclass
class LoadCounts:
    articles_new: int = 0
    articles_duplicate: int = 0
    paragraphs_duplicate: int = 0
    events: int = 0
    articles_refreshed: int = 0

    def __iadd__(self, other: "LoadCounts") -> "LoadCounts":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def body_fingerprint(paragraph_prints: list[str]) -> str:
    return hashlib.sha1("\n".join(paragraph_prints).encode()).hexdigest()


@dataclass
class ArticleRow:
    """A staged article as the load carries it: its engine record (keys computed once),
    its fingerprints, the transform's marks and where the warehouse has it."""
    article: StagedArticle
    run_id: str
    rec: dedup.ArticleRecord
    marks: list[bool]  # the transform's is_boilerplate, per paragraph
    prints: list[str]
    body_print: str
    existing: tuple[int, str] | None = None  # (article_id, loaded fingerprint)
    article_id: int | None = None  # reserved for a new article
    published: object = None  # published_at as the warehouse returns it
    feed_id: int | None = None

    @classmethod
    def of(cls, article: StagedArticle, run_id: str) -> "ArticleRow":
        paragraphs = (article.result or {}).get("paragraphs") or []
        rec = dedup.article_record(None, article.published, [p["text"] for p in paragraphs],
                                   [p.get("duplicate_of") for p in paragraphs])
        prints = [key_fingerprint(p.key) for p in rec.paragraphs]
        return cls(article, run_id, rec, [bool(p.get("is_boilerplate")) for p in paragraphs],
                   prints, body_fingerprint(prints))

    def reset_marks(self) -> None:
        """The transform's marks, before the engine adds the warehouse's."""
        for p, mark in zip(self.rec.paragraphs, self.marks):
            p.is_boilerplate = mark

    @property
    def refresh(self) -> bool:
        return self.existing is not None and self.existing[1] != self.body_print

    def fields(self) -> dict:
        a, agreements = self.article, (self.article.result or {}).get("agreements") or {}
        return {"url": a.url, "feed_id": self.feed_id, "run_id": self.run_id, "title": a.title,
                "published": a.published, "fetched": a.fetched_at, "fp": self.body_print,
                "count": agreements.get("count"), "sectors": sorted(agreements.get("sectors") or []),
                "link": redact_url(a.link or a.url),  # no credential is stored
                "updated": a.updated, "item_hash": a.item_hash, "brief": a.is_brief}

    def values(self, story_id: int, duplicate_of: int | None) -> tuple:
        """The row of pg_temp.load_articles."""
        f = self.fields()
        return (self.article_id, f["url"], f["feed_id"], f["run_id"], f["title"], f["published"],
                f["fetched"], f["fp"], story_id, duplicate_of, f["count"], f["sectors"], f["link"],
                f["updated"], f["item_hash"], f["brief"])


def load_articles(conn: psycopg2.extensions.connection, run_id: str,
                  articles: list[StagedArticle], feed_ids: dict[str, int]) -> LoadCounts:
    """Merge transformed articles, earliest first, in one transaction; return what was new.

    An article whose URL is already loaded is a refresh: when its text changed, the old
    text moves to article_versions and its paragraphs and facts are replaced. Two loads
    running at once cannot both claim a text first: each holds the advisory locks of its
    batch's near-duplicate buckets (identical texts share them) until it commits."""
    with _no_cyclic_gc():
        return _load(conn, run_id, articles, feed_ids)


@contextlib.contextmanager
def _no_cyclic_gc():
    """A batch allocates some 10^5 small objects that form no cycle (records, rows, tuples);
    the cyclic collector would rescan every live object of the process again and again
    meanwhile (a fifth of the load's CPU on the benchmark). Reference counting still frees
    them; the collector's previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(conn, run_id: str, articles: list[StagedArticle], feed_ids: dict[str, int]) -> LoadCounts:
    rows = [ArticleRow.of(a, run_id) for a in articles]
    with conn.cursor() as cur:
        dedup_index.lock_bands(cur, {k for r in rows for p in r.rec.paragraphs for k in p.bands})
        loaded = versions.loaded(cur, [a.url for a in articles])
        batch = _Batch(cur, rows, loaded, dedup_index.outlets(cur), feed_ids)
        start = 0
        while start < len(rows):
            start = batch.load_run(start)
            if start < len(rows):
                batch.load_alone(rows[start])
                start += 1
        batch.facts.insert(cur)
    return batch.counts


class _Batch:
    """One call of load_articles: runs of articles loaded set-based, and the few loaded alone."""

    def __init__(self, cur, rows: list[ArticleRow], loaded: dict, outlets: dict, feed_ids: dict) -> None:
        self.cur, self.rows, self.outlets, self.feed_ids = cur, rows, outlets, feed_ids
        self.counts, self.facts = LoadCounts(), Facts()
        self.claimed: set[str] = set()  # URLs this load inserted, or found inserted by another
        for r in rows:
            r.existing = loaded.get(r.article.url)
        new = [r for r in rows if r.existing is None]
        # ids in the batch's order, as inserting one by one gave them
        cur.execute("SELECT nextval('akhbar.articles_article_id_seq') FROM generate_series(1, %s)", (len(new),))
        for r, (article_id,) in zip(new, cur.fetchall()):
            r.article_id = article_id
        # published_at as the warehouse returns it (the session's time zone): story texts'
        # days and re-rooting are decided by it
        cur.execute("SELECT unnest(%s::timestamptz[])", ([r.article.published for r in rows],))
        for r, (published,) in zip(rows, cur.fetchall()):
            r.published = published
        bulk.create_tables(cur)

    def load_alone(self, row: ArticleRow) -> None:
        row.feed_id = self.feed_ids[row.article.feed]
        row.rec.outlet = self.outlets[row.feed_id]
        row.reset_marks()
        done = load_one(self.cur, row)
        self.claimed.add(row.article.url)
        if done.article_id is None:
            return
        self.counts.articles_new += done.new
        self.counts.articles_duplicate += done.duplicate
        self.counts.articles_refreshed += row.refresh
        self.counts.paragraphs_duplicate += done.paragraphs_duplicate
        self.counts.events += self.facts.add(done.article_id, row.article.result or {})

    def load_run(self, start: int) -> int:
        """Load rows from `start` set-based, up to the next refresh or the next article that
        re-roots a story; return its index (len(rows) when none)."""
        end = next((j for j in range(start, len(self.rows)) if self.rows[j].refresh), len(self.rows))
        if start == end:
            return start
        skip: set[str] = set()
        self.cur.execute("SAVEPOINT load_run")
        while True:
            run = _Run(self, self.rows[start:end], skip)
            stop = start + run.resolve()
            taken = run.write()
            if not taken:
                break
            # a concurrent load inserted some of these URLs since we looked: without them,
            # as one by one would have skipped them
            self.cur.execute("ROLLBACK TO SAVEPOINT load_run")
            skip |= taken
        self.cur.execute("RELEASE SAVEPOINT load_run")
        self.counts += run.counts
        self.facts.extend(run.facts)
        self.claimed |= set(run.urls) | skip
        return stop


class _Run:
    """Consecutive articles decided in memory against one prefetch, then written set-based."""

    def __init__(self, batch: _Batch, rows: list[ArticleRow], skip: set[str]) -> None:
        self.batch, self.rows, self.skip = batch, rows, skip
        known = [r for r in rows if r.existing is None and r.article.feed in batch.feed_ids]
        bands_by_day: dict = {}
        for r in known:
            bands_by_day.setdefault(r.rec.day, set()).update(k for p in r.rec.paragraphs for k in p.bands)
        self.store = BatchStore(
            batch.cur, bands_by_day,
            {(batch.outlets[batch.feed_ids[r.article.feed]], p.line) for r in known for p in r.rec.paragraphs})
        self.counts, self.facts = LoadCounts(), Facts()
        self.ids: set[int] = set()  # this run's articles
        self.articles: list[tuple] = []
        self.urls: dict[str, bool] = {}  # URL → a republication of an article of this run
        self.remembered: dict[int, tuple] = {}

    def resolve(self) -> int:
        """Decide the rows in order; return how many were decided before one that must be
        loaded alone (a re-rooting)."""
        for n, row in enumerate(self.rows):
            if row.existing is not None:  # unchanged: note what the feed said, so it is not fetched again
                self.remembered[row.existing[0]] = (row.existing[0], row.article.updated, row.article.item_hash)
                continue
            if not self._decide(row):
                return n
        return len(self.rows)

    def _decide(self, row: ArticleRow) -> bool:
        row.feed_id = self.batch.feed_ids[row.article.feed]
        row.rec.outlet = self.batch.outlets[row.feed_id]
        url = row.article.url
        if url in self.batch.claimed or url in self.urls or url in self.skip:
            return True  # loaded already, by this load or a concurrent one
        row.reset_marks()
        dedup.mark_boilerplate(self.store, row.rec, keep=True)
        match = dedup.match_article(self.store, row.rec)
        original = match.republished_of
        if original is not None:
            published, story_id = self.store.story(original)
            if row.article.published is not None and published is not None and row.article.published < published:
                return False  # loaded after its copy: load_alone makes it the story's first
        else:
            story_id = row.article_id
        self.store.admit(row.article_id, row.published, story_id)
        self.store.record(row.article_id, row.rec, match)
        self.articles.append(row.values(story_id, original))
        self.urls[url] = original in self.ids
        self.ids.add(row.article_id)
        self.counts.articles_new += 1
        self.counts.articles_duplicate += original is not None
        self.counts.paragraphs_duplicate += sum(
            1 for p in row.rec.paragraphs if pointer(row.article_id, p, match) and not p.is_boilerplate)
        self.counts.events += self.facts.add(row.article_id, row.article.result or {})
        return True

    def write(self) -> set[str]:
        """Write the run's rows; return the URLs a concurrent load inserted first (nothing
        else is written then)."""
        cur, store = self.batch.cur, self.store
        if bulk.copy_rows(cur, "load_articles", self.articles):
            for republications in (False, True):
                cur.execute(bulk.INSERT_ARTICLES, (republications,))
                expected = {url for url, later in self.urls.items() if later == republications}
                taken = expected - {url for (url,) in cur.fetchall()}
                if taken:
                    return taken
        for table, rows, statement in (
                ("load_paragraphs", store.paragraph_rows(), bulk.INSERT_PARAGRAPHS),
                ("load_bands", store.bands, bulk.INSERT_BANDS),
                ("load_positions", store.positions, bulk.INSERT_POSITIONS),
                ("load_lines", store.line_counts(), bulk.COUNT_LINES),
                ("load_items", self.remembered.values(), bulk.REMEMBER_ITEMS)):
            if bulk.copy_rows(cur, table, rows):
                cur.execute(statement)
        if store.crossed:
            outlets, keys = zip(*sorted(store.crossed))
            cur.execute(bulk.MARK_BOILERPLATE, (list(outlets), list(keys)))
        return set()

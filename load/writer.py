"""The warehouse writer: merges a run's transformed articles into the normalized tables.

One transaction per batch; every insert is keyed on a natural key (article URL, paragraph
position, ordinal) so that loading the same items again changes nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import psycopg2.extensions
from psycopg2.extras import execute_values

from akhbar.extract.addresses import redact_url
from akhbar.load import dedup_index, versions
from akhbar.load.staging import StagedArticle
from akhbar.transform import dedup
from akhbar.transform.textkeys import paragraph_fingerprint


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


def _insert_article(cur, article: StagedArticle, feed_id: int, run_id: str, doc: dict,
                    body_print: str, duplicate_of: int | None) -> int | None:
    cur.execute(
        "INSERT INTO akhbar.articles (article_id, url, feed_id, run_id, title, published_at,"
        " fetched_at, body_fingerprint, story_id, duplicate_of, agreements_count, sectors,"
        " link, item_updated_at, item_hash, is_brief)"
        " SELECT n.id, %(url)s, %(feed_id)s, %(run_id)s, %(title)s, %(published)s, %(fetched)s,"
        "  %(fp)s, COALESCE((SELECT story_id FROM akhbar.articles WHERE article_id = %(dup)s), n.id),"
        "  %(dup)s, %(count)s, %(sectors)s, %(link)s, %(updated)s, %(item_hash)s, %(brief)s"
        " FROM (SELECT nextval('akhbar.articles_article_id_seq') AS id) n"
        " ON CONFLICT (md5(url)) DO NOTHING RETURNING article_id",
        {**_article_fields(article, doc, body_print), "feed_id": feed_id, "run_id": run_id,
         "dup": duplicate_of},
    )
    row = cur.fetchone()
    return row[0] if row else None


def _article_fields(article: StagedArticle, doc: dict, body_print: str) -> dict:
    agreements = doc.get("agreements") or {}
    return {"url": article.url, "title": article.title, "published": article.published,
            "fetched": article.fetched_at, "fp": body_print, "count": agreements.get("count"),
            "sectors": sorted(agreements.get("sectors") or []),
            "link": redact_url(article.link or article.url),  # no credential is stored
            "updated": article.updated, "item_hash": article.item_hash, "brief": article.is_brief}


def _refresh_article(cur, article_id: int, article: StagedArticle, doc: dict, body_print: str) -> None:
    cur.execute(
        "UPDATE akhbar.articles SET title = %(title)s, published_at = %(published)s,"
        " fetched_at = %(fetched)s, body_fingerprint = %(fp)s, agreements_count = %(count)s,"
        " sectors = %(sectors)s, link = %(link)s, item_updated_at = %(updated)s,"
        " item_hash = %(item_hash)s, is_brief = %(brief)s, version = version + 1, refreshed_at = now()"
        " WHERE article_id = %(id)s",
        {**_article_fields(article, doc, body_print), "id": article_id},
    )


def _remember_item(cur, article_id: int, article: StagedArticle) -> None:
    """The page did not change: note what the feed said, so it is not fetched again."""
    cur.execute("UPDATE akhbar.articles SET item_updated_at = %s, item_hash = %s WHERE article_id = %s",
                (article.updated, article.item_hash, article_id))


def _insert_paragraphs(cur, article_id: int, rec: dedup.ArticleRecord, prints: list[str],
                       match: dedup.Match) -> int:
    """The engine's marks, as they are: the transform's repeats within the article, the
    first occurrence in an earlier article, boilerplate."""
    rows, duplicates = [], 0
    for para, fp in zip(rec.paragraphs, prints):
        if para.duplicate_of is not None:
            dup = (article_id, para.duplicate_of)
        else:
            dup = match.earlier.get(para.position, (None, None))
        duplicates += dup[0] is not None and not para.is_boilerplate
        rows.append((article_id, para.position, para.text, fp, para.is_boilerplate, dup[0], dup[1]))
    execute_values(
        cur,
        "INSERT INTO akhbar.paragraphs (article_id, position, text, fingerprint, is_boilerplate,"
        " duplicate_of_article, duplicate_of_position) VALUES %s"
        " ON CONFLICT (article_id, position) DO NOTHING",
        rows,
    )
    return duplicates


@dataclass
class _Facts:
    """What a batch's articles say, inserted with one statement per table at the batch's end
    (facts play no part in deduplication, so nothing in the batch needs them earlier)."""
    countries: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    amounts: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def add(self, article_id: int, doc: dict) -> int:
        self.countries += [(article_id, code) for code in sorted(set(doc.get("countries") or []))]
        self.persons += [(article_id, n, p["name"], p.get("office"), p.get("country"))
                         for n, p in enumerate(doc.get("persons") or []) if p.get("name")]
        self.amounts += [(article_id, n, a["value"], a["currency"], a.get("text") or "")
                         for n, a in enumerate(doc.get("amounts") or [])]
        events = []
        for e in doc.get("events") or []:
            loc = e.get("event_loc") or {}
            for category in e.get("event") or []:
                events.append((article_id, len(events), category, list(e.get("mode") or []),
                               e.get("quad_code"), e.get("date"),
                               sorted({a["code"] for a in e.get("actor") or [] if a.get("code")}),
                               sorted({r["code"] for r in e.get("recipient") or [] if r.get("code")}),
                               loc.get("country"), loc.get("name"), e.get("event_text")))
        self.events += events
        return len(events)

    def insert(self, cur) -> None:
        for sql, rows in (
            ("INSERT INTO akhbar.article_countries VALUES %s ON CONFLICT DO NOTHING", self.countries),
            ("INSERT INTO akhbar.persons (article_id, ordinal, name, office, country_code)"
             " VALUES %s ON CONFLICT DO NOTHING", self.persons),
            ("INSERT INTO akhbar.amounts (article_id, ordinal, value, currency, text)"
             " VALUES %s ON CONFLICT DO NOTHING", self.amounts),
            ("INSERT INTO akhbar.events (article_id, ordinal, category, modes, quad_code, event_date,"
             " actors, recipients, location_country, location_name, evidence) VALUES %s"
             " ON CONFLICT (article_id, ordinal) DO NOTHING", self.events),
        ):
            if rows:
                execute_values(cur, sql, rows, page_size=1000)


def _published_before(cur, published, story: int) -> bool:
    """Was an article published before the first article of `story`?"""
    if published is None:
        return False
    cur.execute("SELECT published_at FROM akhbar.articles WHERE article_id = %s", (story,))
    row = cur.fetchone()
    return bool(row and row[0] is not None and published < row[0])


def _story_articles(cur, story: int) -> set[int]:
    cur.execute("SELECT article_id FROM akhbar.articles WHERE story_id = %s", (story,))
    return {a for (a,) in cur.fetchall()}


def _reroot(cur, articles: set[int], first: int, rec: dedup.ArticleRecord) -> None:
    """Make `first` (published earlier, loaded later) the first article of the story that
    `articles` form: they become its republications, and their paragraphs that copy one of
    its paragraphs point at it (the engine's near-copy rule, as a load in publication order
    would have applied it)."""
    cur.execute("UPDATE akhbar.articles SET duplicate_of = %s, story_id = %s WHERE article_id = ANY(%s)",
                (first, first, sorted(articles)))
    # the story they formed is now `first`'s (akhbar.stories holds one row per story)
    cur.execute("DELETE FROM akhbar.stories s WHERE s.first_article_id = ANY(%s) AND s.story_id <> %s"
                " AND NOT EXISTS (SELECT 1 FROM akhbar.articles a WHERE a.story_id = s.story_id)",
                (sorted(articles), first))
    cur.execute("SELECT article_id, position, text FROM akhbar.paragraphs WHERE article_id = ANY(%s)"
                " AND duplicate_of_article IS NULL AND NOT is_boilerplate ORDER BY article_id, position",
                (sorted(articles),))
    mine = [p for p in rec.paragraphs if not p.is_boilerplate]
    for article_id, position, text in cur.fetchall():
        found = next((p.position for p in mine if dedup.near_duplicate(text, p.text)), None)
        if found is not None:
            cur.execute("UPDATE akhbar.paragraphs SET duplicate_of_article = %s, duplicate_of_position = %s"
                        " WHERE article_id = %s AND position = %s", (first, found, article_id, position))


def load_articles(conn: psycopg2.extensions.connection, run_id: str,
                  articles: list[StagedArticle], feed_ids: dict[str, int]) -> LoadCounts:
    """Merge transformed articles, earliest first, in one transaction; return what was new.

    An article whose URL is already loaded is a refresh: when its text changed, the old
    text moves to article_versions and its paragraphs and facts are replaced. Two loads
    running at once cannot both claim a text first: each holds the advisory locks of its
    batch's near-duplicate buckets (identical texts share them) until it commits."""
    counts, facts = LoadCounts(), _Facts()
    with conn.cursor() as cur:
        dedup_index.lock_batch(cur, [p["text"] for a in articles for p in (a.result or {}).get("paragraphs") or []])
        loaded = versions.loaded(cur, [a.url for a in articles])
        outlets = dedup_index.outlets(cur)
        store = dedup_index.PgStore(cur)
        for article in articles:
            doc = article.result or {}
            paragraphs = doc.get("paragraphs") or []
            prints = [paragraph_fingerprint(p["text"]) for p in paragraphs]
            body_print = body_fingerprint(prints)
            existing = loaded.get(article.url)
            referrers = []
            if existing is not None:
                article_id, loaded_print = existing
                if loaded_print == body_print:
                    _remember_item(cur, article_id, article)
                    continue  # already loaded, by an earlier or a concurrent run
                referrers = versions.archive_and_clear(cur, article_id, run_id)
            feed_id = feed_ids[article.feed]
            rec = dedup.article_record(outlets[feed_id], article.published, [p["text"] for p in paragraphs],
                                       [p.get("duplicate_of") for p in paragraphs])
            for r, p in zip(rec.paragraphs, paragraphs):
                r.is_boilerplate = bool(p.get("is_boilerplate"))
            dedup.mark_boilerplate(store, rec, keep=True)
            match = dedup.match_article(store, rec)
            duplicate_of = None
            later_first = None
            if existing is None:
                duplicate_of = match.republished_of
                if duplicate_of is not None and _published_before(cur, article.published, duplicate_of):
                    # loaded after its copy (overlapping runs split the feeds): it is the
                    # story's first, as a load in publication order would have made it
                    later_first, duplicate_of = _story_articles(cur, duplicate_of), None
                    match.republished_of = None
                    match.earlier = {pos: ref for pos, ref in match.earlier.items() if ref[0] not in later_first}
                article_id = _insert_article(cur, article, feed_id, run_id, doc, body_print, duplicate_of)
                if article_id is None:
                    continue  # a concurrent run inserted it since we looked
                counts.articles_new += 1
                counts.articles_duplicate += duplicate_of is not None
            else:
                _refresh_article(cur, article_id, article, doc, body_print)
                counts.articles_refreshed += 1
            counts.paragraphs_duplicate += _insert_paragraphs(cur, article_id, rec, prints, match)
            if later_first:
                _reroot(cur, later_first, article_id, rec)
            if existing is not None:  # a refresh keeps its story: its lines were counted
                match.republished_of = match.republished_of or article_id
            store.record(article_id, rec, match)
            counts.events += facts.add(article_id, doc)
            versions.repoint(cur, article_id, referrers)
        facts.insert(cur)
    return counts

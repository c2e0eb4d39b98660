"""Staging tables: how tasks hand each other data by key (run id, feed, URL), not via XCom."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

import psycopg2.extensions
from psycopg2.extras import execute_values

from akhbar.load.db import connection



@dataclass(frozen=True)
class StagedItem:
    """A feed item a run will fetch: new, changed since it was loaded, or a quarantine retry.
    `url` is the canonical URL (the article's key), `link` the URL as the feed gave it."""
    feed: str
    url: str
    link: str
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    item_hash: str | None = None
    refresh: bool = False
    retry: bool = False


@dataclass(frozen=True)
class StagedArticle:
    feed: str
    url: str
    title: str | None
    published: datetime | None
    body: str
    fetched_at: datetime
    result: dict | None = None
    link: str | None = None
    updated: datetime | None = None
    item_hash: str | None = None
    is_brief: bool = False


@dataclass(frozen=True)
class LoadedItem:
    """What the warehouse remembers of a loaded article's feed item, to spot changes."""
    updated: datetime | None
    item_hash: str | None


def clear_items(conn: psycopg2.extensions.connection, run_id: str) -> None:
    """Forget the run's fetch plan. Staged articles stay: only a successful load removes
    them (`unstage`), so a failed transform or load costs no fetched article."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM akhbar_staging.items WHERE run_id = %s", (run_id,))


def clear_feed(conn: psycopg2.extensions.connection, run_id: str, feed: str) -> None:
    """Forget the fetch plan of an earlier try of this feed's task, so a retry plans afresh;
    the articles it fetched stay staged (a refetch replaces them)."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM akhbar_staging.items WHERE run_id = %s AND feed = %s", (run_id, feed))


def adopt_leftovers(conn: psycopg2.extensions.connection, run_id: str, stale_after: timedelta) -> int:
    """Take over the staged articles that earlier runs fetched but did not load: those of
    finished runs (their transform or load failed) and of runs still marked running after
    `stale_after` (their process was killed). A concurrent live run keeps its own."""
    orphans = ("SELECT s.run_id, s.url FROM akhbar_staging.articles s LEFT JOIN akhbar.runs r USING (run_id)"
               " WHERE s.run_id <> %(run)s AND (r.run_id IS NULL OR r.status <> 'running'"
               "  OR r.started_at < now() - %(stale)s)")
    params = {"run": run_id, "stale": stale_after}
    with conn.cursor() as cur:
        # the same URL staged by several runs: the newest fetch wins
        cur.execute("DELETE FROM akhbar_staging.articles s USING (" + orphans + ") o"
                    " WHERE s.run_id = o.run_id AND s.url = o.url AND EXISTS ("
                    "  SELECT 1 FROM akhbar_staging.articles n WHERE n.url = s.url AND n.run_id <> s.run_id"
                    "  AND (n.run_id = %(run)s OR n.fetched_at > s.fetched_at))", params)
        cur.execute("UPDATE akhbar_staging.articles s SET run_id = %(run)s FROM (" + orphans + ") o"
                    " WHERE s.run_id = o.run_id AND s.url = o.url", params)
        return cur.rowcount


def unstage(conn: psycopg2.extensions.connection, run_id: str, urls: list[str]) -> None:
    """Remove loaded articles from staging, in the load's own transaction."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM akhbar_staging.articles WHERE run_id = %s AND url = ANY(%s)",
                    (run_id, list(urls)))


def loaded_items(conn: psycopg2.extensions.connection, urls: list[str]) -> dict[str, LoadedItem]:
    """The articles the warehouse holds among these canonical URLs."""
    if not urls:
        return {}
    with conn.cursor() as cur:
        cur.execute("SELECT url, item_updated_at, item_hash FROM akhbar.articles WHERE url = ANY(%s)",
                    (list(urls),))
        return {url: LoadedItem(updated, item_hash) for url, updated, item_hash in cur.fetchall()}


def stage_items(conn: psycopg2.extensions.connection, run_id: str, items: list[StagedItem]) -> int:
    rows = [(run_id, i.feed, i.url, i.link, i.title, i.summary, i.published, i.updated, i.item_hash,
             i.refresh, i.retry) for i in items]
    if not rows:
        return 0
    with conn.cursor() as cur:
        execute_values(
            cur,
            "INSERT INTO akhbar_staging.items (run_id, feed, url, link, title, summary, published,"
            " updated, item_hash, refresh, retry) VALUES %s ON CONFLICT (run_id, md5(url)) DO NOTHING",
            rows,
        )
        return cur.rowcount


def staged_items(conn: psycopg2.extensions.connection, run_id: str, feed: str) -> list[StagedItem]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT feed, url, coalesce(link, url), title, summary, published, updated, item_hash,"
            " refresh, retry FROM akhbar_staging.items"
            " WHERE run_id = %s AND feed = %s ORDER BY published NULLS LAST, url",
            (run_id, feed),
        )
        return [StagedItem(*row) for row in cur.fetchall()]


def stage_article(conn: psycopg2.extensions.connection, run_id: str, article: StagedArticle) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO akhbar_staging.articles"
            " (run_id, feed, url, title, published, body, fetched_at, link, updated, item_hash, is_brief)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (run_id, md5(url)) DO UPDATE SET body = EXCLUDED.body, title = EXCLUDED.title,"
            " published = EXCLUDED.published, fetched_at = EXCLUDED.fetched_at, result = NULL,"
            " link = EXCLUDED.link, updated = EXCLUDED.updated, item_hash = EXCLUDED.item_hash,"
            " is_brief = EXCLUDED.is_brief",
            (run_id, article.feed, article.url, article.title, article.published,
             article.body, article.fetched_at, article.link, article.updated, article.item_hash,
             article.is_brief),
        )


def staged_batches(url: str | None, run_id: str, *, untransformed_only: bool = False,
                   transformed_only: bool = False, batch: int = 200) -> Iterator[list[StagedArticle]]:
    """The run's staged articles, earliest published first (the order 'first seen' follows),
    a batch at a time from a server-side cursor of a connection of their own: a task holds
    one batch in memory, however many feeds the run has, and may write on its own connection
    meanwhile."""
    where = " AND result IS NULL" if untransformed_only else ""
    where += " AND result IS NOT NULL" if transformed_only else ""
    with connection(url) as conn, conn.cursor(name="staged_articles") as cur:
        cur.itersize = batch
        cur.execute(
            "SELECT feed, url, title, published, body, fetched_at, result, link, updated, item_hash,"
            " is_brief FROM akhbar_staging.articles WHERE run_id = %s" + where +
            " ORDER BY published NULLS LAST, url",
            (run_id,),
        )
        while rows := cur.fetchmany(batch):
            yield [StagedArticle(*row) for row in rows]


def store_results(conn: psycopg2.extensions.connection, run_id: str,
                  results: list[tuple[str, dict]]) -> None:
    with conn.cursor() as cur:
        execute_values(
            cur,
            "UPDATE akhbar_staging.articles a SET result = v.result::jsonb"
            " FROM (VALUES %s) AS v(run_id, url, result)"
            " WHERE a.run_id = v.run_id AND a.url = v.url",
            # allow_nan=False: NaN or Infinity is not JSON, and PostgreSQL would refuse the batch
            [(run_id, url, json.dumps(doc, ensure_ascii=False, allow_nan=False)) for url, doc in results],
        )

"""Staging tables: how tasks hand each other data by key (run id, feed, URL), not via XCom."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import psycopg2.extensions
from psycopg2.extras import execute_values

from akhbar.models import FeedItem


@dataclass(frozen=True)
class StagedArticle:
    feed: str
    url: str
    title: str | None
    published: datetime | None
    body: str
    fetched_at: datetime
    result: dict | None = None


def clear_run(conn: psycopg2.extensions.connection, run_id: str) -> None:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM akhbar_staging.items WHERE run_id = %s", (run_id,))
        cur.execute("DELETE FROM akhbar_staging.articles WHERE run_id = %s", (run_id,))


def clear_feed(conn: psycopg2.extensions.connection, run_id: str, feed: str) -> None:
    """Forget what an earlier try of this feed's task staged, so a retry starts clean."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM akhbar_staging.items WHERE run_id = %s AND feed = %s", (run_id, feed))
        cur.execute("DELETE FROM akhbar_staging.articles WHERE run_id = %s AND feed = %s", (run_id, feed))


def unknown_urls(conn: psycopg2.extensions.connection, urls: list[str]) -> set[str]:
    """The URLs the warehouse does not hold yet."""
    if not urls:
        return set()
    with conn.cursor() as cur:
        cur.execute("SELECT url FROM akhbar.articles WHERE url = ANY(%s)", (urls,))
        known = {row[0] for row in cur.fetchall()}
    return set(urls) - known


def stage_items(conn: psycopg2.extensions.connection, run_id: str, items: list[FeedItem]) -> int:
    rows = [(run_id, i.feed, i.url, i.title, i.summary, i.published) for i in items]
    with conn.cursor() as cur:
        execute_values(
            cur,
            "INSERT INTO akhbar_staging.items (run_id, feed, url, title, summary, published)"
            " VALUES %s ON CONFLICT (run_id, url) DO NOTHING",
            rows,
        )
        return cur.rowcount


def staged_items(conn: psycopg2.extensions.connection, run_id: str, feed: str) -> list[FeedItem]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT feed, url, title, summary, published FROM akhbar_staging.items"
            " WHERE run_id = %s AND feed = %s ORDER BY published NULLS LAST, url",
            (run_id, feed),
        )
        return [FeedItem(feed=f, url=u, title=t, summary=s, published=p) for f, u, t, s, p in cur.fetchall()]


def stage_article(conn: psycopg2.extensions.connection, run_id: str, article: StagedArticle) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO akhbar_staging.articles"
            " (run_id, feed, url, title, published, body, fetched_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (run_id, url) DO UPDATE SET body = EXCLUDED.body, title = EXCLUDED.title,"
            " published = EXCLUDED.published, fetched_at = EXCLUDED.fetched_at, result = NULL",
            (run_id, article.feed, article.url, article.title, article.published,
             article.body, article.fetched_at),
        )


def staged_articles(conn: psycopg2.extensions.connection, run_id: str, *,
                    untransformed_only: bool = False) -> list[StagedArticle]:
    """The run's staged articles, earliest published first: the order 'first seen' follows."""
    where = " AND result IS NULL" if untransformed_only else ""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT feed, url, title, published, body, fetched_at, result"
            " FROM akhbar_staging.articles WHERE run_id = %s" + where +
            " ORDER BY published NULLS LAST, url",
            (run_id,),
        )
        return [StagedArticle(*row) for row in cur.fetchall()]


def store_results(conn: psycopg2.extensions.connection, run_id: str,
                  results: list[tuple[str, dict]]) -> None:
    with conn.cursor() as cur:
        execute_values(
            cur,
            "UPDATE akhbar_staging.articles a SET result = v.result::jsonb"
            " FROM (VALUES %s) AS v(run_id, url, result)"
            " WHERE a.run_id = v.run_id AND a.url = v.url",
            [(run_id, url, json.dumps(doc, ensure_ascii=False)) for url, doc in results],
        )


def drop_untransformable(conn: psycopg2.extensions.connection, run_id: str, url: str) -> None:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM akhbar_staging.articles WHERE run_id = %s AND url = %s", (run_id, url))

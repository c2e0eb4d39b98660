"""The pipeline's task functions: what the DAG's tasks and `akhbar run` both execute.

Each function takes the warehouse URL and the run's key, reads its input from the
warehouse (staging tables), writes its output there, and returns a small JSON-able summary.
Nothing here imports Airflow.
"""
from __future__ import annotations

import logging
import time
from dataclasses import asdict
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from akhbar.extract.charset import decode_document
from akhbar.extract.addresses import private_hosts_for
from akhbar.extract.errors import FetchError, NotAnArticle
from akhbar.extract.feeds import parse_feed
from akhbar.extract.http import fetch
from akhbar.extract.pages import extract_page
from akhbar.extract.settings import FetchSettings
from akhbar.load import dedup_index, quality, runs, staging
from akhbar.load.db import connection
from akhbar.load.migrate import prepare_warehouse  # noqa: F401  (a task of its own)
from akhbar.load.quarantine import quarantine, resolve
from akhbar.load.writer import load_articles
from akhbar.models import ArticleInput, FeedConfig, FeedItem
from akhbar.transform.article import transform_article
from akhbar.transform.contract import result_to_dict

log = logging.getLogger("akhbar")


class FeedFailed(RuntimeError):
    """A feed could not be read; its own task fails, the run's other feeds go on."""


def start_run(url: str | None, run_id: str, logical_date: date, feeds: list[FeedConfig]) -> None:
    with connection(url) as conn:
        runs.start(conn, run_id, logical_date, feeds)
        staging.clear_run(conn, run_id)


def _allow_file(feed: FeedConfig, url: str) -> bool:
    """Local files only for a feed the operator listed as a file, and for pages beside it."""
    feed_parts, parts = urlsplit(feed.url), urlsplit(url)
    if feed_parts.scheme != "file" or parts.scheme != "file":
        return False
    return parts.path.startswith(feed_parts.path.rsplit("/", 1)[0] + "/")


def fetch_feed(url: str | None, run_id: str, feed: FeedConfig,
               settings: FetchSettings = FetchSettings()) -> dict:
    """Read one feed and stage the items the warehouse does not hold yet."""
    started = time.monotonic()
    with connection(url) as conn:
        staging.clear_feed(conn, run_id, feed.name)
        conn.commit()
        try:
            response = fetch(feed.url, settings, allow_file=_allow_file(feed, feed.url),
                             private_hosts=private_hosts_for(feed))
            items = parse_feed(response.body, feed, response.url, charset=response.charset)
        except FetchError as exc:
            quarantine(conn, run_id=run_id, feed=feed.name, url=feed.url, stage="feed",
                       reason=str(exc), http_status=exc.status)
            runs.record_feed(conn, run_id, feed.name, status="failed", error=str(exc),
                             seconds=time.monotonic() - started)
            conn.commit()
            raise FeedFailed(f"feed {feed.name}: {exc}") from exc
        new = staging.unknown_urls(conn, [i.url for i in items])
        staged = staging.stage_items(conn, run_id, [i for i in items if i.url in new])
        runs.record_feed(conn, run_id, feed.name, status="ok", items_seen=len(items),
                         items_new=staged, seconds=time.monotonic() - started)
    log.info("feed %s: %d items, %d new", feed.name, len(items), staged)
    return {"feed": feed.name, "items_seen": len(items), "items_new": staged}


def _article_from_page(feed: FeedConfig, item: FeedItem, settings: FetchSettings) -> staging.StagedArticle:
    response = fetch(item.url, settings, allow_file=_allow_file(feed, item.url),
                     private_hosts=private_hosts_for(feed))
    page = extract_page(decode_document(response.body, response.charset), response.url)
    return staging.StagedArticle(
        feed=feed.name, url=item.url, title=item.title or page.title,
        published=item.published or page.published, body="\n\n".join(page.paragraphs),
        fetched_at=datetime.now(timezone.utc))


def _article_from_item(feed: FeedConfig, item: FeedItem) -> staging.StagedArticle:
    return staging.StagedArticle(
        feed=feed.name, url=item.url, title=item.title, published=item.published,
        body=item.summary or "", fetched_at=datetime.now(timezone.utc))


def fetch_articles(url: str | None, run_id: str, feed: FeedConfig,
                   settings: FetchSettings = FetchSettings()) -> dict:
    """Fetch the pages of a feed's staged items; a page that fails is quarantined, not fatal.
    Each page's outcome is committed at once, so a retried task keeps what it had done."""
    ok = failed = 0
    with connection(url) as conn:
        for item in staging.staged_items(conn, run_id, feed.name):
            try:
                article = (_article_from_page(feed, item, settings) if feed.fetch_articles
                           else _article_from_item(feed, item))
                if not article.body.strip():
                    raise NotAnArticle("the item has no text", url=item.url)
            except FetchError as exc:
                failed += 1
                log.warning("page %s quarantined: %s", item.url, exc)
                quarantine(conn, run_id=run_id, feed=feed.name, url=item.url, stage="page",
                           reason=str(exc), http_status=exc.status)
            else:
                ok += 1
                staging.stage_article(conn, run_id, article)
            conn.commit()
        runs.record_pages(conn, run_id, feed.name, ok=ok, failed=failed)
    return {"feed": feed.name, "pages_ok": ok, "pages_failed": failed}


def transform_staged(url: str | None, run_id: str) -> dict:
    """Run the transform over the run's staged articles and stage its results."""
    done = errors = 0
    with connection(url) as conn:
        articles = staging.staged_articles(conn, run_id, untransformed_only=True)
        boilerplate = dedup_index.known_boilerplate(conn)
        results = []
        for a in articles:
            result = transform_article(ArticleInput(
                id=a.url, title=a.title, body=a.body, url=a.url,
                published=a.published.isoformat() if a.published else None),
                boilerplate.get(a.feed, frozenset()))
            if result.error:
                errors += 1
                quarantine(conn, run_id=run_id, feed=a.feed, url=a.url, stage="transform",
                           reason=result.error, payload=a.body.encode("utf-8"))
                staging.drop_untransformable(conn, run_id, a.url)
                continue
            results.append((a.url, result_to_dict(result)))
            done += 1
        staging.store_results(conn, run_id, results)
    return {"transformed": done, "errors": errors}


def load_staged(url: str | None, run_id: str) -> dict:
    """Merge the run's transformed articles into the warehouse in one transaction."""
    with connection(url) as conn:
        articles = [a for a in staging.staged_articles(conn, run_id) if a.result is not None]
        counts = load_articles(conn, run_id, articles, runs.feed_ids(conn))
        resolve(conn, [a.url for a in articles])
    return asdict(counts)


def check_quality(url: str | None, run_id: str) -> list[dict]:
    """Run the data-quality checks; raise DataQualityError when one fails."""
    with connection(url) as conn:
        results = quality.run_checks(conn, run_id)
    quality.raise_on_failure(results)
    return [asdict(r) for r in results]


def finish_run(url: str | None, run_id: str) -> dict:
    with connection(url) as conn:
        summary = runs.finish(conn, run_id)
        staging.clear_run(conn, run_id)
    return summary

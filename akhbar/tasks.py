"""The pipeline's task functions: what the DAG's tasks and `akhbar run` both execute.

Each function takes the warehouse URL and the run's key, reads its input from the
warehouse (staging tables), writes its output there, and returns a small JSON-able summary.
Nothing here imports Airflow.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from akhbar.extract.charset import decode_document
from akhbar.extract.addresses import private_hosts_for
from akhbar.extract.errors import FetchError, NotAnArticle
from akhbar.extract.feeds import parse_feed
from akhbar.extract.http import fetch, make_session
from akhbar.extract.robots import RobotsCache
from akhbar.extract.pages import extract_page
from akhbar.extract.settings import FetchSettings
from akhbar.extract.urls import canonical_url
from akhbar.ingest import item_record, plan_items
from akhbar.config import export_dir, fetch_settings
from akhbar.load.host_budget import SharedHostPacer
from akhbar.load import dedup_index, feed_state, quality, runs, staging, views
from akhbar.load.db import connection
from akhbar.load.metrics import measured
from akhbar.load.migrate import prepare_warehouse  # noqa: F401  (a task of its own)
from akhbar.load.quarantine import pending, quarantine, resolve, resolve_feed
from akhbar.load.writer import LoadCounts, load_articles
from akhbar.models import ArticleInput, FeedConfig
from akhbar.transform.article import transform_article
from akhbar.transform.contract import result_to_dict

log = logging.getLogger("akhbar")


class FeedFailed(RuntimeError):
    """A feed could not be read; its own task fails, the run's other feeds go on.
    `permanent`: asking again in this run cannot help (404, 410, not a feed)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def start_run(url: str | None, run_id: str, logical_date: date, feeds: list[FeedConfig]) -> None:
    with connection(url) as conn:
        runs.start(conn, run_id, logical_date, feeds)
        staging.clear_run(conn, run_id)


def _metered(task: str, items_in, items_out):
    """Record the task's time, item counts (read off its summary) and peak memory."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(url: str | None, run_id: str, *args, **kwargs):
            feed = args[0].name if args and isinstance(args[0], FeedConfig) else ""
            with measured(url, run_id, task, feed) as counts:
                result = fn(url, run_id, *args, **kwargs)
                counts.items_in, counts.items_out = items_in(result), items_out(result)
            return result
        return run
    return wrap


def _allow_file(feed: FeedConfig, url: str) -> bool:
    """Local files only for a feed the operator listed as a file, and for pages beside it."""
    feed_parts, parts = urlsplit(feed.url), urlsplit(url)
    if feed_parts.scheme != "file" or parts.scheme != "file":
        return False
    return parts.path.startswith(feed_parts.path.rsplit("/", 1)[0] + "/")


@_metered("fetch_feed", lambda r: r["items_seen"], lambda r: r["staged"])
def fetch_feed(url: str | None, run_id: str, feed: FeedConfig,
               settings: FetchSettings | None = None) -> dict:
    """Read one feed and stage what needs fetching: items the warehouse does not hold,
    items changed since they were loaded, and quarantined items due for a retry.

    The feed is asked for with the validators its server gave last time, so an unchanged
    feed answers 304: no body, no parsing."""
    settings = settings or fetch_settings()
    started = time.monotonic()
    # several feeds of one site are read by as many tasks: the site's pace is kept between them
    with connection(url) as conn, contextlib.closing(SharedHostPacer.for_warehouse(url, settings)) as pacer:
        staging.clear_feed(conn, run_id, feed.name)
        conn.commit()
        response = None
        try:
            response = fetch(feed.url, settings, allow_file=_allow_file(feed, feed.url),
                             private_hosts=private_hosts_for(feed), pacer=pacer,
                             headers=feed_state.validators(conn, feed.name).request_headers())
            items = [] if response.status == 304 else parse_feed(
                response.body, feed, response.url, charset=response.charset)
        except FetchError as exc:
            quarantine(conn, run_id=run_id, feed=feed.name, url=feed.url, stage="feed",
                       reason=str(exc), http_status=exc.status, permanent=exc.permanent,
                       payload=response.body if response is not None else None)
            feed_state.record(conn, feed.name, status=exc.status, ok=False)
            runs.record_feed(conn, run_id, feed.name, status="failed", error=str(exc),
                             http_status=exc.status, seconds=time.monotonic() - started,
                             bytes_read=len(response.body) if response is not None else 0)
            conn.commit()
            raise FeedFailed(f"feed {feed.name}: {exc}", permanent=exc.permanent) from exc
        feed_state.record(conn, feed.name, status=response.status, ok=True, headers=response.headers)
        resolve_feed(conn, feed.url)
        plan = plan_items(feed, items, staging.loaded_items(conn, [canonical_url(i.url) for i in items]),
                          *pending(conn, feed.name))
        staged = staging.stage_items(conn, run_id, plan.items)
        runs.record_feed(conn, run_id, feed.name, status="ok", items_seen=len(items),
                         items_new=plan.new, items_changed=plan.changed, items_retried=plan.retried,
                         http_status=response.status, not_modified=response.status == 304,
                         bytes_read=len(response.body), seconds=time.monotonic() - started)
    log.info("feed %s: HTTP %s, %d items, %d new, %d changed, %d retried", feed.name,
             response.status, len(items), plan.new, plan.changed, plan.retried)
    return {"feed": feed.name, "http_status": response.status, "items_seen": len(items),
            "items_new": plan.new, "items_changed": plan.changed, "items_retried": plan.retried,
            "staged": staged}


@dataclass
class _Crawler:
    """What a feed's page fetches share: connections, per-host pacing, robots.txt rules."""
    feed: FeedConfig
    settings: FetchSettings
    warehouse: str | None = None

    def __post_init__(self):
        self.session = make_session(self.settings)
        # the host's pace is kept with every other feed and worker, through the warehouse
        self.pacer = SharedHostPacer.for_warehouse(self.warehouse, self.settings)
        self.robots = (RobotsCache(self.settings,
                                   private_hosts=private_hosts_for(self.feed), session=self.session,
                                   pacer=self.pacer)
                       if self.feed.respect_robots else None)

    def get(self, link: str):
        if self.robots is not None:
            self.robots.check(link)
        return fetch(link, self.settings, allow_file=_allow_file(self.feed, link),
                     private_hosts=private_hosts_for(self.feed), session=self.session, pacer=self.pacer)

    def close(self) -> None:
        self.session.close()
        self.pacer.close()


def _article_from_page(crawler: _Crawler, item: staging.StagedItem,
                       evidence: list[bytes]) -> staging.StagedArticle:
    response = crawler.get(item.link)
    evidence.append(response.body)
    page = extract_page(decode_document(response.body, response.charset), response.url)
    return staging.StagedArticle(
        feed=item.feed, url=item.url, title=item.title or page.title,
        published=item.published or page.published, body="\n\n".join(page.paragraphs),
        fetched_at=datetime.now(timezone.utc), link=item.link, updated=item.updated,
        item_hash=item.item_hash)


def _article_from_item(feed: FeedConfig, item: staging.StagedItem) -> staging.StagedArticle:
    return staging.StagedArticle(
        feed=feed.name, url=item.url, title=item.title, published=item.published,
        body=item.summary or "", fetched_at=datetime.now(timezone.utc), link=item.link,
        updated=item.updated, item_hash=item.item_hash)


@_metered("fetch_articles", lambda r: r["pages_ok"] + r["pages_failed"], lambda r: r["pages_ok"])
def fetch_articles(url: str | None, run_id: str, feed: FeedConfig,
                   settings: FetchSettings | None = None) -> dict:
    """Fetch the pages of a feed's staged items; a page that fails is quarantined, not fatal.
    Each page's outcome is committed at once, so a retried task keeps what it had done."""
    ok = failed = 0
    crawler = _Crawler(feed, settings or fetch_settings(), url)
    with contextlib.closing(crawler), connection(url) as conn:
        for item in staging.staged_items(conn, run_id, feed.name):
            evidence: list[bytes] = []
            try:
                article = (_article_from_page(crawler, item, evidence) if feed.fetch_articles
                           else _article_from_item(feed, item))
                if not article.body.strip():
                    raise NotAnArticle("the item has no text", url=item.link)
            except FetchError as exc:
                failed += 1
                log.warning("page %s quarantined: %s", item.link, exc)
                quarantine(conn, run_id=run_id, feed=feed.name, url=item.url, stage="page",
                           reason=str(exc), http_status=exc.status, permanent=exc.permanent,
                           payload=evidence[0] if evidence else None, item=item_record(item))
            else:
                ok += 1
                staging.stage_article(conn, run_id, article)
            conn.commit()
        runs.record_pages(conn, run_id, feed.name, ok=ok, failed=failed)
    return {"feed": feed.name, "pages_ok": ok, "pages_failed": failed}


@_metered("transform", lambda r: r["transformed"] + r["errors"], lambda r: r["transformed"])
def transform_staged(url: str | None, run_id: str) -> dict:
    """Run the transform over the run's staged articles and stage its results."""
    done = errors = 0
    with connection(url) as conn:
        boilerplate = dedup_index.known_boilerplate(conn)
        # each batch's results are committed: a retried task goes on where this one stopped
        for articles in staging.staged_batches(url, run_id, untransformed_only=True):
            results = []
            for a in articles:
                result = transform_article(ArticleInput(
                    id=a.url, title=a.title, body=a.body, url=a.url,
                    published=a.published.isoformat() if a.published else None),
                    boilerplate.get(a.feed, frozenset()))
                if result.error:
                    errors += 1
                    quarantine(conn, run_id=run_id, feed=a.feed, url=a.url, stage="transform",
                               reason=result.error, payload=a.body.encode("utf-8"), permanent=True)
                    staging.drop_untransformable(conn, run_id, a.url)
                    continue
                results.append((a.url, result_to_dict(result)))
                done += 1
            staging.store_results(conn, run_id, results)
            conn.commit()
    return {"transformed": done, "errors": errors}


@_metered("load", lambda r: r["articles_new"] + r["articles_refreshed"], lambda r: r["events"])
def load_staged(url: str | None, run_id: str) -> dict:
    """Merge the run's transformed articles into the warehouse in one transaction, a batch
    of articles in memory at a time."""
    total = LoadCounts()
    with connection(url) as conn:
        feed_ids = runs.feed_ids(conn)
        for articles in staging.staged_batches(url, run_id, transformed_only=True, batch=500):
            total += load_articles(conn, run_id, articles, feed_ids)
            resolve(conn, [a.url for a in articles])
    return asdict(total)


@_metered("quality_checks", len, lambda r: sum(c["passed"] for c in r))
def check_quality(url: str | None, run_id: str) -> list[dict]:
    """Run the data-quality checks; raise DataQualityError when one fails."""
    with connection(url) as conn:
        results = quality.run_checks(conn, run_id)
    quality.raise_on_failure(results)
    return [asdict(r) for r in results]


def refresh_views(url: str | None) -> list[str]:
    with connection(url) as conn:
        return views.refresh(conn)


def export_plover_file(url: str | None, day: date, folder: str | os.PathLike | None = None) -> dict:
    """Write the events of `day` and the day before as PLOVER JSON Lines, atomically (a
    re-export of an old day holds that day's events, not everything since)."""
    from akhbar.export_plover import export

    target = Path(folder or export_dir()) / f"plover-{day.isoformat()}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".jsonl.part")
    with partial.open("w", encoding="utf-8") as out:
        events = export(url, day - timedelta(days=1), out, until=day)
    partial.replace(target)
    return {"path": str(target), "events": events}


def finish_run(url: str | None, run_id: str, failed_steps: list[str] = ()) -> dict:
    """Close the run's audit; `failed_steps` (transform, load, a gate...) make it 'failed'."""
    with connection(url) as conn:
        summary = runs.finish(conn, run_id, failed_steps)
        staging.clear_run(conn, run_id)
    return summary

"""The pipeline's task functions: what the DAG's tasks and `akhbar run` both execute.

Each function takes the warehouse URL and the run's key, reads its input from the
warehouse (staging tables), writes its output there, and returns a small JSON-able summary.
Nothing here imports Airflow. Every Airflow task process imports this module, so what only
the transform and load need (the transform's language resources take seconds to import) is
imported by the functions that use it.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from concurrent.futures import Future
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg2
import psycopg2.extensions

from akhbar.crawl import PageFetcher, fetch_for, file_root
from akhbar.extract.addresses import redact_text, redact_url
from akhbar.extract.errors import FeedParseError, FetchError
from akhbar.extract.feeds import parse_feed
from akhbar.extract.settings import FetchSettings
from akhbar.extract.urls import canonical_url
from akhbar.ingest import item_record, plan_items
from akhbar.config import export_dir, fetch_settings
from akhbar.load.host_budget import SharedHostPacer
from akhbar.load import feed_state, quality, runs, staging, views
from akhbar.load.db import connection
from akhbar.load.metrics import measured
from akhbar.load.migrate import prepare_warehouse  # noqa: F401  (a task of its own)
from akhbar.load.quarantine import pending, quarantine, resolve, resolve_feed
from akhbar.models import FeedConfig

if TYPE_CHECKING:
    from akhbar.load.writer import LoadCounts
    from akhbar.transform.budget import Budget
    from akhbar.transform_pool import TransformPool

log = logging.getLogger("akhbar")


class FeedFailed(RuntimeError):
    """A feed could not be read; its own task fails, the run's other feeds go on.
    `permanent`: asking again in this run cannot help (404, 410, not a feed)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


#: A run still marked running this long after it started was killed; another run may
#: take over what it staged (see staging.adopt_leftovers).
STALE_RUN_AFTER = timedelta(hours=12)


def start_run(url: str | None, run_id: str, logical_date: date, feeds: list[FeedConfig],
              stale_after: timedelta = STALE_RUN_AFTER) -> None:
    """Register the run; it resumes whatever earlier runs fetched but did not load."""
    with connection(url) as conn:
        runs.start(conn, run_id, logical_date, feeds)
        adopted = staging.adopt_leftovers(conn, run_id, stale_after)
    if adopted:
        log.info("run %s resumes %d staged articles that earlier runs did not load", run_id, adopted)


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
            response = fetch_for(feed, feed.url, settings, pacer=pacer,
                                 headers=feed_state.validators(conn, feed.name).request_headers())
            items = [] if response.status == 304 else _parse(response, feed)
        except FetchError as exc:
            _feed_failed(conn, run_id, feed, exc, response, time.monotonic() - started)
            raise FeedFailed(f"feed {feed.name}: {exc}", permanent=exc.permanent) from exc
        feed_state.record(conn, feed.name, status=response.status, ok=True, headers=response.headers)
        resolve_feed(conn, redact_url(feed.url))
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


def _parse(response, feed: FeedConfig) -> list:
    """The feed's items; a failure of the parser itself (feedparser on hostile input) is
    the feed's failure, recorded like any other, not a crashed task."""
    try:
        return parse_feed(response.body, feed, response.url, charset=response.charset)
    except FetchError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is this feed's, not the run's
        safe = redact_url(response.url)
        raise FeedParseError(f"feed at {safe} could not be parsed: {type(exc).__name__}: "
                             f"{redact_text(str(exc))[:300]}", url=safe) from exc


def _feed_failed(conn, run_id: str, feed: FeedConfig, exc: FetchError, response, seconds: float) -> None:
    conn.rollback()  # whatever the failed step left half-done
    body = response.body if response is not None else None
    quarantine(conn, run_id=run_id, feed=feed.name, url=redact_url(feed.url), stage="feed",
               reason=str(exc), http_status=exc.status, permanent=exc.permanent,
               payload=None if file_root(feed) else body)  # a local file's bytes stay local
    feed_state.record(conn, feed.name, status=exc.status, ok=False)
    runs.record_feed(conn, run_id, feed.name, status="failed", error=str(exc), http_status=exc.status,
                     seconds=seconds, bytes_read=len(body) if body is not None else 0)
    conn.commit()


@_metered("fetch_articles", lambda r: r["pages_ok"] + r["pages_failed"], lambda r: r["pages_ok"])
def fetch_articles(url: str | None, run_id: str, feeds: list[FeedConfig],
                   settings: FetchSettings | None = None, budget: Budget | None = None) -> dict:
    """Fetch the pages of every feed's staged items, all feeds at once (crawl.PageFetcher:
    each host at its own polite pace, so the run takes as long as its slowest site, not the
    sum of them), and transform each page as it arrives, in a pool of worker processes
    (transform_pool), while the others are still fetched.

    A page that fails is quarantined, not fatal, and so is an article the transform refuses.
    Each page is committed to staging as it arrives, its transform's result as it is done:
    a retried task keeps what it had done, and what was fetched but not transformed is
    left to the `transform` step."""
    pages: dict[str, list[int]] = {}
    with connection(url) as conn:
        jobs = [(feed, staging.staged_items(conn, run_id, feed.name)) for feed in feeds]
        # the transform's workers are forked before the fetch threads start (transform_pool)
        with _transform_pool(conn, budget) as pool, \
                PageFetcher(jobs, settings or fetch_settings(), url) as fetcher:
            transforming: list[tuple[staging.StagedArticle, Future]] = []
            transformed = refused = 0
            for fetched in fetcher:
                counts = pages.setdefault(fetched.feed.name, [0, 0])
                if _stage_page(conn, run_id, fetched):
                    counts[0] += 1
                    transforming.append((fetched.article, pool.submit(fetched.article)))
                else:
                    counts[1] += 1
                transforming, stored, failed = _store_finished(conn, run_id, pool, transforming)
                transformed, refused = transformed + stored, refused + failed
            _, stored, failed = _store_finished(conn, run_id, pool, transforming, wait=True)
        for feed, (ok, failed_pages) in pages.items():
            runs.record_pages(conn, run_id, feed, ok=ok, failed=failed_pages)
        conn.commit()
    return {"feeds": len(pages), "pages_ok": sum(ok for ok, _ in pages.values()),
            "pages_failed": sum(failed for _, failed in pages.values()),
            "transformed": transformed + stored, "transform_errors": refused + failed,
            "transform_workers": len(pool.pids)}


def _transform_pool(conn, budget: Budget | None) -> TransformPool:
    """A pool of transform workers that know the warehouse's boilerplate paragraphs."""
    from akhbar.load import dedup_index
    from akhbar.transform_pool import TransformPool

    return TransformPool(dedup_index.known_boilerplate(conn), budget)


def _stage_page(conn, run_id: str, fetched) -> bool:
    """Stage the page's article, or quarantine the page; True when it was staged."""
    if fetched.error is None:
        try:
            staging.stage_article(conn, run_id, fetched.article)
            conn.commit()
            return True
        except Exception as exc:  # noqa: BLE001 - the database refusing the row
            conn.rollback()
            fetched.error = exc
    exc, feed = fetched.error, fetched.feed
    log.warning("page %s quarantined: %s", redact_url(fetched.item.link), exc)
    quarantine(conn, run_id=run_id, feed=feed.name, url=fetched.item.url, stage="page",
               reason=_reason(exc), http_status=getattr(exc, "status", None),
               permanent=getattr(exc, "permanent", True),
               payload=fetched.evidence[0] if fetched.evidence else None, item=item_record(fetched.item))
    conn.commit()
    return False


def _store_finished(conn, run_id: str, pool: TransformPool, transforming: list, wait: bool = False):
    """Store the results of the transforms that have finished (all of them with `wait`);
    returns the ones still running, and how many results were stored and refused."""
    finished, running = [], []
    for pair in transforming:
        (finished if wait or pair[1].done() else running).append(pair)
    if not finished:
        return running, 0, 0
    return (running, *_store_outcomes(conn, run_id, [pool.result(a, f) for a, f in finished]))


def _store_outcomes(conn, run_id: str, outcomes: list) -> tuple[int, int]:
    """Stage the transform's results; an error result, or one the database refuses, is
    quarantined. Returns how many were stored and how many refused."""
    results, refused = [], 0
    for outcome in outcomes:
        if outcome.error:
            refused += 1
            _refuse(conn, run_id, outcome.article, "transform", outcome.error)
        else:
            results.append((outcome.article, outcome.doc))
    conn.commit()
    stored = _store_results(conn, run_id, results) if results else 0
    return stored, refused + len(results) - stored


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FetchError):
        return str(exc)
    return f"could not be stored: {type(exc).__name__}: {redact_text(str(exc))[:300]}"


@_metered("transform", lambda r: r["transformed"] + r["errors"], lambda r: r["transformed"])
def transform_staged(url: str | None, run_id: str, budget: Budget | None = None) -> dict:
    """Run the transform over the run's staged articles that have no result yet (what
    `fetch_articles` did not get to, what earlier runs left) and stage its results, a batch
    at a time over the pool's worker processes; an article that fails, exceeds its budget
    (transform.budget) or whose result cannot be stored is quarantined."""
    done = errors = 0
    with connection(url) as conn, contextlib.ExitStack() as stack:
        pool = None  # started by the first batch: usually fetch_articles left nothing to do
        # each batch's results are committed: a retried task goes on where this one stopped
        for articles in staging.staged_batches(url, run_id, untransformed_only=True):
            pool = pool or stack.enter_context(_transform_pool(conn, budget))
            stored, refused = _store_outcomes(conn, run_id, pool.map(articles))
            done, errors = done + stored, errors + refused
    return {"transformed": done, "errors": errors}


def _refuse(conn, run_id: str, a: staging.StagedArticle, stage: str, reason: str) -> None:
    """Quarantine a staged article and take it out of staging (the quarantine keeps it)."""
    quarantine(conn, run_id=run_id, feed=a.feed, url=a.url, stage=stage, reason=reason,
               payload=a.body.encode("utf-8"), permanent=True)
    staging.unstage(conn, run_id, [a.url])


def _store_results(conn, run_id: str, results: list) -> int:
    """Stage a batch's results; if the database refuses the batch, one by one, and a result
    it still refuses is quarantined. Returns how many were stored."""
    try:
        staging.store_results(conn, run_id, [(a.url, doc) for a, doc in results])
        conn.commit()
        return len(results)
    except (psycopg2.DataError, ValueError):
        conn.rollback()
    stored = 0
    for a, doc in results:
        try:
            staging.store_results(conn, run_id, [(a.url, doc)])
            stored += 1
        except (psycopg2.DataError, ValueError) as exc:
            conn.rollback()
            _refuse(conn, run_id, a, "transform", f"the transform's result could not be stored: {exc}"[:500])
        conn.commit()
    return stored


@_metered("load", lambda r: r["articles_new"] + r["articles_refreshed"], lambda r: r["events"])
def load_staged(url: str | None, run_id: str, batch: int = 500) -> dict:
    """Merge the run's transformed articles into the warehouse, a batch per transaction.

    A batch leaves staging in the transaction that loads it, so a load killed at any point
    loses nothing and a rerun loads each article once. A batch that fails is loaded again
    one article at a time, and an article that still fails is quarantined. A lost
    connection fails the task instead: staging is kept for its retry."""
    from akhbar.load.writer import LoadCounts

    total = LoadCounts()
    with connection(url) as conn:
        feed_ids = runs.feed_ids(conn)
        for articles in staging.staged_batches(url, run_id, transformed_only=True, batch=batch):
            try:
                total += _load_batch(conn, run_id, articles, feed_ids)
            except Exception as exc:  # noqa: BLE001 - which article, if any, is found below
                _unless_disconnected(conn, exc)
                for article in articles:
                    total += _load_alone(conn, run_id, article, feed_ids)
    return asdict(total)


def _unless_disconnected(conn, exc: Exception) -> None:
    """Re-raise `exc` when the database went away (nothing an article did); else roll back.
    A deadlock or serialization failure with a concurrent load is no loss of connection."""
    concurrent = isinstance(exc, psycopg2.extensions.TransactionRollbackError)
    if conn.closed or (isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError)) and not concurrent):
        raise exc
    conn.rollback()


def _load_batch(conn, run_id: str, articles: list[staging.StagedArticle], feed_ids: dict) -> LoadCounts:
    from akhbar.load.writer import load_articles

    counts = load_articles(conn, run_id, articles, feed_ids)
    resolve(conn, [a.url for a in articles])
    staging.unstage(conn, run_id, [a.url for a in articles])
    conn.commit()
    return counts


def _load_alone(conn, run_id: str, article: staging.StagedArticle, feed_ids: dict,
                attempts: int = 3) -> LoadCounts:
    from akhbar.load.writer import LoadCounts

    try:
        return _load_batch(conn, run_id, [article], feed_ids)
    except Exception as exc:  # noqa: BLE001
        _unless_disconnected(conn, exc)
        if isinstance(exc, psycopg2.extensions.TransactionRollbackError) and attempts > 1:
            return _load_alone(conn, run_id, article, feed_ids, attempts - 1)  # lost a race: again
        log.error("load of %s failed: %s", redact_url(article.url), exc)
        _refuse(conn, run_id, article, "load", f"the load failed: {type(exc).__name__}: {str(exc).strip()}"[:500])
        conn.commit()
        return LoadCounts()


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
        # the fetch plan goes; articles that did not load stay staged for the next run
        staging.clear_items(conn, run_id)
    return summary

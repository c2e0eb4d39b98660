"""The pipeline's steps and their order: the one definition that the DAG
(dags/arabic_news_daily.py) and `akhbar run` (akhbar/runner.py) both consume.

Each step says what it runs, whether it runs once per run or once per feed, what happens
when an earlier step failed, whether its own failure fails the run, and its limits. The
DAG turns each step into a task (per-feed steps into a mapped task group); the runner
walks the same list in-process with the same rules, so the two cannot drift apart.
Nothing here imports Airflow.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable

from akhbar.extract.settings import FetchSettings
from akhbar.models import FeedConfig

#: The Airflow pool that bounds concurrent crawls across the whole cluster; the DAG's
#: `fetch_articles` task takes a slot (created by `make run`, compose's airflow-init and the
#: Celery test: `airflow pools set akhbar_page_fetches 4 ...`). Within the task, each site
#: is kept to its own pace by the host pacer, whichever task or worker fetches from it.
PAGE_FETCH_POOL = os.environ.get("AKHBAR_PAGE_FETCH_POOL", "akhbar_page_fetches")


def _minutes(name: str, default: int) -> timedelta:
    """A step's execution timeout, tunable per step (AKHBAR_TIMEOUT_<STEP>_MINUTES)."""
    return timedelta(minutes=float(os.environ.get(f"AKHBAR_TIMEOUT_{name.upper()}_MINUTES", default)))


@dataclass
class StepContext:
    """What a step needs: where the warehouse is and which run (and feed) it serves."""
    url: str | None
    run_id: str
    logical_date: date
    feeds: list[FeedConfig]
    feed: FeedConfig | None = None
    settings: FetchSettings | None = None
    failed_steps: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    name: str
    call: Callable[[StepContext], Any]
    per_feed: bool = False
    # Runs once every earlier step has finished, even when one failed (Airflow: ALL_DONE).
    after_failure: bool = False
    # False: a failure flags the run ("partial") but does not fail it (a dead feed).
    fails_run: bool = True
    timeout: timedelta = timedelta(minutes=30)
    pool: str | None = None
    # Its success publishes the warehouse (Airflow: the asset event exports wait for).
    publishes: bool = False
    # None: the DAG's default; 0 for a gate, whose verdict a retry would not change.
    retries: int | None = None


def _migrate(c: StepContext):
    from akhbar.tasks import prepare_warehouse
    return prepare_warehouse(c.url)


def _start_run(c: StepContext):
    from akhbar.tasks import start_run
    start_run(c.url, c.run_id, c.logical_date, c.feeds)
    return [f.name for f in c.feeds]


def _fetch_feed(c: StepContext):
    from akhbar.tasks import fetch_feed
    return fetch_feed(c.url, c.run_id, c.feed, c.settings)


def _fetch_articles(c: StepContext):
    from akhbar.tasks import fetch_articles
    return fetch_articles(c.url, c.run_id, c.feeds, c.settings)


def _transform(c: StepContext):
    from akhbar.tasks import transform_staged
    return transform_staged(c.url, c.run_id)


def _load(c: StepContext):
    from akhbar.tasks import load_staged
    return load_staged(c.url, c.run_id)


def _quality_checks(c: StepContext):
    from akhbar.tasks import check_quality
    return check_quality(c.url, c.run_id)


def _summary(c: StepContext):
    from akhbar.tasks import finish_run
    return finish_run(c.url, c.run_id, failed_steps=c.failed_steps)


def _refresh_views(c: StepContext):
    from akhbar.tasks import refresh_views
    return refresh_views(c.url)


def _export_plover(c: StepContext):
    from akhbar.tasks import export_plover_file
    return export_plover_file(c.url, c.logical_date)


#: arabic_news_daily, in order. A per-feed step runs for a feed only when the feed's
#: previous step succeeded; `fetch_articles` runs whatever the feeds did (once one of them
#: was read), and fetches every read feed's pages at once, transforming them as they come:
#: one task per feed would let the executor's slots, not the sites' pace, bound the crawl.
DAILY: tuple[Step, ...] = (
    Step("migrate", _migrate, timeout=_minutes("migrate", 10)),
    Step("start_run", _start_run, timeout=_minutes("start_run", 5)),
    Step("fetch_feed", _fetch_feed, per_feed=True, fails_run=False, timeout=_minutes("fetch_feed", 10)),
    Step("fetch_articles", _fetch_articles, after_failure=True, pool=PAGE_FETCH_POOL,
         timeout=_minutes("fetch_articles", 60)),
    Step("transform", _transform, timeout=_minutes("transform", 60)),
    Step("load", _load, timeout=_minutes("load", 30)),
    Step("quality_checks", _quality_checks, retries=0, publishes=True,
         timeout=_minutes("quality_checks", 10)),
)

#: Runs last whatever happened, once `start_run` succeeded (Airflow: a teardown, so that
#: its own success does not hide a failed run); closes the run's audit row.
SUMMARY = Step("summary", _summary, timeout=_minutes("summary", 5))

#: akhbar_exports, run on each publication of the warehouse.
EXPORTS: tuple[Step, ...] = (
    Step("refresh_views", _refresh_views, timeout=_minutes("refresh_views", 30)),
    Step("export_plover", _export_plover, timeout=_minutes("export_plover", 30)),
)

#: arabic_news_daily's whole run may not take longer than this (the DAG's dagrun_timeout):
#: with max_active_runs=1 a stuck run would otherwise hold back every later day.
RUN_TIMEOUT = _minutes("run", 6 * 60)


def step(name: str) -> Step:
    for s in DAILY + (SUMMARY,) + EXPORTS:
        if s.name == name:
            return s
    raise KeyError(name)


def execute(step: Step, ctx: StepContext):
    """Run one step instance, timed, its end logged as a structured record and sent as
    metrics (akhbar.observe); what it raises goes on to the caller (Airflow, the runner)."""
    import time

    from akhbar.observe import step_done

    feed = ctx.feed.name if ctx.feed else None
    url = ctx.feed.url if ctx.feed else None
    started = time.monotonic()
    try:
        result = step.call(ctx)
    except BaseException:
        step_done(step.name, time.monotonic() - started, feed=feed, url=url, failed=True)
        raise
    step_done(step.name, time.monotonic() - started, result, feed=feed, url=url)
    return result

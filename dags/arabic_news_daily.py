"""
### Arabic news, daily

Fetches the Arabic news feeds listed in the feeds file (`AKHBAR_FEEDS`, default
`config/feeds.sample.yaml`), extracts each article's text, removes repeated paragraphs,
reads diplomatic events (PLOVER) with their figures, and loads normalized rows into the
`akhbar` warehouse (the Airflow connection `akhbar_warehouse`).

The steps and their order are `akhbar.steps.DAILY`, which `akhbar run` walks too:

* `migrate` → `start_run` → per feed (a mapped task group `feed`): `fetch_feed` →
  `fetch_articles` (every read feed's pages at once, each site at its own polite pace,
  transformed in worker processes as they arrive; a slot of the `akhbar_page_fetches`
  pool) → `transform` (what is left untransformed) → `load` → `quality_checks` →
  `summary` (a teardown);
* a broken feed fails its own tasks; the others go on and the run stays green, flagged
  `partial` in `akhbar.runs_v` and in the summary's log;
* a failed transform, load or quality gate fails the run (red, `failed` in `runs_v`);
  the summary still runs, as a teardown, and does not turn the run green;
* the `akhbar_warehouse` asset is emitted by `quality_checks`, so only once the gates
  pass; its event names the run's logical date, which `akhbar_exports` exports;
* a failed run, and a run still unfinished `AKHBAR_LATE_AFTER_HOURS` (6) hours after its
  data interval (a DeadlineAlert), are sent to the notifier `AKHBAR_ALERT_NOTIFIER` picks:
  the task log by default, a webhook or e-mail when configured (README: Alerts);
* data moves between tasks through staging tables keyed by the run id, never through XCom;
* every load is idempotent: clearing and re-running a day leaves the warehouse as it was.

Each run loads whatever its feeds hold that the warehouse lacks; the data interval names
the run, it does not filter items.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import AsyncCallback, DeadlineAlert, DeadlineReference, TriggerRule, dag, task, task_group
from airflow.timetables.interval import CronDataIntervalTimetable
from akhbar_airflow import WAREHOUSE_ASSET, RunFailedNotifier, deadline_missed

from akhbar import steps

# Read from the environment (not from a server) so that tests can run without waiting
# through production retry delays.
RETRIES = int(os.environ.get("AKHBAR_TASK_RETRIES", "3"))
RETRY_DELAY = timedelta(seconds=int(os.environ.get("AKHBAR_RETRY_DELAY_SECONDS", "60")))
# A run still unfinished this long after its data interval ended is late: someone is told.
# "off" leaves the DeadlineAlert out: Airflow 3.3's dag.test() cannot finish a successful run
# of a DAG that has one (it looks the alert up by an id only the DAG processor assigns), so
# the dag.test() suites turn it off; the Celery end-to-end test runs with it.
_LATE = os.environ.get("AKHBAR_LATE_AFTER_HOURS", "6")
LATE_AFTER_HOURS = None if _LATE.lower() == "off" else float(_LATE)


def _late_alert() -> list[DeadlineAlert]:
    if LATE_AFTER_HOURS is None:
        return []
    # the data interval of a daily run is the day after its logical date
    return [DeadlineAlert(reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
                          interval=timedelta(days=1, hours=LATE_AFTER_HOURS),
                          callback=AsyncCallback(deadline_missed, kwargs={"late_after_hours": LATE_AFTER_HOURS}),
                          name="akhbar_daily_late")]


def _task(step: steps.Step):
    """The task that runs `step` (akhbar_airflow.run_step does the work)."""
    kwargs = {"task_id": step.name, "execution_timeout": step.timeout,
              "trigger_rule": TriggerRule.ALL_DONE_MIN_ONE_SUCCESS if step.after_failure
              else TriggerRule.ALL_SUCCESS}
    if step.pool:
        kwargs["pool"] = step.pool
    if step.retries is not None:
        kwargs["retries"] = step.retries
    if step.publishes:
        kwargs["outlets"] = [WAREHOUSE_ASSET]
    if step.per_feed:
        kwargs["map_index_template"] = "{{ task.op_kwargs['feed_name'] }}"

    def call(feed_name: str | None = None):
        from akhbar_airflow import run_step

        return run_step(step.name, feed_name)

    call.__doc__ = step.call.__doc__
    return task(**kwargs)(call)


def _feed_chain(chain: list[steps.Step]):
    """One mapped task group per feed: a feed's steps run one after the other, and a feed
    that fails stops only its own chain."""
    @task_group(group_id="feed")
    def feed(feed_name: str):
        previous = None
        for step in chain:
            current = _task(step)(feed_name=feed_name)
            if previous is not None:
                previous >> current
            previous = current

    return feed


@dag(
    dag_id="arabic_news_daily",
    schedule=CronDataIntervalTimetable("0 4 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=steps.RUN_TIMEOUT,
    # alerts go through the notifier AKHBAR_ALERT_NOTIFIER picks (akhbar.alerts)
    on_failure_callback=RunFailedNotifier(),
    deadline=_late_alert(),
    doc_md=__doc__,
    tags=["akhbar", "arabic", "news", "etl"],
    default_args={
        "owner": "akhbar",
        "retries": RETRIES,
        "retry_delay": RETRY_DELAY,
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=30),
    },
)
def arabic_news_daily():
    previous, feed_names, chain = None, None, []
    for step in steps.DAILY:
        if step.per_feed:
            chain.append(step)
            continue
        if chain:  # the feeds' chains, mapped over the feed names start_run returns
            previous = previous >> _feed_chain(chain).expand(feed_name=feed_names)
            chain = []
        current = _task(step)()
        if previous is not None:
            previous >> current
        if step.name == "start_run":
            start_run, feed_names = current, current
        previous = current
    summary = _task(steps.SUMMARY)()
    previous >> summary.as_teardown(setups=start_run)


arabic_news_daily()

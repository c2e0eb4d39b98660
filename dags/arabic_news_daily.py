"""
### Arabic news, daily

Fetches the Arabic news feeds listed in the feeds file (`AKHBAR_FEEDS`, default
`config/feeds.sample.yaml`), extracts each article's text, removes repeated paragraphs,
reads diplomatic events (PLOVER) with their figures, and loads normalized rows into the
`akhbar` warehouse (connection `akhbar_warehouse`).

* one mapped `fetch_feed` task per feed: a broken feed fails its own task, the others go on;
* data moves between tasks through staging tables keyed by the run id, never through XCom;
* every load is idempotent: clearing and re-running a day leaves the warehouse as it was.

Each run loads whatever its feeds hold that the warehouse lacks; the data interval names
the run, it does not filter items.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import TriggerRule, dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable
from akhbar_airflow import WAREHOUSE_ASSET

# Read from the environment (not from a server) so that tests can run without waiting
# through production retry delays.
RETRIES = int(os.environ.get("AKHBAR_TASK_RETRIES", "3"))
RETRY_DELAY = timedelta(seconds=int(os.environ.get("AKHBAR_RETRY_DELAY_SECONDS", "60")))


def _run_key() -> tuple[str, pendulum.Date]:
    context = get_current_context()
    when = context.get("logical_date") or context["dag_run"].run_after
    return context["run_id"], when.date()


def _feeds():
    from akhbar.config import load_feeds

    return load_feeds()


def _feed(name: str):
    from akhbar.config import feed_by_name

    return feed_by_name(_feeds(), name)


@dag(
    dag_id="arabic_news_daily",
    schedule=CronDataIntervalTimetable("0 4 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
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
    @task
    def migrate() -> list[str]:
        from akhbar.tasks import prepare_warehouse
        from akhbar_airflow import task_warehouse_url

        return prepare_warehouse(task_warehouse_url())

    @task
    def start_run() -> list[str]:
        from akhbar.tasks import start_run
        from akhbar_airflow import task_warehouse_url

        run_id, day = _run_key()
        feeds = _feeds()
        start_run(task_warehouse_url(), run_id, day, feeds)
        return [f.name for f in feeds]

    @task(map_index_template="{{ task.op_kwargs['feed_name'] }}")
    def fetch_feed(feed_name: str) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from akhbar.tasks import FeedFailed, fetch_feed
        from akhbar_airflow import task_warehouse_url

        try:
            return fetch_feed(task_warehouse_url(), _run_key()[0], _feed(feed_name))
        except FeedFailed as exc:
            if exc.permanent:  # 404, 410, not a feed: Airflow's retries could not help
                raise AirflowFailException(str(exc)) from exc
            raise

    @task(trigger_rule=TriggerRule.ALL_DONE, map_index_template="{{ task.op_kwargs['feed_name'] }}")
    def fetch_articles(feed_name: str) -> dict:
        from akhbar.tasks import fetch_articles
        from akhbar_airflow import task_warehouse_url

        return fetch_articles(task_warehouse_url(), _run_key()[0], _feed(feed_name))

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def transform() -> dict:
        from akhbar.tasks import transform_staged
        from akhbar_airflow import task_warehouse_url

        return transform_staged(task_warehouse_url(), _run_key()[0])

    @task(outlets=[WAREHOUSE_ASSET])
    def load() -> dict:
        from akhbar.tasks import load_staged
        from akhbar_airflow import task_warehouse_url

        return load_staged(task_warehouse_url(), _run_key()[0])

    @task(retries=0)
    def quality_checks() -> list[dict]:
        from akhbar.tasks import check_quality
        from akhbar_airflow import task_warehouse_url

        return check_quality(task_warehouse_url(), _run_key()[0])

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def summary() -> dict:
        import logging

        from akhbar.report import failing_feeds, summary_lines
        from akhbar.tasks import finish_run
        from akhbar_airflow import task_warehouse_url

        result = finish_run(task_warehouse_url(), _run_key()[0])
        log = logging.getLogger("akhbar")
        for line in summary_lines(result):
            log.info("%s", line)
        for warning in failing_feeds(result):
            log.warning("%s", warning)
        return {k: v for k, v in result.items() if k != "feeds"}

    names = start_run()
    migrate() >> names
    fetched = fetch_feed.expand(feed_name=names)
    pages = fetch_articles.expand(feed_name=names)
    fetched >> pages
    loaded = load()
    pages >> transform() >> loaded >> quality_checks() >> summary()


arabic_news_daily()

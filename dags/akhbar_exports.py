"""
### akhbar exports

Runs whenever `arabic_news_daily` has published the warehouse (the `akhbar_warehouse`
asset, emitted once a run's quality gates pass): refreshes the materialized analyst views
(`dyad_daily_v`) and writes the PLOVER JSON Lines export `plover-YYYY-MM-DD.jsonl` in
`AKHBAR_EXPORT_DIR` for the **logical date of the run that published it** (read from the
asset event; a re-run of an old day rewrites that day's file, not today's). The file
holds the events of that day and the day before (an event loaded late is still
exported). Rewriting a file replaces it whole, so re-running an export is harmless.
A manual run exports `conf["day"]` when given, else its own day.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import dag, task
from akhbar_airflow import WAREHOUSE_ASSET

from akhbar import steps


def _task(step: steps.Step):
    def call():
        from akhbar_airflow import run_export_step

        return run_export_step(step.name)

    return task(task_id=step.name, execution_timeout=step.timeout)(call)


@dag(
    dag_id="akhbar_exports",
    schedule=[WAREHOUSE_ASSET],
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=steps.RUN_TIMEOUT,
    doc_md=__doc__,
    tags=["akhbar", "export", "plover"],
    default_args={"owner": "akhbar", "retries": 2},
)
def akhbar_exports():
    previous = None
    for step in steps.EXPORTS:
        current = _task(step)()
        if previous is not None:
            previous >> current
        previous = current


akhbar_exports()

"""
### akhbar exports

Runs whenever `arabic_news_daily` has loaded the warehouse (the `akhbar_warehouse` asset):
refreshes the materialized analyst views (`dyad_daily_v`) and writes the day's PLOVER
JSON Lines export, `plover-YYYY-MM-DD.jsonl` in `AKHBAR_EXPORT_DIR`, holding the events
of that day and the day before (an event loaded late is still exported). Rewriting a file
replaces it whole, so re-running an export is harmless.
"""
from __future__ import annotations

import pendulum
from airflow.sdk import dag, get_current_context, task
from akhbar_airflow import WAREHOUSE_ASSET


@dag(
    dag_id="akhbar_exports",
    schedule=[WAREHOUSE_ASSET],
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["akhbar", "export", "plover"],
    default_args={"owner": "akhbar", "retries": 2},
)
def akhbar_exports():
    @task
    def refresh_views() -> list[str]:
        from akhbar.tasks import refresh_views
        from akhbar_airflow import task_warehouse_url

        return refresh_views(task_warehouse_url())

    @task
    def export_plover() -> dict:
        from akhbar.tasks import export_plover_file
        from akhbar_airflow import task_warehouse_url

        day = get_current_context()["dag_run"].run_after.date()
        return export_plover_file(task_warehouse_url(), day)

    refresh_views() >> export_plover()


akhbar_exports()

"""Airflow glue for akhbar: where the warehouse is, seen from inside a task."""
from __future__ import annotations

import os

from airflow.sdk import Asset

WAREHOUSE_CONN_ID = "akhbar_warehouse"

#: Updated by each successful load of `arabic_news_daily`; DAGs that report on or export
#: the warehouse are scheduled on it, so they run on fresh data and only then.
WAREHOUSE_ASSET = Asset(name="akhbar_warehouse", uri="akhbar://warehouse/akhbar", group="akhbar")


def task_warehouse_url() -> str | None:
    """AKHBAR_WAREHOUSE_URL when set, else the `akhbar_warehouse` connection, else None
    (the core's local default)."""
    if os.environ.get("AKHBAR_WAREHOUSE_URL"):
        return os.environ["AKHBAR_WAREHOUSE_URL"]
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowRuntimeError

    try:
        conn = Connection.get(WAREHOUSE_CONN_ID)
    except (AirflowRuntimeError, LookupError):
        return None
    uri = conn.get_uri()
    # Airflow spells the scheme "postgres"; libpq wants "postgresql".
    return "postgresql://" + uri.split("://", 1)[1] if uri.startswith("postgres://") else uri

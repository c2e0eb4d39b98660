"""Per-task metrics of a run (task_metrics, run_tasks_v): time, items, peak memory."""
from __future__ import annotations

import contextlib
import logging
import resource
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

import psycopg2

from akhbar.load.db import connection

log = logging.getLogger(__name__)


@dataclass
class TaskCounts:
    items_in: int | None = None
    items_out: int | None = None


def peak_rss_kb() -> int:
    """This process's peak resident memory. In Airflow each task runs in a process of its
    own, so this is the task's peak; in `akhbar run`, the peak of the run so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@contextlib.contextmanager
def measured(url: str | None, run_id: str, task: str, feed: str = "") -> Iterator[TaskCounts]:
    """Record the block's duration, item counts and outcome, whether it succeeds or fails."""
    counts = TaskCounts()
    started, clock = datetime.now(timezone.utc), time.monotonic()
    outcome = "failed"
    try:
        yield counts
        outcome = "success"
    finally:
        try:
            with connection(url) as conn, conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO akhbar.task_metrics (run_id, task, feed, started_at, finished_at, seconds,"
                    " items_in, items_out, peak_rss_kb, outcome)"
                    " VALUES (%s, %s, %s, %s, now(), %s, %s, %s, %s, %s)"
                    " ON CONFLICT (run_id, task, feed) DO UPDATE SET started_at = EXCLUDED.started_at,"
                    " finished_at = EXCLUDED.finished_at, seconds = EXCLUDED.seconds,"
                    " items_in = EXCLUDED.items_in, items_out = EXCLUDED.items_out,"
                    " peak_rss_kb = EXCLUDED.peak_rss_kb, outcome = EXCLUDED.outcome",
                    (run_id, task, feed, started, time.monotonic() - clock, counts.items_in,
                     counts.items_out, peak_rss_kb(), outcome),
                )
        except psycopg2.Error as exc:  # metrics must never fail the work they measure
            log.warning("task metrics of %s/%s not recorded: %s", task, feed, exc)

"""One pipeline run in-process: the DAG's tasks, called in the DAG's order."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
import secrets
from datetime import date, datetime, timezone

from akhbar import tasks
from akhbar.extract.settings import FetchSettings
from akhbar.load.quality import DataQualityError
from akhbar.models import FeedConfig

log = logging.getLogger("akhbar")


def day_run_id(logical_date: date) -> str:
    """The run of a logical date for in-process callers: calling run_pipeline again for
    the date re-runs that run (as clearing a DAG run does) and replaces its audit."""
    return f"cli__{logical_date.isoformat()}"


def cli_run_id(logical_date: date) -> str:
    """A run id of its own for each invocation: two `akhbar run --date D` at once shared
    `cli__D` and cleared each other's staging. The date stays readable at the front."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"cli__{logical_date.isoformat()}__{stamp}_{secrets.token_hex(3)}"


@dataclass
class RunReport:
    run_id: str
    stages: dict = field(default_factory=dict)
    feed_errors: dict = field(default_factory=dict)
    quality_error: str | None = None
    summary: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.summary.get("status") == "failed"


def run_pipeline(url: str | None, feeds: list[FeedConfig], logical_date: date,
                 run_id: str | None = None, settings: FetchSettings | None = None) -> RunReport:
    """`settings`: the crawler's limits (default: config.fetch_settings())."""
    run_id = run_id or day_run_id(logical_date)
    report = RunReport(run_id)
    report.stages["migrate"] = tasks.prepare_warehouse(url)
    tasks.start_run(url, run_id, logical_date, feeds)
    fetched = []
    for feed in feeds:
        try:
            report.stages.setdefault("fetch_feed", []).append(tasks.fetch_feed(url, run_id, feed, settings))
            fetched.append(feed)
        except tasks.FeedFailed as exc:
            report.feed_errors[feed.name] = str(exc)
            log.error("%s", exc)
    report.stages["fetch_articles"] = [tasks.fetch_articles(url, run_id, f, settings) for f in fetched]
    report.stages["transform"] = tasks.transform_staged(url, run_id)
    report.stages["load"] = tasks.load_staged(url, run_id)
    report.stages["refresh_views"] = tasks.refresh_views(url)
    try:
        report.stages["quality"] = tasks.check_quality(url, run_id)
    except DataQualityError as exc:
        report.quality_error = str(exc)
    report.summary = tasks.finish_run(url, run_id)
    return report

"""One pipeline run in-process: the steps of akhbar.steps, walked with the DAG's rules.

The rules are Airflow's, as the DAG states them: a step runs when the steps before it
succeeded; an `after_failure` step (fetch_articles) runs once they have all finished and
at least one succeeded; a per-feed step runs for a feed only when the feed's previous step
succeeded; the summary runs last once `start_run` succeeded. A run fails when a step
with `fails_run` failed or could not run.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from akhbar import steps
from akhbar.extract.settings import FetchSettings
from akhbar.load.quality import DataQualityError
from akhbar.models import FeedConfig
from akhbar.tasks import FeedFailed

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
    #: steps that failed or could not run because an earlier one failed
    failed_steps: list[str] = field(default_factory=list)
    errors: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.summary.get("status") == "failed" or bool(self.failed_steps)

    @property
    def published(self) -> bool:
        """The gates passed: in Airflow, the warehouse asset would be emitted."""
        return not self.failed_steps and "quality_checks" in self.stages


def _call(step: steps.Step, ctx: steps.StepContext, report: RunReport) -> bool:
    """Run one step instance; True when it succeeded. Its failure is recorded, not raised."""
    try:
        result = steps.execute(step, ctx)
    except FeedFailed as exc:
        report.feed_errors[ctx.feed.name] = str(exc)
        log.error("%s", exc)
        return False
    except DataQualityError as exc:
        report.quality_error = str(exc)
        log.error("quality gate failed: %s", exc)
        return False
    except Exception as exc:  # noqa: BLE001 - as in Airflow: the step fails, the run goes on
        where = f"{step.name}[{ctx.feed.name}]" if ctx.feed else step.name
        report.errors[where] = f"{type(exc).__name__}: {exc}"
        log.exception("step %s failed", where)
        return False
    if step.per_feed:
        report.stages.setdefault(step.name, []).append(result)
    else:
        report.stages[step.name] = result
    return True


def _runs(step: steps.Step, upstream: list[bool]) -> bool:
    if step.after_failure:
        return any(upstream)
    return all(upstream)


def _walk(ctx: steps.StepContext, report: RunReport) -> dict[str, bool]:
    """Run the daily steps; return whether each run-wide step succeeded."""
    upstream: list[bool] = [True]
    chain: dict[str, bool] | None = None  # per feed: did its previous per-feed step succeed
    done: dict[str, bool] = {}
    for step in steps.DAILY:
        if step.per_feed:
            if chain is None:
                chain = {f.name: all(upstream) for f in ctx.feeds}
            for feed in ctx.feeds:
                if chain[feed.name]:
                    chain[feed.name] = _call(step, replace(ctx, feed=feed), report)
            continue
        if chain is not None:  # the first step after the feeds' chains waits on all of them
            upstream, chain = list(chain.values()) or [all(upstream)], None
        ok = _runs(step, upstream) and _call(step, ctx, report)
        done[step.name] = ok
        if not ok and step.fails_run:
            report.failed_steps.append(step.name)
        upstream = [ok]
    return done


def run_pipeline(url: str | None, feeds: list[FeedConfig], logical_date: date,
                 run_id: str | None = None, settings: FetchSettings | None = None,
                 exports: tuple[str, ...] = ("refresh_views",)) -> RunReport:
    """`settings`: the crawler's limits (default: config.fetch_settings()). `exports`: the
    akhbar_exports steps to run when the gates pass, as the warehouse asset would trigger
    them in Airflow (the PLOVER file has its own command, `akhbar export-plover`)."""
    run_id = run_id or day_run_id(logical_date)
    report = RunReport(run_id)
    ctx = steps.StepContext(url, run_id, logical_date, feeds, settings=settings)
    done = _walk(ctx, report)
    if done.get("start_run"):
        ctx.failed_steps = list(report.failed_steps)
        report.summary = steps.execute(steps.SUMMARY, ctx)
    if report.published:
        for step in steps.EXPORTS:
            if step.name in exports:
                _call(step, ctx, report)
    return report

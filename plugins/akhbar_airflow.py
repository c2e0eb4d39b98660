"""Airflow glue for akhbar: where the warehouse is, seen from inside a task, and how a
step of akhbar.steps runs as a task. No UI here (that is a plugin of its own)."""
from __future__ import annotations

import logging
from datetime import date

from airflow.sdk import Asset, BaseHook
from airflow.sdk.bases.notifier import BaseNotifier

WAREHOUSE_CONN_ID = "akhbar_warehouse"

#: Updated by each run of `arabic_news_daily` whose quality gates pass; DAGs that report
#: on or export the warehouse are scheduled on it, so they run on sound data and only then.
#: Each event's extra names the run's logical date ("logical_date") and run id.
WAREHOUSE_ASSET = Asset(name="akhbar_warehouse", uri="akhbar://warehouse/akhbar", group="akhbar")

log = logging.getLogger("akhbar")


class WarehouseNotConfigured(RuntimeError):
    """Inside Airflow the `akhbar_warehouse` connection is the only source of the warehouse."""


class WarehouseHook(BaseHook):
    """The akhbar warehouse as the `akhbar_warehouse` connection describes it, read afresh at
    each task: editing the connection (UI, CLI, API) takes effect on the next run.
    AKHBAR_WAREHOUSE_URL is for the `akhbar` CLI and plays no part here."""

    conn_name_attr = "akhbar_conn_id"
    default_conn_name = WAREHOUSE_CONN_ID
    conn_type = "postgres"
    hook_name = "akhbar warehouse"

    def __init__(self, akhbar_conn_id: str = WAREHOUSE_CONN_ID) -> None:
        super().__init__()
        self.akhbar_conn_id = akhbar_conn_id

    def get_uri(self) -> str:
        from airflow.sdk.exceptions import AirflowRuntimeError

        try:
            conn = self.get_connection(self.akhbar_conn_id)
        except (AirflowRuntimeError, LookupError) as exc:
            raise WarehouseNotConfigured(
                f"the Airflow connection {self.akhbar_conn_id!r} is not defined: add it"
                f" (airflow connections add {self.akhbar_conn_id} --conn-uri postgresql://...)") from exc
        uri = conn.get_uri()
        # Airflow spells the scheme "postgres"; libpq wants "postgresql".
        return "postgresql://" + uri.split("://", 1)[1] if uri.startswith("postgres://") else uri


def task_warehouse_url() -> str:
    return WarehouseHook().get_uri()


def run_key(context) -> tuple[str, date]:
    """The run's id and logical date (a manual run without one: the day it was asked for)."""
    when = context.get("logical_date") or context["dag_run"].run_after
    return context["run_id"], when.date()


def failed_steps(context) -> list[str]:
    """The run's steps that fail it (transform, load, gates) and failed or could not run."""
    from akhbar import steps

    ti = context["ti"]
    states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id]).get(ti.run_id, {})
    failing = {s.name for s in steps.DAILY if s.fails_run}
    return sorted({key.split(".")[-1] for key, state in states.items()
                   if state in ("failed", "upstream_failed") and key.split(".")[-1] in failing})


def _context_for(context, feed_name: str | None):
    from akhbar.config import feed_by_name, load_feeds
    from akhbar.steps import StepContext

    run_id, day = run_key(context)
    feeds = load_feeds()
    feed = feed_by_name(feeds, feed_name) if feed_name else None
    return StepContext(task_warehouse_url(), run_id, day, feeds, feed=feed)


def run_step(name: str, feed_name: str | None = None):
    """Run one step of akhbar.steps as the current task, its record a structured one."""
    from akhbar.observe import structured_task_log

    with structured_task_log():
        return _run_step(name, feed_name)


def _run_step(name: str, feed_name: str | None = None):
    from airflow.sdk import get_current_context
    from airflow.sdk.exceptions import AirflowFailException

    from akhbar import steps
    from akhbar.tasks import FeedFailed

    context = get_current_context()
    step = steps.step(name)
    ctx = _context_for(context, feed_name)
    if step is steps.SUMMARY:
        ctx.failed_steps = failed_steps(context)
        return _summary(steps.execute(step, ctx))
    try:
        result = steps.execute(step, ctx)
    except FeedFailed as exc:
        if exc.permanent:  # 404, 410, not a feed: Airflow's retries could not help
            raise AirflowFailException(str(exc)) from exc
        raise
    if step.publishes:
        context["outlet_events"][WAREHOUSE_ASSET].extra = {
            "logical_date": ctx.logical_date.isoformat(), "run_id": ctx.run_id}
    return result


def _summary(result: dict) -> dict:
    from akhbar.report import failing_feeds, summary_lines

    for line in summary_lines(result):
        log.info("%s", line)
    for warning in failing_feeds(result):
        log.warning("%s", warning)
    return {k: v for k, v in result.items() if k != "feeds"}


def days_to_export(context) -> list[date]:
    """The logical dates of the daily runs whose publication triggered this exports run
    (several when events queued up), else `conf["day"]` of a manual run, else the run's day."""
    events = context.get("triggering_asset_events") or {}
    days = {date.fromisoformat(e.extra["logical_date"])
            for e in (events.get(WAREHOUSE_ASSET, []) if events else [])
            if (e.extra or {}).get("logical_date")}
    if days:
        return sorted(days)
    conf = context["dag_run"].conf or {}
    if conf.get("day"):
        return [date.fromisoformat(conf["day"])]
    return [run_key(context)[1]]


def run_export_step(name: str) -> list:
    """Run one step of akhbar.steps.EXPORTS for each day this exports run covers."""
    from airflow.sdk import get_current_context

    from akhbar import steps
    from akhbar.steps import StepContext

    context = get_current_context()
    step, url = steps.step(name), task_warehouse_url()
    days = days_to_export(context)
    if step.name == "refresh_views":  # one refresh covers every day
        days = days[-1:]
    return [steps.execute(step, StepContext(url, context["run_id"], day, [])) for day in days]


# -- alerts: a failed run (the DAG's failure callback) and a late one (its DeadlineAlert),
# sent through the notifier that AKHBAR_ALERT_NOTIFIER picks (akhbar.alerts).

class RunFailedNotifier(BaseNotifier):
    """on_failure_callback of the daily DAG: the run failed (a transform, load or gate)."""

    template_fields = ()

    def render_template_fields(self, context, jinja_env=None) -> None:
        """Nothing to render; and dag.test() hands callbacks a serialized DAG, which has no
        template environment to render with."""

    def notify(self, context) -> None:
        from akhbar.alerts import Alert, send

        dag_run = context.get("dag_run")
        ti = context.get("ti") or context.get("task_instance")
        run_id = getattr(dag_run, "run_id", None) or context.get("run_id")
        dag_id = getattr(dag_run, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?")
        when = getattr(dag_run, "logical_date", None)
        fields = {"dag_id": dag_id, "run_id": run_id, "state": "failed",
                  "logical_date": when.date().isoformat() if when else None,
                  "reason": context.get("reason"), "failed_task": getattr(ti, "task_id", None)}
        send(Alert(subject=f"akhbar: {dag_id} run {run_id} failed",
                   text=f"The run failed at {fields['failed_task'] or 'a task'} ({fields['reason'] or 'see the UI'}):"
                        " its data did not pass and was not published. See akhbar.runs_v and the"
                        " summary task's log.",
                   fields=fields))


async def deadline_missed(context: dict, late_after_hours: float = 0, **_) -> None:
    """DeadlineAlert callback (run by the triggerer): the daily run is late."""
    import asyncio

    from akhbar.alerts import Alert, send

    run = context.get("dag_run") or {}
    dag_id, run_id = run.get("dag_id"), run.get("dag_run_id") or run.get("run_id")
    alert = Alert(subject=f"akhbar: {dag_id} run {run_id} is late",
                  text=f"The daily run has not finished {late_after_hours:g} hours after its data"
                       f" interval (state: {run.get('state')}).",
                  fields={"dag_id": dag_id, "run_id": run_id, "state": run.get("state"),
                          "logical_date": run.get("logical_date"), "late_after_hours": late_after_hours,
                          "deadline": str((context.get("deadline") or {}).get("deadline_time"))})
    await asyncio.to_thread(send, alert)

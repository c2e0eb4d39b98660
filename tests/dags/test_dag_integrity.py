"""Every DAG file imports cleanly, is documented, owned, tagged, retried, and does no I/O
while it is parsed (the DAG processor parses it every few seconds)."""
import importlib.util
import socket
from pathlib import Path

import psycopg2
import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_every_dag_file_imports(dagbag):
    assert dagbag.import_errors == {}
    assert "arabic_news_daily" in dagbag.dags


def test_dags_have_tags_owner_retries_and_docs(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, dag_id
        assert dag.doc_md, dag_id
        for task in dag.tasks:
            assert task.owner and task.owner != "airflow", (dag_id, task.task_id)
        fetchers = [t for t in dag.tasks if t.task_id.startswith("fetch")]
        assert all(t.retries >= 0 for t in fetchers)


def test_daily_schedule_without_catchup_and_a_real_data_interval(dagbag):
    from airflow.timetables.interval import CronDataIntervalTimetable

    dag = dagbag.dags["arabic_news_daily"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert dag.catchup is False
    assert dag.default_args["retry_exponential_backoff"] is True


def test_the_dag_is_the_steps_of_akhbar_steps_in_their_order(dagbag):
    from akhbar import steps

    dag = dagbag.dags["arabic_news_daily"]
    ids = {s.name: (f"feed.{s.name}" if s.per_feed else s.name) for s in steps.DAILY + (steps.SUMMARY,)}
    assert set(dag.task_ids) == set(ids.values())
    for s in steps.DAILY:
        mapped = dag.get_task(ids[s.name]).get_closest_mapped_task_group() is not None
        assert mapped == s.per_feed, s.name
    order = [ids[s.name] for s in steps.DAILY + (steps.SUMMARY,)]
    for upstream, downstream in zip(order, order[1:]):
        assert downstream in dag.get_task(upstream).downstream_task_ids, (upstream, downstream)
    # the pages of the feeds that were read are fetched even when another feed failed
    assert dag.get_task("fetch_articles").trigger_rule == "all_done_min_one_success"
    assert dag.get_task("transform").trigger_rule == "all_success"


def test_the_summary_is_a_teardown_so_the_gates_decide_the_runs_state(dagbag):
    dag = dagbag.dags["arabic_news_daily"]
    summary = dag.get_task("summary")
    assert summary.is_teardown and not summary.on_failure_fail_dagrun
    assert summary.upstream_task_ids >= {"quality_checks", "start_run"}
    leaves = [t.task_id for t in dag.tasks if not t.downstream_list and not t.is_teardown]
    assert leaves == []  # every other task leads to the summary; the run's state comes from
    assert [t.task_id for t in summary.upstream_list if not t.is_setup] == ["quality_checks"]


def test_every_task_has_a_timeout_the_run_too_and_page_fetches_share_a_pool(dagbag):
    from akhbar.steps import PAGE_FETCH_POOL

    for dag_id, dag in dagbag.dags.items():
        assert dag.dagrun_timeout is not None, dag_id
        for task in dag.tasks:
            assert task.execution_timeout is not None, (dag_id, task.task_id)
            assert task.execution_timeout <= dag.dagrun_timeout, (dag_id, task.task_id)
    daily = dagbag.dags["arabic_news_daily"]
    assert [t.task_id for t in daily.tasks if t.pool == PAGE_FETCH_POOL] == ["fetch_articles"]


def test_parsing_does_no_io(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("I/O while parsing a DAG file")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(psycopg2, "connect", refuse)
    for path in DAGS.glob("*.py"):
        spec = importlib.util.spec_from_file_location(f"dagfile_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        # the core (feeds file, gazetteers) is loaded by the tasks, not at parse time
        assert not any(name.startswith("akhbar.transform") for name in vars(module))


def test_only_the_gates_publish_the_warehouse_asset_the_exports_dag_waits_for(dagbag):
    from akhbar_airflow import WAREHOUSE_ASSET

    daily = dagbag.dags["arabic_news_daily"]
    assert [(t.task_id, [a.uri for a in t.outlets]) for t in daily.tasks if t.outlets] == [
        ("quality_checks", [WAREHOUSE_ASSET.uri])]
    exports = dagbag.dags["akhbar_exports"]
    assert [a.uri for a in exports.timetable.asset_condition.objects] == [WAREHOUSE_ASSET.uri]
    assert exports.get_task("export_plover").upstream_task_ids == {"refresh_views"}


def test_a_failed_run_and_a_late_one_alert_through_the_configured_notifier(monkeypatch):
    from datetime import timedelta

    from akhbar_airflow import RunFailedNotifier, deadline_missed

    monkeypatch.setenv("AKHBAR_LATE_AFTER_HOURS", "6")  # as deployed (the suite turns it off)
    spec = importlib.util.spec_from_file_location("dagfile_daily_deadline", DAGS / "arabic_news_daily.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dag = module.arabic_news_daily()
    assert isinstance(dag.on_failure_callback, RunFailedNotifier) or any(
        isinstance(c, RunFailedNotifier) for c in dag.on_failure_callback)
    (deadline,) = dag.deadline
    assert type(deadline.reference).__name__ == "DagRunLogicalDateDeadline"
    # the daily data interval is the day after the logical date, then 6 hours' grace
    assert deadline.interval == timedelta(days=1, hours=6)
    assert deadline.callback.path == f"{deadline_missed.__module__}.{deadline_missed.__qualname__}"
    assert deadline.callback.kwargs == {"late_after_hours": 6.0}

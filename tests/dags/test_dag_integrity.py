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


def test_feeds_are_mapped_one_task_per_feed(dagbag):
    dag = dagbag.dags["arabic_news_daily"]
    fetch_feed = dag.get_task("fetch_feed")
    assert type(fetch_feed).__name__.endswith("MappedOperator")
    assert type(dag.get_task("fetch_articles")).__name__.endswith("MappedOperator")
    assert dag.get_task("transform").trigger_rule == "all_done"
    order = ["migrate", "start_run", "fetch_feed", "fetch_articles", "transform", "load",
             "quality_checks", "summary"]
    for upstream, downstream in zip(order, order[1:]):
        assert downstream in dag.get_task(upstream).downstream_task_ids, (upstream, downstream)


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


def test_the_load_publishes_the_warehouse_asset_the_exports_dag_waits_for(dagbag):
    from akhbar_airflow import WAREHOUSE_ASSET

    load = dagbag.dags["arabic_news_daily"].get_task("load")
    assert [a.uri for a in load.outlets] == [WAREHOUSE_ASSET.uri]
    exports = dagbag.dags["akhbar_exports"]
    assert [a.uri for a in exports.timetable.asset_condition.objects] == [WAREHOUSE_ASSET.uri]
    assert exports.get_task("export_plover").upstream_task_ids == {"refresh_views"}

"""Real runs of `arabic_news_daily` (dag.test(): the scheduler's logic, in-process) over the
sample feeds on loopback, into a real PostgreSQL, with the warehouse named by the Airflow
connection `akhbar_warehouse` as in production."""
import pendulum
import pytest

from tests.conftest import query, sample_feeds_over_http
from tests.e2e.helpers import manifest, page_url, views_snapshot

pytestmark = pytest.mark.e2e

BROKEN = [{"name": "broken-not-a-feed", "url": "{base}/README.md",
           "outlet": "Wrong URL", "allow_private_network": True}]
DAY = pendulum.datetime(2025, 12, 5, tz="UTC")


@pytest.fixture
def dag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    from tests.dags.conftest import ROOT

    return DagBag(dag_folder=str(ROOT / "dags")).dags["arabic_news_daily"]


def _states(run):
    return {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}


def asset_events(run_id: str) -> list[dict]:
    """The warehouse asset's events that a run emitted, from Airflow's metadata database."""
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        return [e.extra for e in session.scalars(select(AssetEvent).where(AssetEvent.source_run_id == run_id))]


@pytest.fixture
def feeds_with_a_broken_one(samples_server, tmp_path, monkeypatch):
    broken = [{**f, "url": f["url"].format(base=samples_server)} for f in BROKEN]
    feeds_file = sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml", broken)
    monkeypatch.setenv("AKHBAR_FEEDS", str(feeds_file))
    return feeds_file


@pytest.fixture
def alerts(monkeypatch):
    """The webhook notifier, pointed at a real receiver on loopback: what it got."""
    from tests.alert_receivers import webhook_receiver

    with webhook_receiver() as (url, posted):
        monkeypatch.setenv("AKHBAR_ALERT_NOTIFIER", "webhook")
        monkeypatch.setenv("AKHBAR_ALERT_WEBHOOK_URL", url)
        yield posted


def test_a_broken_feed_leaves_the_run_green_but_flagged(dag, warehouse_url, samples_server,
                                                        feeds_with_a_broken_one, alerts, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE", warehouse_url)
    run = dag.test(logical_date=DAY)
    states = _states(run)
    assert run.state == "success"
    assert sorted(s for (t, _), s in states.items() if t == "feed.fetch_feed") == [
        "failed", "success", "success", "success"]
    for task in ("migrate", "start_run", "fetch_articles", "transform", "load", "quality_checks", "summary"):
        assert states[(task, -1)] == "success", (task, states)
    assert asset_events(run.run_id) == [{"logical_date": "2025-12-05", "run_id": run.run_id}]
    assert alerts == []  # one dead site pages nobody

    articles = {u for (u,) in query(warehouse_url, "SELECT url FROM akhbar.articles_v")}
    assert articles == {page_url(samples_server, a) for a in manifest()}
    assert query(warehouse_url, "SELECT run_id, status, feeds_ok, feeds_failed FROM akhbar.runs_v") == [
        (run.run_id, "partial", 3, 1)]
    assert query(warehouse_url, "SELECT feed, stage FROM akhbar.quarantine_v") == [("broken-not-a-feed", "feed")]
    seed = page_url(samples_server, next(a for a in manifest() if a["page"].endswith("pk-kg-talks.html")))
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.events_v WHERE url = %s AND category = 'CONSULT'"
                                " AND actors = '{KGZ}' AND recipients = '{PAK}'", (seed,)) == [(1,)]

    # running the same logical date again changes nothing
    before = views_snapshot(warehouse_url)
    again = dag.test(logical_date=DAY)
    assert again.state == "success"
    assert views_snapshot(warehouse_url) == before
    assert query(warehouse_url, "SELECT articles_new FROM akhbar.runs_v WHERE run_id = %s",
                 (again.run_id,)) == [(0,)]


def test_a_failing_gate_fails_the_run_still_summarised_publishes_nothing_and_alerts(
        dag, warehouse_url, feeds_with_a_broken_one, alerts, monkeypatch):
    # one day of failure is enough to trip the feeds_not_failing_for_days gate
    monkeypatch.setenv("AKHBAR_FEED_FAILURE_DAYS", "1")
    monkeypatch.setenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE", warehouse_url)
    run = dag.test(logical_date=DAY)
    states = _states(run)
    assert run.state == "failed"
    assert states[("load", -1)] == "success"
    assert states[("quality_checks", -1)] == "failed"
    assert states[("summary", -1)] == "success"
    assert asset_events(run.run_id) == []
    assert query(warehouse_url, "SELECT status, finished_at IS NOT NULL FROM akhbar.runs_v") == [("failed", True)]
    assert query(warehouse_url, "SELECT check_name FROM akhbar.dq_results WHERE NOT passed") == [
        ("feeds_not_failing_for_days",)]
    ((alert,),) = [alerts]
    assert alert["subject"] == f"akhbar: arabic_news_daily run {run.run_id} failed"
    assert (alert["run_id"], alert["state"], alert["logical_date"]) == (run.run_id, "failed", "2025-12-05")


def test_the_dag_and_akhbar_run_walk_the_same_steps_into_the_same_warehouse(
        dag, samples_server, feeds_with_a_broken_one, monkeypatch):
    from akhbar.cli import main as akhbar
    from tests.conftest import new_database

    with new_database() as by_airflow, new_database() as by_cli:
        monkeypatch.setenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE", by_airflow)
        for day in (5, 6):
            run = dag.test(logical_date=pendulum.datetime(2025, 12, day, tz="UTC"))
            assert run.state == "success"
        assert akhbar(["--warehouse", by_cli, "run", "--feeds", str(feeds_with_a_broken_one),
                       "--date", "2025-12-05"]) == 0
        assert akhbar(["--warehouse", by_cli, "run", "--feeds", str(feeds_with_a_broken_one),
                       "--date", "2025-12-06"]) == 0
        assert views_snapshot(by_airflow) == views_snapshot(by_cli)
        runs = ("SELECT logical_date::text, status, feeds_ok, feeds_failed, items_seen, articles_new, events,"
                " quarantined FROM akhbar.runs_v ORDER BY 1")
        assert query(by_airflow, runs) == query(by_cli, runs)
        assert [r[1] for r in query(by_airflow, runs)] == ["partial", "partial"]
        per_feed = ("SELECT r.logical_date::text, f.name, rf.status, rf.items_seen, rf.items_new, rf.pages_ok,"
                    " rf.pages_failed FROM akhbar.run_feeds rf JOIN akhbar.runs r USING (run_id)"
                    " JOIN akhbar.feeds f USING (feed_id) ORDER BY 1, 2")
        assert query(by_airflow, per_feed) == query(by_cli, per_feed)
        tasks = "SELECT task, feed, count(*) FROM akhbar.task_metrics GROUP BY 1, 2 ORDER BY 1, 2"
        assert query(by_airflow, tasks) == query(by_cli, tasks)


def test_the_connection_decides_where_tasks_write_and_an_edit_takes_effect_next_run(
        dag, samples_server, tmp_path, monkeypatch):
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session

    from tests.conftest import new_database

    monkeypatch.setenv("AKHBAR_FEEDS", str(sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml")))
    monkeypatch.delenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE", raising=False)
    with new_database() as first, new_database() as second, new_database() as ignored:
        # the CLI's variable names a third database: inside Airflow it plays no part
        monkeypatch.setenv("AKHBAR_WAREHOUSE_URL", ignored)
        with create_session() as session:  # as the UI's connection form stores it
            session.query(Connection).filter_by(conn_id="akhbar_warehouse").delete()
            session.add(Connection(conn_id="akhbar_warehouse", uri=first.replace("postgresql://", "postgres://")))
        assert dag.test(logical_date=DAY).state == "success"
        with create_session() as session:  # edited, as in the UI
            conn = session.query(Connection).filter_by(conn_id="akhbar_warehouse").one()
            conn.schema = second.rsplit("/", 1)[1]
        assert dag.test(logical_date=DAY + pendulum.duration(days=1)).state == "success"
        with create_session() as session:
            session.query(Connection).filter_by(conn_id="akhbar_warehouse").delete()
        runs = "SELECT logical_date::text FROM akhbar.runs_v"
        assert query(first, runs) == [("2025-12-05",)]
        assert query(second, runs) == [("2025-12-06",)]
        assert query(ignored, "SELECT count(*) FROM pg_tables WHERE schemaname = 'akhbar'") == [(0,)]


def test_the_exports_dag_writes_the_file_of_the_day_it_is_given(airflow_db, warehouse_url, tmp_path,
                                                                 monkeypatch):
    import json

    import psycopg2
    from airflow.dag_processing.dagbag import DagBag

    from akhbar.config import load_feeds
    from akhbar.runner import run_pipeline
    from tests.dags.conftest import ROOT

    run_pipeline(warehouse_url, load_feeds(ROOT / "config" / "feeds.sample.yaml"), pendulum.date(2025, 12, 5),
                 exports=())
    # an event loaded after the last refresh: the exports DAG must bring it into dyad_daily_v
    with psycopg2.connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO akhbar.events (article_id, ordinal, category, event_date, actors, recipients)"
                    " SELECT min(article_id), 99, 'CONSULT', '2025-12-04', '{OMN}', '{QAT}'"
                    " FROM akhbar.articles")
    monkeypatch.setenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE", warehouse_url)
    monkeypatch.setenv("AKHBAR_EXPORT_DIR", str(tmp_path))

    exports = DagBag(dag_folder=str(ROOT / "dags")).dags["akhbar_exports"]
    run = exports.test(run_conf={"day": "2025-12-05"})
    assert {ti.task_id: ti.state for ti in run.get_task_instances()} == {
        "refresh_views": "success", "export_plover": "success"}
    assert query(warehouse_url, "SELECT events FROM akhbar.dyad_daily_v WHERE actor = 'OMN' AND recipient = 'QAT'") == [
        (1,)]
    (written,) = tmp_path.glob("plover-*.jsonl")
    assert written.name == "plover-2025-12-05.jsonl"
    records = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    expected = query(warehouse_url, "SELECT count(*) FROM akhbar.events_v e JOIN akhbar.articles_v a USING (article_id)"
                                    " WHERE COALESCE(e.event_date, a.published_at::date) BETWEEN '2025-12-04'"
                                    " AND '2025-12-05'")[0][0]
    assert len(records) == expected >= 1
    assert any(r["actor"] == [{"code": "OMN"}] and r["recipient"] == [{"code": "QAT"}] for r in records)

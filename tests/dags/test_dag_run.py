"""A real run of `arabic_news_daily` (dag.test(): the scheduler's logic, in-process) over the
sample feeds on loopback, with one broken feed, into a real PostgreSQL."""
import pendulum
import pytest

from tests.conftest import query, sample_feeds_over_http
from tests.e2e.helpers import manifest, page_url, views_snapshot

pytestmark = pytest.mark.e2e

BROKEN = [{"name": "broken-not-a-feed", "url": "{base}/README.md",
           "outlet": "Wrong URL", "allow_private_network": True}]


@pytest.fixture
def dag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    from tests.dags.conftest import ROOT

    return DagBag(dag_folder=str(ROOT / "dags")).dags["arabic_news_daily"]


def _states(run):
    return {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}


def test_dag_run_loads_the_samples_and_isolates_a_broken_feed(dag, warehouse_url, samples_server,
                                                             tmp_path, monkeypatch):
    broken = [{**f, "url": f["url"].format(base=samples_server)} for f in BROKEN]
    feeds_file = sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml", broken)
    monkeypatch.setenv("AKHBAR_FEEDS", str(feeds_file))
    monkeypatch.setenv("AKHBAR_WAREHOUSE_URL", warehouse_url)

    run = dag.test(logical_date=pendulum.datetime(2025, 12, 5, tz="UTC"))
    states = _states(run)
    feed_tasks = sorted(state for (task, _), state in states.items() if task == "fetch_feed")
    assert feed_tasks == ["failed", "success", "success", "success"]
    for task in ("migrate", "start_run", "transform", "load", "quality_checks", "summary"):
        assert states[(task, -1)] == "success", (task, states)

    articles = {u for (u,) in query(warehouse_url, "SELECT url FROM akhbar.articles_v")}
    assert articles == {page_url(samples_server, a) for a in manifest()}
    assert query(warehouse_url, "SELECT run_id, status, feeds_ok, feeds_failed FROM akhbar.runs_v") == [
        (run.run_id, "partial", 3, 1)]
    assert query(warehouse_url, "SELECT feed, stage FROM akhbar.quarantine_v") == [("broken-not-a-feed", "feed")]
    seed = page_url(samples_server, next(a for a in manifest() if a["page"].endswith("pk-kg-talks.html")))
    assert query(warehouse_url, "SELECT duplicate_of_position FROM akhbar.paragraphs_v"
                                " WHERE url = %s AND position = 10", (seed,)) == [(2,)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.events_v WHERE url = %s AND category = 'CONSULT'"
                                " AND actors = '{KGZ}' AND recipients = '{PAK}'", (seed,)) == [(1,)]

    # running the same logical date again changes nothing
    before = views_snapshot(warehouse_url)
    again = dag.test(logical_date=pendulum.datetime(2025, 12, 5, tz="UTC"))
    assert _states(again)[("summary", -1)] == "success"
    assert views_snapshot(warehouse_url) == before
    assert query(warehouse_url, "SELECT articles_new FROM akhbar.runs_v WHERE run_id = %s",
                 (again.run_id,)) == [(0,)]


def test_airflow_runs_over_a_range_leave_the_warehouse_as_a_cli_backfill(dag, samples_server, tmp_path,
                                                                         monkeypatch):
    from akhbar.cli import main as akhbar
    from tests.conftest import new_database

    feeds_file = sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml")
    monkeypatch.setenv("AKHBAR_FEEDS", str(feeds_file))
    with new_database() as by_airflow, new_database() as by_cli:
        monkeypatch.setenv("AKHBAR_WAREHOUSE_URL", by_airflow)
        for day in (5, 6):
            run = dag.test(logical_date=pendulum.datetime(2025, 12, day, tz="UTC"))
            assert _states(run)[("summary", -1)] == "success"
        assert akhbar(["--warehouse", by_cli, "run", "--feeds", str(feeds_file),
                       "--from", "2025-12-05", "--to", "2025-12-06"]) == 0
        assert views_snapshot(by_airflow) == views_snapshot(by_cli)
        runs = "SELECT logical_date::text, status, articles_new, events FROM akhbar.runs_v ORDER BY 1"
        assert query(by_airflow, runs) == query(by_cli, runs)
        assert [r[2] for r in query(by_airflow, runs)] == [len(manifest()), 0]


def test_the_exports_dag_refreshes_the_views_and_writes_the_days_plover_file(airflow_db, warehouse_url,
                                                                             tmp_path, monkeypatch):
    import json
    from datetime import timedelta

    import psycopg2
    from airflow.dag_processing.dagbag import DagBag

    from akhbar.config import load_feeds
    from akhbar.runner import run_pipeline
    from tests.dags.conftest import ROOT

    run_pipeline(warehouse_url, load_feeds(ROOT / "config" / "feeds.sample.yaml"), pendulum.date(2025, 12, 5))
    # an event of today loaded after the last refresh: the exports DAG, triggered by fresh
    # data, must bring it into dyad_daily_v and into today's export
    with psycopg2.connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO akhbar.events (article_id, ordinal, category, event_date, actors, recipients)"
                    " SELECT min(article_id), 99, 'CONSULT', (now() AT TIME ZONE 'UTC')::date, '{OMN}', '{QAT}'"
                    " FROM akhbar.articles")
    monkeypatch.setenv("AKHBAR_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("AKHBAR_EXPORT_DIR", str(tmp_path))

    exports = DagBag(dag_folder=str(ROOT / "dags")).dags["akhbar_exports"]
    run = exports.test()
    assert {ti.task_id: ti.state for ti in run.get_task_instances()} == {
        "refresh_views": "success", "export_plover": "success"}
    assert query(warehouse_url, "SELECT events FROM akhbar.dyad_daily_v WHERE actor = 'OMN' AND recipient = 'QAT'") == [
        (1,)]
    (written,) = tmp_path.glob("plover-*.jsonl")
    records = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    since = (run.run_after.date() - timedelta(days=1)).isoformat()
    expected = query(warehouse_url, "SELECT count(*) FROM akhbar.events_v e JOIN akhbar.articles_v a USING (article_id)"
                                    " WHERE COALESCE(e.event_date, a.published_at::date) >= %s", (since,))[0][0]
    assert len(records) == expected >= 1
    assert any(r["actor"] == [{"code": "OMN"}] and r["recipient"] == [{"code": "QAT"}] for r in records)
    assert all(r["event"] and r["url"] for r in records)

"""Backfills and overlapping runs on a real PostgreSQL: the warehouse ends as daily runs left it."""
import threading
from datetime import date, timedelta

import pytest

from akhbar.cli import main as akhbar
from akhbar.load.migrate import prepare_warehouse
from akhbar.models import FeedConfig
from akhbar.runner import run_pipeline
from tests.conftest import new_database, query, sample_feeds_over_http
from tests.e2e.helpers import views_snapshot
from tests.faultserver import FaultServer, payloads
from tests.ingest.test_hostile_web import _story

pytestmark = pytest.mark.integration

D1 = date(2025, 3, 2)


def _counts(url):
    tables = ["articles", "paragraphs", "events", "event_parties", "persons", "amounts",
              "article_countries", "article_sectors", "stories", "quarantine"]
    return {t: query(url, f"SELECT count(*) FROM akhbar.{t}")[0][0] for t in tables}


def test_a_date_range_is_refused_rather_than_faking_a_backfill(samples_server, tmp_path, capsys):
    """`--from/--to` used to read today's feeds once per day: nothing of those days. It now
    says so, and where real backfills are (README: Backfill), and writes nothing."""
    feeds_file = sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml")
    with new_database() as url:
        assert akhbar(["--warehouse", url, "run", "--feeds", str(feeds_file),
                       "--from", D1.isoformat(), "--to", (D1 + timedelta(days=2)).isoformat()]) == 2
        assert query(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'akhbar'") == [(0,)]
    err = capsys.readouterr().err
    assert "cannot load past days" in err and "airflow backfill create" in err and "import-archive" in err


def test_re_running_days_leaves_the_warehouse_as_one_run_did(samples_server, tmp_path):
    feeds_file = sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml")
    with new_database() as once, new_database() as thrice:
        assert akhbar(["--warehouse", once, "run", "--feeds", str(feeds_file), "--date", D1.isoformat()]) == 0
        for n in range(3):
            assert akhbar(["--warehouse", thrice, "run", "--feeds", str(feeds_file),
                           "--date", (D1 + timedelta(days=n)).isoformat()]) == 0
        assert views_snapshot(thrice) == views_snapshot(once)
        assert _counts(thrice) == _counts(once)
        assert query(thrice, "SELECT logical_date::text, status, articles_new > 0 FROM akhbar.runs_v ORDER BY 1") == [
            ("2025-03-02", "success", True), ("2025-03-03", "success", False), ("2025-03-04", "success", False)]


def test_overlapping_runs_never_duplicate_rows(samples_server, tmp_path):
    from akhbar.config import load_feeds

    feeds = load_feeds(sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml"))
    with new_database() as single, new_database() as overlapped:
        run_pipeline(single, feeds, D1)
        prepare_warehouse(overlapped)
        errors = []

        def run(run_id):
            try:
                run_pipeline(overlapped, feeds, D1, run_id=run_id)
            except Exception as exc:  # surfaced below with its run
                errors.append((run_id, exc))

        threads = [threading.Thread(target=run, args=(f"overlap-{n}",)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert _counts(overlapped) == _counts(single)
        assert views_snapshot(overlapped) == views_snapshot(single)


def test_a_feed_that_usually_yields_and_suddenly_does_not_fails_the_gate(warehouse_url):
    with FaultServer() as server:
        feed = FeedConfig("wire", server.url("/rss.xml"), "وكالة", allow_private_network=True)
        reports = []
        for day in range(8):
            items = [(f"خبر {day}", server.url(f"/{day}.html"))] if day < 7 else [("خبر 6", server.url("/6.html"))]
            server.route("/rss.xml", payloads.rss(items), content_type="application/rss+xml")
            server.route(f"/{day}.html", payloads.article_page(f"خبر {day}", _story(day)))
            reports.append(run_pipeline(warehouse_url, [feed], D1 + timedelta(days=day)))
    assert [r.quality_error is None for r in reports] == [True] * 7 + [False]
    assert "feeds_yield_as_usual: 1 finding(s) (wire)" in reports[-1].quality_error
    assert query(warehouse_url, "SELECT check_name, passed FROM akhbar.dq_results WHERE run_id = %s"
                                " AND NOT passed", (reports[-1].run_id,)) == [("feeds_yield_as_usual", False)]

"""What a run tells the outside: structured step records in the log, StatsD metrics to a
real UDP receiver on loopback (the numbers checked against the warehouse), the metric names
in the README, and progress with totals and an ETA for the long commands."""
import io
import logging
import socket
import threading
from collections import defaultdict
from datetime import date

import pytest

from akhbar import steps
from akhbar.config import load_feeds
from akhbar.observe import METRICS
from akhbar.progress import Progress
from akhbar.runner import run_pipeline
from tests.conftest import ROOT, query

pytestmark = pytest.mark.integration


@pytest.fixture
def statsd(monkeypatch):
    """A StatsD server on loopback UDP; yields the lines it received."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    lines, stop = [], threading.Event()

    def receive():
        while not stop.is_set():
            try:
                lines.append(sock.recv(65536).decode("utf-8"))
            except socket.timeout:
                continue

    thread = threading.Thread(target=receive, daemon=True)
    thread.start()
    monkeypatch.setenv("AKHBAR_STATSD_HOST", "127.0.0.1")
    monkeypatch.setenv("AKHBAR_STATSD_PORT", str(sock.getsockname()[1]))
    yield lines
    stop.set()
    thread.join(2)
    sock.close()


def _totals(lines):
    totals = defaultdict(float)
    for line in lines:
        name, rest = line.split(":", 1)
        value, kind = rest.split("|")[:2]
        if kind == "c":
            totals[name] += float(value)
    return totals


def test_a_run_sends_its_metrics_and_logs_each_step_with_its_fields(warehouse_url, statsd, caplog):
    feeds = load_feeds(ROOT / "config" / "feeds.sample.yaml")
    with caplog.at_level(logging.INFO, logger="akhbar.step"):
        report = run_pipeline(warehouse_url, feeds, date(2025, 12, 5))
    assert not report.failed
    import time
    time.sleep(0.5)  # UDP: let the receiver drain its socket
    totals = _totals(statsd)
    (events,) = query(warehouse_url, "SELECT count(*) FROM akhbar.events")[0]
    (articles,) = query(warehouse_url, "SELECT count(*) FROM akhbar.articles")[0]
    (items,) = query(warehouse_url, "SELECT sum(items_seen) FROM akhbar.run_feeds")[0]
    assert totals["akhbar.events_extracted"] == events > 0
    assert totals["akhbar.articles_loaded"] == articles
    assert totals["akhbar.items_fetched"] == items
    assert "akhbar.repeats_found" in totals
    timed = {line.split("#", 1)[1].split(",")[0] for line in statsd if line.startswith("akhbar.stage_seconds")}
    assert timed == {f"stage:{s.name}" for s in steps.DAILY + (steps.SUMMARY,)} | {"stage:refresh_views"}

    records = [r for r in caplog.records if r.name == "akhbar.step"]
    per_feed = [r for r in records if r.stage == "fetch_feed"]
    assert {(r.feed, r.url) for r in per_feed} == {(f.name, f.url) for f in feeds}
    assert all(r.counts["items_seen"] > 0 and "items_seen=" in r.getMessage() for r in per_feed)
    (load,) = [r for r in records if r.stage == "load"]
    assert load.counts["events"] == events and load.outcome == "success" and load.seconds >= 0


def test_the_readme_lists_every_metric():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in METRICS:
        assert f"`akhbar.{name}`" in readme, name


def test_progress_in_a_log_has_totals_rate_and_eta():
    out = io.StringIO()
    bar = Progress(200, "import", stream=out)
    for done in range(0, 201, 5):
        bar.update(done)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11  # every tenth of the way, not every update
    assert lines[-1].startswith("import: 200/200 (100%),") and "ETA 0:00:00" in lines[-1]
    assert "/s, elapsed " in lines[5] and "ETA" in lines[5]


def test_import_archive_shows_its_progress(tmp_path, fresh_db_url, capsys):
    from akhbar.cli import main as akhbar
    from tests.ingest.test_hostile_web import _story
    from tests.load.test_archive import _archive

    archive = _archive(tmp_path / "a.jsonl.gz", [
        {"id": str(n), "url": f"https://wire.test/{n}", "outlet": "Wire", "title": "زيارة",
         "published": "2025-03-02T08:00:00+00:00", "body": "\n\n".join(_story(n))} for n in range(1, 6)])
    assert akhbar(["--warehouse", fresh_db_url, "import-archive", "--input", str(archive), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "import: 5/5 (100%)" in err and "ETA" in err

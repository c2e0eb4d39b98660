"""What an operator does over weeks: refreshed articles, quarantine retry and purge,
feeds that keep failing. Real PostgreSQL, real loopback server, the `akhbar` CLI."""
from dataclasses import replace
from datetime import date, timedelta

import pytest

from akhbar.cli import main as akhbar
from akhbar.extract.settings import FetchSettings
from akhbar.models import FeedConfig
from akhbar.runner import run_pipeline
from tests.conftest import query
from tests.faultserver import FaultServer, faults, payloads
from tests.ingest.test_hostile_web import _story

pytestmark = pytest.mark.integration

SETTINGS = replace(FetchSettings(), read_timeout=1.0, retries=0, backoff_initial=0.01,
                   backoff_jitter=0.0, min_host_delay=0.0)
DAY = date(2025, 3, 2)


def _rss_with_dates(server, items):
    entries = "".join(
        f"<item><title>{title}</title><link>{server.url(path)}</link><description>{title}</description>"
        f"<pubDate>Sun, 02 Mar 2025 08:00:00 GMT</pubDate><atom:updated>{updated}</atom:updated></item>"
        for title, path, updated in items)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>t</title><link>{server.url('/')}</link><description>d</description>{entries}"
            "</channel></rss>").encode()


@pytest.fixture
def server():
    with FaultServer() as s:
        yield s


def _run(url, feeds, day, **kw):
    return run_pipeline(url, feeds, day, settings=SETTINGS, **kw)


def test_an_item_updated_in_its_feed_is_fetched_again_and_versioned(server, warehouse_url):
    feed = FeedConfig("wire", server.url("/rss.xml"), "وكالة", allow_private_network=True)
    first, second = _story(1), _story(2)
    server.route("/a.html", payloads.article_page("خبر", first))
    server.route("/b.html", payloads.article_page("خبر آخر", _story(3)))
    server.route("/rss.xml", _rss_with_dates(server, [("خبر", "/a.html", "2025-03-02T08:00:00Z"),
                                                     ("خبر آخر", "/b.html", "2025-03-02T08:00:00Z")]),
                 content_type="application/rss+xml")
    _run(warehouse_url, [feed], DAY)

    server.route("/a.html", payloads.article_page("خبر", [first[0], second[1]]))
    server.route("/rss.xml", _rss_with_dates(server, [("خبر", "/a.html", "2025-03-02T11:30:00Z"),
                                                     ("خبر آخر", "/b.html", "2025-03-02T08:00:00Z")]),
                 content_type="application/rss+xml")
    server.reset_log()
    report = _run(warehouse_url, [feed], DAY + timedelta(days=1))

    assert [r.path for r in server.requests() if r.path.endswith(".html")] == ["/a.html"]
    assert report.summary["articles_refreshed"] == 1
    assert query(warehouse_url, "SELECT version FROM akhbar.articles_v WHERE url LIKE '%%/a.html'") == [(2,)]
    assert query(warehouse_url, "SELECT body FROM akhbar.article_versions_v") == [("\n\n".join(first),)]
    assert [t for (t,) in query(warehouse_url, "SELECT text FROM akhbar.paragraphs_v"
                                               " WHERE url LIKE '%%/a.html' ORDER BY position")] == [first[0], second[1]]


def test_quarantined_items_are_retried_when_due_and_resolved_once_loaded(server, warehouse_url, capsys):
    feed = FeedConfig("wire", server.url("/rss.xml"), "وكالة", allow_private_network=True)
    server.route("/rss.xml", payloads.rss([("خبر", server.url("/a.html")), ("خبر آخر", server.url("/b.html"))]),
                 content_type="application/rss+xml", etag='"v1"')
    server.route("/a.html", payloads.article_page("خبر", _story(1)))
    server.route("/b.html", fault=faults.status(503))
    _run(warehouse_url, [feed], DAY)
    assert query(warehouse_url, "SELECT stage, http_status, attempts, permanent, next_retry_at > now()"
                                " FROM akhbar.quarantine_v") == [("page", 503, 1, False, True)]

    # not due yet: the next run leaves it alone
    server.reset_log()
    _run(warehouse_url, [feed], DAY + timedelta(days=1))
    assert server.count("/b.html") == 0

    assert akhbar(["--warehouse", warehouse_url, "quarantine", "list"]) == 0
    listing = capsys.readouterr().out
    assert "/b.html" in listing and "HTTP 503" in listing and "retry: auto at" in listing

    # the operator asks for a retry; the page is back
    assert akhbar(["--warehouse", warehouse_url, "quarantine", "retry", "--all"]) == 0
    assert "1 item(s) will be retried" in capsys.readouterr().out
    server.route("/b.html", payloads.article_page("خبر آخر", _story(2)))
    server.reset_log()
    report = _run(warehouse_url, [feed], DAY + timedelta(days=2))
    assert server.count("/b.html") == 1
    assert server.requests("/rss.xml")[0].status == 304  # retried without the feed's help
    assert report.summary["articles_new"] == 1
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.quarantine_v") == [(0,)]

    assert akhbar(["--warehouse", warehouse_url, "quarantine", "purge", "--resolved"]) == 0
    assert "purged 1" in capsys.readouterr().out
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.quarantine") == [(0,)]


def test_failed_attempts_back_off_exponentially(server, warehouse_url):
    feed = FeedConfig("wire", server.url("/rss.xml"), "وكالة", allow_private_network=True)
    server.route("/rss.xml", payloads.rss([("خبر", server.url("/a.html"))]), content_type="application/rss+xml")
    server.route("/a.html", fault=faults.status(500))
    delays = []
    for n in range(3):
        _run(warehouse_url, [feed], DAY + timedelta(days=n))
        delays.append(query(warehouse_url, "SELECT extract(epoch FROM next_retry_at - last_seen) / 3600"
                                           " FROM akhbar.quarantine")[0][0])
        akhbar(["--warehouse", warehouse_url, "quarantine", "retry", "--all"])
    assert [round(float(d)) for d in delays] == [6, 12, 24]
    assert query(warehouse_url, "SELECT attempts FROM akhbar.quarantine") == [(3,)]


def test_a_feed_failing_days_in_a_row_is_flagged_and_fails_the_quality_gate(server, warehouse_url, monkeypatch):
    monkeypatch.setenv("AKHBAR_FEED_FAILURE_DAYS", "3")
    good = FeedConfig("good", server.url("/rss.xml"), "وكالة", allow_private_network=True)
    dead = FeedConfig("dead", server.url("/dead.xml"), "ميتة", allow_private_network=True)
    server.route("/rss.xml", payloads.rss([("خبر", server.url("/a.html"))]), content_type="application/rss+xml")
    server.route("/a.html", payloads.article_page("خبر", _story(1)))
    server.route("/dead.xml", fault=faults.status(500))
    reports = [_run(warehouse_url, [good, dead], DAY + timedelta(days=n)) for n in range(3)]

    assert [r.quality_error is None for r in reports] == [True, True, False]
    assert "dead (3 days" in reports[-1].quality_error
    assert query(warehouse_url, "SELECT feed, consecutive_failed_days, last_status FROM akhbar.feed_health_v"
                                " ORDER BY feed") == [("dead", 3, "failed"), ("good", 0, "ok")]
    from akhbar.report import failing_feeds
    assert failing_feeds(reports[-1].summary) == [
        f"feed dead has failed 3 days in a row (last error: {reports[-1].feed_errors['dead'].split(': ', 1)[1]})"]

    # the feed recovers: the count starts again
    server.route("/dead.xml", payloads.rss([]), content_type="application/rss+xml")
    last = _run(warehouse_url, [good, dead], DAY + timedelta(days=3))
    assert last.quality_error is None
    assert query(warehouse_url, "SELECT consecutive_failed_days FROM akhbar.feed_health_v WHERE feed = 'dead'") == [(0,)]


def test_rerunning_a_day_leaves_the_warehouse_as_one_run_did(server, warehouse_url):
    feed = FeedConfig("wire", server.url("/rss.xml"), "وكالة", allow_private_network=True)
    server.route("/rss.xml", payloads.rss([("خبر", server.url("/a.html")), ("آخر", server.url("/b.html"))]),
                 content_type="application/rss+xml", etag='"v1"')
    server.route("/a.html", payloads.article_page("خبر", _story(1)))
    server.route("/b.html", "missing", status=404)
    _run(warehouse_url, [feed], DAY)
    tables = ["articles", "paragraphs", "events", "quarantine", "article_versions", "run_feeds", "runs"]
    snapshot = {t: query(warehouse_url, f"SELECT count(*) FROM akhbar.{t}") for t in tables}
    _run(warehouse_url, [feed], DAY)
    assert {t: query(warehouse_url, f"SELECT count(*) FROM akhbar.{t}") for t in tables} == snapshot
    assert query(warehouse_url, "SELECT attempts FROM akhbar.quarantine") == [(1,)]


def test_a_sites_crawl_delay_spaces_our_page_requests(server, warehouse_url):
    feed = FeedConfig("wire", server.url("/rss.xml"), "وكالة", allow_private_network=True)
    server.route("/robots.txt", payloads.robots_txt([], crawl_delay=1), content_type="text/plain")
    server.route("/rss.xml", payloads.rss([(f"خبر {n}", server.url(f"/{n}.html")) for n in range(3)]),
                 content_type="application/rss+xml")
    for n in range(3):
        server.route(f"/{n}.html", payloads.article_page(f"خبر {n}", _story(n)))
    _run(warehouse_url, [feed], DAY)
    arrivals = sorted(r.arrived for r in server.requests() if r.path.endswith(".html"))
    assert len(arrivals) == 3
    # gaps measured by the server's own clock: the crawler waited as the site asked
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 1.0

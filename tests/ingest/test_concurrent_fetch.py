"""One fetch task crawls every feed at once, each site at its own polite pace, and the
transform runs in as many worker processes as AKHBAR_TRANSFORM_WORKERS asks for."""
from contextlib import ExitStack
from dataclasses import replace
from datetime import date, datetime, timezone
from itertools import combinations

import pytest

from akhbar.extract.settings import FetchSettings
from akhbar.load.staging import StagedArticle
from akhbar.models import FeedConfig
from akhbar.runner import run_pipeline
from akhbar.transform.budget import Budget
from akhbar.transform.contract import result_to_dict
from akhbar.transform_pool import TransformPool, transform_one
from tests.conftest import query
from tests.faultserver import FaultServer, payloads
from tests.ingest.test_hostile_web import _page, _story

pytestmark = pytest.mark.integration

HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
PAGES_PER_HOST = 3
# one request at a time per host, no gap: any overlap between hosts is the fetcher's doing
SETTINGS = replace(FetchSettings(), min_host_delay=0.0, max_host_concurrency=1, retries=0)


def _slow(body: str, seconds: float = 0.3):
    """The page, after a latency (a site far away): slow enough for fetches to overlap."""
    data = body.encode("utf-8")

    def fault(handler, ctx):
        ctx.server.stop.wait(seconds)
        ctx.send_status(handler, 200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        ctx.write(handler, data)
    return fault


def _site(server: FaultServer, n: int) -> FeedConfig:
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    items = [(f"زيارة {n}-{k}", server.route(f"/p/{k}.html", fault=_slow(_page(n * 10 + k))))
             for k in range(PAGES_PER_HOST)]
    items.append(("ممنوع", server.route("/private/x.html", _page(n * 10 + 9))))
    server.route("/rss.xml", payloads.rss(items), content_type="application/rss+xml")
    return FeedConfig(f"site{n}", server.url("/rss.xml"), f"outlet {n}", allow_private_network=True)


def _overlap(a, b) -> bool:
    return a.arrived < b.ended and b.arrived < a.ended


def test_pages_of_different_hosts_are_fetched_at_once_each_host_at_its_pace(warehouse_url, monkeypatch):
    monkeypatch.setenv("AKHBAR_TRANSFORM_WORKERS", "2")
    with ExitStack() as stack:
        servers = [stack.enter_context(FaultServer(host)) for host in HOSTS]
        feeds = [_site(server, n) for n, server in enumerate(servers)]
        report = run_pipeline(warehouse_url, feeds, date(2025, 3, 2), settings=SETTINGS)
        pages = {s.host: [r for r in s.requests() if r.path.startswith("/p/")] for s in servers}
        peaks = [s.peak_concurrency() for s in servers]
        private = sum(s.count("/private/x.html") for s in servers)

    fetched = report.stages["fetch_articles"]
    assert (fetched["feeds"], fetched["pages_ok"], fetched["pages_failed"]) == (3, 9, 3)
    assert fetched["transformed"] == 9 and fetched["transform_errors"] == 0
    assert report.stages["transform"] == {"transformed": 0, "errors": 0}  # nothing was left
    assert all(len(requests) == PAGES_PER_HOST for requests in pages.values())
    # within one task, pages of different hosts were in flight at the same time...
    assert any(_overlap(a, b) for x, y in combinations(HOSTS, 2) for a in pages[x] for b in pages[y])
    # ...while each host saw one request at a time, and robots.txt still held
    assert peaks == [1, 1, 1]
    assert private == 0
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.articles_v") == [(9,)]
    assert query(warehouse_url, "SELECT feed, count(*) FROM akhbar.quarantine_v WHERE stage = 'page'"
                                " GROUP BY 1 ORDER BY 1") == [("site0", 1), ("site1", 1), ("site2", 1)]
    assert query(warehouse_url, "SELECT f.name, rf.pages_ok, rf.pages_failed FROM akhbar.run_feeds rf"
                                " JOIN akhbar.feeds f USING (feed_id) ORDER BY 1") == [
        ("site0", 3, 1), ("site1", 3, 1), ("site2", 3, 1)]


def _articles(n: int) -> list[StagedArticle]:
    now = datetime(2025, 3, 2, 8, 0, tzinfo=timezone.utc)
    return [StagedArticle(feed="wire", url=f"http://wire.test/{k}", title=f"زيارة {k}", published=now,
                          body="\n\n".join(_story(k)), fetched_at=now) for k in range(n)]


def test_the_transform_runs_in_as_many_processes_as_asked_with_the_same_results(monkeypatch):
    import os

    monkeypatch.setenv("AKHBAR_TRANSFORM_WORKERS", "2")
    articles = _articles(120)
    with TransformPool({}) as pool:
        outcomes = pool.map(articles)
    assert pool.workers == 2
    assert len(pool.pids) == 2 and os.getpid() not in pool.pids
    assert [o.article.url for o in outcomes] == [a.url for a in articles]
    assert [o.doc for o in outcomes] == [result_to_dict(transform_one(a, {}, Budget())) for a in articles]


def test_an_article_over_its_budget_fails_alone_in_a_worker():
    huge = replace(_articles(1)[0], url="http://wire.test/huge",
                   body="\n\n".join(f"فقرة رقم {n} عن التعاون" for n in range(50)))
    with TransformPool({}, Budget(max_paragraphs=20), workers=2) as pool:
        outcomes = pool.map([huge] + _articles(3))
    assert outcomes[0].doc is None and "too large" in outcomes[0].error
    assert all(o.error is None and o.doc for o in outcomes[1:])


def _transform_in_a_daemon(queue) -> None:
    import os

    articles = _articles(3)
    with TransformPool({}, workers=2) as pool:
        outcomes = pool.map(articles)
    queue.put(([o.doc for o in outcomes] == [result_to_dict(transform_one(a, {}, Budget())) for a in articles],
               [o.error for o in outcomes], pool.pids == {os.getpid()}))


def test_a_pool_in_a_daemonic_process_transforms_in_that_process():
    # Celery runs tasks in daemonic processes, which may not have children: the pool must
    # transform there itself rather than fail the task
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    daemon = ctx.Process(target=_transform_in_a_daemon, args=(queue,), daemon=True)
    daemon.start()
    same, errors, only_itself = queue.get(timeout=120)
    daemon.join(30)
    assert (same, errors, only_itself) == (True, [None] * 3, True)

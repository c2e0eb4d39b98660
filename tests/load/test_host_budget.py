"""Per-host politeness across crawlers: two pacers with nothing in common but the
warehouse (as two Celery workers, or two feeds of one site) keep one gap per host between
them, as the server sees it. Real PostgreSQL, real loopback HTTP."""
from __future__ import annotations

import threading
import time

import pytest

from akhbar.extract.http import fetch
from akhbar.extract.politeness import HostPacer
from akhbar.extract.settings import FetchSettings
from akhbar.load.host_budget import SharedHostPacer
from tests.conftest import query
from tests.faultserver import FaultServer

pytestmark = pytest.mark.integration

DELAY = 0.2
FAST = FetchSettings(connect_timeout=1.0, read_timeout=1.0, total_timeout=5.0, retries=0)


def gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [b - a for a, b in zip(ordered, ordered[1:])]


def _crawl_in_parallel(server, pacers, per_crawler=3):
    """Each pacer drives its own crawler thread over pages of the same host."""
    def crawl(n, pacer):
        for i in range(per_crawler):
            fetch(server.url(f"/c{n}/{i}"), FAST, allow_private=True, pacer=pacer)

    threads = [threading.Thread(target=crawl, args=(n, p)) for n, p in enumerate(pacers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)


@pytest.fixture
def server():
    with FaultServer() as s:
        for n in range(2):
            for i in range(3):
                s.route(f"/c{n}/{i}", "ok")
        yield s


def test_two_crawlers_share_one_gap_per_host_through_the_warehouse(server, warehouse_url):
    pacers = [SharedHostPacer(warehouse_url, min_delay=DELAY) for _ in range(2)]
    try:
        _crawl_in_parallel(server, pacers)
    finally:
        for p in pacers:
            p.close()
    assert len(server.arrivals()) == 6
    # the rate the host sees: six requests take five gaps, as from one polite crawler (turns
    # are reserved DELAY apart; arrivals add a thread's jitter, so single gaps vary a little)
    arrivals = sorted(server.arrivals())
    assert arrivals[-1] - arrivals[0] >= 5 * DELAY * 0.95
    assert min(gaps(arrivals)) >= DELAY / 4
    assert query(warehouse_url, "SELECT host FROM akhbar.host_budget") == [(server.url("").split("//")[1],)]


def test_control_crawlers_pacing_alone_multiply_the_rate(server):
    _crawl_in_parallel(server, [HostPacer(min_delay=DELAY) for _ in range(2)])
    arrivals = sorted(server.arrivals())
    assert arrivals[-1] - arrivals[0] < 5 * DELAY / 2  # each keeps its own pace: twice the rate
    assert min(gaps(arrivals)) < DELAY / 2


def test_a_retry_after_seen_by_one_crawler_holds_back_the_other(server, warehouse_url):
    first, second = (SharedHostPacer(warehouse_url, min_delay=0.01, max_wait=5) for _ in range(2))
    try:
        asked = time.monotonic()
        first.defer(server.url("/c0/0"), 0.5)
        fetch(server.url("/c1/0"), FAST, allow_private=True, pacer=second)
    finally:
        first.close()
        second.close()
    (arrived,) = server.arrivals()
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.host_budget") == [(1,)]
    assert arrived - asked >= 0.45

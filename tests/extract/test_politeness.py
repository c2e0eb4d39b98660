"""HostPacer through fetch(): gaps and concurrency as the server saw them, Retry-After."""
from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from akhbar.extract.errors import HostThrottled, HttpStatusError
from akhbar.extract.http import fetch
from akhbar.extract.politeness import HostPacer, host_key
from tests.faultserver import faults

pytestmark = pytest.mark.integration

DELAY = 0.15


def gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [b - a for a, b in zip(ordered, ordered[1:])]


def test_host_key_normalises_scheme_ports_and_case():
    assert host_key("http://News.Example/a") == "news.example:80"
    assert host_key("https://news.example/a") == "news.example:443"
    assert host_key("http://news.example:8080/a") == "news.example:8080"
    assert host_key("http://user:pw@news.example/") == "news.example:80"


def test_minimum_delay_between_requests_to_one_host(fault_server, fast):
    for n in range(4):
        fault_server.route(f"/p{n}", "ok")
    pacer = HostPacer(min_delay=DELAY)
    for n in range(4):
        fetch(fault_server.url(f"/p{n}"), fast, allow_private=True, pacer=pacer)
    spacing = gaps(fault_server.arrivals())
    assert len(spacing) == 3 and min(spacing) >= DELAY


def test_delay_holds_across_threads(fault_server, fast):
    fault_server.route("/t", "ok")
    pacer = HostPacer(min_delay=DELAY, max_concurrency=4)
    threads = [threading.Thread(target=fetch, args=(fault_server.url("/t"), fast),
                                kwargs={"allow_private": True, "pacer": pacer}) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert fault_server.count("/t") == 4
    assert min(gaps(fault_server.arrivals("/t"))) >= DELAY


def test_without_a_pacer_requests_are_not_spaced(fault_server, fast):
    """The control for the tests above: the server does see back-to-back requests."""
    fault_server.route("/u", "ok")
    for _ in range(4):
        fetch(fault_server.url("/u"), fast, allow_private=True)
    assert min(gaps(fault_server.arrivals("/u"))) < DELAY


@pytest.mark.parametrize("cap", [1, 2])
def test_concurrency_cap_per_host(fault_server, fast, cap):
    # Each answer is held back so that the requests overlap unless the pacer serialises them.
    def slow_ok(handler, ctx):
        ctx.server.stop.wait(0.25)
        faults.status(200, body=b"late")(handler, ctx)
    fault_server.route("/slow", fault=slow_ok)
    pacer = HostPacer(min_delay=0, max_concurrency=cap)
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        fetch(fault_server.url("/slow"), fast, allow_private=True, pacer=pacer).body)) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == [b"late"] * 5
    assert fault_server.peak_concurrency() == cap


def test_concurrency_without_cap_overlaps(fault_server, fast):
    """Control: with no cap, the held answers above do overlap at the server."""
    def slow_ok(handler, ctx):
        ctx.server.stop.wait(0.25)
        faults.status(200, body=b"late")(handler, ctx)
    fault_server.route("/slow", fault=slow_ok)
    threads = [threading.Thread(target=fetch, args=(fault_server.url("/slow"), fast),
                                kwargs={"allow_private": True}) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert fault_server.peak_concurrency() > 2


def test_redirect_hops_are_paced_too(fault_server, fast):
    fault_server.route("/end", "done")
    start = fault_server.redirect_chain("/r", 3, final="/end")
    pacer = HostPacer(min_delay=DELAY)
    assert fetch(start, fast, allow_private=True, pacer=pacer).body == b"done"
    assert fault_server.count() == 5
    assert min(gaps(fault_server.arrivals())) >= DELAY


def test_retry_after_pushes_the_host_back(fault_server, fast):
    settings = replace(fast, retries=1, max_retry_after=2.0)
    fault_server.route("/busy", "fine", fault=faults.status(429, retry_after=1), times=1)
    fault_server.route("/other", "also fine")
    pacer = HostPacer(min_delay=0)
    assert fetch(fault_server.url("/busy"), settings, allow_private=True, pacer=pacer).body == b"fine"
    first, second = fault_server.arrivals("/busy")
    assert second - first >= 1.0
    # Another page of the same host also waited for the Retry-After.
    fault_server.reset_log()
    fault_server.route("/busy2", "x", fault=faults.status(503, retry_after=1), times=1)
    with pytest.raises(HttpStatusError):
        fetch(fault_server.url("/busy2"), replace(settings, retries=0), allow_private=True, pacer=pacer)
    refused_at = fault_server.arrivals("/busy2")[0]
    fetch(fault_server.url("/other"), settings, allow_private=True, pacer=pacer)
    assert fault_server.arrivals("/other")[0] - refused_at >= 1.0


def test_a_long_retry_after_fails_other_items_fast(fault_server, fast):
    fault_server.route("/limited", fault=faults.status(429, retry_after=3600))
    fault_server.route("/next", "never asked")
    pacer = HostPacer.from_settings(replace(fast, min_host_delay=0))
    with pytest.raises(HttpStatusError) as caught:
        fetch(fault_server.url("/limited"), fast, allow_private=True, pacer=pacer)
    assert caught.value.retry_after == 3600 and not caught.value.permanent
    with pytest.raises(HostThrottled, match="longer than") as throttled:
        fetch(fault_server.url("/next"), fast, allow_private=True, pacer=pacer)
    assert not throttled.value.permanent
    assert fault_server.count("/next") == 0
    assert pacer.next_allowed_in(fault_server.url("/next")) > 3000


def test_hosts_are_paced_independently(fault_server, fast):
    fault_server.route("/a", "a")
    pacer = HostPacer(min_delay=30.0, max_wait=60.0)
    pacer.defer("http://other.example/", 30.0)
    # 127.0.0.1 is not held back by another host's pause.
    fetch(fault_server.url("/a"), fast, allow_private=True, pacer=pacer)
    assert fault_server.count("/a") == 1
    assert pacer.next_allowed_in("http://other.example/x") > 20

"""fetch() against the fault server: what is retried, what is not, and what is refused.

Counts come from the server's own request log, so "not retried" means the server saw
one request, and "refused" means it saw none.
"""
from __future__ import annotations

import errno
import gzip
import socket
import time
import tracemalloc
from dataclasses import replace
from datetime import datetime, timezone

import pytest
import urllib3.util.connection

from akhbar.extract import addresses
from akhbar.extract.errors import (BlockedAddress, FeedParseError, FetchError, HttpStatusError,
                                   ResponseTooLarge, TooManyRedirects)
from akhbar.extract.feeds import parse_feed
from akhbar.extract.http import fetch
from akhbar.models import FeedConfig
from tests.faultserver import faults, payloads

pytestmark = pytest.mark.integration

FEED = FeedConfig(name="faults", url="http://127.0.0.1/rss.xml", outlet="o")
TEXT = "وقّع وزيرا خارجية البلدين مذكرة تفاهم للتشاور السياسي المنتظم. " * 40


@pytest.fixture
def connections(monkeypatch):
    """Every address urllib3 opened a TCP connection to (a spy; connections still happen)."""
    opened: list[tuple[str, int]] = []
    real = urllib3.util.connection.create_connection

    def spy(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    # urllib3.connection imported the function by name.
    monkeypatch.setattr("urllib3.connection.connection.create_connection", spy)
    return opened


# -- permanent: asked once ---------------------------------------------------------------
@pytest.mark.parametrize("status", [404, 410, 400, 401, 403])
def test_permanent_statuses_are_not_retried(fault_server, fast, status):
    fault_server.route("/gone", fault=faults.status(status))
    with pytest.raises(HttpStatusError) as caught:
        fetch(fault_server.url("/gone"), fast, allow_private=True)
    assert caught.value.permanent and caught.value.status == status
    assert f"HTTP {status}" in str(caught.value) and "(permanent)" in str(caught.value)
    assert fault_server.count("/gone") == 1


@pytest.mark.parametrize("body", [payloads.malformed_xml(), payloads.truncated_xml(keep=0.1),
                                  b"<html><body>Service unavailable</body></html>"],
                         ids=["malformed", "truncated-before-items", "html"])
def test_unparseable_feed_is_fetched_once_and_fails_permanently(fault_server, fast, body):
    url = fault_server.route("/rss.xml", body, content_type="application/rss+xml")
    response = fetch(url, fast, allow_private=True)
    with pytest.raises(FeedParseError) as caught:
        parse_feed(response.body, FEED, response.url, charset=response.charset)
    assert caught.value.permanent and "/rss.xml" in str(caught.value)
    assert fault_server.count("/rss.xml") == 1


def test_truncated_feed_keeps_the_items_before_the_cut(fault_server, fast):
    doc = payloads.rss([(f"خبر {n}", f"http://news.example/{n}") for n in range(6)])
    url = fault_server.route("/rss.xml", payloads.truncated_xml(doc, keep=0.7), content_type="application/rss+xml")
    items = parse_feed(fetch(url, fast, allow_private=True).body, FEED, url)
    assert 0 < len(items) < 6
    assert [i.url for i in items] == [f"http://news.example/{n}" for n in range(len(items))]


# -- transient: retried ------------------------------------------------------------------
@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_transient_statuses_are_retried_then_raised(fault_server, fast, status):
    fault_server.route("/down", fault=faults.status(status, retry_after=0 if status in (429, 503) else None))
    with pytest.raises(HttpStatusError) as caught:
        fetch(fault_server.url("/down"), fast, allow_private=True)
    assert not caught.value.permanent and caught.value.status == status
    assert fault_server.count("/down") == fast.retries + 1


@pytest.mark.parametrize("status, failures", [(503, 1), (500, 2), (429, 2)])
def test_transient_then_ok_succeeds(fault_server, fast, status, failures):
    url = fault_server.route("/flaky", "بخير", fault=faults.status(status, retry_after=0), times=failures)
    response = fetch(url, fast, allow_private=True)
    assert response.body.decode() == "بخير"
    assert [r.status for r in fault_server.requests("/flaky")] == [status] * failures + [200]


def test_retry_after_is_waited_for(fault_server, fast):
    url = fault_server.route("/later", "ok", fault=faults.status(503, retry_after=1), times=1)
    assert fetch(url, fast, allow_private=True).body == b"ok"
    first, second = fault_server.arrivals("/later")
    assert second - first >= 1.0


def test_connection_dropped_mid_body_is_retried(fault_server, fast):
    url = fault_server.route("/cut", TEXT, fault=faults.drop(after_bytes=500), times=1)
    assert fetch(url, fast, allow_private=True).body.decode() == TEXT
    assert [r.bytes_sent for r in fault_server.requests("/cut")] == [500, len(TEXT.encode())]


def test_connection_always_dropped_gives_up_as_transient(fault_server, fast):
    fault_server.route("/cut", fault=faults.drop(after_bytes=500))
    with pytest.raises(FetchError, match="interrupted") as caught:
        fetch(fault_server.url("/cut"), fast, allow_private=True)
    assert not caught.value.permanent
    assert fault_server.count("/cut") == fast.retries + 1


@pytest.mark.parametrize("after_headers", [False, True], ids=["before-headers", "mid-body"])
def test_a_hang_times_out(fault_server, fast, after_headers):
    settings = replace(fast, read_timeout=0.2, retries=0)
    fault_server.route("/hang", fault=faults.hang(10, after_headers=after_headers))
    with pytest.raises(FetchError, match="timed out|interrupted") as caught:
        fetch(fault_server.url("/hang"), settings, allow_private=True)
    assert not caught.value.permanent
    assert fault_server.count("/hang") == 1


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_a_drip_is_cut_off_at_the_total_timeout(fault_server, fast, in_headers):
    # A byte every 0.1 s keeps each read well under read_timeout; only the hop's total
    # budget can end it. The deadline used to be checked after a whole chunk (64 KB by
    # default: days at this pace) and never while the headers came in.
    settings = replace(fast, read_timeout=1.0, total_timeout=1.0, retries=2, chunk_size=64 * 1024)
    fault_server.route("/drip", fault=faults.drip(0.1, size=600, in_headers=in_headers))
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 1.0 s") as caught:
        fetch(fault_server.url("/drip"), settings, allow_private=True)
    assert time.monotonic() - started < 2.0
    assert not caught.value.permanent  # a slow day at the site; a later run may do better
    assert fault_server.count("/drip") == 1  # but not in this run: a retry would cost as much again


def test_a_hang_is_retried_like_other_transient_failures(fault_server, fast):
    url = fault_server.route("/hang", "awake", fault=faults.hang(10), times=1)
    assert fetch(url, replace(fast, read_timeout=0.2), allow_private=True).body == b"awake"
    assert fault_server.count("/hang") == 2


# -- limits --------------------------------------------------------------------------------
def test_endless_body_stops_at_the_cap_with_bounded_memory(fault_server, fast):
    limit = 200 * 1024 * 1024
    fault_server.route("/endless", fault=faults.endless(limit))
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge) as caught:
            fetch(fault_server.url("/endless"), fast, allow_private=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.permanent and caught.value.limit == fast.max_bytes
    assert peak < 4 * fast.max_bytes
    assert fault_server.count("/endless") == 1
    fault_server.wait_idle()
    assert fault_server.bytes_sent("/endless") < limit / 10


def test_gzip_bomb_stops_at_the_cap_on_decoded_bytes(fault_server, fast):
    decoded = 200 * 1024 * 1024
    fault_server.route("/bomb", fault=faults.gzip_bomb(decoded))
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge) as caught:
            fetch(fault_server.url("/bomb"), fast, allow_private=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # What was sent compressed is far under the cap: the cap counted decoded bytes.
    assert fault_server.bytes_sent("/bomb") < fast.max_bytes
    assert caught.value.received > fast.max_bytes
    assert peak < 4 * fast.max_bytes


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_compressed_bodies_are_decoded(fault_server, fast, coding):
    url = fault_server.route("/z", TEXT, encoding=coding)
    response = fetch(url, fast, allow_private=True)
    assert response.body.decode() == TEXT
    assert coding in fault_server.requests("/z")[0].headers["Accept-Encoding"]
    assert fault_server.bytes_sent("/z") < len(TEXT.encode()) / 5  # it did travel compressed


def test_announced_compressed_size_is_not_trusted_for_the_cap(fault_server, fast):
    small = gzip.compress(b"x" * (fast.max_bytes * 2))
    fault_server.route("/gz", small, headers={"Content-Encoding": "gzip"}, charset=None)
    with pytest.raises(ResponseTooLarge, match="aborted after"):
        fetch(fault_server.url("/gz"), fast, allow_private=True)


# -- redirects -----------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/iam/", "http://10.0.0.1/admin",
                                    "http://[::1]:8080/", "http://localhost:22/", "http://[fd00:ec2::254]/"])
def test_redirect_to_private_or_metadata_address_is_refused(fault_server, fast, connections, target):
    # The feed's own host is trusted (allow_private_network), nothing else is.
    fault_server.redirect("/item", target)
    with pytest.raises(BlockedAddress, match="non-public address") as caught:
        fetch(fault_server.url("/item"), fast, private_hosts=frozenset({addresses.origin(fault_server.base)}))
    assert caught.value.permanent
    assert connections == [("127.0.0.1", fault_server.port)]  # only the feed's own host
    assert fault_server.count("/item") == 1


@pytest.mark.parametrize("link", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                                  "https://192.168.1.1/admin", "http://[::ffff:127.0.0.1]/"])
def test_item_link_to_a_private_address_is_never_connected(fast, connections, link):
    with pytest.raises(BlockedAddress):
        fetch(link, fast)
    assert connections == []


def test_a_rebinding_name_is_resolved_once_and_never_reaches_loopback(fault_server, fast, monkeypatch):
    # The public internet, modelled: a DNS name that answers a public address to the first
    # question and 127.0.0.1 afterwards (DNS rebinding), and public hosts that cannot be
    # reached from the test machine. The fetch must connect to the address it vetted; it
    # used to resolve again, send the request to loopback and only then check the peer.
    real_dns, real_connect = socket.getaddrinfo, urllib3.util.connection.create_connection
    asked: list[str] = []

    def rebinding_dns(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real_dns(host, port, *args, **kwargs)
        asked.append(host)
        address = "93.184.216.34" if len(asked) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    opened: list[tuple] = []

    def internet(address, *args, **kwargs):
        opened.append(address)
        if address[0] == "93.184.216.34":
            raise OSError(errno.ENETUNREACH, "public internet not reachable from the test")
        return real_connect(address, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    monkeypatch.setattr("urllib3.connection.connection.create_connection", internet)
    fault_server.route("/secret", "internal")
    with pytest.raises(FetchError):
        fetch(f"http://rebind.test:{fault_server.port}/secret", replace(fast, retries=0))
    assert fault_server.count() == 0
    assert opened == [("93.184.216.34", fault_server.port)]
    assert asked == ["rebind.test"]


def test_redirect_to_metadata_refused_before_connecting(fault_server, fast, connections):
    fault_server.redirect("/item", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedAddress, match="169.254.169.254"):
        fetch(fault_server.url("/item"), fast, private_hosts=frozenset({addresses.origin(fault_server.base)}))
    assert connections == [("127.0.0.1", fault_server.port)]
    assert fault_server.count() == 1


def test_redirect_loop(fault_server, fast):
    url = fault_server.redirect_loop("/a", "/b")
    with pytest.raises(TooManyRedirects, match="redirect loop") as caught:
        fetch(url, fast, allow_private=True)
    assert caught.value.permanent
    assert (fault_server.count("/a"), fault_server.count("/b")) == (1, 1)


def test_redirect_chain_over_the_cap(fault_server, fast):
    url = fault_server.redirect_chain("/hop", 12)
    with pytest.raises(TooManyRedirects, match=f"more than {fast.max_redirects} redirects"):
        fetch(url, fast, allow_private=True)
    assert fault_server.count() == fast.max_redirects + 1


# -- conditional GET -----------------------------------------------------------------------
def test_conditional_get_with_etag_costs_no_body(fault_server, fast):
    url = fault_server.route("/rss.xml", payloads.rss([("خبر", "http://news.example/1")]),
                             content_type="application/rss+xml", etag='"v7"')
    first = fetch(url, fast, allow_private=True)
    assert first.status == 200 and first.headers["ETag"] == '"v7"'
    second = fetch(url, fast, allow_private=True, headers={"If-None-Match": first.headers["ETag"]})
    assert (second.status, second.body) == (304, b"")
    assert [r.bytes_sent for r in fault_server.requests("/rss.xml")] == [len(first.body), 0]


def test_conditional_get_with_last_modified(fault_server, fast):
    stamp = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
    url = fault_server.route("/rss.xml", b"<rss/>", last_modified=stamp)
    first = fetch(url, fast, allow_private=True)
    since = first.headers["Last-Modified"]
    assert fetch(url, fast, allow_private=True, headers={"If-Modified-Since": since}).status == 304
    older = "Sat, 31 Oct 2026 08:00:00 GMT"
    assert fetch(url, fast, allow_private=True, headers={"If-Modified-Since": older}).status == 200

"""The fault server itself: the tests above rely on its log and its faults being exact."""
from __future__ import annotations

import gzip
import http.client
import threading

import pytest
import requests

from tests.faultserver import FaultServer, faults, payloads

pytestmark = pytest.mark.integration


def raw_get(server: FaultServer, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_context_manager_serves_and_closes():
    with FaultServer() as server:
        url = server.route("/x", "نص", charset="utf-8")
        response = requests.get(url, timeout=5)
        assert (response.status_code, response.text) == (200, "نص")
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=1)


def test_request_log(fault_server):
    fault_server.route("/a", b"12345")
    raw_get(fault_server, "/a?x=1", {"X-Test": "yes"})
    raw_get(fault_server, "/missing")
    (first,) = fault_server.requests("/a")
    assert (first.method, first.path, first.query, first.status, first.bytes_sent) == ("GET", "/a", "x=1", 200, 5)
    assert first.headers["X-Test"] == "yes"
    assert fault_server.count() == 2 and fault_server.count("/missing") == 1
    assert fault_server.requests("/missing")[0].status == 404
    assert fault_server.bytes_sent("/a") == 5
    fault_server.reset_log()
    assert fault_server.count() == 0 and fault_server.bytes_sent() == 0


def test_missing_and_wrong_charset_labels(fault_server):
    fault_server.route("/none", "نص", charset=None, body_encoding="cp1256")
    fault_server.route("/wrong", "نص", charset="utf-8", body_encoding="cp1256")
    none, wrong = raw_get(fault_server, "/none"), raw_get(fault_server, "/wrong")
    assert none.getheader("Content-Type") == "text/html" and none.body == "نص".encode("cp1256")
    assert wrong.getheader("Content-Type") == "text/html; charset=utf-8" and wrong.body == "نص".encode("cp1256")


def test_conditional_get(fault_server):
    fault_server.route("/f", b"feed", etag='"abc"', last_modified="Sun, 01 Nov 2026 08:00:00 GMT")
    assert raw_get(fault_server, "/f").getheader("ETag") == '"abc"'
    assert raw_get(fault_server, "/f", {"If-None-Match": '"abc"'}).status == 304
    assert raw_get(fault_server, "/f", {"If-None-Match": '"old"'}).status == 200
    # If-None-Match outranks If-Modified-Since.
    assert raw_get(fault_server, "/f", {"If-None-Match": '"old"',
                                        "If-Modified-Since": "Mon, 02 Nov 2026 08:00:00 GMT"}).status == 200
    assert raw_get(fault_server, "/f", {"If-Modified-Since": "Sun, 01 Nov 2026 08:00:00 GMT"}).status == 304
    assert raw_get(fault_server, "/f", {"If-Modified-Since": "Sat, 31 Oct 2026 08:00:00 GMT"}).status == 200
    assert [r.bytes_sent for r in fault_server.requests("/f")] == [4, 0, 4, 4, 0, 4]


def test_encoding_only_when_accepted(fault_server):
    fault_server.route("/z", b"a" * 1000, encoding="gzip")
    plain = raw_get(fault_server, "/z")
    packed = raw_get(fault_server, "/z", {"Accept-Encoding": "br, gzip"})
    assert plain.getheader("Content-Encoding") is None and plain.body == b"a" * 1000
    assert packed.getheader("Content-Encoding") == "gzip" and gzip.decompress(packed.body) == b"a" * 1000


def test_fault_for_the_first_n_requests_then_ok(fault_server):
    fault_server.route("/n", b"ok", fault=faults.status(429, retry_after=7), times=2)
    answers = [raw_get(fault_server, "/n") for _ in range(3)]
    assert [a.status for a in answers] == [429, 429, 200]
    assert answers[0].getheader("Retry-After") == "7"


def test_endless_stream_stops_when_the_client_leaves(fault_server):
    fault_server.route("/e", fault=faults.endless(1 << 30))
    with requests.get(fault_server.url("/e"), stream=True, timeout=5) as response:
        next(response.iter_content(1024))
    assert fault_server.wait_idle(5)
    assert 0 < fault_server.bytes_sent("/e") < 64 * 1024 * 1024


def test_gzip_bomb_is_small_on_the_wire(fault_server):
    fault_server.route("/b", fault=faults.gzip_bomb(50 * 1024 * 1024))
    response = raw_get(fault_server, "/b")
    assert response.getheader("Content-Encoding") == "gzip"
    assert len(response.body) < 100 * 1024
    assert fault_server.bytes_sent("/b") == len(response.body)


def test_peak_concurrency_counts_overlapping_requests(fault_server):
    def held(handler, ctx):
        ctx.server.stop.wait(0.2)
        faults.status(200)(handler, ctx)
    fault_server.route("/h", fault=held)
    threads = [threading.Thread(target=raw_get, args=(fault_server, "/h")) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert fault_server.peak_concurrency() == 3
    raw_get(fault_server, "/h")
    fault_server.reset_log()
    raw_get(fault_server, "/h")
    assert fault_server.peak_concurrency() == 1


def test_payloads_are_what_they_claim():
    assert b"<!ENTITY lol9" in payloads.billion_laughs() and b"&lol9;" in payloads.billion_laughs()
    assert b'SYSTEM "file:///etc/passwd"' in payloads.external_entity()
    full = payloads.rss([("a", "http://x.example/1")])
    assert full.startswith(payloads.truncated_xml(full)) and len(payloads.truncated_xml(full)) < len(full)
    assert b"Disallow: /private/" in payloads.robots_txt(["/private/"])

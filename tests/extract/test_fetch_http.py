"""fetch() against a real loopback server: limits, retries, redirects, address policy."""
from __future__ import annotations

import ipaddress
import logging
import time

import pytest

from akhbar.extract import addresses
from akhbar.extract.errors import (BlockedAddress, FetchError, HttpStatusError, ResponseTooLarge,
                                   TooManyRedirects)
from akhbar.extract.http import fetch, make_session, parse_content_type
from akhbar.extract.settings import FetchSettings

from .conftest import gzip_bomb, slow, status_only, stream_forever

pytestmark = pytest.mark.integration


def test_fetches_body_headers_and_charset(site, fast):
    url = site.static("/page", "نص".encode("cp1256"), "text/html; charset=Windows-1256")
    response = fetch(url, fast, allow_private=True)
    assert response.status == 200
    assert response.body == "نص".encode("cp1256")
    assert (response.content_type, response.charset) == ("text/html", "windows-1256")
    assert response.url == url


def test_sends_the_crawler_user_agent(site, fast):
    url = site.static("/ua", b"ok")
    fetch(url, fast, allow_private=True)
    assert site.request_headers["/ua"]["User-Agent"].startswith("akhbar/0.1 (+https://")


def test_reuses_a_caller_session(site, fast):
    url = site.static("/s", b"ok")
    with make_session(fast) as session:
        assert fetch(url, fast, allow_private=True, session=session).body == b"ok"
        assert fetch(url, fast, allow_private=True, session=session).body == b"ok"


def test_gzip_is_decoded(site, fast):
    import gzip
    url = site.static("/gz", gzip.compress("مرحبا".encode()), headers={"Content-Encoding": "gzip"})
    assert fetch(url, fast, allow_private=True).body == "مرحبا".encode()


def test_size_cap_is_enforced_while_streaming(site, fast):
    total = 64 * 1024 * 1024
    site.routes["/huge"] = stream_forever(site, "/huge", total)
    with pytest.raises(ResponseTooLarge) as caught:
        fetch(site.url("/huge"), fast, allow_private=True)
    error = caught.value
    assert error.permanent and error.limit == fast.max_bytes
    assert fast.max_bytes < error.received <= fast.max_bytes + fast.chunk_size
    assert "too large" in str(error)
    assert site.streaming_done.wait(5)
    assert site.streamed["/huge"] < total  # the server was cut off, not drained


def test_announced_oversize_is_refused_before_download(site, fast):
    url = site.static("/big", b"x" * (fast.max_bytes + 1))
    with pytest.raises(ResponseTooLarge, match="announced"):
        fetch(url, fast, allow_private=True)


def test_decompression_bomb_is_capped(site, fast):
    site.routes["/bomb"] = gzip_bomb(8 * fast.max_bytes)
    with pytest.raises(ResponseTooLarge):
        fetch(site.url("/bomb"), fast, allow_private=True)


def test_redirects_are_followed_to_the_final_url(site, fast):
    final = site.static("/final", b"done")
    site.redirect("/moved", "/final", status=301)
    response = fetch(site.url("/moved"), fast, allow_private=True)
    assert (response.url, response.body) == (final, b"done")


def test_redirect_loop_is_reported(site, fast):
    site.redirect("/loop-a", "/loop-b")
    site.redirect("/loop-b", "/loop-a")
    with pytest.raises(TooManyRedirects, match="redirect loop") as caught:
        fetch(site.url("/loop-a"), fast, allow_private=True)
    assert caught.value.permanent
    assert site.hits["/loop-a"] == 1  # permanent: not retried


def test_redirect_chain_longer_than_the_cap(site, fast):
    for n in range(10):
        site.redirect(f"/hop{n}", f"/hop{n + 1}")
    with pytest.raises(TooManyRedirects, match="more than 5 redirects"):
        fetch(site.url("/hop0"), fast, allow_private=True)


def test_each_redirect_hop_is_checked(site, fast, monkeypatch):
    # Pretend the test server's address is public so that only the hop is private.
    monkeypatch.setattr(addresses, "is_public_ip", lambda ip: ip == ipaddress.ip_address("127.0.0.1"))
    site.redirect("/to-lan", "http://10.1.2.3/admin")
    with pytest.raises(BlockedAddress, match="10.1.2.3"):
        fetch(site.url("/to-lan"), fast)


def test_redirect_to_a_local_file_is_refused(site, fast):
    site.redirect("/to-file", "file:///etc/passwd")
    with pytest.raises(BlockedAddress):
        fetch(site.url("/to-file"), fast, allow_private=True, allow_file=True)


def test_404_is_permanent_and_not_retried(site, fast):
    with pytest.raises(HttpStatusError) as caught:
        fetch(site.url("/missing"), fast, allow_private=True)
    assert (caught.value.status, caught.value.permanent) == (404, True)
    assert "HTTP 404" in str(caught.value)
    assert site.hits["/missing"] == 1


def test_503_then_200_is_retried(site, fast):
    url = site.sequence("/flaky", status_only(503, {"Retry-After": "0"}),
                        lambda h: site.routes["/ok"](h))
    site.static("/ok", b"recovered")
    assert fetch(url, fast, allow_private=True).body == b"recovered"
    assert site.hits["/flaky"] == 2


def test_persistent_5xx_gives_up_as_transient(site, fast):
    site.routes["/down"] = status_only(502)
    with pytest.raises(HttpStatusError) as caught:
        fetch(site.url("/down"), fast, allow_private=True)
    assert (caught.value.status, caught.value.permanent) == (502, False)
    assert site.hits["/down"] == fast.retries + 1


def test_long_retry_after_is_not_waited_for(site, fast):
    site.routes["/busy"] = status_only(429, {"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(HttpStatusError) as caught:
        fetch(site.url("/busy"), fast, allow_private=True)
    assert not caught.value.permanent and caught.value.retry_after == 3600
    assert site.hits["/busy"] == 1 and time.monotonic() - started < 1


def test_slow_server_times_out_as_transient(site):
    settings = FetchSettings(read_timeout=0.2, retries=1, backoff_initial=0.01, backoff_max=0.01, backoff_jitter=0)
    site.routes["/slow"] = slow(site, 3)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as caught:
        fetch(site.url("/slow"), settings, allow_private=True)
    assert not caught.value.permanent
    assert site.hits["/slow"] == 2
    assert time.monotonic() - started < 2


def test_conditional_request_returns_304(site, fast):
    site.routes["/cond"] = status_only(304, {"ETag": '"v1"'})
    response = fetch(site.url("/cond"), fast, allow_private=True, headers={"If-None-Match": '"v1"'})
    assert (response.status, response.body, response.headers["ETag"]) == (304, b"", '"v1"')
    assert site.request_headers["/cond"]["If-None-Match"] == '"v1"'


def test_loopback_is_refused_by_default(site, fast):
    url = site.static("/private", b"secret")
    with pytest.raises(BlockedAddress, match="non-public address 127.0.0.1") as caught:
        fetch(url, fast)
    assert caught.value.permanent
    assert site.hits["/private"] == 0  # refused before connecting


def test_loopback_allowed_explicitly_or_by_environment(site, fast, monkeypatch):
    url = site.static("/private", b"ok")
    assert fetch(url, fast, allow_private=True).body == b"ok"
    monkeypatch.setenv("AKHBAR_ALLOW_PRIVATE_NETWORKS", "1")
    assert fetch(url, fast).body == b"ok"


def test_feed_own_private_origin_only(site, fast):
    from akhbar.models import FeedConfig
    feed = FeedConfig(name="local", url=site.url("/rss.xml"), outlet="o", allow_private_network=True)
    hosts = addresses.private_hosts_for(feed)
    assert hosts == frozenset({site.url("")})  # scheme, host and port: the origin
    url = site.static("/item", b"ok")
    assert fetch(url, fast, private_hosts=hosts).body == b"ok"
    site.redirect("/elsewhere", url.replace("127.0.0.1", "localhost"))
    with pytest.raises(BlockedAddress, match="localhost"):
        fetch(site.url("/elsewhere"), fast, private_hosts=hosts)
    assert addresses.private_hosts_for(FeedConfig(name="x", url=feed.url, outlet="o")) == frozenset()


def test_another_port_of_the_feeds_host_stays_refused(site, fast):
    # allow_private_network once let items reach any port of the feed's host (a database,
    # an admin console on 127.0.0.1); the allowance is the feed's origin only.
    from akhbar.models import FeedConfig
    from tests.faultserver import FaultServer
    feed = FeedConfig(name="local", url=site.url("/rss.xml"), outlet="o", allow_private_network=True)
    with FaultServer() as other:
        other.route("/admin", "secret")
        with pytest.raises(BlockedAddress, match="non-public address 127.0.0.1"):
            fetch(other.url("/admin"), fast, private_hosts=addresses.private_hosts_for(feed))
        assert other.count() == 0


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                                     "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1",
                                     # NAT64 of loopback, local-use NAT64, IPv4-compatible, IPv4-translated,
                                     # site-local, 6to4 of loopback, Teredo, multicast: all passed as public
                                     "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::a00:1", "::7f00:1",
                                     "::a9fe:a9fe", "::ffff:0:7f00:1", "fec0::1", "2002:7f00:1::", "2001::1",
                                     "ff02::1", "192.88.99.1"])
def test_non_public_addresses(address):
    assert not addresses.is_public_ip(ipaddress.ip_address(address))


def test_public_addresses():
    assert addresses.is_public_ip(ipaddress.ip_address("93.184.216.34"))
    assert addresses.is_public_ip(ipaddress.ip_address("2606:4700::1111"))
    assert addresses.is_public_ip(ipaddress.ip_address("64:ff9b::5db8:d822"))  # NAT64 of a public address


def test_file_urls_need_allow_file(tmp_path, fast):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(b"<rss/>")
    with pytest.raises(BlockedAddress, match="file://"):
        fetch(feed.as_uri(), fast)
    response = fetch(feed.as_uri(), fast, allow_file=True)
    assert (response.status, response.body, response.content_type) == (200, b"<rss/>", "application/xml")


def test_file_urls_obey_the_size_cap_and_report_missing_files(tmp_path, fast):
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * (fast.max_bytes + 10))
    with pytest.raises(ResponseTooLarge):
        fetch(big.as_uri(), fast, allow_file=True)
    with pytest.raises(FetchError, match="cannot read") as caught:
        fetch((tmp_path / "absent.xml").as_uri(), fast, allow_file=True)
    assert caught.value.permanent


def test_unsupported_scheme(fast):
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp'"):
        fetch("ftp://example.org/feed.xml", fast)


def test_credentials_never_reach_errors_or_logs(site, fast, caplog):
    site.routes["/auth"] = status_only(503)
    url = site.url("/auth").replace("http://", "http://reader:hunter2@") + "?token=abc123"
    with caplog.at_level(logging.DEBUG, logger="akhbar.extract"):
        with pytest.raises(HttpStatusError) as caught:
            fetch(url, fast, allow_private=True)
    for text in (str(caught.value), caught.value.url, caplog.text):
        assert "hunter2" not in text and "abc123" not in text
    assert "***@127.0.0.1" in caught.value.url


def test_connection_refused_is_transient(fast):
    settings = FetchSettings(retries=0)
    with pytest.raises(FetchError, match="connection failed") as caught:
        fetch("http://127.0.0.1:9/", settings, allow_private=True)
    assert not caught.value.permanent


def test_parse_content_type():
    assert parse_content_type('text/html; charset="ISO-8859-6"') == ("text/html", "iso-8859-6")
    assert parse_content_type("application/rss+xml") == ("application/rss+xml", None)
    assert parse_content_type(None) == (None, None)


def test_connected_peer_is_checked_too(site, fast, monkeypatch):
    # A DNS answer that changes between our check and the connection (rebinding) is
    # caught by vetting the socket's peer address.
    monkeypatch.setattr(addresses, "check_host", lambda *args, **kwargs: None)
    url = site.static("/rebind", b"secret")
    with pytest.raises(BlockedAddress, match="connected to non-public address 127.0.0.1"):
        fetch(url, fast)

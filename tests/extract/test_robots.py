"""RobotsCache against robots.txt files served (or not) by the fault server."""
from __future__ import annotations

import ipaddress
from dataclasses import replace

import pytest

from akhbar.extract import addresses
from akhbar.extract.errors import BlockedAddress, RobotsDisallowed
from akhbar.extract.robots import RobotsCache, robots_url
from tests.faultserver import faults, payloads

pytestmark = pytest.mark.integration


def test_robots_url():
    assert robots_url("https://User:pw@News.Example:8443/a/b?x=1#f") == "https://news.example:8443/robots.txt"
    assert robots_url("file:///srv/feeds/a.html") is None


def test_disallowed_paths_are_refused_with_a_clear_reason(fault_server, fast):
    fault_server.route("/robots.txt", payloads.robots_txt(["/private/"]), content_type="text/plain")
    robots = RobotsCache(fast, allow_private=True)
    assert robots.can_fetch(fault_server.url("/news/1.html"))
    assert not robots.can_fetch(fault_server.url("/private/1.html"))
    with pytest.raises(RobotsDisallowed, match=r"robots.txt at .* disallows .*/private/2.html") as caught:
        robots.check(fault_server.url("/private/2.html"))
    assert caught.value.permanent
    assert fault_server.count("/robots.txt") == 1  # cached per host


def test_rules_for_our_user_agent(fault_server, fast):
    fault_server.route("/robots.txt", b"User-agent: akhbar\nDisallow: /\n\nUser-agent: *\nDisallow:\n",
                       content_type="text/plain")
    robots = RobotsCache(fast, allow_private=True)
    assert not robots.can_fetch(fault_server.url("/a.html"))
    other = RobotsCache(replace(fast, user_agent="otherbot/1.0"), allow_private=True)
    assert other.can_fetch(fault_server.url("/a.html"))


def test_crawl_delay_is_exposed(fault_server, fast):
    fault_server.route("/robots.txt", payloads.robots_txt([], crawl_delay=2), content_type="text/plain")
    assert RobotsCache(fast, allow_private=True).crawl_delay(fault_server.url("/x")) == 2.0


@pytest.mark.parametrize("status", [404, 410, 403, 401])
def test_4xx_means_no_rules(fault_server, fast, status):
    fault_server.route("/robots.txt", fault=faults.status(status))
    assert RobotsCache(fast, allow_private=True).can_fetch(fault_server.url("/anything"))


@pytest.mark.parametrize("fault", [faults.status(500), faults.status(503, retry_after=0), faults.status(429),
                                   faults.hang(2)], ids=["500", "503", "429", "timeout"])
def test_server_trouble_disallows_the_host_for_now(fault_server, fast, fault):
    fault_server.route("/robots.txt", fault=fault)
    robots = RobotsCache(replace(fast, retries=0), allow_private=True)
    with pytest.raises(RobotsDisallowed, match="could not be read") as caught:
        robots.check(fault_server.url("/news/1.html"))
    assert not caught.value.permanent  # a later run tries again
    assert not robots.can_fetch(fault_server.url("/news/2.html"))
    assert fault_server.count("/robots.txt") == 1


def test_robots_fetch_obeys_the_address_policy(fault_server, fast):
    fault_server.route("/robots.txt", payloads.robots_txt([]), content_type="text/plain")
    robots = RobotsCache(fast)  # loopback not allowed
    with pytest.raises(BlockedAddress):
        robots.check(fault_server.url("/a.html"))
    assert fault_server.count() == 0


def test_robots_redirect_to_metadata_is_refused(fault_server, fast, monkeypatch):
    monkeypatch.setattr(addresses, "is_public_ip", lambda ip: ip == ipaddress.ip_address("127.0.0.1"))
    fault_server.redirect("/robots.txt", "http://169.254.169.254/latest/meta-data/")
    assert not RobotsCache(fast).can_fetch(fault_server.url("/a.html"))
    assert fault_server.count("/robots.txt") == 1


def test_oversized_robots_is_cut_off(fault_server, fast):
    fault_server.route("/robots.txt", fault=faults.endless(50 * 1024 * 1024))
    robots = RobotsCache(replace(fast, retries=0), allow_private=True)
    assert not robots.can_fetch(fault_server.url("/a.html"))
    fault_server.wait_idle()
    assert fault_server.bytes_sent("/robots.txt") < 10 * 1024 * 1024


def test_local_files_have_no_robots(fast):
    assert RobotsCache(fast).can_fetch("file:///srv/archive/page.html")


def test_crawl_delay_slows_the_pacer_for_that_host(fault_server, fast):
    from akhbar.extract.http import fetch
    from akhbar.extract.politeness import HostPacer
    # urllib.robotparser reads whole seconds only.
    fault_server.route("/robots.txt", payloads.robots_txt([], crawl_delay=1), content_type="text/plain")
    fault_server.route("/a", "a")
    pacer = HostPacer(min_delay=0.0)
    robots = RobotsCache(fast, allow_private=True, pacer=pacer)
    for _ in range(2):
        assert robots.can_fetch(fault_server.url("/a"))
        fetch(fault_server.url("/a"), fast, allow_private=True, pacer=pacer)
    arrivals = fault_server.arrivals()  # robots.txt, then the two pages
    assert len(arrivals) == 3
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 1.0


# RFC 9309 and Google's robots.txt specification: wildcards, "$" anchors, and the longest
# matching rule wins (Allow on a tie). urllib.robotparser, used before protego, ignored
# "*" and "$" and applied the first matching rule, so it let "?print=1" pages through and
# refused a section the file explicitly allowed.
_RFC9309_FILE = b"""User-agent: *
Disallow: /*?print=
Disallow: /news/
Allow: /news/politics/
Disallow: /*.pdf$
Allow: /p
Disallow: /
"""


@pytest.mark.parametrize("path, allowed", [
    ("/page.html?print=1", False),        # wildcard in the middle, longer than "Allow: /p"
    ("/world/1.html", False),             # only /p and /news/politics/ are allowed
    ("/news/politics/1.html", True),      # longer Allow beats the earlier, shorter Disallow
    ("/news/economy/1.html", False),
    ("/page.html", True),                 # "Allow: /p" is longer than "Disallow: /"
    ("/page.pdf", False),                 # "$" anchors at the end ...
    ("/page.pdf?x=1", True),              # ... so this one is not matched by it
])
def test_rules_follow_rfc_9309(fault_server, fast, path, allowed):
    fault_server.route("/robots.txt", _RFC9309_FILE, content_type="text/plain")
    assert RobotsCache(fast, allow_private=True).can_fetch(fault_server.url(path)) is allowed

"""Which network addresses the crawler may reach, and URL redaction for logs.

Feeds are third-party input: an item link (or a redirect) pointing at 127.0.0.1, the
office LAN or a cloud metadata endpoint must not make us fetch it (SSRF).
"""
from __future__ import annotations

import ipaddress
import os
import re
import socket
from urllib.parse import urlsplit, urlunsplit

from .errors import BlockedAddress, FetchError
from .urls import origin  # noqa: F401  (the fetcher and the tests ask addresses for it)

ALLOW_PRIVATE_ENV = "AKHBAR_ALLOW_PRIVATE_NETWORKS"

_USERINFO = re.compile(r"//[^/@\s]+@")
_SECRET_PARAM = re.compile(r"(?i)([?&](?:api[_-]?key|apikey|key|token|access_token|auth|auth_token|secret|password|passwd|sig|signature)=)[^&#]*")


def private_networks_allowed(explicit: bool = False) -> bool:
    """Read at call time so that an operator or a test can flip the switch per process."""
    return explicit or os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def private_hosts_for(feed) -> frozenset[str]:
    """Origins that may be private for fetches on behalf of `feed` (a FeedConfig): the
    feed's own origin (scheme, host and port) when the operator set allow_private_network,
    nothing else. Item links to another port of the same host (an admin console, a
    database) and to any other private host stay refused."""
    own = origin(feed.url)
    return frozenset({own}) if feed.allow_private_network and own else frozenset()


def redact_url(url: str) -> str:
    """The URL without user:password and without obvious secret query parameters."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = _SECRET_PARAM.sub(r"\1***", "?" + parts.query)[1:] if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str) -> str:
    """Scrub credentials from free text such as a library's exception message."""
    return _SECRET_PARAM.sub(r"\1***", _USERINFO.sub("//***@", text))


def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for globally routable unicast addresses.

    `is_global` excludes loopback, RFC 1918, link-local (169.254.169.254, the metadata
    service), CGNAT, documentation and reserved ranges, but not every way of reaching them:
    the explicit ranges below (IANA's special-purpose registries) close the rest. IPv4
    carried in IPv6 (::ffff:127.0.0.1, 6to4, NAT64's 64:ff9b::7f00:1) is judged by the IPv4
    inside; the deprecated IPv4-compatible (::a.b.c.d) and translated (::ffff:0:a.b.c.d)
    forms and site-local fec0::/10 are never public.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            return is_public_ip(inner)
    if any(ip in network for network in _NON_PUBLIC.get(ip.version, ())):
        return False
    return ip.is_global and not ip.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NON_PUBLIC = {
    4: [ipaddress.ip_network(n) for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4")],
    6: [ipaddress.ip_network(n) for n in (
        "::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
        "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")],
}


def check_host(host: str, port: int, *, url: str, allow_private: bool) -> str:
    """Resolve `host` once and return the address to connect to (http.py pins the
    connection to it, so a second DNS answer can never be used); refuse the host if any
    of its addresses is not public, unless `allow_private`."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc} ({url})", url=url) from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no address ({url})", url=url)
    for address in addresses:
        if not allow_private and not is_public_ip(address):
            raise BlockedAddress(
                f"refused to fetch {url}: host {host!r} resolves to non-public address {address} "
                f"(set {ALLOW_PRIVATE_ENV}=1 or allow_private_network for trusted local feeds)", url=url)
    return str(addresses[0])


def check_peer(peer: str | None, *, url: str, allow_private: bool) -> None:
    """Vet the address actually connected to, closing the DNS-rebinding gap of check_host."""
    if allow_private or not peer:
        return
    address = ipaddress.ip_address(peer.split("%", 1)[0])
    if not is_public_ip(address):
        raise BlockedAddress(f"refused to read {url}: connected to non-public address {address}", url=url)

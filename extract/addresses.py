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

ALLOW_PRIVATE_ENV = "AKHBAR_ALLOW_PRIVATE_NETWORKS"

_USERINFO = re.compile(r"//[^/@\s]+@")
_SECRET_PARAM = re.compile(r"(?i)([?&](?:api[_-]?key|key|token|access_token|secret|password|passwd|sig|signature)=)[^&#]*")


def private_networks_allowed(explicit: bool = False) -> bool:
    """Read at call time so that an operator or a test can flip the switch per process."""
    return explicit or os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def private_hosts_for(feed) -> frozenset[str]:
    """Hosts that may be private for fetches on behalf of `feed` (a FeedConfig): its own
    host when the operator set allow_private_network, nothing else. Item links and
    redirects to any other private host stay refused."""
    host = urlsplit(feed.url).hostname
    return frozenset({host.lower()}) if feed.allow_private_network and host else frozenset()


def redact_url(url: str) -> str:
    """The URL without user:password and without obvious secret query parameters."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
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

    `is_global` already excludes loopback, RFC 1918, link-local (169.254.169.254, the
    metadata service), CGNAT, documentation and reserved ranges; IPv4 wrapped in IPv6
    (::ffff:127.0.0.1) is judged by the IPv4 inside.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            return is_public_ip(inner)
    return ip.is_global and not ip.is_multicast


def check_host(host: str, port: int, *, url: str, allow_private: bool) -> None:
    """Resolve `host` and refuse it if any of its addresses is not public."""
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc} ({url})", url=url) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not is_public_ip(address):
            raise BlockedAddress(
                f"refused to fetch {url}: host {host!r} resolves to non-public address {address} "
                f"(set {ALLOW_PRIVATE_ENV}=1 or allow_private_network for trusted local feeds)", url=url)


def check_peer(peer: str | None, *, url: str, allow_private: bool) -> None:
    """Vet the address actually connected to, closing the DNS-rebinding gap of check_host."""
    if allow_private or not peer:
        return
    address = ipaddress.ip_address(peer.split("%", 1)[0])
    if not is_public_ip(address):
        raise BlockedAddress(f"refused to read {url}: connected to non-public address {address}", url=url)

"""One spelling per article URL, so that an item seen again under another spelling (a
campaign tag, a fragment, an upper-case host) is recognised as already loaded.

Normalisation follows RFC 3986 section 6.2.2 (case, percent-encoding, dot segments) and
the scheme's defaults (6.2.3: default port, empty path), then drops query parameters that
only track the reader and never select content.
"""
from __future__ import annotations

import re
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

import idna

#: Parameter names dropped wherever they appear (compared lower-case).
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "ref_src", "ref_url", "_ga", "_gl", "ocid", "_hsenc", "_hsmi",
    "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "wickedid", "__twitter_impression",
    "s_cid", "cmpid", "ncid", "rss_id", "xtor", "at_medium", "at_campaign",
})
#: Credentials in a query string (compared lower-case); see addresses.redact_url.
SECRET_PARAMS = frozenset({"token", "access_token", "api_key", "api-key", "apikey", "key", "secret",
                           "password", "passwd", "sig", "signature", "auth", "auth_token"})
#: Parameter name prefixes dropped (utm_source, utm_medium, ... and Piwik/Matomo's).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
# Characters left as they are when percent-encoding: reserved, unreserved and '%' itself.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"


def _split(url: str) -> tuple[SplitResult, str, int | None] | None:
    """The URL's parts, lower-case scheme and port; None when it cannot be parsed (a bad port)."""
    try:
        parts = urlsplit(url)
        return parts, parts.scheme.lower(), parts.port
    except ValueError:
        return None


def _is_web(parts: SplitResult, scheme: str) -> bool:
    return scheme in _DEFAULT_PORTS and bool(parts.hostname)


def origin(url: str) -> str | None:
    """'scheme://host:port' of an http(s) URL, lower-case, default port filled in."""
    split = _split(url)
    if split is None or not _is_web(split[0], split[1]):
        return None
    parts, scheme, port = split
    return f"{scheme}://{parts.hostname.lower()}:{port or _DEFAULT_PORTS[scheme]}"


def canonical_url(url: str) -> str:
    """The canonical spelling of `url`; an unparseable URL comes back stripped, unchanged.

    >>> canonical_url("HTTPS://News.Example:443/a/./b/../c?utm_source=x&id=7#top")
    'https://news.example/a/c?id=7'
    """
    url = url.strip()
    split = _split(url)
    if split is None:
        return url
    parts, scheme, port = split
    if not _is_web(parts, scheme):
        # ftp://user:pass@host/... is stored in quarantine: its credentials go too
        netloc = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((scheme, netloc, parts.path, parts.query, "")) if scheme else url
    host = _host(parts.hostname)
    if host is None:
        return url
    netloc = host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    # user:password@ is a credential, never part of an article's key (nor stored with it)
    path = _remove_dot_segments(_normalize_escapes(quote(parts.path, safe=_PATH_SAFE))) or "/"
    query = _clean_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def is_tracking_param(name: str) -> bool:
    """Parameters that never select content: trackers, and credentials (token=, api_key=),
    which must not be stored with the article's URL either."""
    name = unquote(name).strip().lower()
    return name in TRACKING_PARAMS or name in SECRET_PARAMS or name.startswith(TRACKING_PREFIXES)


def _host(hostname: str) -> str | None:
    """Lower-case ASCII host: IDNA (UTS 46) to punycode, IPv6 in brackets, no trailing dot."""
    if ":" in hostname:  # IPv6 literal; urlsplit removed the brackets
        return f"[{hostname.lower()}]"
    hostname = unquote(hostname).rstrip(".")
    if hostname.isascii():
        return hostname.lower()
    try:
        return idna.encode(hostname, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            return hostname.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None


def _clean_query(query: str) -> str:
    if not query:
        return ""
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = pair.split("=", 1)[0]
        if is_tracking_param(name):
            continue
        kept.append(_normalize_escapes(quote(pair, safe=_QUERY_SAFE)))
    return "&".join(kept)


def _normalize_escapes(text: str) -> str:
    """%7e → ~ (unreserved characters need no escape), %2f → %2F (upper-case hex)."""
    def fix(match: re.Match) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()
    return _ESCAPE.sub(fix, text)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: /a/./b/../c → /a/c."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        if segment == ".":
            if i == len(segments) - 1:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if i == len(segments) - 1:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") or not path.startswith("/") else "/" + result

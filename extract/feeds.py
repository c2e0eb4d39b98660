"""Feed documents (RSS 2.0, RSS 1.0, Atom) to `FeedItem`s. No network I/O here.

XML safety: feedparser never resolves external entities and drops nested entity
definitions, but its lenient fallback parser does expand a flat entity referenced many
times (a 20 KB feed became a 20-million-character title in our tests), and its own
DOCTYPE rewriting is regex-based. Feeds have no business declaring entities, so any
document that declares one is refused before feedparser sees it (`reject_entities`).
A scan of the decoded text rather than defusedxml: feedparser accepts non-well-formed
feeds that a strict parser would stop at before reaching a declaration further on.
"""
from __future__ import annotations

import hashlib
import html
import logging
import re
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup

from akhbar.models import FeedConfig, FeedItem

from .addresses import redact_url
from .charset import decode_document
from .errors import DecodeError, FeedParseError
from .metadata import plausible
from .textclean import sanitize
from .urls import canonical_url

log = logging.getLogger(__name__)

_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_SPACE = re.compile(r"\s+")
_FEED_MEDIA_HINT = re.compile(rb"<(rss|feed|rdf:RDF|channel)\b", re.I)
_ENTITY_DECL = re.compile(r"<!ENTITY\s+(?:%\s*)?([^\s>\"']*)", re.I)
_EXTERNAL = re.compile(r"<!ENTITY[^>]*?\s(SYSTEM|PUBLIC)\s", re.I)
_UNSTORABLE_REF = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")


def parse_feed(content: bytes, feed: FeedConfig, feed_url: str, *, charset: str | None = None) -> list[FeedItem]:
    """Items of the feed document `content`, fetched from `feed_url`.

    Links are made absolute against `feed_url` (relative links are common in archived
    feeds read from file://). `charset` is the one the HTTP header declared, if any.
    The bytes are decoded by `charset.decode_document` (BOM, header, XML declaration,
    detection, each checked against the bytes), not by feedparser, whose fallback turns a
    windows-1256 feed labelled utf-8 into Latin mojibake; a garbled feed raises DecodeError.
    """
    try:
        text = decode_document(bytes(content), charset)
    except DecodeError as exc:
        raise DecodeError(f"{exc} (feed {redact_url(feed_url)})", url=redact_url(feed_url)) from exc
    reject_entities(text, feed_url)
    text = _UNSTORABLE_REF.sub(_harmless_ref, text)
    content = _XML_ENCODING.sub(r"\1utf-8\2", text, count=1).encode("utf-8")
    parsed = _feedparser(content, feed_url)
    _reject_non_feeds(parsed, content, feed_url)
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        url = sanitize(_item_url(entry, feed_url))
        # Feeds list one story twice under campaign-tagged spellings; the first one stays.
        key = canonical_url(url) if url else None
        if key is None or key in seen:
            continue
        seen.add(key)
        title = sanitize(strip_html(_text(entry.get("title"))))
        summary = sanitize(strip_html(_text(entry.get("summary") or entry.get("description"))))
        items.append(FeedItem(
            feed=feed.name,
            url=url,
            title=title,
            summary=summary,
            published=_published(entry),
            guid=sanitize(_text(entry.get("id"))) or None,
            # Membership test, not .get(): feedparser's .get falls back to the published date.
            updated=_stamp(entry["updated_parsed"]) if "updated_parsed" in entry else None,
            content_hash=content_hash(title, summary),
        ))
    if not items and parsed.bozo and not isinstance(parsed.get("bozo_exception"), _HARMLESS_BOZO):
        raise FeedParseError(f"malformed feed at {redact_url(feed_url)}: {parsed.get('bozo_exception')}; "
                             "no item with a link could be recovered", url=redact_url(feed_url))
    return items


def _feedparser(content: bytes, feed_url: str):
    # No content-location: feedparser's own joining mangles file:/// bases, so links
    # are joined below. The HTTP charset outranks the XML declaration (RFC 7303).
    headers = {"content-type": "application/xml; charset=utf-8"}
    try:
        # Bytes, never a URL: feedparser must not do network I/O of its own.
        return feedparser.parse(content, response_headers=headers, sanitize_html=False,
                                resolve_relative_uris=False)
    except (RecursionError, ValueError, UnicodeError, OverflowError, LookupError) as exc:
        safe = redact_url(feed_url)
        raise FeedParseError(f"feed at {safe} could not be parsed: {type(exc).__name__}: {exc}", url=safe) from exc


def _harmless_ref(match: re.Match) -> str:
    """A character reference to NUL, a C0 control, a surrogate or beyond Unicode (feedparser's
    fallback parser raised UnicodeEncodeError on "&#xD800;") becomes U+FFFD's."""
    digits = match.group(1)
    try:
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
    except ValueError:
        return "&#xFFFD;"
    if code in (9, 10, 13) or (32 <= code < 0xD800) or (0xE000 <= code <= 0x10FFFF and code != 0x7F):
        return match.group(0)
    return "&#xFFFD;"


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def content_hash(title: str | None, summary: str | None) -> str:
    """sha1 hex of the item's title and summary, whitespace-normalised: a feed that
    re-publishes an item with changed text gives it a new hash."""
    text = "\n".join(_SPACE.sub(" ", part or "").strip() for part in (title, summary))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def reject_entities(text: str, feed_url: str) -> None:
    """Raise FeedParseError when the (decoded) document declares XML entities (billion
    laughs, quadratic blow-up, external entities such as file:///etc/passwd)."""
    declarations = _ENTITY_DECL.findall(text)
    if not declarations:
        return
    safe_url = redact_url(feed_url)
    external = _EXTERNAL.search(text)
    kind = (f"an external entity ({external.group(1)}), which could read local files or the network"
            if external else "internal entities, which can expand into gigabytes (entity-expansion bomb)")
    names = ", ".join(sorted({name for name in declarations if name})[:5])
    raise FeedParseError(f"refused feed at {safe_url}: its DTD declares {len(declarations)} XML entit"
                         f"{'y' if len(declarations) == 1 else 'ies'} ({names}): {kind}", url=safe_url)


def strip_html(fragment: str | None) -> str | None:
    """Plain text of an HTML fragment, whitespace collapsed; None when nothing is left."""
    if not fragment:
        return None
    if "<" in fragment:
        fragment = BeautifulSoup(fragment, "lxml").get_text(" ")
    text = _SPACE.sub(" ", html.unescape(fragment)).strip()
    return text or None


def _reject_non_feeds(parsed, content: bytes, feed_url: str) -> None:
    safe_url = redact_url(feed_url)
    if parsed.entries:
        if parsed.bozo and not isinstance(parsed.get("bozo_exception"), _HARMLESS_BOZO):
            log.warning("feed %s is malformed (%s); using the %d items recovered", safe_url,
                        parsed.get("bozo_exception"), len(parsed.entries))
        return
    if parsed.get("version"):
        return  # a real feed that is empty today
    head = content[:2048].lstrip()[:200].decode("utf-8", "replace")
    if re.match(r"(?is)(<!doctype\s+html|<html)", head) or not _FEED_MEDIA_HINT.search(content[:4096]):
        what = "an HTML page" if "html" in head.lower() else "not an RSS or Atom document"
        raise FeedParseError(f"expected an RSS/Atom feed at {safe_url} but got {what} "
                             f"(starts with {head[:60]!r})", url=safe_url)
    reason = parsed.get("bozo_exception") or "no items and no recognisable feed version"
    raise FeedParseError(f"malformed feed at {safe_url}: {reason}", url=safe_url)


def _item_url(entry, feed_url: str) -> str | None:
    """The item's http(s) link (file:// beside an archived local feed). With none, the
    first link it has, whatever its scheme: the fetch stage quarantines that with its
    reason rather than letting the item vanish."""
    candidates = [_text(entry.get("link"))]
    candidates += [_text(link.get("href")) for link in entry.get("links", [])
                   if link.get("rel", "alternate") == "alternate"]
    guid = _text(entry.get("id"))
    if guid and guid.strip().lower().startswith(("http://", "https://")):
        candidates.append(guid)
    refused = None
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        try:
            url = urljoin(feed_url, candidate.strip())
            scheme = urlsplit(url).scheme
        except ValueError:  # e.g. an unclosed IPv6 bracket
            refused = refused or candidate.strip()
            continue
        # A remote feed must not steer us to local files; an archived local feed may.
        if scheme in ("http", "https") or (scheme == "file" and urlsplit(feed_url).scheme == "file"):
            return url
        log.warning("item link %s in feed %s: scheme %r is not fetched", redact_url(url),
                    redact_url(feed_url), scheme)
        refused = refused or url
    return refused


def _published(entry) -> datetime | None:
    # feedparser normalises to UTC and assumes UTC when the feed gives no offset.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        when = _stamp(entry.get(key))
        if when:
            return when
    return None


def _stamp(value) -> datetime | None:
    if not value:
        return None
    try:
        return plausible(datetime(*value[:6], tzinfo=timezone.utc))
    except (TypeError, ValueError, OverflowError):
        return None

"""Feed documents (RSS 2.0, RSS 1.0, Atom) to `FeedItem`s. No network I/O here."""
from __future__ import annotations

import html
import logging
import re
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup

from akhbar.models import FeedConfig, FeedItem

from .addresses import redact_url
from .errors import FeedParseError

log = logging.getLogger(__name__)

_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_SPACE = re.compile(r"\s+")
_FEED_MEDIA_HINT = re.compile(rb"<(rss|feed|rdf:RDF|channel)\b", re.I)


def parse_feed(content: bytes, feed: FeedConfig, feed_url: str, *, charset: str | None = None) -> list[FeedItem]:
    """Items of the feed document `content`, fetched from `feed_url`.

    Links are made absolute against `feed_url` (relative links are common in archived
    feeds read from file://). `charset` is the one the HTTP header declared, if any;
    the XML declaration is read by feedparser itself.
    """
    # No content-location: feedparser's own joining mangles file:/// bases, so links
    # are joined below. application/xml lets the XML declaration name the encoding.
    headers = {"content-type": f"application/xml; charset={charset}" if charset else "application/xml"}
    # Bytes, never a URL: feedparser must not do network I/O of its own.
    parsed = feedparser.parse(bytes(content), response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    _reject_non_feeds(parsed, content, feed_url)
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        url = _item_url(entry, feed_url)
        if url is None or url in seen:
            continue
        seen.add(url)
        items.append(FeedItem(
            feed=feed.name,
            url=url,
            title=strip_html(entry.get("title")),
            summary=strip_html(entry.get("summary") or entry.get("description")),
            published=_published(entry),
            guid=entry.get("id") or None,
        ))
    return items


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
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links", []) if link.get("rel", "alternate") == "alternate"]
    guid = entry.get("id")
    if guid and urlsplit(guid).scheme in ("http", "https"):
        candidates.append(guid)
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        url = urljoin(feed_url, candidate.strip())
        scheme = urlsplit(url).scheme
        # A remote feed must not steer us to local files; an archived local feed may.
        if scheme in ("http", "https") or (scheme == "file" and urlsplit(feed_url).scheme == "file"):
            return url
        log.warning("skipping item link %s in feed %s: scheme %r not allowed", redact_url(url),
                    redact_url(feed_url), scheme)
    return None


def _published(entry) -> datetime | None:
    # feedparser normalises to UTC and assumes UTC when the feed gives no offset.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            try:
                return datetime(*stamp[:6], tzinfo=timezone.utc)
            except (TypeError, ValueError):
                continue
    return None

"""Fetching feeds' pages for the tasks: what the fetches of one feed share, which links
count as articles, a page turned into a staged article (or a FetchError saying why there
is none, which the task quarantines), and many feeds' pages fetched at once (`PageFetcher`)."""
from __future__ import annotations

import logging
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from akhbar.extract.addresses import private_hosts_for, redact_text, redact_url
from akhbar.extract.charset import decode_document
from akhbar.extract.errors import FetchError, NotAnArticle
from akhbar.extract.http import fetch, make_session
from akhbar.extract.robots import RobotsCache
from akhbar.extract.settings import FetchSettings
from akhbar.load import staging
from akhbar.load.host_budget import SharedHostPacer
from akhbar.models import FeedConfig

log = logging.getLogger("akhbar")


def file_root(feed: FeedConfig) -> Path | None:
    """The folder of a feed the operator listed as a local file: its pages may be read
    from there, and from nowhere else (see http.fetch's file_root)."""
    parts = urlsplit(feed.url)
    if parts.scheme != "file":
        return None
    return Path(url2pathname(parts.path)).resolve().parent


def fetch_for(feed: FeedConfig, link: str, settings: FetchSettings, **kwargs):
    root = file_root(feed)
    return fetch(link, settings, allow_file=root is not None, file_root=root,
                 private_hosts=private_hosts_for(feed), **kwargs)


@dataclass
class Crawler:
    """What a feed's page fetches share: connections, per-host pacing, robots.txt rules."""
    feed: FeedConfig
    settings: FetchSettings
    # shared with the other feeds fetched in this process (its owner closes it): the host's
    # pace is kept with every other feed and worker, through the warehouse
    pacer: SharedHostPacer

    def __post_init__(self):
        self.session = make_session(self.settings)
        self.robots = (RobotsCache(self.settings,
                                   private_hosts=private_hosts_for(self.feed), session=self.session,
                                   pacer=self.pacer)
                       if self.feed.respect_robots else None)

    def get(self, link: str):
        if self.robots is not None:
            self.robots.check(link)
        return fetch_for(self.feed, link, self.settings, session=self.session, pacer=self.pacer)

    def close(self) -> None:
        self.session.close()


def _check_link(feed: FeedConfig, item: staging.StagedItem) -> None:
    """Only http(s) links are articles (and file:// beside a local feed); an ftp:, mailto:
    or javascript: link is quarantined with this reason instead of vanishing."""
    scheme = urlsplit(item.link).scheme.lower()
    if scheme in ("http", "https") or (scheme == "file" and file_root(feed) is not None):
        return
    safe = redact_url(item.link)
    raise FetchError(f"item link {safe} is not an http(s) URL (scheme {scheme or 'none'!r}): "
                     "nothing to fetch", url=safe, permanent=True)


def _article_from_page(crawler: Crawler, item: staging.StagedItem,
                       evidence: list[bytes]) -> staging.StagedArticle:
    # imported here: the page extractor's parsers are slow to import, and fetch_feed's
    # task process, which imports this module, never needs them
    from akhbar.extract.pages import confirms_brief, extract_page

    response = crawler.get(item.link)
    if response.url.startswith(("http://", "https://")):
        evidence.append(response.body)  # a local file's bytes stay out of the warehouse
    page = extract_page(decode_document(response.body, response.charset), response.url, allow_brief=True)
    if page.brief and not confirms_brief(item.title, item.summary, page):
        raise NotAnArticle(f"too little article text ({sum(map(len, page.paragraphs))} characters) and "
                           f"the feed item does not confirm it as a news brief ({redact_url(item.link)})",
                           url=redact_url(item.link))
    return staging.StagedArticle(
        feed=item.feed, url=item.url, title=item.title or page.title,
        published=item.published or page.published, body="\n\n".join(page.paragraphs),
        fetched_at=datetime.now(timezone.utc), link=item.link, updated=item.updated,
        item_hash=item.item_hash, is_brief=page.brief)


def _article_from_item(feed: FeedConfig, item: staging.StagedItem) -> staging.StagedArticle:
    return staging.StagedArticle(
        feed=feed.name, url=item.url, title=item.title, published=item.published,
        body=item.summary or "", fetched_at=datetime.now(timezone.utc), link=item.link,
        updated=item.updated, item_hash=item.item_hash)


def fetch_item(crawler: Crawler, feed: FeedConfig, item: staging.StagedItem,
               evidence: list[bytes]) -> staging.StagedArticle:
    """The item's article, or a FetchError saying why there is none; an unexpected
    failure of extraction becomes one too, so that the item alone is quarantined."""
    try:
        _check_link(feed, item)
        article = (_article_from_page(crawler, item, evidence) if feed.fetch_articles
                   else _article_from_item(feed, item))
    except FetchError:
        raise
    except Exception as exc:  # noqa: BLE001 - one hostile page must not stop the feed
        log.exception("page %s: extraction failed", redact_url(item.link))
        raise FetchError(f"page {redact_url(item.link)} could not be extracted: {type(exc).__name__}: "
                         f"{redact_text(str(exc))[:300]}", url=redact_url(item.link), permanent=True) from exc
    if not article.body.strip():
        raise NotAnArticle("the item has no text", url=redact_url(item.link))
    return article


#: How many feeds one fetch task crawls at once (AKHBAR_FEEDS_AT_ONCE): each feed's pages
#: go through the host pacer, so this bounds threads, not the rate any one site sees.
FEEDS_AT_ONCE = int(os.environ.get("AKHBAR_FEEDS_AT_ONCE", "32"))


@dataclass
class Fetched:
    """One staged item's outcome: its article, or the error that quarantines it (with the
    page's bytes as evidence when there were any)."""
    feed: FeedConfig
    item: staging.StagedItem
    article: staging.StagedArticle | None = None
    error: Exception | None = None
    evidence: list[bytes] = field(default_factory=list)


class PageFetcher:
    """The pages of many feeds, fetched at once and handed over as they arrive.

    Each feed gets threads of its own (as many as a host may see requests at once), all
    feeds share one host pacer, so a site's gap and concurrency hold across its feeds and,
    through the warehouse, across tasks and workers. Iterating yields one `Fetched` per item;
    leaving the `with` block early stops what has not started."""

    def __init__(self, jobs: list[tuple[FeedConfig, list[staging.StagedItem]]], settings: FetchSettings,
                 warehouse: str | None, feeds_at_once: int = FEEDS_AT_ONCE) -> None:
        self.jobs = [(feed, items) for feed, items in jobs if items]
        self.settings = settings
        self.pacer = SharedHostPacer.for_warehouse(warehouse, settings)
        self._done: queue.SimpleQueue[Fetched] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max(1, min(feeds_at_once, len(self.jobs))), thread_name_prefix="feed")

    def __enter__(self) -> "PageFetcher":
        for feed, items in self.jobs:
            self._pool.submit(self._feed, feed, items)
        return self

    def __iter__(self):
        for _ in range(sum(len(items) for _, items in self.jobs)):
            yield self._done.get()

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True)
        self.pacer.close()

    def _feed(self, feed: FeedConfig, items: list[staging.StagedItem]) -> None:
        try:
            crawler = Crawler(feed, self.settings, self.pacer)
        except Exception as exc:  # noqa: BLE001 - the feed's items fail, each is accounted for
            for item in items:
                self._done.put(Fetched(feed, item, error=exc))
            return
        threads = max(1, min(self.settings.max_host_concurrency or len(items), len(items)))
        try:
            with ThreadPoolExecutor(threads, thread_name_prefix=f"pages-{feed.name}") as pages:
                for item in items:
                    pages.submit(self._page, crawler, feed, item)
        finally:
            crawler.close()

    def _page(self, crawler: Crawler, feed: FeedConfig, item: staging.StagedItem) -> None:
        if self._stop.is_set():
            return  # the task is ending: nobody waits for this page any more
        fetched = Fetched(feed, item)
        try:
            fetched.article = fetch_item(crawler, feed, item, fetched.evidence)
        except BaseException as exc:  # noqa: BLE001 - a FetchError, the task quarantines it;
            fetched.error = exc  # whatever else, the item is still accounted for (the task counts them)
        self._done.put(fetched)

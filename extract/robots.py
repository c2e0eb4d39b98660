"""robots.txt, read once per host and run, through `fetch` (same address checks and caps),
and interpreted by protego (RFC 9309).

Unavailable robots.txt files are handled as Google documents for its crawler
(developers.google.com/search/docs/crawling-indexing/robots/robots_txt): a 4xx answer
means there are no rules (everything allowed); a 5xx or 429 answer, a timeout or a
refused connection means the site is in trouble, so the whole host is treated as
disallowed for now and the item is left for a later run (a transient error).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit
import requests
from protego import Protego

from .addresses import redact_url
from .errors import BlockedAddress, FetchError, HttpStatusError, RobotsDisallowed
from .http import fetch
from .politeness import HostPacer
from .settings import FetchSettings

log = logging.getLogger(__name__)

#: Google reads the first 500 KiB of a robots.txt; a bigger one is not a rules file.
MAX_ROBOTS_BYTES = 512 * 1024


@dataclass
class _HostRules:
    parser: Protego | None = None  # None: no rules, everything allowed
    unreachable: str | None = None  # why the file could not be read (all disallowed)
    blocked: BlockedAddress | None = None


def robots_url(url: str) -> str | None:
    """The robots.txt governing `url`, or None for URLs robots do not apply to (file://)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    return urlunsplit((parts.scheme.lower(), netloc, "/robots.txt", "", ""))


class RobotsCache:
    """Per-host robots.txt rules for one run; thread-safe, each file fetched at most once.

    The fetch arguments (`allow_private`, `private_hosts`, `session`, `pacer`) are those
    of the page fetches, so the robots.txt request obeys the same address policy and
    per-host pacing as the pages it governs; a Crawl-delay is handed to the pacer.
    """

    def __init__(self, settings: FetchSettings = FetchSettings(), *, allow_private: bool = False,
                 private_hosts: frozenset[str] = frozenset(), session: requests.Session | None = None,
                 pacer: HostPacer | None = None) -> None:
        self.settings = replace(settings, max_bytes=min(settings.max_bytes, MAX_ROBOTS_BYTES))
        self.user_agent = settings.user_agent
        self._fetch_kwargs = dict(allow_private=allow_private, private_hosts=private_hosts,
                                  session=session, pacer=pacer)
        self._rules: dict[str, _HostRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def can_fetch(self, url: str) -> bool:
        try:
            self.check(url)
        except RobotsDisallowed:
            return False
        except BlockedAddress:
            return False
        return True

    def check(self, url: str) -> None:
        """Raise RobotsDisallowed when `url` may not be fetched (BlockedAddress when its host
        may not be reached at all); return when it may."""
        where = robots_url(url)
        if where is None:
            return
        rules = self._rules_for(where)
        safe_url = redact_url(url)
        if rules.blocked is not None:
            raise rules.blocked
        if rules.unreachable is not None:
            raise RobotsDisallowed(f"robots.txt at {where} could not be read ({rules.unreachable}); the host is "
                                   f"treated as disallowed until it can be, so {safe_url} is left for a later run",
                                   url=safe_url, permanent=False)
        if rules.parser is not None and not rules.parser.can_fetch(url, self.user_agent):
            raise RobotsDisallowed(f"robots.txt at {where} disallows {safe_url} for user agent "
                                   f"{self.user_agent.split('/')[0]!r}", url=safe_url)

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay the site asks of us, if its robots.txt names one."""
        where = robots_url(url)
        rules = self._rules_for(where) if where else None
        if rules is None or rules.parser is None:
            return None
        delay = rules.parser.crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None

    def _rules_for(self, where: str) -> _HostRules:
        with self._lock:
            if where in self._rules:
                return self._rules[where]
            host_lock = self._locks.setdefault(where, threading.Lock())
        with host_lock:  # one fetch per host even when threads ask at once
            with self._lock:
                if where in self._rules:
                    return self._rules[where]
            rules = self._load(where)
            with self._lock:
                self._rules[where] = rules
            return rules

    def _load(self, where: str) -> _HostRules:
        try:
            response = fetch(where, self.settings, **self._fetch_kwargs)
        except BlockedAddress as exc:
            return _HostRules(blocked=exc)
        except HttpStatusError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                return _HostRules()  # no robots.txt: no rules
            log.warning("robots.txt %s: %s; host treated as disallowed", where, exc)
            return _HostRules(unreachable=f"HTTP {exc.status}")
        except FetchError as exc:
            log.warning("robots.txt %s unreachable: %s; host treated as disallowed", where, exc)
            return _HostRules(unreachable=str(exc))
        # RFC 9309 as protego implements it: * and $ wildcards, the longest matching rule
        # wins (urllib.robotparser ignored wildcards and took the first match).
        parser = Protego.parse(response.body.decode("utf-8", "replace"))
        pacer = self._fetch_kwargs["pacer"]
        delay = parser.crawl_delay(self.user_agent)
        if pacer is not None and delay is not None:
            pacer.set_host_delay(where, float(delay))  # the site's own pace, if slower than ours
        return _HostRules(parser=parser)

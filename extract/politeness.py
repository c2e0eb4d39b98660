"""Per-host pacing shared by every fetch of a run: how often and how many at once.

A news site that sees forty requests in a second from one crawler blocks it. `HostPacer`
keeps, per host, a minimum gap between requests and a cap on requests in flight, and a
host that answers 429/503 with Retry-After is left alone until that time. One pacer is
shared between the threads (or the sequential loop) of a run; it is thread-safe.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from .addresses import redact_url
from .errors import HostThrottled
from .settings import FetchSettings


@dataclass
class _HostState:
    next_allowed: float = 0.0
    in_flight: int = 0
    min_delay: float | None = None  # the host's own wish (robots.txt Crawl-delay)


def host_key(url: str) -> str:
    """'host:port' of a URL, lower-case, with the scheme's default port filled in."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port or (443 if parts.scheme.lower() == 'https' else 80)}"


class HostPacer:
    """Wait for a host's turn before each request (`slot`), remember Retry-After (`defer`).

    Gaps: at least `min_delay` seconds between the starts of two requests to one host,
    and between the end of one and the start of the next, so that slow answers do not
    make the crawler faster. `max_concurrency` (0: no cap) bounds requests in flight per
    host. A wait longer than `max_wait` is not done: `slot` raises HostThrottled (a
    transient FetchError) so the item fails fast and a later run takes it up.
    """

    def __init__(self, min_delay: float = 0.0, max_concurrency: int = 0, *, max_wait: float = 30.0) -> None:
        if min_delay < 0 or max_concurrency < 0:
            raise ValueError("min_delay and max_concurrency must not be negative")
        self.min_delay = min_delay
        self.max_concurrency = max_concurrency
        self.max_wait = max_wait
        self._hosts: dict[str, _HostState] = {}
        self._cond = threading.Condition()

    @classmethod
    def from_settings(cls, settings: FetchSettings) -> "HostPacer":
        return cls(settings.min_host_delay, settings.max_host_concurrency, max_wait=settings.max_retry_after)

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold one of the host's request slots for the duration of the block."""
        key = host_key(url)
        give_up = time.monotonic() + self.max_wait
        with self._cond:
            state = self._hosts.setdefault(key, _HostState())
            while True:
                now = time.monotonic()
                if state.next_allowed > give_up:
                    raise HostThrottled(
                        f"host {key} asked us to wait {state.next_allowed - now:.0f} s, longer than the "
                        f"{self.max_wait:.0f} s a run waits; {redact_url(url)} is left for a later run",
                        url=redact_url(url), retry_after=state.next_allowed - now)
                free = not self.max_concurrency or state.in_flight < self.max_concurrency
                if free and now >= state.next_allowed:
                    break
                # Woken early by a release or a defer; the loop re-checks both conditions.
                self._cond.wait(timeout=max(0.0, state.next_allowed - now) if free else None)
            state.in_flight += 1
            delay = self._delay(state)
            state.next_allowed = max(state.next_allowed, now + delay)
        try:
            yield
        finally:
            with self._cond:
                state.in_flight -= 1
                state.next_allowed = max(state.next_allowed, time.monotonic() + max(delay, self._delay(state)))
                self._cond.notify_all()

    def set_host_delay(self, url: str, seconds: float) -> None:
        """A longer gap for one host (its robots.txt Crawl-delay); never shorter than
        `min_delay`, and capped at `max_wait` so that one site cannot stall a run."""
        with self._cond:
            state = self._hosts.setdefault(host_key(url), _HostState())
            state.min_delay = min(max(0.0, seconds), self.max_wait)
            # Learnt from a response just read: the next request keeps the new pace too.
            state.next_allowed = max(state.next_allowed, time.monotonic() + self._delay(state))

    def _delay(self, state: _HostState) -> float:
        return max(self.min_delay, state.min_delay or 0.0)

    def defer(self, url: str, seconds: float) -> None:
        """The host said 'not before `seconds` from now' (Retry-After)."""
        with self._cond:
            state = self._hosts.setdefault(host_key(url), _HostState())
            state.next_allowed = max(state.next_allowed, time.monotonic() + max(0.0, seconds))
            self._cond.notify_all()

    def next_allowed_in(self, url: str) -> float:
        """Seconds until the host of `url` may be asked again (0 when it may now)."""
        with self._cond:
            state = self._hosts.get(host_key(url))
            return max(0.0, state.next_allowed - time.monotonic()) if state else 0.0

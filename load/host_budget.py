"""Per-host politeness across processes: a HostPacer whose gaps live in the warehouse.

`HostPacer` (extract/politeness.py) spaces requests to a host within one process. The
DAG's page fetches run as one task per feed, on as many workers as Celery has, and
several feeds often live on one site: each process pacing alone multiplies the rate the
site sees. `SharedHostPacer` keeps the local pacer (requests in flight, Retry-After) and
adds a turn reserved in `akhbar.host_budget`: each request moves the host's
`next_allowed` forward by the gap in one atomic UPSERT and waits for the turn it got, so
all crawlers together keep one gap per host.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

import psycopg2

from akhbar.extract.addresses import redact_url
from akhbar.extract.errors import HostThrottled
from akhbar.extract.politeness import HostPacer, host_key
from akhbar.extract.settings import FetchSettings
from akhbar.load.db import warehouse_url

_RESERVE = """
INSERT INTO akhbar.host_budget AS h (host, next_allowed)
VALUES (%(host)s, clock_timestamp() + make_interval(secs => %(gap)s))
ON CONFLICT (host) DO UPDATE
SET next_allowed = greatest(h.next_allowed, clock_timestamp()) + make_interval(secs => %(gap)s),
    updated_at = clock_timestamp()
RETURNING extract(epoch FROM h.next_allowed - make_interval(secs => %(gap)s) - clock_timestamp())
"""

_DEFER = """
INSERT INTO akhbar.host_budget AS h (host, next_allowed)
VALUES (%(host)s, clock_timestamp() + make_interval(secs => %(secs)s))
ON CONFLICT (host) DO UPDATE
SET next_allowed = greatest(h.next_allowed, EXCLUDED.next_allowed), updated_at = clock_timestamp()
"""


class SharedHostPacer(HostPacer):
    """A HostPacer whose per-host gap and Retry-After hold for every process that uses the
    same warehouse. One autocommit connection per pacer; `close()` releases it."""

    def __init__(self, url: str | None, min_delay: float = 0.0, max_concurrency: int = 0, *,
                 max_wait: float = 30.0) -> None:
        super().__init__(min_delay, max_concurrency, max_wait=max_wait)
        self._url = warehouse_url(url)
        self._conn = None
        self._db_lock = threading.Lock()

    @classmethod
    def for_warehouse(cls, url: str | None, settings: FetchSettings) -> "SharedHostPacer":
        return cls(url, settings.min_host_delay, settings.max_host_concurrency,
                   max_wait=settings.max_retry_after)

    def _execute(self, sql: str, params: dict):
        with self._db_lock:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg2.connect(self._url, connect_timeout=10, application_name="akhbar-pacer")
                self._conn.autocommit = True
            with self._conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchone() if cur.description else None

    def _gap(self, key: str) -> float:
        with self._cond:
            state = self._hosts.get(key)
            return self._delay(state) if state is not None else self.min_delay

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        with super().slot(url):
            key = host_key(url)
            gap = self._gap(key)
            if gap > 0:  # no gap asked (tests on loopback): no round trip either
                (wait,) = self._execute(_RESERVE, {"host": key, "gap": gap})
                wait = max(0.0, float(wait))
                if wait > self.max_wait:
                    raise HostThrottled(f"host {key} is booked {wait:.0f} s ahead by other crawlers,"
                                        f" longer than the {self.max_wait:.0f} s a run waits",
                                        url=redact_url(url), retry_after=wait)
                time.sleep(wait)
            yield

    def defer(self, url: str, seconds: float) -> None:
        super().defer(url, seconds)
        self._execute(_DEFER, {"host": host_key(url), "secs": max(0.0, seconds)})

    def close(self) -> None:
        with self._db_lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

"""What a run tells the outside while it works: structured log records and StatsD metrics.

Each step's end is one log record, `akhbar.step`, whose message reads as key=value pairs and
whose record carries the same as fields (`stage`, `feed`, `url`, `seconds`, `counts`), for log
shippers that keep a record's extras. When AKHBAR_STATSD_HOST is set, the metrics below go
to that StatsD server over UDP (AKHBAR_STATSD_PORT, default 8125; AKHBAR_STATSD_PREFIX,
default `akhbar`), tagged with the feed in the DogStatsD way (`|#feed:NAME`), which StatsD
servers that do not know tags ignore.

| metric | type | from |
| --- | --- | --- |
| `akhbar.items_fetched` | counter | fetch_feed: feed items seen |
| `akhbar.items_staged` | counter | fetch_feed: items staged for fetching |
| `akhbar.pages_fetched` | counter | fetch_articles: pages fetched and extracted |
| `akhbar.quarantined` | counter | fetch_articles: pages quarantined and transform errors; fetch_feed: a failed feed; transform: errors |
| `akhbar.repeats_found` | counter | load: repeated paragraphs plus republished articles |
| `akhbar.articles_loaded` | counter | load: new articles |
| `akhbar.events_extracted` | counter | load: events |
| `akhbar.stage_seconds` | timer (ms) | every step, tagged `stage:NAME` |
| `akhbar.stage_failed` | counter | every step that failed, tagged `stage:NAME` |
"""
from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading

log = logging.getLogger("akhbar.step")
_local = threading.local()


@contextlib.contextmanager
def structured_task_log():
    """Inside an Airflow task: step records go through structlog, which Airflow's task logs
    keep as JSON fields (stage, feed, url, counts...), not as text only."""
    import structlog

    _local.structlog = structlog.get_logger("akhbar.step")
    try:
        yield
    finally:
        _local.structlog = None

#: (metric, step, key of the step's result) summed into counters
_COUNTERS = (
    ("items_fetched", "fetch_feed", ("items_seen",)),
    ("items_staged", "fetch_feed", ("staged",)),
    ("pages_fetched", "fetch_articles", ("pages_ok",)),
    ("quarantined", "fetch_articles", ("pages_failed", "transform_errors")),
    ("quarantined", "transform", ("errors",)),
    ("repeats_found", "load", ("paragraphs_duplicate", "articles_duplicate")),
    ("articles_loaded", "load", ("articles_new",)),
    ("events_extracted", "load", ("events",)),
)
METRICS = sorted({name for name, _, _ in _COUNTERS} | {"stage_seconds", "stage_failed"})


def counts_of(result) -> dict:
    """The numbers of a step's result (a dict of counts, or a list of check results)."""
    if isinstance(result, dict):
        return {k: v for k, v in result.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if isinstance(result, list) and result and isinstance(result[0], dict) and "passed" in result[0]:
        return {"checks": len(result), "checks_failed": sum(not r["passed"] for r in result)}
    return {}


class StatsD:
    """A minimal StatsD client over UDP: fire and forget, never raises into the pipeline."""

    def __init__(self, host: str, port: int = 8125, prefix: str = "akhbar") -> None:
        self.address, self.prefix = (host, port), prefix
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    @classmethod
    def from_env(cls) -> "StatsD | None":
        host = os.environ.get("AKHBAR_STATSD_HOST")
        if not host:
            return None
        return cls(host, int(os.environ.get("AKHBAR_STATSD_PORT") or 8125),
                   os.environ.get("AKHBAR_STATSD_PREFIX") or "akhbar")

    def send(self, name: str, value: float, kind: str, tags: dict) -> None:
        tag = ",".join(f"{k}:{v}" for k, v in tags.items() if v)
        line = f"{self.prefix}.{name}:{value:g}|{kind}" + (f"|#{tag}" if tag else "")
        try:
            self.sock.sendto(line.encode("utf-8"), self.address)
        except OSError as exc:
            log.debug("statsd: %s not sent: %s", line, exc)


def step_done(stage: str, seconds: float, result=None, *, feed: str | None = None,
              url: str | None = None, failed: bool = False) -> None:
    """Log the step's end as a structured record and send its metrics."""
    counts = counts_of(result)
    fields = {"stage": stage, "feed": feed, "url": url, "seconds": round(seconds, 3),
              "outcome": "failed" if failed else "success", "counts": counts}
    text = " ".join(f"{k}={v}" for k, v in {**{k: v for k, v in fields.items() if k != "counts"}, **counts}.items()
                    if v is not None)
    structured = getattr(_local, "structlog", None)
    if structured is not None:
        (structured.warning if failed else structured.info)(text, **fields)
    else:
        log.log(logging.WARNING if failed else logging.INFO, "%s", text, extra={"akhbar": fields, **fields})
    statsd = StatsD.from_env()
    if statsd is None:
        return
    statsd.send("stage_seconds", seconds * 1000, "ms", {"stage": stage, "feed": feed})
    if failed:
        statsd.send("stage_failed", 1, "c", {"stage": stage, "feed": feed})
    if stage == "fetch_feed" and failed:
        statsd.send("quarantined", 1, "c", {"feed": feed})
    for name, step, keys in _COUNTERS:
        if step == stage and any(k in counts for k in keys):
            statsd.send(name, sum(counts.get(k, 0) for k in keys), "c", {"feed": feed})

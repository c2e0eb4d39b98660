"""The run summary as text, the same in `akhbar run` and in the DAG's summary task log."""
from __future__ import annotations

from akhbar.config import feed_failure_days


def feed_line(feed: dict) -> str:
    fetched = ("not modified (304)" if feed.get("not_modified")
               else f"HTTP {feed['http_status']}, {feed.get('bytes') or 0} bytes" if feed.get("http_status")
               else "read")
    line = (f"  feed {feed['name']}: {feed['status']}, {fetched}; {feed['items_seen']} items,"
            f" {feed['items_new']} new, {feed.get('items_changed') or 0} changed,"
            f" {feed.get('items_retried') or 0} retried; pages {feed['pages_ok']} ok,"
            f" {feed['pages_failed']} failed")
    if feed.get("error"):
        line += f" — {feed['error']}"
    return line


def summary_lines(summary: dict) -> list[str]:
    lines = [f"run {summary.get('run_id')} ({summary.get('logical_date')}): {summary.get('status')};"
             f" feeds ok {summary.get('feeds_ok')}, failed {summary.get('feeds_failed')};"
             f" items {summary.get('items_seen')}; new articles {summary.get('articles_new')}"
             f" ({summary.get('articles_duplicate')} republished, {summary.get('articles_refreshed', 0)}"
             f" refreshed); repeated paragraphs {summary.get('paragraphs_duplicate')};"
             f" events {summary.get('events')}; quarantined {summary.get('quarantined')}"]
    lines += [feed_line(f) for f in summary.get("feeds", [])]
    return lines


def failing_feeds(summary: dict, threshold: int | None = None) -> list[str]:
    """Warnings for feeds that failed on `threshold` or more logical dates in a row."""
    threshold = feed_failure_days() if threshold is None else threshold
    return [f"feed {f['name']} has failed {f['consecutive_failed_days']} days in a row"
            f" (last error: {f.get('error') or '?'})"
            for f in summary.get("feeds", [])
            if (f.get("consecutive_failed_days") or 0) >= threshold]

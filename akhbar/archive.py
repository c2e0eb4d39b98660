"""`akhbar import-archive`: load an archive of articles (JSON Lines, the transform
contract's input format, optionally gzipped) into the warehouse without fetching anything.

For back-filling years of an outlet's archive, or a research corpus, through the same
transform and the same idempotent writer as the daily runs. Each outlet of the archive
becomes a feed named `archive-<outlet>`; importing the same file again changes nothing.
"""
from __future__ import annotations

import argparse
import email.utils
import gzip
import json
import multiprocessing
import os
import re
import sys
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Iterator

from akhbar.load import runs
from akhbar.load.db import connection
from akhbar.load.migrate import prepare_warehouse
from akhbar.load.quarantine import quarantine
from akhbar.load.staging import StagedArticle
from akhbar.load.writer import load_articles
from akhbar.models import FeedConfig
from akhbar.extract.textclean import sanitize
from akhbar.transform.contract import transform_line


@dataclass
class ImportReport:
    run_id: str
    articles: int = 0
    errors: int = 0
    loaded: int = 0
    republished: int = 0
    events: int = 0
    seconds: float = 0.0


def _lines(path: Path, limit: int | None) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each non-blank line: bytes, so that one line that is not
    UTF-8 is that line's problem, not the end of the import."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        yield from islice(((n, line) for n, line in enumerate(fh, 1) if line.strip()), limit)


@dataclass
class _Line:
    number: int
    data: bytes
    raw: dict | None = None
    doc: dict | None = None
    problem: str | None = None  # why the line is not an article at all


def _read_line(numbered: tuple[int, bytes]) -> _Line:
    """One archive line, read and transformed; every failure is described, none raised."""
    line = _Line(*numbered)
    try:
        raw = json.loads(line.data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line.problem = f"line {line.number} is not UTF-8 ({exc.reason} at byte {exc.start})"
        return line
    except (ValueError, RecursionError) as exc:
        line.problem = f"line {line.number} is not JSON: {str(exc)[:200]}"
        return line
    if not isinstance(raw, dict):
        line.problem = f"line {line.number} is not a JSON object"
        return line
    # text enters here: NUL and lone surrogates ("\u0000", "\ud800") would fail the load
    line.raw = {k: sanitize(v) if isinstance(v, str) else v for k, v in raw.items()}
    if not isinstance(line.raw.get("url"), str) or not line.raw["url"].strip():
        line.problem = f"line {line.number} has no url"
        return line
    line.doc = transform_line(json.dumps(line.raw, ensure_ascii=False))
    return line


def _read_lines(part: list[tuple[int, bytes]]) -> list[_Line]:
    return [_read_line(numbered) for numbered in part]


# Lines a worker process takes at once: few enough that the window stays fine-grained.
_CHUNK = 50


def read_ahead_default() -> int:
    """Lines read and transformed ahead of the loader (AKHBAR_ARCHIVE_READ_AHEAD, default
    2000: four batches of 500, enough to keep the workers busy while a batch loads)."""
    return max(1, int(os.environ.get("AKHBAR_ARCHIVE_READ_AHEAD", "2000")))


def transformed(lines: Iterator[tuple[int, bytes]], pool, read_ahead: int) -> Iterator[_Line]:
    """The lines read and transformed, in order, by `pool` (None: in this process). At most
    `read_ahead` lines are ever read from `lines` and not yet taken by the caller: the pool's
    own imap reads its whole input ahead, so transform workers that outrun a slow loader
    held the archive's transformed lines in memory (it grew with the archive)."""
    if pool is None:
        yield from map(_read_line, lines)  # lazy: one line at a time
        return
    read_ahead = max(1, read_ahead)
    chunk = min(_CHUNK, read_ahead)
    pending: deque = deque()  # chunks handed to the workers, oldest first
    ahead = 0  # lines read and not yet yielded
    exhausted = False
    while True:
        while not exhausted and ahead + chunk <= read_ahead:
            part = list(islice(lines, chunk))
            exhausted = len(part) < chunk
            if part:
                pending.append(pool.apply_async(_read_lines, (part,)))
                ahead += len(part)
        if not pending:
            return
        for line in pending.popleft().get():
            ahead -= 1
            yield line


def _published(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _feed_name(outlet: str) -> str:
    return "archive-" + (re.sub(r"[^a-z0-9_.-]+", "-", outlet.lower()).strip("-") or "unknown")


def import_archive(url: str | None, path: Path, *, workers: int = 1, batch_size: int = 500,
                   limit: int | None = None, progress=None, read_ahead: int | None = None) -> ImportReport:
    prepare_warehouse(url)
    report = ImportReport(run_id=f"import__{path.name}")
    started = time.monotonic()
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    results = transformed(_lines(path, limit), pool, read_ahead or read_ahead_default())
    fetched_at = datetime.now(timezone.utc)
    try:
        with connection(url) as conn:
            runs.start(conn, report.run_id, fetched_at.date(), [])
            conn.commit()
            while batch := list(islice(results, batch_size)):
                staged, feeds = [], {}
                for line in batch:
                    report.articles += 1
                    if line.problem or line.doc.get("error"):
                        report.errors += 1
                        _quarantine_line(conn, report.run_id, path, line)
                        continue
                    raw, doc = line.raw, line.doc
                    outlet = str(raw.get("outlet") or "unknown")
                    feed = feeds.setdefault(outlet, FeedConfig(_feed_name(outlet), path.resolve().as_uri(), outlet))
                    staged.append(StagedArticle(
                        feed=feed.name, url=raw["url"], title=raw.get("title"),
                        published=_published(raw.get("published")), body=raw.get("body") or "",
                        fetched_at=fetched_at, result=doc))
                runs.register_feeds(conn, list(feeds.values()))
                staged.sort(key=lambda a: (a.published or fetched_at, a.url))
                counts = load_articles(conn, report.run_id, staged, runs.feed_ids(conn))
                conn.commit()
                report.loaded += counts.articles_new
                report.republished += counts.articles_duplicate
                report.events += counts.events
                if progress:
                    progress(report)
            runs.finish(conn, report.run_id)
            conn.commit()
            # a bulk load leaves the planner's statistics behind the tables
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("ANALYZE")
    finally:
        if pool:
            pool.close()
            pool.join()
    report.seconds = time.monotonic() - started
    return report


def _quarantine_line(conn, run_id: str, path: Path, line: _Line) -> None:
    """An unreadable line (stage 'import', keyed by file and line number) or an article the
    transform refused (stage 'transform', keyed by its URL), with the line as evidence."""
    if line.problem:
        where, stage, reason = f"{path.resolve().as_uri()}#line={line.number}", "import", line.problem
    else:
        where, stage, reason = line.raw["url"], "transform", line.doc["error"]
    quarantine(conn, run_id=run_id, feed=_feed_name(path.name), url=where, stage=stage,
               reason=reason, payload=line.data, permanent=True)


def batch_line(r: ImportReport) -> str:
    """The line --batch-log writes after each committed batch (bench/archive_bench.py reads it)."""
    return f"import batch: {r.articles} articles read, {r.loaded} loaded, {r.republished} republished, {r.errors} errors"


def cmd_import_archive(args: argparse.Namespace) -> int:
    from akhbar.progress import Progress

    # one cheap pass to count the lines gives the bar its total, hence an ETA
    total = sum(1 for _ in _lines(Path(args.input), args.limit)) if not args.quiet else 0
    bar = Progress(total, "import", enabled=not args.quiet)

    def committed(r: ImportReport) -> None:
        bar.update(r.articles)
        if args.batch_log:
            print(batch_line(r), file=sys.stderr, flush=True)

    report = import_archive(args.warehouse, Path(args.input), workers=args.workers,
                            batch_size=args.batch_size, limit=args.limit, read_ahead=args.read_ahead,
                            progress=committed)
    bar.close()
    rate = report.articles / report.seconds if report.seconds else 0.0
    print(f"imported {args.input}: {report.articles} articles, {report.loaded} new"
          f" ({report.republished} republished), {report.events} events, {report.errors} errors,"
          f" {report.seconds:.0f} s ({rate:.0f} articles/s)")
    return 0 if report.errors < report.articles or report.articles == 0 else 1


def add_parser(sub) -> None:
    p = sub.add_parser("import-archive", help="load an archive of articles (JSON Lines) into the warehouse")
    p.add_argument("--input", required=True, help="JSON Lines file (.gz ok): id, url, outlet, title, published, body")
    p.add_argument("--workers", type=int, default=max(1, multiprocessing.cpu_count()), help="transform processes")
    p.add_argument("--batch-size", type=int, default=500, help="articles per load transaction")
    p.add_argument("--read-ahead", type=int, default=None,
                   help="lines transformed ahead of the loader at most (default: AKHBAR_ARCHIVE_READ_AHEAD, else 2000)")
    p.add_argument("--limit", type=int, help="only the first N articles")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--batch-log", action="store_true",
                   help="a line on stderr after each committed batch: articles read, loaded, republished, errors")
    p.set_defaults(func=cmd_import_archive)

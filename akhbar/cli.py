"""The `akhbar` command: migrate, run, transform, export-plover."""
from __future__ import annotations

import argparse
import logging
import sys

import psycopg2
from datetime import datetime, timezone

from akhbar import analyst, archive, dedup_report, export_plover, quarantine_cli
from akhbar.config import ConfigError, feeds_file, load_feeds
from akhbar.argtypes import iso_date
from akhbar.load.db import ensure_database, redact, warehouse_url
from akhbar.report import failing_feeds, summary_lines



def cmd_migrate(args: argparse.Namespace) -> int:
    from akhbar.load.migrate import prepare_warehouse

    applied = prepare_warehouse(args.warehouse)
    print(f"warehouse {redact(warehouse_url(args.warehouse))}: "
          + (f"applied {', '.join(applied)}" if applied else "up to date"))
    return 0


def _print_report(report) -> None:
    lines = summary_lines(report.summary)
    print(lines[0])
    for line in lines[1:]:
        print(line)
    t, ld = report.stages.get("transform", {}), report.stages.get("load", {})
    print(f"  transform: {t.get('transformed', 0)} articles, {t.get('errors', 0)} errors")
    print(f"  load: {ld.get('articles_new', 0)} new articles ({ld.get('articles_duplicate', 0)} republished,"
          f" {ld.get('articles_refreshed', 0)} refreshed), {ld.get('paragraphs_duplicate', 0)} repeated"
          f" paragraphs, {ld.get('events', 0)} events")
    for warning in failing_feeds(report.summary):
        print(f"  WARNING: {warning}")
    print("  quality: " + (f"FAILED — {report.quality_error}" if report.quality_error else "all checks passed"))
    for where, error in report.errors.items():
        print(f"  FAILED {where}: {error}")
    if report.failed_steps:
        print(f"  the run failed: {', '.join(report.failed_steps)} did not complete")


# `--from/--to` ran today's feeds once per day of the range: that is not a backfill of those
# days (a feed only holds what it holds now), so it is refused with where to go instead.
BACKFILL_GONE = ("akhbar run: --from/--to is gone: a run reads the feeds as they are now, so it cannot"
                 " load past days. Past articles: `akhbar import-archive`; past logical dates in"
                 " Airflow: `airflow backfill create` (README: Backfill).")


def cmd_run(args: argparse.Namespace) -> int:
    from akhbar.runner import cli_run_id, run_pipeline

    try:
        feeds = load_feeds(args.feeds)
    except ConfigError as exc:
        print(f"akhbar run: {exc}", file=sys.stderr)
        return 2
    if args.date_from or args.date_to:
        print(BACKFILL_GONE, file=sys.stderr)
        return 2
    day = args.date or datetime.now(timezone.utc).date()
    print(f"feeds: {feeds_file(args.feeds)} ({len(feeds)} feeds); warehouse: {redact(warehouse_url(args.warehouse))}")
    ensure_database(warehouse_url(args.warehouse))  # unreachable: main() says so in one line
    report = run_pipeline(args.warehouse, feeds, day, run_id=cli_run_id(day))
    _print_report(report)
    return 1 if report.failed else 0


def cmd_transform(args: argparse.Namespace) -> int:
    from akhbar.transform.contract import transform_stream

    src = open(args.input, encoding="utf-8") if args.input else sys.stdin
    dst = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        transform_stream(src, dst)
    finally:
        if args.input:
            src.close()
        if args.output:
            dst.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="akhbar", description=__doc__)
    parser.add_argument("--warehouse", help="libpq URL of the warehouse (default: $AKHBAR_WAREHOUSE_URL)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the SQL migrations to the warehouse").set_defaults(func=cmd_migrate)
    run = sub.add_parser("run", help="one pipeline run, in-process")
    run.add_argument("--feeds", help="feeds file (default: $AKHBAR_FEEDS or config/feeds.sample.yaml)")
    run.add_argument("--date", type=iso_date, help="logical date (default: today, UTC)")
    # kept only to explain that they are gone (see BACKFILL_GONE)
    run.add_argument("--from", dest="date_from", type=iso_date, help=argparse.SUPPRESS)
    run.add_argument("--to", dest="date_to", type=iso_date, help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)
    tr = sub.add_parser("transform", help="JSON Lines articles in, extracted events out")
    tr.add_argument("--input", help="input file (default: stdin)")
    tr.add_argument("--output", help="output file (default: stdout)")
    tr.set_defaults(func=cmd_transform)
    quarantine_cli.add_parser(sub)
    archive.add_parser(sub)
    dedup_report.add_parser(sub)
    export_plover.add_parser(sub)
    analyst.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except psycopg2.OperationalError as exc:
        # a warehouse that cannot be reached is a setting to fix, not a bug: one line
        reason = (str(exc).strip().splitlines() or ["?"])[0].split(" failed: ", 1)[-1].strip()
        print(f"akhbar: cannot reach the warehouse at {redact(warehouse_url(args.warehouse))}: {reason}",
              file=sys.stderr)
        return 3
    except ImportError as exc:
        if type(exc).__name__ != "CamelToolsMissing":
            raise
        print(f"akhbar: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

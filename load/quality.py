"""Data-quality gates: the SQL checks in sql/checks/, their findings kept in dq_results."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import psycopg2.extensions

from akhbar.config import feed_failure_days


class DataQualityError(RuntimeError):
    """A gate failed; the task fails visibly and dq_results says why."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    findings: int
    detail: str | None


def checks() -> list[tuple[str, str]]:
    """(name, SQL) of every check; each query returns one row: (findings, detail)."""
    folder = resources.files("akhbar.sql") / "checks"
    return sorted((entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
                  for entry in folder.iterdir() if entry.name.endswith(".sql"))


def check_parameters(run_id: str) -> dict:
    """What the checks' SQL may refer to, e.g. %(run_id)s."""
    return {"run_id": run_id,
            "feed_failure_days": feed_failure_days()}


def run_checks(conn: psycopg2.extensions.connection, run_id: str) -> list[CheckResult]:
    results = []
    params = check_parameters(run_id)
    with conn.cursor() as cur:
        for name, query in checks():
            cur.execute(query, params)
            findings, detail = cur.fetchone()
            result = CheckResult(name, findings == 0, int(findings), detail)
            results.append(result)
            cur.execute(
                "INSERT INTO akhbar.dq_results (run_id, check_name, passed, findings, detail)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (run_id, check_name) DO UPDATE SET"
                " passed = EXCLUDED.passed, findings = EXCLUDED.findings,"
                " detail = EXCLUDED.detail, checked_at = now()",
                (run_id, name, result.passed, result.findings, detail),
            )
    return results


def raise_on_failure(results: list[CheckResult]) -> None:
    failed = [r for r in results if not r.passed]
    if failed:
        raise DataQualityError("; ".join(f"{r.name}: {r.findings} finding(s) ({r.detail})" for r in failed))

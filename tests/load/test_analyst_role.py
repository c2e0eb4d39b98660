"""The read-only analyst role that compose's airflow-init creates: it reads every view,
writes nothing, and its queries stop at its statement_timeout. Real PostgreSQL."""
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from akhbar.cli import main as akhbar
from tests.conftest import query

pytestmark = pytest.mark.integration


@pytest.fixture
def analyst(warehouse_url, monkeypatch):
    name = f"analyst_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("AKHBAR_TEST_ANALYST_PW", "s3cret-" + name)
    yield name
    with psycopg2.connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.execute(f"DROP OWNED BY {name}")
        cur.execute(f"DROP ROLE {name}")


def _as(url: str, role: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{role}:s3cret-{role}@{parts.hostname}:{parts.port or 5432}"))


def test_the_analyst_reads_the_views_writes_nothing_and_is_timed_out(warehouse_url, analyst):
    assert akhbar(["--warehouse", warehouse_url, "create-analyst", "--name", analyst,
                   "--password-env", "AKHBAR_TEST_ANALYST_PW", "--statement-timeout", "2s"]) == 0
    # idempotent: airflow-init runs it at every start
    assert akhbar(["--warehouse", warehouse_url, "create-analyst", "--name", analyst,
                   "--password-env", "AKHBAR_TEST_ANALYST_PW", "--statement-timeout", "2s"]) == 0
    url = _as(warehouse_url, analyst)
    assert query(url, "SELECT count(*) FROM akhbar.runs_v") == [(0,)]
    assert query(url, "SELECT count(*) FROM akhbar.dyad_daily_v") == [(0,)]
    assert query(url, "SHOW statement_timeout") == [("2s",)]
    with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
        query(url, "INSERT INTO akhbar.outlets (name) VALUES ('x')")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        query(url, "SET TRANSACTION READ WRITE; INSERT INTO akhbar.outlets (name) VALUES ('x')")
    with pytest.raises(psycopg2.errors.QueryCanceled):
        query(url, "SELECT pg_sleep(5)")

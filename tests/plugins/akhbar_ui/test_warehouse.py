"""The plugin's sessions cannot write, stop runaway statements, and find the warehouse
through the Airflow connection or AKHBAR_WAREHOUSE_URL."""
from __future__ import annotations

import psycopg2
import pytest

from akhbar_ui import warehouse
from akhbar_ui.warehouse import Warehouse, WarehouseUnavailable
from tests.conftest import query

pytestmark = pytest.mark.integration

WRITES = [
    "INSERT INTO akhbar.outlets (name) VALUES ('written by the UI')",
    "UPDATE akhbar.feeds SET url = url",
    "DELETE FROM akhbar.quarantine",
    "REFRESH MATERIALIZED VIEW akhbar.dyad_daily_v",
    "CREATE TABLE akhbar.ui_was_here (x int)",
    "SELECT nextval('akhbar.outlets_outlet_id_seq')",
]


@pytest.mark.parametrize("sql", WRITES)
def test_the_plugin_cannot_write(samples_warehouse, sql):
    url = samples_warehouse[0]
    before = query(url, "SELECT (SELECT count(*) FROM akhbar.outlets), (SELECT count(*) FROM akhbar.quarantine)")
    wh = Warehouse(url)
    try:
        with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
            with wh.transaction() as cur:
                cur.execute(sql)
        # a session cannot switch itself back to writing either
        with pytest.raises(psycopg2.Error):
            with wh.transaction() as cur:
                cur.execute("SELECT 1")
                cur.execute("SET TRANSACTION READ WRITE")
                cur.execute(sql)
        assert wh.fetch("SHOW default_transaction_read_only") == [{"default_transaction_read_only": "on"}]
    finally:
        wh.close()
    assert query(url, "SELECT (SELECT count(*) FROM akhbar.outlets), (SELECT count(*) FROM akhbar.quarantine)") == before


def test_a_runaway_statement_is_stopped(samples_warehouse, monkeypatch):
    monkeypatch.setattr(warehouse, "STATEMENT_TIMEOUT_MS", 200)
    wh = Warehouse(samples_warehouse[0])
    try:
        assert wh.fetch("SHOW statement_timeout") == [{"statement_timeout": "200ms"}]
        with pytest.raises(psycopg2.errors.QueryCanceled):
            wh.fetch("SELECT pg_sleep(2)")
        assert wh.fetch("SELECT 1 AS one") == [{"one": 1}]  # the pool is still usable
    finally:
        wh.close()


def test_an_unreachable_warehouse_is_reported(samples_warehouse):
    wh = Warehouse("postgresql://postgres@127.0.0.1:1/none")
    with pytest.raises(WarehouseUnavailable, match="does not answer"):
        wh.fetch("SELECT 1")


def test_url_from_the_airflow_connection_first(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE", "postgres://reader@db.example:5432/akhbar")
    monkeypatch.setenv("AKHBAR_WAREHOUSE_URL", "postgresql://other@127.0.0.1/other")
    assert warehouse.warehouse_url() == "postgresql://reader@db.example:5432/akhbar"
    monkeypatch.setenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE_RO", "postgresql://readonly@db.example:5432/akhbar")
    assert warehouse.warehouse_url() == "postgresql://readonly@db.example:5432/akhbar"


def test_url_from_the_environment_without_a_connection(monkeypatch):
    monkeypatch.setattr(warehouse, "_airflow_connection_url", lambda conn_id: None)
    monkeypatch.setenv("AKHBAR_WAREHOUSE_URL", "postgresql://other@127.0.0.1/other")
    assert warehouse.warehouse_url() == "postgresql://other@127.0.0.1/other"
    monkeypatch.delenv("AKHBAR_WAREHOUSE_URL")
    with pytest.raises(WarehouseUnavailable, match="akhbar_warehouse connection"):
        warehouse.warehouse_url()

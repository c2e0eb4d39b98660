"""The same DAG scaled out: the real scheduler, DAG processor, triggerer and API server with
the CeleryExecutor, the machine's Redis on 127.0.0.1:6379 as broker, and two Celery
workers on loopback, run `arabic_news_daily` over the sample feeds. The run's tasks (one
mapped task per feed among them) are spread over both workers; the warehouse equals what an
in-process run (dag.test) of the same DAG produces; the gates' asset event triggers
`akhbar_exports`, which exports the run's own day; the run's DeadlineAlert reaches the
webhook (its deadline, a day and 6 hours after its logical date, is set to have passed by
AKHBAR_LATE_AFTER_HOURS=-30). Every process is started in
a session of its own and stopped by its own id. Skipped only when no Redis answers.

AKHBAR_CELERY_WORKERS (default 2) sets the number of workers; the wall time of the run is
printed (pytest -s) for the README's figures."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pendulum
import psycopg2
import pytest
import yaml

from tests.conftest import ROOT, new_database, query, sample_feeds_over_http
from tests.e2e.helpers import views_snapshot

pytestmark = [pytest.mark.e2e]

REDIS = ("127.0.0.1", 6379)


def _latest_interval_start() -> pendulum.DateTime:
    """The logical date of the daily DAG's latest complete data interval (04:00 UTC each day).
    The test's run takes that date, so that the scheduler, unpausing the DAG, finds the
    interval taken and adds no run of its own; and its export must be named after that day,
    which is not today's."""
    now = pendulum.now("UTC")
    today_run = now.start_of("day").add(hours=4)
    return today_run.subtract(days=1 if now >= today_run else 2)
WORKERS = int(os.environ.get("AKHBAR_CELERY_WORKERS", "2"))


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(home: Path, airflow_db: str, feeds: Path, exports: Path, webhook: str) -> dict:
    """The stack's settings, none inherited from this test process's own Airflow."""
    port = _free_port()
    sqlalchemy_url = airflow_db.replace("postgresql://", "postgresql+psycopg2://", 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "AKHBAR_"))}
    env.update({
        "AIRFLOW_HOME": str(home), "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "plugins")]),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url,
        # a Redis database and a queue of this test's own: other users of the machine's Redis
        # cannot take its tasks, nor it theirs
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/13",
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + sqlalchemy_url,  # SQLAlchemy 2.1 would pick psycopg 3
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": f"akhbar_test_{secrets.token_hex(4)}",
        "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "tests.celery_hostname.hostname",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__PARALLELISM": "8",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__API__PORT": str(port), "AIRFLOW__API__HOST": "127.0.0.1", "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16), "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "AKHBAR_FEEDS": str(feeds), "AKHBAR_EXPORT_DIR": str(exports), "AKHBAR_TASK_RETRIES": "0",
        "AKHBAR_MIN_HOST_DELAY": "0",
        "AKHBAR_ALERT_NOTIFIER": "webhook", "AKHBAR_ALERT_WEBHOOK_URL": webhook,
        # the latest interval's run is at most a day old: a negative grace makes it late now
        "AKHBAR_LATE_AFTER_HOURS": "-30",
    })
    return env


def _airflow(env: dict, *args: str, timeout: int = 180) -> str:
    result = subprocess.run([sys.executable, "-m", "airflow", *args], env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


@contextlib.contextmanager
def _processes(env: dict, home: Path):
    """Start the stack's components; stop each, by its own process group id, afterwards."""
    started: list[subprocess.Popen] = []

    def start(name: str, *args: str, **extra):
        log = open(home / f"{name}.log", "w")
        started.append(subprocess.Popen([sys.executable, "-m", "airflow", *args], env={**env, **extra},
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True))

    try:
        start("api-server", "api-server")
        start("scheduler", "scheduler")
        start("dag-processor", "dag-processor")
        start("triggerer", "triggerer", "--skip-serve-logs")
        for n in range(1, WORKERS + 1):
            start(f"worker{n}", "celery", "worker", "--queues", env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"],
                  "--concurrency", "1", "--celery-hostname", f"akhbar{n}@%h", "--skip-serve-logs",
                  AKHBAR_TEST_WORKER=str(n))
        yield started
    finally:
        for proc in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # its session's group: the process and its children
        deadline = time.monotonic() + 30
        for proc in started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever of the group outlived SIGTERM
            proc.wait(10)


def _wait_for(what: str, check, timeout: float, procs=(), home: Path | None = None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        for proc in procs:
            assert proc.poll() is None, f"{proc.args[3:5]} exited: see {home}"
        time.sleep(1)
    logs = "".join(f"\n--- {p.name}\n" + p.read_text()[-1500:] for p in sorted(home.glob("*.log"))) if home else ""
    raise AssertionError(f"timed out waiting for {what}{logs}")


def _run_state(airflow_db: str, dag_id: str, run_id: str | None = None):
    sql = "SELECT run_id, state FROM dag_run WHERE dag_id = %s" + (" AND run_id = %s" if run_id else "")
    rows = query(airflow_db, sql, (dag_id, run_id) if run_id else (dag_id,))
    return rows[0] if rows and rows[0][1] in ("success", "failed") else None


@pytest.mark.skipif(not _redis_answers(), reason="no Redis answers on 127.0.0.1:6379 (the Celery broker)")
def test_the_dag_on_celery_workers_fills_the_warehouse_as_an_in_process_run(
        airflow_db, samples_server, tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    from tests.alert_receivers import webhook_receiver

    feeds = sample_feeds_over_http(samples_server, tmp_path / "feeds.yaml")
    home = tmp_path / "airflow"
    home.mkdir()
    with new_database() as airflow_db_url, new_database() as by_celery, new_database() as in_process, \
            webhook_receiver() as (webhook, alerts):
        env = _environment(home, airflow_db_url, feeds, tmp_path / "exports", webhook)
        t0 = time.monotonic()
        _airflow(env, "db", "migrate", timeout=300)
        print(f"\n[celery test] db migrate {time.monotonic() - t0:.0f} s")
        _airflow(env, "connections", "add", "akhbar_warehouse", "--conn-uri", by_celery)
        _airflow(env, "pools", "set", "akhbar_page_fetches", "4", "akhbar test")
        with _processes(env, home) as procs:
            _wait_for("the DAGs to be parsed", lambda: query(
                airflow_db_url, "SELECT count(*) FROM serialized_dag WHERE dag_id IN"
                " ('arabic_news_daily', 'akhbar_exports')")[0][0] == 2, 180, procs, home)
            print(f"[celery test] parsed after {time.monotonic() - t0:.0f} s")
            # a worker still starting when the feeds' tasks are queued takes none of them: the
            # other, one task at a time, would run them all
            _wait_for("every worker to be ready", lambda: all(
                " ready." in (home / f"worker{n}.log").read_text(errors="replace")
                for n in range(1, WORKERS + 1)), 180, procs, home)
            print(f"[celery test] workers ready after {time.monotonic() - t0:.0f} s")
            day = _latest_interval_start()
            _airflow(env, "dags", "trigger", "arabic_news_daily", "--run-id", "celery_test",
                     "--logical-date", day.isoformat())
            _airflow(env, "dags", "unpause", "akhbar_exports")
            started = time.monotonic()
            _airflow(env, "dags", "unpause", "arabic_news_daily")
            state = _wait_for("the daily run", lambda: _run_state(airflow_db_url, "arabic_news_daily",
                                                                   "celery_test"), 420, procs, home)
            wall = time.monotonic() - started
            print(f"\narabic_news_daily on {WORKERS} Celery worker(s): {wall:.1f} s wall, trigger to end")
            assert state[1] == "success", state
            print(f"[celery test] run done after {time.monotonic() - t0:.0f} s")
            exported = _wait_for("the exports run", lambda: _run_state(airflow_db_url, "akhbar_exports"),
                                 180, procs, home)
            assert exported[1] == "success", exported
            _wait_for("the late-run alert", lambda: alerts, 120, procs, home)
            print(f"[celery test] exports and alert after {time.monotonic() - t0:.0f} s")

        hosts = dict(query(airflow_db_url, "SELECT task_id || '[' || map_index || ']', hostname"
                                           " FROM task_instance WHERE run_id = 'celery_test'"))
        workers = {f"worker{n}" for n in range(1, WORKERS + 1)}
        feed_tasks = [h for task, h in hosts.items() if task.startswith("feed.fetch_feed[")]
        assert len(feed_tasks) == len(yaml.safe_load(feeds.read_text())["feeds"]) == 3
        assert {h.rsplit("#", 1)[1] for h in feed_tasks} <= workers, hosts
        # Redis hands a queued task to whichever worker asks first, so which tasks a worker
        # takes is the broker's choice (three quick feed tasks may all go to one): the run as
        # a whole is what shows both at work
        assert {h.rsplit("#", 1)[1] for h in hosts.values()} == workers, hosts
        # task logs carry the step's fields as JSON fields
        log_file = next((home / "logs").glob("dag_id=arabic_news_daily/run_id=celery_test/task_id=feed.fetch_feed/"
                                              "map_index=0/attempt=1.log"))
        (record,) = [json.loads(line) for line in log_file.read_text().splitlines() if '"stage"' in line]
        assert record["stage"] == "fetch_feed" and record["feed"].startswith("sample-")
        assert record["url"].startswith("http://127.0.0.1:") and record["counts"]["items_seen"] > 0
        assert query(airflow_db_url, "SELECT run_id FROM dag_run WHERE dag_id = 'arabic_news_daily'") == [
            ("celery_test",)]
        # the asset event's day, not today's: the exports DAG read it from the event
        assert day.date() != pendulum.now("UTC").date()
        assert [p.name for p in (tmp_path / "exports").iterdir()] == [f"plover-{day.date().isoformat()}.jsonl"]
        assert alerts[0]["subject"] == "akhbar: arabic_news_daily run celery_test is late"

        monkeypatch.setenv("AIRFLOW_CONN_AKHBAR_WAREHOUSE", in_process)
        monkeypatch.setenv("AKHBAR_FEEDS", str(feeds))
        monkeypatch.setenv("AKHBAR_MIN_HOST_DELAY", "0")
        dag = DagBag(dag_folder=str(ROOT / "dags")).dags["arabic_news_daily"]
        assert dag.test(logical_date=day).state == "success"
        assert views_snapshot(by_celery) == views_snapshot(in_process)
        runs = ("SELECT logical_date::text, status, feeds_ok, feeds_failed, items_seen, articles_new, events,"
                " quarantined FROM akhbar.runs_v")
        assert query(by_celery, runs) == query(in_process, runs)

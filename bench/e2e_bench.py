"""One whole pipeline run over H outlets on H loopback hosts (one feed of M items each; see
bench/site.py: seeded per-URL latency, median 100 ms, tail to 1 s; real robots.txt), against
a plain polite crawler that downloads the same URLs with the same per-host limits.

The run is the DAG itself, `arabic_news_daily`, run by a real Airflow: `airflow
dag-processor`, `airflow scheduler` (LocalExecutor, parallelism P) and `airflow api-server
--apps execution` (Airflow 3's tasks report to the Execution API), each a process of its
own, with a throwaway AIRFLOW_HOME and a throwaway PostgreSQL metadata database. The run is
triggered for a logical date with `airflow dags trigger`; its wall time is Airflow's own,
from the run's `queued_at` (set by the trigger) to its `end_date`. Every process is stopped
by its own pid afterwards (its process group, for the LocalExecutor workers it forked).

The plain crawler (`plain_crawl`) does what the pipeline's fetching must do and nothing
else: per host, the feed (unpaced, as `fetch_feed` reads it), then robots.txt and every page
through the pipeline's own HostPacer with the same AKHBAR_MIN_HOST_DELAY and
AKHBAR_MAX_HOST_CONCURRENCY, all hosts at once. The politeness gap is in force for both.

Per task: Airflow's durations (task_instance), the wait between queued and running, the
task's own work as it records it (akhbar.task_metrics), and the peak RSS of the task's
process (bench/rss.py's TreeSampler follows the `airflow worker -- <ti id>` processes).
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2

from akhbar.steps import PAGE_FETCH_POOL
import requests

from akhbar.extract.politeness import HostPacer
from bench import site as sitegen
from bench.corpus import ROOT
from bench.pg import bench_database
from bench.rss import TreeSampler

LOGICAL_DATE = "2026-01-05T04:00:00+00:00"
DAG_ID = "arabic_news_daily"
MIN_HOST_DELAY = float(os.environ.get("AKHBAR_MIN_HOST_DELAY", "1"))
MAX_HOST_CONCURRENCY = int(os.environ.get("AKHBAR_MAX_HOST_CONCURRENCY", "2"))


# ---------------------------------------------------------------- the plain polite crawler

def plain_crawl(site: sitegen.Site) -> dict:
    """Wall seconds to download every feed, robots.txt and page, politely, all hosts at once."""
    def host_crawl(host: sitegen.Host) -> int:
        pacer = HostPacer(MIN_HOST_DELAY, MAX_HOST_CONCURRENCY, max_wait=600)
        with requests.Session() as session:
            def get(url: str, paced: bool = True) -> int:
                if paced:
                    with pacer.slot(url):
                        response = session.get(url, timeout=30)
                else:
                    response = session.get(url, timeout=30)
                response.raise_for_status()
                return len(response.content)

            got = get(f"{host.base}/{host.feed_path}", paced=False) + get(f"{host.base}/robots.txt")
            with ThreadPoolExecutor(max(1, MAX_HOST_CONCURRENCY)) as pool:
                got += sum(pool.map(get, [f"{host.base}/{p}" for p in host.page_paths]))
        return got

    started = time.perf_counter()
    with ThreadPoolExecutor(len(site.hosts)) as pool:
        received = sum(pool.map(host_crawl, site.hosts))
    return {"seconds": round(time.perf_counter() - started, 2), "bytes": received}


# ---------------------------------------------------------------- Airflow, for real

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Airflow:
    """A throwaway Airflow: its home, its metadata database, its processes."""

    def __init__(self, home: Path, metadata_url: str, warehouse: str, feeds_file: Path, parallelism: int):
        self.home = home
        self.port = _free_port()
        self.metadata_url = metadata_url
        self.processes: dict[str, subprocess.Popen] = {}
        secret = secrets.token_urlsafe(32)
        home.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(parallelism),
            # only arabic_news_daily is unpaused (the exports DAG, scheduled on the
            # warehouse asset, would otherwise run beside it)
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",  # the triggered run only
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url.replace("postgresql:", "postgresql+psycopg2:", 1),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.port}/execution/",
            "AIRFLOW__API__SECRET_KEY": secret,
            "AIRFLOW__API_AUTH__JWT_SECRET": secret,
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
            "AKHBAR_TASK_RETRIES": "0",
            "AKHBAR_FEEDS": str(feeds_file),
            "AKHBAR_WAREHOUSE_URL": warehouse,
            # inside Airflow the connection names the warehouse (the CLI's variable plays no part)
            "AIRFLOW_CONN_AKHBAR_WAREHOUSE": warehouse,
            "AKHBAR_MIN_HOST_DELAY": str(MIN_HOST_DELAY),
            "AKHBAR_MAX_HOST_CONCURRENCY": str(MAX_HOST_CONCURRENCY),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.airflow = str(Path(sys.executable).with_name("airflow"))

    def cli(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run([self.airflow, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed (exit {done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def start(self, name: str, *args: str) -> None:
        log = open(self.home / f"{name}.log", "wb")
        # a session (and process group) of its own: stopped by its own pid, with what it forks
        self.processes[name] = subprocess.Popen([self.airflow, *args], env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.home / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"airflow {name} exited with {process.returncode}: {tail}")

    def stop(self) -> dict:
        """SIGTERM to each process by its pid; what is left of its group after 20 s is killed."""
        how = {}
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            else:
                how[name] = f"had exited ({process.returncode})"
        deadline = time.monotonic() + 20
        for name, process in reversed(list(self.processes.items())):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
                how.setdefault(name, "exited on SIGTERM")
            except subprocess.TimeoutExpired:
                how[name] = "killed (SIGKILL) after 20 s"
            try:  # LocalExecutor workers and task processes it forked share its group
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
        return how

    def query(self, statement: str, args: tuple = ()) -> list[tuple]:
        conn = psycopg2.connect(self.metadata_url)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(statement, args)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()


def _wait(what: str, check, airflow: _Airflow, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        airflow.check_alive()
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _task_metrics(warehouse: str) -> dict:
    """The tasks' own account of their work (akhbar.task_metrics), summed per task."""
    conn = psycopg2.connect(warehouse)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT task, count(*), sum(seconds), max(peak_rss_kb) FROM akhbar.task_metrics"
                        " GROUP BY task")
            return {task: {"runs": n, "work_seconds": round(float(s), 2), "peak_rss_mib": round(kb / 1024, 1)}
                    for task, n, s, kb in cur.fetchall()}
    finally:
        conn.close()


def _warehouse_counts(url: str) -> dict:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM akhbar.articles")
            articles = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM akhbar.quarantine")
            quarantined = cur.fetchone()[0]
            cur.execute("SELECT status FROM akhbar.runs ORDER BY started_at DESC LIMIT 1")
            status = (cur.fetchone() or [None])[0]
        return {"articles_loaded": articles, "quarantined": quarantined, "run_status": status}
    finally:
        conn.close()


def airflow_run(feeds_file: Path, workdir: Path, parallelism: int, timeout: float = 3600) -> dict:
    """`arabic_news_daily` for LOGICAL_DATE, run by a real scheduler (see the module's doc)."""
    with bench_database(f"e2e_dag_p{parallelism}") as warehouse, \
            bench_database(f"e2e_airflow_p{parallelism}", migrated=False) as metadata:
        airflow = _Airflow(workdir / f"airflow-p{parallelism}", metadata, warehouse, feeds_file, parallelism)
        t0 = time.perf_counter()
        airflow.cli("db", "migrate")
        # the DAG's page fetches take slots of this pool (akhbar.steps): as many as the executor runs
        airflow.cli("pools", "set", PAGE_FETCH_POOL, str(parallelism), "akhbar bench: page fetches at once")
        setup = {"airflow_db_migrate_seconds": round(time.perf_counter() - t0, 1)}
        t0 = time.perf_counter()
        try:
            airflow.start("api-server", "api-server", "--apps", "execution", "--host", "127.0.0.1",
                          "--port", str(airflow.port), "--workers", "1")
            airflow.start("dag-processor", "dag-processor")
            airflow.start("scheduler", "scheduler")
            sampler = TreeSampler({name: p.pid for name, p in airflow.processes.items()})
            with sampler.sampling():
                _wait("the API server", lambda: _port_open(airflow.port), airflow, 300)
                _wait(f"{DAG_ID} parsed", lambda: airflow.query(
                    "SELECT 1 FROM serialized_dag WHERE dag_id = %s", (DAG_ID,)), airflow, 300)
                airflow.query("UPDATE dag SET is_paused = false WHERE dag_id = %s", (DAG_ID,))
                setup["processes_ready_seconds"] = round(time.perf_counter() - t0, 1)
                run_id = f"bench__{LOGICAL_DATE[:10]}"
                airflow.cli("dags", "trigger", DAG_ID, "--logical-date", LOGICAL_DATE, "--run-id", run_id)
                _wait("the run", lambda: (airflow.query(
                    "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", (DAG_ID, run_id))
                    or [[None]])[0][0] in ("success", "failed"), airflow, timeout)
            stopped = airflow.stop()
        except BaseException:
            airflow.stop()
            raise
        (queued, started, ended, state), = airflow.query(
            "SELECT queued_at, start_date, end_date, state FROM dag_run WHERE dag_id = %s AND run_id = %s",
            (DAG_ID, run_id))
        tis = airflow.query(
            "SELECT id::text, task_id, map_index, state, queued_dttm, start_date, end_date"
            " FROM task_instance WHERE dag_id = %s AND run_id = %s", (DAG_ID, run_id))
        process_rss = sampler.by_label()
        tasks: dict[str, dict] = {}
        states: dict[str, dict[str, int]] = {}
        timeline = sorted(([task, index, round((s - queued).total_seconds(), 2), round((e - queued).total_seconds(), 2)]
                          for _id, task, index, _state, _q, s, e in tis if s and e), key=lambda r: r[2])
        for ti_id, task, _index, ti_state, q, s, e in tis:
            task = task.split(".")[-1]  # a feed's tasks live in the mapped task group "feed"
            by_state = states.setdefault(task, {})
            by_state[str(ti_state)] = by_state.get(str(ti_state), 0) + 1
            entry = tasks.setdefault(task, {"runs": 0, "seconds": 0.0, "queued_to_running_seconds": 0.0,
                                            "first_start_s": None, "last_end_s": None, "peak_rss_mib": 0.0})
            entry["runs"] += 1
            if s and e:
                entry["seconds"] += (e - s).total_seconds()
                first, last = (s - queued).total_seconds(), (e - queued).total_seconds()
                entry["first_start_s"] = first if entry["first_start_s"] is None else min(entry["first_start_s"], first)
                entry["last_end_s"] = last if entry["last_end_s"] is None else max(entry["last_end_s"], last)
            if q and s:
                entry["queued_to_running_seconds"] += (s - q).total_seconds()
            entry["peak_rss_mib"] = max(entry["peak_rss_mib"], process_rss.get(ti_id, 0.0))
        work = _task_metrics(warehouse)
        for task, entry in tasks.items():
            for key in ("seconds", "queued_to_running_seconds", "first_start_s", "last_end_s"):
                if entry[key] is not None:
                    entry[key] = round(entry[key], 2)
            if task in work:
                entry["work_seconds"] = work[task]["work_seconds"]
        return {"engine": f"Airflow scheduler + LocalExecutor (parallelism {parallelism})",
                "parallelism": parallelism, "run_id": run_id, "state": state,
                "wall_seconds": round((ended - queued).total_seconds(), 2),
                "queued_to_start_seconds": round((started - queued).total_seconds(), 2),
                **setup, "stopped": stopped, "task_states": states, "tasks": tasks, "timeline": timeline,
                "airflow_processes_peak_rss_mib": sampler.peaks_of_roots(),
                **_warehouse_counts(warehouse)}


def _where_the_time_goes(run: dict, plain: float) -> dict:
    """The run's wall split into consecutive phases (seconds from the trigger), and the
    time Airflow adds around the tasks' own work (task process start-up and teardown)."""
    t = run["tasks"]
    first = lambda name: t.get(name, {}).get("first_start_s")
    last = lambda name: t.get(name, {}).get("last_end_s")
    phases = {}
    if None not in (first("fetch_feed"), first("fetch_articles"), last("fetch_articles")):
        phases = {"trigger_to_fetch_feed_s": round(first("fetch_feed"), 2),  # migrate, start_run
                  "fetch_feed_to_fetch_articles_s": round(first("fetch_articles") - first("fetch_feed"), 2),
                  "fetch_articles_s": round(last("fetch_articles") - first("fetch_articles"), 2),
                  "after_fetching_s": round(run["wall_seconds"] - last("fetch_articles"), 2)}
    measured = [e for e in t.values() if "work_seconds" in e]
    return {**phases, "plain_crawl_s": plain,
            "task_instances": sum(e["runs"] for e in t.values()),
            "task_seconds_sum": round(sum(e["seconds"] for e in t.values()), 1),
            "work_seconds_sum": round(sum(e["work_seconds"] for e in measured), 1),
            "airflow_overhead_seconds_sum": round(sum(e["seconds"] - e["work_seconds"] for e in measured), 1),
            "overhead_counted_over": sorted(name for name, e in t.items() if "work_seconds" in e)}


def run(path: Path, hosts: int, items: int, workdir: Path, parallelism: list[int]) -> dict:
    site = sitegen.build(path, workdir / "site", hosts, items)
    out = {"hosts": hosts, "feeds": hosts, "items_per_feed": items, **sitegen.latency_figures(site),
           "politeness": {"min_host_delay_s": MIN_HOST_DELAY, "max_host_concurrency": MAX_HOST_CONCURRENCY}}
    with sitegen.serve(site):
        feeds_file = sitegen.feeds_file(site, workdir / "feeds.yaml")
        out["urls"] = len(sitegen.urls(site))
        plain = [plain_crawl(site)]
        print(f"  plain polite crawl: {plain[0]['seconds']} s", flush=True)
        for n, p in enumerate(parallelism):
            key = "dag" if n == 0 else f"dag_parallelism_{p}"
            out[key] = airflow_run(feeds_file, workdir, p)
            print(f"  end to end (Airflow, parallelism {p}): {out[key]['wall_seconds']} s,"
                  f" {out[key]['articles_loaded']} articles, run {out[key]['state']}", flush=True)
        plain.append(plain_crawl(site))
        print(f"  plain polite crawl: {plain[1]['seconds']} s", flush=True)
    out["plain_fetch_runs_seconds"] = [p["seconds"] for p in plain]
    out["plain_fetch_seconds"] = round(statistics.median(out["plain_fetch_runs_seconds"]), 2)
    out["plain_fetch_bytes"] = plain[0]["bytes"]
    main = out["dag"]
    out["measured_engine"] = main["engine"]
    out["ratio_to_plain_fetch"] = round(main["wall_seconds"] / out["plain_fetch_seconds"], 2)
    out["where_the_time_goes"] = _where_the_time_goes(main, out["plain_fetch_seconds"])
    for p in parallelism[1:]:
        extra = out[f"dag_parallelism_{p}"]
        extra["ratio_to_plain_fetch"] = round(extra["wall_seconds"] / out["plain_fetch_seconds"], 2)
        extra["where_the_time_goes"] = _where_the_time_goes(extra, out["plain_fetch_seconds"])
    return out

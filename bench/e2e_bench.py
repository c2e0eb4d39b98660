"""One whole pipeline run over N feeds × M items served on loopback, against a plain loop
that downloads the same URLs (feeds and pages) with requests.

The run is the DAG itself, `arabic_news_daily`, through dag.test(): Airflow's scheduling
logic with every task run in this process (Airflow 3's in-process test supervisor), its
metadata in a throwaway SQLite home. It can also be `akhbar run` (runner.run_pipeline, the
same task functions called in the DAG's order, in-process), which shows what Airflow adds.
Both load into a fresh benchmark warehouse each, each in a child process of its own
(bench/e2e_child.py) so that neither the benchmark's own memory nor the other engine's shows
in its figures. Peak RSS per task: see bench/rss.py.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import psycopg2
import requests

from akhbar import tasks
from bench import site as sitegen
from bench.corpus import ROOT
from bench.memory_child import _status_kib
from bench.pg import bench_database
from bench.rss import DagTestTaskLog, TaskMemory

LOGICAL_DATE = (2026, 1, 5)
TASK_FUNCTIONS = ["prepare_warehouse", "start_run", "fetch_feed", "fetch_articles", "transform_staged",
                  "load_staged", "check_quality", "finish_run"]


def plain_loop(urls: list[str]) -> float:
    """Wall seconds to download every URL, one after the other, with requests."""
    started = time.perf_counter()
    with requests.Session() as session:
        for url in urls:
            response = session.get(url, timeout=30)
            response.raise_for_status()
            response.content
    return time.perf_counter() - started


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


def _airflow_environment(home: Path, feeds_file: Path, warehouse: str) -> None:
    """Airflow reads its configuration when first imported: set it all before that."""
    os.environ.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "AKHBAR_TASK_RETRIES": "0",
        "AKHBAR_FEEDS": str(feeds_file),
        # inside Airflow the connection names the warehouse (the CLI's variable plays no part)
        "AIRFLOW_CONN_AKHBAR_WAREHOUSE": warehouse,
        "AKHBAR_WAREHOUSE_URL": warehouse,
    })
    home.mkdir(parents=True, exist_ok=True)
    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))


def dag_run(feeds_file: Path, workdir: Path) -> dict:
    with bench_database("e2e_dag") as warehouse:
        _airflow_environment(workdir / "airflow", feeds_file, warehouse)
        started = time.perf_counter()
        migrate = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=os.environ.copy(),
                                 capture_output=True, text=True, timeout=600)
        if migrate.returncode != 0:
            raise RuntimeError(f"airflow db migrate failed: {migrate.stderr[-2000:]}")
        setup_s = time.perf_counter() - started
        import pendulum
        from airflow.dag_processing.dagbag import DagBag

        dag = DagBag(dag_folder=str(ROOT / "dags")).dags["arabic_news_daily"]
        memory = TaskMemory()
        with memory.sampling(), DagTestTaskLog(memory).attached():
            started = time.perf_counter()
            run = dag.test(logical_date=pendulum.datetime(*LOGICAL_DATE, tz="UTC"))
            wall = time.perf_counter() - started
        states: dict[str, dict[str, int]] = {}
        for ti in run.get_task_instances():
            # a feed's tasks live in the mapped task group "feed": named by their step
            by_state = states.setdefault(ti.task_id.split(".")[-1], {})
            by_state[str(ti.state)] = by_state.get(str(ti.state), 0) + 1
        return {"engine": "Airflow dag.test() in-process", "wall_seconds": round(wall, 2),
                "airflow_db_migrate_seconds": round(setup_s, 1), "task_states": states,
                "tasks": memory.report(), **_warehouse_counts(warehouse)}


def cli_run(feeds_file: Path) -> dict:
    from akhbar.config import load_feeds
    from akhbar.runner import run_pipeline

    memory = TaskMemory()
    originals = {name: getattr(tasks, name) for name in TASK_FUNCTIONS}

    def labelled(name, function):
        def wrapper(*args, **kwargs):
            memory.start_task(name)
            try:
                return function(*args, **kwargs)
            finally:
                memory.end_task()
        return wrapper

    with bench_database("e2e_cli") as warehouse:
        feeds = load_feeds(feeds_file)
        for name, function in originals.items():
            setattr(tasks, name, labelled(name, function))
        try:
            with memory.sampling():
                started = time.perf_counter()
                report = run_pipeline(warehouse, feeds, date(*LOGICAL_DATE))
                wall = time.perf_counter() - started
        finally:
            for name, function in originals.items():
                setattr(tasks, name, function)
        return {"engine": "akhbar run (runner.run_pipeline in-process)", "wall_seconds": round(wall, 2),
                "feed_errors": len(report.feed_errors), "tasks": memory.report(),
                **_warehouse_counts(warehouse)}


def _process_figures() -> dict:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    hwm = _status_kib("VmHWM")
    return {"process_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "process_peak_rss_mib": round(hwm / 1024, 1) if hwm else None}


def child_main(engine: str, feeds_file: Path, workdir: Path, report: Path) -> None:
    result = dag_run(feeds_file, workdir) if engine == "dag" else cli_run(feeds_file)
    result.update(_process_figures())
    report.write_text(json.dumps(result), encoding="utf-8")


def _in_child(engine: str, feeds_file: Path, workdir: Path) -> dict:
    report = workdir / f"e2e-{engine}.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           # every feed of the generated site is on one loopback host; the crawler's
           # politeness gap (1 s per host by default) is a deliberate wait, not a cost,
           # and the plain loop it is compared with has none
           "AKHBAR_MIN_HOST_DELAY": "0"}
    done = subprocess.run([sys.executable, "-m", "bench.e2e_child", engine, str(feeds_file), str(workdir),
                           str(report)], env=env, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"the {engine} run failed (exit {done.returncode})")
    return json.loads(report.read_text(encoding="utf-8"))


def run(path: Path, feeds: int, items: int, workdir: Path, engines: list[str]) -> dict:
    site = sitegen.build(path, workdir / "site", feeds, items)
    out = {"feeds": feeds, "items_per_feed": items}
    with sitegen.serve(site) as base:
        urls = sitegen.urls(site, base)
        feeds_file = sitegen.feeds_file(site, base, workdir / "feeds.yaml")
        plain = [plain_loop(urls) for _ in range(3)]
        out["urls"] = len(urls)
        out["plain_fetch_seconds"] = round(statistics.median(plain), 2)
        for engine in engines:
            out[engine] = _in_child(engine, feeds_file, workdir)
            print(f"  end to end ({engine}): {out[engine]['wall_seconds']} s", flush=True)
        plain.append(plain_loop(urls))
        out["plain_fetch_seconds"] = round(statistics.median(plain), 2)
    main = out[engines[0]]
    out["measured_engine"] = main["engine"]
    out["ratio_to_plain_fetch"] = round(main["wall_seconds"] / out["plain_fetch_seconds"], 2)
    if "cli" in out and engines[0] != "cli":
        out["cli_ratio_to_plain_fetch"] = round(out["cli"]["wall_seconds"] / out["plain_fetch_seconds"], 2)
    return out

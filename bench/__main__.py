"""`make bench`: run the benchmarks, print a table, write latest.json and the plots.

Every figure is a ratio against a baseline measured in the same run, so that machine noise
cancels. Settings: AKHBAR_BENCH_CORPUS (JSON Lines, optionally .gz; default the shared
benchmark corpus beside the checkout), AKHBAR_BENCH_LIMIT (articles of the corpus the
transform and memory stages read; default all), AKHBAR_BENCH_PG_SERVER (the PostgreSQL
where throwaway akhbar_bench_* databases are made; default 127.0.0.1:5432),
AKHBAR_BENCH_E2E_PARALLELISM (the Airflow parallelism of the end-to-end run, default 4; a
list such as 4,16 runs the DAG once per value, the first one being the measured run).
The archive-scale run is a stage of its own: `make bench-archive` (bench/archive_bench.py).
`--quick` runs every stage on a small sample (a smoke test, not a measurement).
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from bench import dedup_bench, e2e_bench, load_bench, memory_bench, report, transform_bench
from bench.corpus import ROOT, corpus_path, count_lines

RESULTS = Path(__file__).resolve().parent / "results"
STAGES = ["transform", "memory", "dedup_lookup", "load", "end_to_end"]


def _sizes(quick: bool) -> dict:
    if quick:
        return {"profile": 30, "memory_small": 50, "memory_full": 200, "dedup": [1_000, 3_000, 10_000],
                "dedup_probe": 10, "dedup_rounds": 3, "load": 30, "hosts": 10, "items": 3, "transform": 100}
    return {"profile": 1_000, "memory_small": 1_000, "memory_full": None,
            "dedup": [10_000, 100_000, 1_000_000], "dedup_probe": 200, "dedup_rounds": 7,
            "load": 2_000, "hosts": 10, "items": 50, "transform": None}


def _cap(n: int | None, total: int) -> int:
    return total if n is None else min(n, total)


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        info["memory_gib"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    try:
        import psycopg2

        from bench.pg import db_url

        conn = psycopg2.connect(db_url("postgres"), connect_timeout=5)
        with conn.cursor() as cur:
            cur.execute("SHOW server_version")
            info["postgresql"] = cur.fetchone()[0]
            cur.execute("SHOW shared_buffers")
            info["postgresql_shared_buffers"] = cur.fetchone()[0]
        conn.close()
    except Exception as exc:  # the machine block must not fail the run
        info["postgresql"] = f"unknown ({exc})"
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True)
    if commit.returncode == 0:
        info["git_commit"] = commit.stdout.strip()
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small samples of every stage (< 1 min)")
    parser.add_argument("--out", type=Path, help="results folder (default bench/results, or"
                                                 " bench/results/quick with --quick)")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated subset of {STAGES}")
    parser.add_argument("--update", action="store_true",
                        help="keep the figures of the stages not run from the results folder's latest.json"
                             " (each marked with the run it came from)")
    args = parser.parse_args(argv)
    out = args.out or (RESULTS / "quick" if args.quick else RESULTS)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages: {sorted(unknown)}")

    path = corpus_path()
    if not path.exists():
        print(f"benchmark corpus not found: {path} (set AKHBAR_BENCH_CORPUS)", file=sys.stderr)
        return 2
    total = count_lines(path)
    if os.environ.get("AKHBAR_BENCH_LIMIT"):
        total = min(total, int(os.environ["AKHBAR_BENCH_LIMIT"]))
    size = _sizes(args.quick)
    # the scheduler's parallelism of the measured run, then of any further runs compared
    e2e_parallelism = [int(p) for p in os.environ.get("AKHBAR_BENCH_E2E_PARALLELISM", "4").split(",") if p.strip()]
    results: dict = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "quick": args.quick, "machine": machine(),
                     "corpus": {"path": str(path), "articles": total}}
    work = {
        "transform": lambda: {**transform_bench.measure(path, _cap(size["transform"], total)),
                              "profile": transform_bench.profile(path, _cap(size["profile"], total))},
        "memory": lambda: memory_bench.run(path, _cap(size["memory_small"], total),
                                           _cap(size["memory_full"], total)),
        "dedup_lookup": lambda: dedup_bench.run(path, size["dedup"], size["dedup_probe"], total,
                                                rounds=size["dedup_rounds"]),
        "load": lambda: load_bench.run(path, _cap(size["load"], total)),
        "end_to_end": lambda: e2e_bench.run(path, size["hosts"], size["items"], Path(workdir),
                                            parallelism=e2e_parallelism),
    }
    failed = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as workdir:
        for stage in STAGES:
            if stage not in stages:
                continue
            print(f"[bench] {stage} ...", flush=True)
            t0 = time.perf_counter()
            try:
                results[stage] = work[stage]()
            except Exception as exc:  # one broken stage must not hide the others' figures
                traceback.print_exc()
                results[stage] = {"error": f"{type(exc).__name__}: {exc}"}
                failed.append(stage)
            results[stage]["stage_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"[bench] {stage} done in {results[stage]['stage_seconds']} s", flush=True)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    previous = out / "latest.json"
    if args.update and previous.exists():
        import json

        old = json.loads(previous.read_text(encoding="utf-8"))
        carried = {}
        for stage in STAGES:
            if stage not in stages and isinstance(old.get(stage), dict):
                results[stage] = old[stage]
                carried[stage] = old.get("carried_over", {}).get(stage) or {
                    "when": old.get("when"), "git_commit": old.get("machine", {}).get("git_commit")}
        if carried:
            results["carried_over"] = carried
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = report.verdicts(results)
    results["plots"] = report.plots(results, out) if not failed or len(failed) < len(stages) else []
    written = report.write_json(results, out)
    print()
    print(report.table(results["targets"]))
    print(f"\nwritten {written}" + (f" and {', '.join(results['plots'])}" if results["plots"] else
                                   " (no plots: matplotlib is not installed; `make bench` installs it)"))
    if failed:
        print(f"stages that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory of `akhbar transform` over the whole corpus against the same over 1,000
articles: a streaming transform holds one article at a time, so the two should be close.

Each run is the command's code (akhbar.cli.main(["transform", ...])) in a child process
fed the corpus on its standard input; the child reports its own peak resident set size
(VmHWM, see bench/memory_child.py for why not ru_maxrss) and CPU time.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import ROOT, read_lines


def transform_child(path: Path, limit: int | None) -> dict:
    """Run `akhbar transform` over the first `limit` articles (all when None)."""
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        env = {**os.environ, "AKHBAR_BENCH_REPORT": report.name,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        child = subprocess.Popen([sys.executable, "-m", "bench.memory_child", "transform",
                                  "--output", os.devnull],
                                 stdin=subprocess.PIPE, text=True, encoding="utf-8", env=env)
        n = 0
        try:
            for line in read_lines(path, limit):
                child.stdin.write(line if line.endswith("\n") else line + "\n")
                n += 1
            child.stdin.close()
        finally:
            child.wait()
        if child.returncode != 0:
            raise RuntimeError(f"akhbar transform exited with {child.returncode}")
        usage = json.loads(Path(report.name).read_text())
    return {
        "articles": n,
        "peak_rss_mib": round(usage["vm_hwm_kib"] / 1024, 1),
        "ru_maxrss_mib": round(usage["ru_maxrss_kib"] / 1024, 1),
        "cpu_seconds": round(usage["cpu_seconds"], 2),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "rss_curve_mib": [[n, round(kib / 1024, 1) if kib else None] for n, kib in usage["rss_curve_kib"]],
        "caches": usage["caches"],
    }


def run(path: Path, small: int, full: int | None) -> dict:
    small_run = transform_child(path, small)
    full_run = transform_child(path, full)
    # CPU of the extra articles only: the interpreter's start and imports cancel out.
    extra = full_run["articles"] - small_run["articles"]
    extra_cpu = full_run["cpu_seconds"] - small_run["cpu_seconds"]
    return {
        "method": "`akhbar transform` in a child process fed on stdin; peak RSS = the child's VmHWM",
        "small": small_run,
        "full": full_run,
        "peak_rss_full_mib": full_run["peak_rss_mib"],
        "peak_rss_1k_mib": small_run["peak_rss_mib"],
        "ratio_full_to_1k": round(full_run["peak_rss_mib"] / small_run["peak_rss_mib"], 3),
        "cli_articles_per_s_per_core": round(extra / extra_cpu, 1) if extra > 0 and extra_cpu > 0 else None,
    }

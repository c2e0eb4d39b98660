"""`make bench`: run the benchmarks, print a table, write bench/results/latest.json.

Figures are ratios against a baseline measured in the same run. Settings:
AKHBAR_BENCH_CORPUS (JSON Lines, optionally .gz; default the shared benchmark corpus) and
AKHBAR_BENCH_LIMIT (articles to read; default all).
"""
from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

from bench import transform_bench
from bench.corpus import corpus_path, read_articles

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    path = corpus_path()
    if not path.exists():
        print(f"benchmark corpus not found: {path} (set AKHBAR_BENCH_CORPUS)", file=sys.stderr)
        return 2
    limit = int(os.environ["AKHBAR_BENCH_LIMIT"]) if os.environ.get("AKHBAR_BENCH_LIMIT") else None
    articles = list(read_articles(path, limit))
    results = {
        "transform": transform_bench.run(articles),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus": {"path": str(path), "articles": len(articles)},
    }
    t = results["transform"]
    print(f"{'stage':12} {'measured':>28} {'baseline':>26} {'ratio':>8}")
    print(f"{'transform':12} {t['articles_per_s_per_core']:>18} art/s/core"
          f" {t['floor_cpu_seconds']:>18} s floor {t['ratio_to_floor']:>7}x")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"written {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

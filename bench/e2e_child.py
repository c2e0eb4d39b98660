"""One end-to-end run (engine "dag" or "cli") in a fresh process: see bench/e2e_bench.py."""
import sys
from pathlib import Path

from bench.e2e_bench import child_main

if __name__ == "__main__":
    engine, feeds_file, workdir, report = sys.argv[1:5]
    child_main(engine, Path(feeds_file), Path(workdir), Path(report))

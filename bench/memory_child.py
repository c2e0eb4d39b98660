"""`akhbar transform` as a child of the benchmark, reporting its own peak memory.

The peak is VmHWM of /proc/self/status, the high-water mark of this process's own address
space. ru_maxrss would not do: Linux carries the parent's high-water mark across fork and
exec into the child's ru_maxrss, so a child of a large benchmark process would report at
least the parent's size.
"""
from __future__ import annotations

import json
import os
import resource
import sys

from akhbar.cli import main


def _vm_hwm_kib() -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


if __name__ == "__main__":
    code = main(sys.argv[1:])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["AKHBAR_BENCH_REPORT"], "w", encoding="utf-8") as fh:
        json.dump({"vm_hwm_kib": _vm_hwm_kib(), "ru_maxrss_kib": usage.ru_maxrss,
                   "cpu_seconds": usage.ru_utime + usage.ru_stime}, fh)
    sys.exit(code)

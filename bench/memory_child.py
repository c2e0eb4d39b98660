"""`akhbar transform` as a child of the benchmark, reporting its own memory.

The peak is VmHWM of /proc/self/status, the high-water mark of this process's own address
space. ru_maxrss would not do: Linux carries the parent's high-water mark across fork and
exec into the child's ru_maxrss, so a child of a large benchmark process would report at
least the parent's size.

Standard input is wrapped to note the resident size every 1,000 lines (the growth curve),
and the fill of the transform's bounded caches is reported at the end: together they tell
a leak (growth without end) from caches filling up to their bound.
"""
from __future__ import annotations

import json
import os
import resource
import sys

from akhbar.cli import main

EVERY = 1000


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class _CountingInput:
    def __init__(self, stream):
        self.stream = stream
        self.lines = 0
        self.curve: list[tuple[int, int | None]] = [(0, _status_kib("VmRSS"))]

    def __iter__(self):
        for line in self.stream:
            yield line
            self.lines += 1
            if self.lines % EVERY == 0:
                self.curve.append((self.lines, _status_kib("VmRSS")))

    def close(self):
        self.stream.close()

    def seekable(self) -> bool:
        # A stream, as the DAG's transform task sees its articles: the two-pass boilerplate
        # learning of `akhbar transform --input FILE` is not part of this measurement.
        return False


def _caches() -> dict:
    """Fill of every functools cache in the transform's modules, and of the fold cache."""
    out = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("akhbar.transform") or module is None:
            continue
        for attr, value in vars(module).items():
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(value, "__module__", None) == name:
                i = info()
                out[f"{name}.{attr}"] = {"entries": i.currsize, "bound": i.maxsize}
        fold = vars(module).get("_FOLD_CACHE")
        if isinstance(fold, dict):
            out[f"{name}._FOLD_CACHE"] = {"entries": len(fold), "bound": None}
    return out


if __name__ == "__main__":
    counting = _CountingInput(sys.stdin)
    sys.stdin = counting
    code = main(sys.argv[1:])
    counting.curve.append((counting.lines, _status_kib("VmRSS")))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["AKHBAR_BENCH_REPORT"], "w", encoding="utf-8") as fh:
        json.dump({"vm_hwm_kib": _status_kib("VmHWM"), "ru_maxrss_kib": usage.ru_maxrss,
                   "cpu_seconds": usage.ru_utime + usage.ru_stime,
                   "rss_curve_kib": counting.curve, "caches": _caches()}, fh)
    sys.exit(code)

"""Transform throughput against its floor, and where the transform spends its time.

The floor is one camel-tools normalization pass (unicode, diacritics, alef, alef maksura,
teh marbuta) over the same title and body: the least any Arabic matcher must do. Both are
timed in the same loop, article by article, in CPU seconds of this process, so that other
load on the machine and its clock speed cancel out of the ratio.

The transform is timed as `akhbar transform` runs it: contract.transform_line on the raw
JSON line, then the JSON dump of its result.
"""
from __future__ import annotations

import cProfile
import json
import pstats
import time
from pathlib import Path

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

from akhbar.transform.contract import transform_line
from bench.corpus import ROOT, read_lines

# The functions that only hand the article on: not "where the time goes".
ENTRY_POINTS = {"transform_line", "transform_article", "<module>", "_run"}


def camel_floor(text: str | None) -> str:
    if not text:
        return ""
    text = normalize_unicode(text)
    text = dediac_ar(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    return normalize_teh_marbuta_ar(text)


def _transform(line: str) -> str:
    return json.dumps(transform_line(line), ensure_ascii=False)


def measure(path: Path, limit: int | None) -> dict:
    clock = time.process_time
    spent = floor = 0.0
    n = errors = 0
    started = time.perf_counter()
    for line in read_lines(path, limit):
        article = json.loads(line)
        t0 = clock()
        camel_floor(article.get("title"))
        camel_floor(article.get("body"))
        t1 = clock()
        out = _transform(line)
        t2 = clock()
        floor += t1 - t0
        spent += t2 - t1
        n += 1
        errors += '"error":' in out[:200] and json.loads(out).get("error") is not None
    return {
        "articles": n,
        "errors": int(errors),
        "cpu_seconds": round(spent, 3),
        "floor_cpu_seconds": round(floor, 3),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "articles_per_s_per_core": round(n / spent, 1) if spent else None,
        "floor_articles_per_s_per_core": round(n / floor, 1) if floor else None,
        "ratio_to_floor": round(spent / floor, 2) if floor else None,
    }


def _name(key: tuple) -> str:
    filename, line, func = key
    path = Path(filename)
    try:
        where = path.resolve().relative_to(ROOT)
    except (ValueError, OSError):
        where = Path(*path.parts[-2:]) if len(path.parts) >= 2 else path
    return f"{where}:{line}:{func}" if line else func


def _is_project(key: tuple) -> bool:
    try:
        rel = Path(key[0]).resolve().relative_to(ROOT)
    except (ValueError, OSError):
        return False
    return rel.parts[0] in {"transform", "akhbar", "extract", "load"}


def profile(path: Path, limit: int, top: int = 8) -> dict:
    """cProfile over the first `limit` articles: the costliest project functions (cumulative
    time, entry points left out) and the costliest functions of any kind (own time)."""
    lines = list(read_lines(path, limit))
    profiler = cProfile.Profile()
    profiler.enable()
    for line in lines:
        _transform(line)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(tt for _, _, tt, _, _ in stats.values()) or 1.0

    def row(key, cumulative, own):
        return {"function": _name(key), "cumulative_s": round(cumulative, 3),
                "own_s": round(own, 3), "share_of_total": round(cumulative / total, 3)}

    project = sorted(((k, ct, tt) for k, (_, _, tt, ct, _) in stats.items()
                      if _is_project(k) and k[2] not in ENTRY_POINTS), key=lambda r: -r[1])
    own = sorted(((k, ct, tt) for k, (_, _, tt, ct, _) in stats.items()), key=lambda r: -r[2])
    return {
        "articles": len(lines),
        "profiler": "cProfile",
        "total_s": round(total, 3),
        # comprehensions are parts of a function, not functions a reader would look for
        "top_two": [_name(k) for k, _, _ in project if not k[2].startswith("<")][:2],
        "by_cumulative": [row(*r) for r in project[:top]],
        "by_own_time": [row(*r) for r in own[:top]],
    }

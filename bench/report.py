"""The benchmark's outputs: the table on the terminal, latest.json, and the plots."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Target:
    stage: str
    what: str            # the measured figure, in words
    baseline: str        # the baseline, in words
    key: str             # results[stage][key] holds the ratio
    target: str
    met: Callable[[float], bool]


TARGETS = [
    Target("transform", "art/s/core", "", "articles_per_s_per_core", ">= 200 art/s/core", lambda v: v >= 200),
    Target("transform", "CPU time", "camel-tools pass", "ratio_to_floor", "<= 5x floor", lambda v: v <= 5),
    Target("dedup_lookup", "us/paragraph at largest", "same at smallest", "ratio_1m_to_10k", "<= 1.5x", lambda v: v <= 1.5),
    Target("load", "loader rows/s", "raw COPY rows/s", "ratio_to_copy", ">= 0.5x COPY", lambda v: v >= 0.5),
    Target("load", "loader rows/s", "row-by-row INSERT rows/s", "speedup_vs_row_inserts", ">= 20x", lambda v: v >= 20),
    Target("end_to_end", "DAG run wall time", "plain polite crawler", "ratio_to_plain_fetch", "<= 1.5x", lambda v: v <= 1.5),
    Target("memory", "peak RSS, whole corpus", "peak RSS, 1,000 articles", "ratio_full_to_1k", "<= 1.5x", lambda v: v <= 1.5),
]


def _figures(stage: str, key: str, r: dict) -> tuple[str, str]:
    """(measured, baseline) as the table shows them."""
    if stage == "transform" and key == "articles_per_s_per_core":
        return f"{r['articles_per_s_per_core']} art/s/core", f"({r['articles']} articles)"
    if stage == "transform":
        return f"{r['cpu_seconds']} s CPU", f"{r['floor_cpu_seconds']} s CPU"
    if stage == "dedup_lookup":
        k = r["measured_key"]
        first, last = r["points"][0], r["points"][-1]
        return (f"{last[k]} us @{last['paragraphs_in_warehouse']:,}",
                f"{first[k]} us @{first['paragraphs_in_warehouse']:,}")
    if stage == "load" and key == "ratio_to_copy":
        return f"{r['loader_rows_per_s']:,} rows/s", f"{r['copy_rows_per_s']:,} rows/s COPY"
    if stage == "load":
        return f"{r['loader_rows_per_s']:,} rows/s", f"{r['row_insert_rows_per_s']:,} rows/s row INSERTs"
    if stage == "end_to_end":
        main = r["dag"]
        return (f"{main['wall_seconds']} s ({r['hosts']} hosts, P={main['parallelism']})",
                f"{r['plain_fetch_seconds']} s (median {r['latency_median_ms']} ms)")
    if stage == "memory":
        return f"{r['peak_rss_full_mib']} MiB", f"{r['peak_rss_1k_mib']} MiB"
    return "", ""


def verdicts(results: dict) -> list[dict]:
    rows = []
    for t in TARGETS:
        r = results.get(t.stage)
        if not isinstance(r, dict) or r.get(t.key) is None:
            rows.append({"stage": t.stage, "key": t.key, "measured": "-", "baseline": "-",
                         "ratio": None, "target": t.target, "met": None,
                         "note": (r or {}).get("error", "not run") if isinstance(r, dict) else "not run"})
            continue
        measured, baseline = _figures(t.stage, t.key, r)
        rows.append({"stage": t.stage, "key": t.key, "measured": measured, "baseline": baseline,
                     "ratio": r[t.key], "target": t.target, "met": bool(t.met(r[t.key]))})
    return rows


def table(rows: list[dict]) -> str:
    head = ("stage", "measured", "baseline", "ratio", "target", "met?")
    body = [(r["stage"],
             r["measured"], r["baseline"], "-" if r["ratio"] is None else f"{r['ratio']}",
             r["target"], {True: "yes", False: "NO", None: "-"}[r["met"]]) for r in rows]
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))
    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, body)])


def write_json(results: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / "latest.json"
    target.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def plots(results: dict, out: Path) -> list[str]:
    """bench/results/*.png; none (and no error) when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return []
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    written = []
    dedup = results.get("dedup_lookup")
    if isinstance(dedup, dict) and dedup.get("points"):
        fig, ax = plt.subplots(figsize=(7, 4.2))
        worst = (dedup.get("worst_case") or {}).get("points") or []
        for points, workload in ((dedup["points"], "corpus text"), (worst, "templated worst case")):
            xs = [p["paragraphs_in_warehouse"] for p in points]
            for key, label in (("lookup_us_per_paragraph", "duplicate lookup"),
                               ("load_us_per_paragraph", "whole loader (rolled back)")):
                ys = [p.get(key) for p in points]
                if ys and all(y is not None for y in ys):
                    ax.plot(xs, ys, marker="o", linestyle="-" if workload == "corpus text" else "--",
                            label=f"{label}, {workload}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("paragraphs already in akhbar.paragraphs")
        ax.set_ylabel("µs per paragraph looked up / loaded")
        ax.set_title(f"Loader cost vs warehouse size (lookup ratio {dedup['ratio_1m_to_10k']}×)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "dedup_lookup.png", dpi=110)
        plt.close(fig)
        written.append("dedup_lookup.png")
    memory = results.get("memory")
    if isinstance(memory, dict) and memory.get("full", {}).get("rss_curve_mib"):
        curve = [(n, mib) for n, mib in memory["full"]["rss_curve_mib"] if mib is not None]
        fig, ax = plt.subplots(figsize=(7, 4.2))
        ax.plot([n for n, _ in curve], [m for _, m in curve], marker=".", label="resident size while streaming")
        ax.axhline(memory["peak_rss_1k_mib"], color="tab:green", linestyle="--",
                   label=f"peak over {memory['small']['articles']:,} articles")
        ax.axhline(memory["peak_rss_1k_mib"] * 1.5, color="tab:red", linestyle=":", label="target bound (1.5×)")
        ax.set_xlabel("articles transformed (akhbar transform, one process)")
        ax.set_ylabel("RSS (MiB)")
        ax.set_title(f"Transform memory over the corpus (peak ratio {memory['ratio_full_to_1k']}×)")
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "memory_growth.png", dpi=110)
        plt.close(fig)
        written.append("memory_growth.png")
    e2e = results.get("end_to_end")
    if isinstance(e2e, dict):
        engines = [e for e in e2e if e.startswith("dag") and isinstance(e2e.get(e), dict)]
        if engines:
            fig, axes = plt.subplots(1, len(engines), figsize=(6 * len(engines), 4.2), squeeze=False)
            for ax, engine in zip(axes[0], engines):
                run = e2e[engine]
                names = list(run["tasks"])
                seconds = [run["tasks"][n]["seconds"] for n in names]
                ax.barh(names, seconds, color="tab:blue")
                ax.invert_yaxis()
                ax.set_xlabel("seconds in the task (all map indexes together); label: its process's peak RSS")
                ax.set_title(f"{run['engine']}: {run['wall_seconds']} s\n"
                             f"plain polite crawler: {e2e['plain_fetch_seconds']} s ({e2e['hosts']} hosts)", fontsize=9)
                for y, n in enumerate(names):
                    task = run["tasks"][n]
                    ax.annotate(f"peak {task['peak_rss_mib']} MiB", (seconds[y], y),
                                fontsize=7, va="center", xytext=(3, 0), textcoords="offset points")
            fig.tight_layout()
            fig.savefig(out / "end_to_end_tasks.png", dpi=110)
            plt.close(fig)
            written.append("end_to_end_tasks.png")
        main = e2e.get("dag")
        if isinstance(main, dict) and main.get("timeline"):
            rows = main["timeline"]
            colours = {}
            fig, ax = plt.subplots(figsize=(9, 0.22 * len(rows) + 1.6))
            for y, (task, index, start, end) in enumerate(rows):
                new = task not in colours
                colour = colours.setdefault(task, f"C{len(colours) % 10}")
                ax.barh(y, end - start, left=start, color=colour, label=task if new else None)
            ax.barh(len(rows), e2e["plain_fetch_seconds"], color="black", label="plain polite crawler")
            ax.invert_yaxis()
            ax.set_yticks([])
            ax.set_xlabel("seconds since the run was triggered (one bar per task instance)")
            ax.set_title(f"{main['engine']}: {main['wall_seconds']} s for {e2e['hosts']} hosts × "
                         f"{e2e['items_per_feed']} pages; plain crawler {e2e['plain_fetch_seconds']} s", fontsize=9)
            ax.legend(fontsize=7, loc="upper right")
            ax.grid(True, axis="x", alpha=0.3)
            fig.tight_layout()
            fig.savefig(out / "end_to_end_timeline.png", dpi=110)
            plt.close(fig)
            written.append("end_to_end_timeline.png")
    return written

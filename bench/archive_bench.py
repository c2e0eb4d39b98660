"""Archive-scale run: `akhbar import-archive` over both shared corpora (61k articles) into a
fresh warehouse database, in one run (one process reading one stream of both files).

`make bench-archive` (or `python -m bench.archive_bench`) writes bench/results/archive.json:
articles per second overall and per 10k-article window, the peak resident memory of the
import (its main process, and the sum over it and its transform workers), the warehouse's
size (pg_database_size and its largest tables), and the projected time for 10M articles.

The import's own progress line (printed after every committed batch) is read from its
stderr and time-stamped here, so the windows are measured on the articles the importer has
committed, not on what it has read ahead. The projection fits the seconds per article of
each window as a + b·n (n: articles already in the warehouse when the window started), which
is what a cost growing with the warehouse looks like, and integrates it to 10M articles; the
flat projection (the last window's rate held) is given beside it.

Settings: AKHBAR_ARCHIVE_CORPORA (paths separated by ':'; default both corpora of
../shared/corpus), AKHBAR_BENCH_PG_SERVER (see bench/pg.py). `--limit N` reads only the
first N articles of the stream (a smoke run); `--keep` leaves the database in place.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil
import psycopg2

from bench.corpus import DEFAULT_CORPUS, ROOT
from bench.pg import bench_database

RESULTS = Path(__file__).resolve().parent / "results"
CORPORA = [DEFAULT_CORPUS.parent / "ant-multisource-2018.jsonl.gz",
           DEFAULT_CORPUS.parent / "saudinewsnet-2015.jsonl.gz"]
WINDOW = 10_000
PROGRESS = re.compile(r"(\d+) articles read, (\d+) loaded, (\d+) republished, (\d+) errors")
MIB = 2 ** 20


def corpora() -> list[Path]:
    listed = os.environ.get("AKHBAR_ARCHIVE_CORPORA")
    return [Path(p) for p in listed.split(":") if p] if listed else CORPORA


def concatenated(paths: list[Path], target: Path) -> Path:
    """One gzip stream of all the corpora (gzip members concatenate into a valid file),
    so that one `akhbar import-archive` reads them all in one run."""
    with open(target, "wb") as out:
        for path in paths:
            if path.suffix != ".gz":
                raise ValueError(f"{path}: the archive run reads gzipped corpora")
            with open(path, "rb") as fh:
                shutil.copyfileobj(fh, out)
    return target


class TreeMemory:
    """Peak RSS of a process (main) and of it with all its descendants (tree), sampled; and
    the CPU seconds they have used, with those of the PostgreSQL backends serving `database`
    (the loader's statements run there), so that a window's cost can be told apart from
    what other work on the machine took from it."""

    def __init__(self, pid: int, database: str | None = None, interval: float = 0.25):
        self.process = psutil.Process(pid)
        self.interval = interval
        self.main_peak = self.tree_peak = 0
        self.workers_seen = 0
        self.database = database
        self._cpu: dict[str, float] = {}
        self._last_backends = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                main = self.process.memory_info().rss
                children = self.process.children(recursive=True)
                tree = main
                for child in children:
                    try:
                        tree += child.memory_info().rss
                    except psutil.Error:
                        pass
                self.workers_seen = max(self.workers_seen, len(children))
                self.main_peak, self.tree_peak = max(self.main_peak, main), max(self.tree_peak, tree)
                for proc in [self.process, *children]:
                    try:
                        times = proc.cpu_times()
                        kind = "main" if proc.pid == self.process.pid else "worker"
                        self._cpu[f"{kind}:{proc.pid}"] = times.user + times.system
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            if self.database and time.monotonic() - self._last_backends > 2:
                self._last_backends = time.monotonic()
                self._sample_backends()
            time.sleep(self.interval)

    def _sample_backends(self) -> None:
        try:
            conn = psycopg2.connect(self.database, connect_timeout=5)
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                " AND pid <> pg_backend_pid()")
                    pids = [r[0] for r in cur.fetchall()]
            finally:
                conn.close()
        except psycopg2.Error:
            return
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
                self._cpu[f"pg:{pid}"] = times.user + times.system
            except psutil.Error:
                pass

    def cpu(self) -> tuple[float, float, float]:
        """CPU seconds so far: the importer's main process (it loads), its transform workers,
        and the PostgreSQL backends of the database."""
        cpu = dict(self._cpu)
        return tuple(round(sum(v for k, v in cpu.items() if k.startswith(kind + ":")), 1)
                     for kind in ("main", "worker", "pg"))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_import(url: str, stream: Path, limit: int | None, max_seconds: float | None = None) -> dict:
    """`akhbar import-archive` in a child process; its progress lines time-stamped. Past
    `max_seconds` the import is stopped (SIGTERM) and what it committed is measured."""
    cmd = [str(Path(sys.executable).with_name("akhbar")), "--warehouse", url, "import-archive",
           "--input", str(stream), "--batch-log"]
    if limit:
        cmd += ["--limit", str(limit)]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stopper = threading.Timer(max_seconds, child.terminate) if max_seconds else None
    if stopper:
        stopper.daemon = True
        stopper.start()
    progress: list[dict] = [{"t": 0.0, "articles": 0, "loaded": 0, "republished": 0, "errors": 0,
                             "main_cpu_s": 0.0, "workers_cpu_s": 0.0, "pg_cpu_s": 0.0}]
    tail = bytearray()
    with TreeMemory(child.pid, url) as memory:
        buffer = b""
        while chunk := child.stderr.read1(65536):
            tail = (tail + chunk)[-4000:]
            buffer += chunk
            *parts, buffer = re.split(rb"[\r\n]", buffer)
            now = time.perf_counter() - started
            for part in parts:
                m = PROGRESS.search(part.decode("utf-8", "replace"))
                if m:
                    main, workers, pg = memory.cpu()
                    progress.append({"t": now, **dict(zip(("articles", "loaded", "republished", "errors"),
                                                          map(int, m.groups()))),
                                     "main_cpu_s": main, "workers_cpu_s": workers, "pg_cpu_s": pg})
        stdout = child.stdout.read().decode("utf-8", "replace")
        code = child.wait()
        cpu_total = memory.cpu()
    wall = time.perf_counter() - started
    stopped = bool(stopper) and not stopper.is_alive() and code != 0
    if stopper:
        stopper.cancel()
    if code != 0 and not stopped:
        raise RuntimeError(f"akhbar import-archive failed (exit {code}): {tail.decode('utf-8', 'replace')}")
    return {"command": " ".join(["akhbar", "import-archive", "--input", stream.name] +
                                (["--limit", str(limit)] if limit else [])),
            "completed": not stopped, "stopped_after_seconds": max_seconds if stopped else None,
            "summary": stdout.strip(), "wall_seconds": round(wall, 1), "progress": progress,
            "peak_rss_main_mib": round(memory.main_peak / MIB, 1),
            "peak_rss_tree_mib": round(memory.tree_peak / MIB, 1),
            "processes": 1 + memory.workers_seen,
            "main_process_cpu_seconds": cpu_total[0],
            "transform_workers_cpu_seconds": cpu_total[1], "postgresql_backend_cpu_seconds": cpu_total[2],
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}


def windows(progress: list[dict], size: int = WINDOW) -> list[dict]:
    """Articles per second over consecutive windows of `size` articles committed (each window
    ends at the first progress point at or past its end), and the CPU milliseconds per
    article the importer and PostgreSQL spent in it when the points carry CPU figures."""
    out, start = [], progress[0]
    for point in progress[1:]:
        if point["articles"] - start["articles"] >= size or point is progress[-1]:
            n, seconds = point["articles"] - start["articles"], point["t"] - start["t"]
            if n and seconds > 0:
                w = {"from_article": start["articles"], "to_article": point["articles"],
                     "seconds": round(seconds, 1), "articles_per_s": round(n / seconds, 1)}
                if "main_cpu_s" in point:
                    # the loader: the importer's main process and its PostgreSQL backend
                    main = point["main_cpu_s"] - start["main_cpu_s"]
                    pg = point["pg_cpu_s"] - start["pg_cpu_s"]
                    w.update(main_cpu_ms_per_article=round(1000 * main / n, 1),
                             postgresql_cpu_ms_per_article=round(1000 * pg / n, 1),
                             cpu_ms_per_article=round(1000 * (main + pg) / n, 1))
                if "workers_cpu_s" in point:
                    # the transform workers run ahead of the loader: their CPU in a window is
                    # spent on articles loaded later
                    w["transform_workers_cpu_s"] = round(point["workers_cpu_s"] - start["workers_cpu_s"], 1)
                if "load1" in point:
                    w["load_average_1m_at_end"] = round(point["load1"], 1)
                out.append(w)
            start = point
    return out


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least squares y = a + b·x."""
    if len(xs) < 2:
        return ys[0], 0.0
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return my - b * mx, b


def _integrated(a: float, b: float, target: int) -> float:
    """Σ over n < target of a + b·n (b < 0, a cost that falls with size, is not extrapolated)."""
    return a * target + max(b, 0.0) * target ** 2 / 2


def projection(spans: list[dict], target: int = 10_000_000, cpus: int | None = None,
               transform_cpu_ms_per_article: float | None = None) -> dict:
    """Time for `target` articles: the cost per article of each window fitted as a + b·n
    (n: articles in the warehouse at the window's middle) and integrated to `target`; on the
    wall seconds measured, and on the loader's CPU seconds (the importer's main process and
    its PostgreSQL backend, one after the other: the import's critical path), which other
    work on the machine does not inflate as much. `transform_cpu_ms_per_article` (the
    workers' CPU over the whole run per article) is added as a constant cost."""
    full = [w for w in spans if w["to_article"] - w["from_article"] >= WINDOW // 2] or spans
    xs = [(w["from_article"] + w["to_article"]) / 2 for w in full]
    ys = [w["seconds"] / (w["to_article"] - w["from_article"]) for w in full]
    a, b = _fit(xs, ys)
    first, last = full[0], full[-1]
    out = {"articles": target, "windows_fitted": len(full),
           "first_window_articles_per_s": first["articles_per_s"],
           "last_window_articles_per_s": last["articles_per_s"],
           "ratio_first_to_last_rate": round(first["articles_per_s"] / last["articles_per_s"], 2),
           "wall_fit_seconds_per_article": {"a": round(a, 6), "b_per_article_in_warehouse": b},
           "projected_hours_fitted": round(_integrated(a, b, target) / 3600, 1),
           "projected_hours_flat_last_window": round(target / last["articles_per_s"] / 3600, 1)}
    if all("cpu_ms_per_article" in w for w in full):
        ca, cb = _fit(xs, [w["cpu_ms_per_article"] / 1000 for w in full])
        loader_hours = _integrated(ca, cb, target) / 3600
        out.update({"first_window_loader_cpu_ms_per_article": first["cpu_ms_per_article"],
                    "last_window_loader_cpu_ms_per_article": last["cpu_ms_per_article"],
                    "ratio_last_to_first_loader_cpu_per_article": round(last["cpu_ms_per_article"]
                                                                        / first["cpu_ms_per_article"], 2),
                    "loader_cpu_fit_seconds_per_article": {"a": round(ca, 6), "b_per_article_in_warehouse": cb},
                    "loader_cpu_ms_per_article_at_target": round(1000 * (ca + max(cb, 0.0) * target), 1),
                    "projected_loader_cpu_hours": round(loader_hours, 1)})
        if transform_cpu_ms_per_article is not None:
            transform_hours = transform_cpu_ms_per_article / 1000 * target / 3600
            out["projected_transform_cpu_hours"] = round(transform_hours, 1)
            if cpus:
                # the loader is one process after another with its backend; the transform
                # spreads over the cores that are left
                out[f"projected_hours_on_{cpus}_idle_cores_at_best"] = round(
                    max(loader_hours, (loader_hours + transform_hours) / cpus), 1)
    return out


def warehouse_size(url: str) -> dict:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            total = cur.fetchone()[0]
            cur.execute("""
                SELECT n.nspname || '.' || c.relname, pg_total_relation_size(c.oid),
                       pg_relation_size(c.oid), c.reltuples::bigint
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                ORDER BY 2 DESC LIMIT 10""")
            tables = [{"table": name, "total_mib": round(size / MIB, 1), "heap_mib": round(heap / MIB, 1),
                       "rows_estimate": rows} for name, size, heap, rows in cur.fetchall()]
            counts = {}
            for table in ("articles", "paragraphs", "paragraph_bands", "events", "stories"):
                try:
                    cur.execute(f"SELECT count(*) FROM akhbar.{table}")
                    counts[table] = cur.fetchone()[0]
                except psycopg2.Error:
                    conn.rollback()
        return {"pg_database_size_mib": round(total / MIB, 1), "largest_tables": tables, "rows": counts}
    finally:
        conn.close()


def run(paths: list[Path], limit: int | None = None, keep: bool = False, max_seconds: float | None = None) -> dict:
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"archive corpus not found: {path} (set AKHBAR_ARCHIVE_CORPORA)")
    scratch = Path(tempfile.mkdtemp(prefix="akhbar-archive-"))
    try:
        stream = concatenated(paths, scratch / "archive-both.jsonl.gz")
        with bench_database("archive", migrated=False, keep=keep) as url:
            imported = run_import(url, stream, limit, max_seconds)
            size = warehouse_size(url)
        progress = imported.pop("progress")
        total = progress[-1]["articles"]
        spans = windows(progress)
        return {"corpora": [p.name for p in paths], "articles": total,
                "loaded": progress[-1]["loaded"], "republished": progress[-1]["republished"],
                "errors": progress[-1]["errors"],
                **imported,
                "articles_per_s": round(total / imported["wall_seconds"], 1),
                "windows": spans,
                "projection_10m": projection(spans, cpus=os.cpu_count(), transform_cpu_ms_per_article=(
                    round(1000 * imported["transform_workers_cpu_seconds"] / total, 2) if total else None))
                if spans else None,
                "warehouse": size, "database_kept": keep}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N articles (a smoke run)")
    parser.add_argument("--keep", action="store_true", help="keep the warehouse database")
    parser.add_argument("--max-minutes", type=float, help="stop the import after this long and report what it"
                                                          " committed (marked completed: false)")
    parser.add_argument("--out", type=Path, default=RESULTS / "archive.json")
    args = parser.parse_args(argv)
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    result = {"when": started, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                           "memory_gib": round(psutil.virtual_memory().total / 2**30, 1)}}
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if commit.returncode == 0:
        result["machine"]["git_commit"] = commit.stdout.strip()
    result.update(run(corpora(), args.limit, args.keep, args.max_minutes * 60 if args.max_minutes else None))
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    p = result["projection_10m"] or {}
    w = result["warehouse"]
    print(f"archive: {result['articles']:,} articles in {result['wall_seconds']} s = {result['articles_per_s']} art/s;"
          f" peak RSS {result['peak_rss_main_mib']} MiB (tree {result['peak_rss_tree_mib']} MiB);"
          f" warehouse {w['pg_database_size_mib']} MiB; 10M articles: {p.get('projected_hours_fitted')} h fitted,"
          f" {p.get('projected_hours_flat_last_window')} h at the last window's rate")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

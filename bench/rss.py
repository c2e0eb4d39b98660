"""Peak resident memory per task, sampled from a thread of the process that runs the tasks.

A sampler reads this process's RSS (psutil) every few milliseconds and charges it to the
task running at that moment. Tasks that share a process also share its memory: a task's
figure is the process's peak while it ran (which includes what the interpreter, Airflow and
earlier tasks hold), and `growth_mib` how far that peak rose above the RSS at its start.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

import psutil

MIB = 2 ** 20


class _BackgroundSampler:
    """A thread that runs `self._sample` until the `sampling()` block ends."""

    def _make_thread(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @contextmanager
    def sampling(self):
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


class TaskMemory(_BackgroundSampler):
    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self._process = psutil.Process()
        self._current: str | None = None
        self._since = 0.0
        self._lock = threading.Lock()
        self.tasks: dict[str, dict] = {}
        self.peak = 0
        self._make_thread()

    def start_task(self, label: str) -> None:
        rss = self._process.memory_info().rss
        with self._lock:
            self._current = label
            entry = self.tasks.setdefault(label, {"peak": rss, "start": rss, "runs": 0, "seconds": 0.0})
            self._since = time.perf_counter()
            entry["start"] = min(entry["start"], rss) if entry["runs"] else rss
            entry["runs"] += 1
            entry["peak"] = max(entry["peak"], rss)

    def end_task(self) -> None:
        rss = self._process.memory_info().rss
        with self._lock:
            if self._current in self.tasks:
                entry = self.tasks[self._current]
                entry["peak"] = max(entry["peak"], rss)
                entry["seconds"] += time.perf_counter() - self._since
            self._current = None

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss = self._process.memory_info().rss
            with self._lock:
                self.peak = max(self.peak, rss)
                if self._current in self.tasks:
                    entry = self.tasks[self._current]
                    entry["peak"] = max(entry["peak"], rss)
            time.sleep(self.interval)


    def report(self) -> dict:
        """Per task: peak RSS in MiB and its growth over the RSS when the task started."""
        return {label: {"peak_rss_mib": round(e["peak"] / MIB, 1),
                        "growth_mib": round((e["peak"] - e["start"]) / MIB, 1),
                        "runs": e["runs"], "seconds": round(e["seconds"], 2)}
                for label, e in self.tasks.items()}


class DagTestTaskLog(logging.Handler):
    """Follows dag.test()'s own "[DAG TEST] starting task_id=… map_index=…" and "end task"
    log lines, so that each sample is charged to the Airflow task that ran."""

    LOGGER = "airflow.sdk.definitions.dag"

    def __init__(self, memory: TaskMemory, mapped_as_one: bool = True):
        super().__init__(logging.INFO)
        self.memory = memory
        self.mapped_as_one = mapped_as_one

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.msg if isinstance(record.msg, str) else ""
        if msg.startswith("[DAG TEST] starting task_id"):
            # a feed's tasks live in the mapped task group "feed": named by their step
            task_id, map_index = str(record.args[0]).split(".")[-1], record.args[1]
            label = task_id if self.mapped_as_one or map_index in (-1, None) else f"{task_id}[{map_index}]"
            self.memory.start_task(label)
        elif msg.startswith("[DAG TEST] end task"):
            self.memory.end_task()

    @contextmanager
    def attached(self):
        logger = logging.getLogger(self.LOGGER)
        old_level = logger.level
        logger.setLevel(logging.INFO)
        logger.addHandler(self)
        try:
            yield
        finally:
            logger.removeHandler(self)
            logger.setLevel(old_level)


class TreeSampler(_BackgroundSampler):
    """Peak RSS of processes that are not this one: a set of root processes (by name) and
    every process they fork, sampled every `interval` s. A descendant whose title is
    `airflow worker -- <task instance id>` (the Airflow 3 task runner's setproctitle) is
    charged to that task instance; the roots' own peaks are kept by name."""

    PREFIX = "airflow worker -- "

    def __init__(self, roots: dict[str, int], interval: float = 0.1):
        self.roots = {name: psutil.Process(pid) for name, pid in roots.items()}
        self.interval = interval
        self.labels: dict[str, int] = {}
        self.root_peaks: dict[str, int] = {name: 0 for name in roots}
        self._make_thread()

    def _sample(self) -> None:
        while not self._stop.is_set():
            for name, root in self.roots.items():
                try:
                    self.root_peaks[name] = max(self.root_peaks[name], root.memory_info().rss)
                    children = root.children(recursive=True)
                except psutil.Error:
                    continue
                for child in children:
                    try:
                        title = " ".join(child.cmdline())
                        if title.startswith(self.PREFIX):
                            label = title[len(self.PREFIX):].split()[0]
                            self.labels[label] = max(self.labels.get(label, 0), child.memory_info().rss)
                    except (psutil.Error, IndexError):
                        pass
            time.sleep(self.interval)


    def by_label(self) -> dict[str, float]:
        return {label: round(rss / MIB, 1) for label, rss in self.labels.items()}

    def peaks_of_roots(self) -> dict[str, float]:
        return {name: round(rss / MIB, 1) for name, rss in self.root_peaks.items()}

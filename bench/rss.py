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


class TaskMemory:
    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self._process = psutil.Process()
        self._current: str | None = None
        self._since = 0.0
        self._lock = threading.Lock()
        self.tasks: dict[str, dict] = {}
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

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

    @contextmanager
    def sampling(self):
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()

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

"""Progress of long commands (import-archive, dedup-report): done of total, rate and ETA.

On a terminal a rich progress bar redraws itself; in a log (stderr not a terminal) a plain
line is written every tenth of the way, so a log file holds the progress without noise.
"""
from __future__ import annotations

import sys
import time
from typing import IO


def _duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    def __init__(self, total: int, label: str, enabled: bool = True, stream: IO[str] | None = None) -> None:
        self.total, self.label, self.enabled = max(int(total), 1), label, enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last_tenth = -1
        self._rich = None
        if enabled and self.stream.isatty():
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress,
                                       TextColumn, TimeElapsedColumn, TimeRemainingColumn)

            self._rich = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("ETA"),
                                      TimeRemainingColumn(), console=Console(file=self.stream))
            self._task = self._rich.add_task(label, total=self.total)
            self._rich.start()

    def line(self, done: int) -> str:
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - done) / rate if rate > 0 else 0.0
        return (f"{self.label}: {done}/{self.total} ({done * 100 // self.total}%), {rate:.0f}/s,"
                f" elapsed {_duration(elapsed)}, ETA {_duration(eta)}")

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        if self._rich is not None:
            self._rich.update(self._task, completed=done)
            if done >= self.total:
                self.close()
            return
        tenth = done * 10 // self.total
        if tenth != self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(self.line(done) + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None

"""The transform of many articles at once: a pool of worker processes, so that a worker
machine of N cores transforms N articles at a time (the transform is pure Python, so
threads would share one core).

Its size is AKHBAR_TRANSFORM_WORKERS (default: the machine's cores); 1 transforms in the
calling process. Each article is transformed alone, as before: under its own budget
(transform.budget), and an article that raises gets an error result that its caller
quarantines.

The workers are forked when the pool is made, so they share the transform already imported,
and the pool must be made before the caller starts threads (fetch_articles' fetch threads):
a fork copies only the thread that forks, and locks other threads held stay locked in the
child. Spawned or fork-server workers would be slower, and they re-run the parent's main
module, which in an Airflow task is Airflow's CLI: it fails there.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from akhbar.extract.addresses import redact_url
from akhbar.load.staging import StagedArticle
from akhbar.models import ArticleInput, TransformResult
from akhbar.transform.article import transform_article
from akhbar.transform.budget import Budget
from akhbar.transform.contract import result_to_dict

log = logging.getLogger("akhbar")


def transform_workers() -> int:
    """AKHBAR_TRANSFORM_WORKERS, default the machine's cores."""
    value = os.environ.get("AKHBAR_TRANSFORM_WORKERS", "").strip()
    return max(1, int(value)) if value else (os.cpu_count() or 1)


@dataclass(frozen=True)
class Transformed:
    """One article's outcome: its result as the staging table stores it, or why none."""
    article: StagedArticle
    doc: dict | None
    error: str | None


def transform_one(a: StagedArticle, boilerplate: dict, budget: Budget) -> TransformResult:
    """The article's result, or an error result: nothing one article holds (an impossible
    date, a 300-digit sum, 2,000 paragraphs) may fail the task and with it the day."""
    article = ArticleInput(id=a.url, title=a.title, body=a.body, url=a.url,
                           published=a.published.isoformat() if a.published else None)
    try:
        return transform_article(article, boilerplate.get(a.feed, frozenset()), budget)
    except Exception as exc:  # noqa: BLE001
        log.exception("transform of %s failed", redact_url(a.url))
        return TransformResult(id=a.url, error=f"transform failed: {type(exc).__name__}: {str(exc)[:300]}")


def _outcome(a: StagedArticle, boilerplate: dict, budget: Budget) -> tuple[int, dict | None, str | None]:
    result = transform_one(a, boilerplate, budget)
    if result.error:
        return os.getpid(), None, result.error
    return os.getpid(), result_to_dict(result), None


# a worker process's boilerplate and budget, sent once when it starts
_WORKER: dict = {}


def _start_worker(boilerplate: dict, budget: Budget) -> None:
    _WORKER.update(boilerplate=boilerplate, budget=budget)


def _work(a: StagedArticle) -> tuple[int, dict | None, str | None]:
    return _outcome(a, _WORKER["boilerplate"], _WORKER["budget"])


class TransformPool:
    """`submit` an article, `result` its Transformed later; `close` (or `with`) ends the
    workers. A pool whose worker died (killed, out of memory) goes on in this process."""

    def __init__(self, boilerplate: dict, budget: Budget | None = None, workers: int | None = None) -> None:
        self.boilerplate, self.budget = boilerplate, budget or Budget()
        self.workers = workers or transform_workers()
        self.pids: set[int] = set()  # the processes that transformed something
        self._pool = None
        if self.workers > 1 and multiprocessing.current_process().daemon:
            # a Celery worker runs its tasks in daemonic processes, which multiprocessing
            # forbids to have children: there the workers' own concurrency is the parallelism
            log.info("transforming in the task's process: a daemonic process (a Celery worker's)"
                     " may not start transform workers")
            self.workers = 1
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_start_worker, initargs=(self.boilerplate, self.budget))
            # a fork pool forks all its workers at its first job: let that be now, before any
            # thread of the caller's exists
            try:
                self._pool.submit(os.getpid).result()
            except (OSError, BrokenProcessPool) as exc:  # no processes to be had: one is enough
                log.error("no transform worker processes (%s); transforming in the task's process", exc)
                self._give_up_pool()

    def submit(self, a: StagedArticle) -> Future:
        if self._pool is not None:
            try:
                return self._pool.submit(_work, a)
            except BrokenProcessPool:
                self._give_up_pool()
        done: Future = Future()
        done.set_result(_outcome(a, self.boilerplate, self.budget))
        return done

    def result(self, a: StagedArticle, future: Future) -> Transformed:
        try:
            pid, doc, error = future.result()
        except BrokenProcessPool:
            self._give_up_pool()
            pid, doc, error = _outcome(a, self.boilerplate, self.budget)
        self.pids.add(pid)
        return Transformed(a, doc, error)

    def map(self, articles: list[StagedArticle]) -> list[Transformed]:
        """The articles' outcomes, in their order, the pool's workers all at work."""
        futures = [self.submit(a) for a in articles]
        return [self.result(a, f) for a, f in zip(articles, futures)]

    def _give_up_pool(self) -> None:
        if self._pool is not None:
            log.error("a transform worker process died; the rest is transformed in the task's process")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "TransformPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

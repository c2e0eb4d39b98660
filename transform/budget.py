"""What one article may cost the transform: a size limit checked before it starts and a
time limit checked while it runs.

Work in the transform grows faster than linearly with some inputs (thousands of similar
paragraphs, one paragraph of hundreds of KB with no sentence end); a single such article
must not stall a run. Python cannot stop a thread from outside, and SIGALRM belongs to
Airflow's own task timeout, so the time limit is cooperative: the transform's loops call
`check()`, which raises `BudgetExceeded` once the article's deadline has passed.
"""
from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Budget:
    # A long news article is 20-50 K characters; the limits leave a wide margin and
    # keep a pathological article to seconds, not minutes.
    max_chars: int = 400_000
    max_paragraphs: int = 2_000
    seconds: float = 20.0


class BudgetExceeded(Exception):
    """The article used up its time budget; it is quarantined, not retried in the run."""


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("akhbar_transform_deadline",
                                                                        default=None)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Give the enclosed transform `seconds`; an enclosing, earlier deadline still holds."""
    outer = _DEADLINE.get()
    deadline = time.monotonic() + seconds
    token = _DEADLINE.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check() -> None:
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise BudgetExceeded("the article used up its time budget in the transform")


def size_problem(body: str | None, html: str | None, paragraphs: int | None, budget: Budget) -> str | None:
    """Why the article is too large to transform, or None."""
    chars = len(body or "") + len(html or "")
    if chars > budget.max_chars:
        return f"article too large for the transform: {chars} characters, the limit is {budget.max_chars}"
    if paragraphs is not None and paragraphs > budget.max_paragraphs:
        return (f"article too large for the transform: {paragraphs} paragraphs, "
                f"the limit is {budget.max_paragraphs}")
    return None

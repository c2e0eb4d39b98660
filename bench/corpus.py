"""The benchmark corpus: JSON Lines (optionally gzipped) of articles, streamed.

It is read only through AKHBAR_BENCH_CORPUS (default: the shared benchmark corpus beside
the checkout); nothing of it is copied into the project.
"""
from __future__ import annotations

import gzip
import json
import os
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from itertools import islice
from pathlib import Path
from typing import IO, Iterator

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ant-multisource-2018.jsonl.gz"


def corpus_path() -> Path:
    """AKHBAR_BENCH_CORPUS, else the shared benchmark corpus beside the checkout."""
    return Path(os.environ.get("AKHBAR_BENCH_CORPUS") or DEFAULT_CORPUS)


def open_corpus(path: Path) -> IO[str]:
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")


def read_lines(path: Path, limit: int | None = None, skip: int = 0) -> Iterator[str]:
    """The corpus's non-blank lines, as the `akhbar transform` contract reads them."""
    with open_corpus(path) as fh:
        lines = (line for line in fh if line.strip())
        yield from islice(lines, skip, None if limit is None else skip + limit)


def read_articles(path: Path, limit: int | None = None, skip: int = 0) -> Iterator[dict]:
    for line in read_lines(path, limit, skip):
        yield json.loads(line)


def published(article: dict) -> datetime | None:
    """The article's date as a datetime (the corpus writes RFC 822 dates, as feeds do)."""
    text = article.get("published")
    if not text:
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None


def count_lines(path: Path) -> int:
    with open_corpus(path) as fh:
        return sum(1 for line in fh if line.strip())


def utc_now() -> datetime:
    return datetime.now(timezone.utc)

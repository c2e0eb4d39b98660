"""The benchmark corpus: JSON Lines (optionally gzipped) of articles, streamed."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "ant-multisource-2018.jsonl.gz"


def corpus_path() -> Path:
    """AKHBAR_BENCH_CORPUS, else the shared benchmark corpus beside the checkout."""
    return Path(os.environ.get("AKHBAR_BENCH_CORPUS") or DEFAULT_CORPUS)


def read_articles(path: Path, limit: int | None = None) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)

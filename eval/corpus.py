"""Read the evaluation corpora by article id. Their texts never enter the project: the
annotations are stand-off (article ids, paragraph indices, codes, numbers, offsets), and
the texts are read from AKHBAR_EVAL_CORPUS_DIR (default: the shared corpus folder beside
the checkout, as the benchmarks read theirs)."""
from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "corpus"
FILES = {"ant": "ant-multisource-2018.jsonl.gz", "snn": "saudinewsnet-2015.jsonl.gz"}
# The contract's paragraph break: one or more blank lines.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def corpus_dir() -> Path:
    return Path(os.environ.get("AKHBAR_EVAL_CORPUS_DIR") or DEFAULT_DIR)


def iter_corpus(name: str):
    path = corpus_dir() / FILES[name]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def load_articles(ids) -> dict[str, dict]:
    """The corpus records of `ids`, from whichever corpus holds them."""
    wanted, found = set(ids), {}
    for name in FILES:
        for art in iter_corpus(name):
            if art["id"] in wanted:
                found[art["id"]] = art
    return found


def paragraphs(body: str | None) -> list[str]:
    """The body's paragraphs as the contract defines them (blank-line separated, non-empty)."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in _BLANK_LINE.split(body) if p.strip()]

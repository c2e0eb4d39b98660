"""Read the knowledge files in transform/data once, at import of the modules that use them."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml

from akhbar.transform.normalize import normalize_for_matching

_DATA = files("akhbar.transform") / "data"


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a data TSV: `#` lines are the source note, the first other line is a header
    when it starts with `@`; cells are stripped, empty rows skipped."""
    rows = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("@"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def read_yaml(name: str):
    return yaml.safe_load((_DATA / name).read_text(encoding="utf-8"))


def read_word_set(name: str) -> frozenset[str]:
    """The first column of a TSV as a set of folded words."""
    return frozenset(normalize_for_matching(row[0]) for row in read_tsv(name) if row and row[0])


@lru_cache(maxsize=None)
def stopwords() -> frozenset[str]:
    return read_word_set("stopwords.tsv")

"""Read the knowledge files in transform/data once, at import of the modules that use them."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import yaml

from akhbar.transform.normalize import normalize_for_matching

_DATA = files("akhbar.transform") / "data"

# Entries of each per-token cache of the extractors. Token frequencies follow Zipf's law, so
# a few tens of thousands of entries catch nearly every repeat, while caches sized for the
# whole vocabulary of a large corpus kept the transform's memory growing with its input
# (make bench: memory stage).
TOKEN_CACHE = 1 << 14


# Several modules read the same file (currencies.tsv, country_context.yaml, …): cached, so
# that each file is read and parsed once per process. Callers only read what they get.
@lru_cache(maxsize=None)
def read_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a data TSV: `#` lines are the source note, the first other line is a header
    when it starts with `@`; cells are stripped, empty rows skipped."""
    rows = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("@"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@lru_cache(maxsize=None)
def read_yaml(name: str):
    return yaml.safe_load((_DATA / name).read_text(encoding="utf-8"))


def regex_alternation(forms) -> str:
    """An alternation of literal forms, longest first, so that the longest form wins."""
    return "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))


def read_word_set(name: str) -> frozenset[str]:
    """The first column of a TSV as a set of folded words."""
    return frozenset(normalize_for_matching(row[0]) for row in read_tsv(name) if row and row[0])


@lru_cache(maxsize=None)
def stopwords() -> frozenset[str]:
    return read_word_set("stopwords.tsv")

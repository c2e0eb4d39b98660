"""PLOVER's quad classes, read from the manual's table (data/plover_quads.tsv): the one
place the transform, the warehouse migration and the PLOVER export take them from."""
from __future__ import annotations

from akhbar.transform.lexicon import read_tsv

QUAD_CODES: dict[str, int] = {row[0]: int(row[1]) for row in read_tsv("plover_quads.tsv")}
QUAD_NAMES: dict[int, str] = {int(row[1]): row[2] for row in read_tsv("plover_quads.tsv")}


def quad_code(category: str) -> int | None:
    return QUAD_CODES.get(category.upper())

"""Extraction quality on the locked test split of the blind-annotated corpus stays at the
level recorded in eval/floors.json (the split's F1 at the end of the stop that set it, less a
small margin). Needs the corpora (AKHBAR_EVAL_CORPUS_DIR); skipped where they are absent."""
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval"))

from corpus import FILES, corpus_dir  # noqa: E402

pytestmark = pytest.mark.skipif(not all((corpus_dir() / f).exists() for f in FILES.values()),
                                reason="the evaluation corpora are not present (AKHBAR_EVAL_CORPUS_DIR)")


def test_locked_split_stays_above_its_floors():
    from run import evaluate

    floors = json.loads((ROOT / "eval" / "floors.json").read_text(encoding="utf-8"))["test"]
    result, _, n = evaluate("test")
    assert n >= 150
    below = {f: round(result[f]["f1"], 3) for f, floor in floors.items() if result[f]["f1"] < floor}
    assert not below, f"locked split below its floors: {below} (floors {floors})"

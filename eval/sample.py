"""Draw the annotated evaluation sample once: stratified by corpus, outlet and section,
with a fixed seed, and split into a training part and a locked test part.

    python eval/sample.py > eval/data/manifest.jsonl

The manifest holds ids and strata only. Re-running it gives the same draw; it is run once
and the manifest committed, so the locked split never moves.
"""
from __future__ import annotations

import json
import random
import sys
from collections import defaultdict

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from corpus import iter_corpus  # noqa: E402

SEED = 20261206
# ANT: per outlet, articles per section; diplomacy lives mostly in the first two, and the
# rest are there so that precision on news without events is measured too.
ANT_PER_OUTLET = {"internationalNews": 14, "middleEast": 14, "economy": 6, "sport": 5,
                  "technology": 4, "culture": 3}
SNN_TOTAL = 200
SNN_MIN_PER_OUTLET = 4
TEST_SHARE = 0.40
DOUBLE_SHARE = 0.21


def _strata():
    strata = defaultdict(list)
    for name in ("ant", "snn"):
        for art in iter_corpus(name):
            if not (art.get("body") or "").strip():
                continue
            section = art.get("category") or ""
            strata[(name, art["outlet"], section)].append(art["id"])
    return strata


def _quota(strata):
    quota = {}
    for key in strata:
        if key[0] == "ant":
            quota[key] = ANT_PER_OUTLET.get(key[2], 0)
    snn = {k: len(v) for k, v in strata.items() if k[0] == "snn"}
    total = sum(snn.values())
    for key, n in snn.items():
        quota[key] = max(SNN_MIN_PER_OUTLET, round(SNN_TOTAL * n / total))
    return quota


def draw():
    rng = random.Random(SEED)
    strata = _strata()
    rows = []
    for key in sorted(strata):
        ids = sorted(strata[key])
        take = min(len(ids), _quota(strata).get(key, 0))
        for aid in rng.sample(ids, take):
            rows.append({"id": aid, "corpus": key[0], "outlet": key[1], "section": key[2]})
    # split within each stratum so both parts keep the same mix
    by_stratum = defaultdict(list)
    for row in rows:
        by_stratum[(row["corpus"], row["outlet"], row["section"])].append(row)
    for members in by_stratum.values():
        rng.shuffle(members)
        n_test = round(len(members) * TEST_SHARE)
        for i, row in enumerate(members):
            row["split"] = "test" if i < n_test else "train"
    rng.shuffle(rows)
    for i, row in enumerate(rows):
        row["double"] = i < round(len(rows) * DOUBLE_SHARE)
    return rows


if __name__ == "__main__":
    for row in draw():
        print(json.dumps(row, ensure_ascii=False))

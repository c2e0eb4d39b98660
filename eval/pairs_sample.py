"""Draw the labelled paragraph-pair set for repeats and republication once, with a fixed seed.

    python eval/pairs_sample.py > eval/data/pairs_manifest.jsonl

Within an article: pairs across the whole similarity range (character 5-gram containment
bins, including low-overlap pairs where paraphrases hide), short headings against the
lede, and template pairs (same opening words, other facts). Across articles: body pairs
from different stories that share rare word 4-grams, from near copies down to same-topic
stories. Ids and indices only; the split (train / locked test) is drawn here too.
"""
from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import iter_corpus, paragraphs  # noqa: E402

SEED = 20261207
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_WORD = re.compile(r"\w+")
BINS = [(0.8, 1.01, 110), (0.5, 0.8, 110), (0.3, 0.5, 110), (0.15, 0.3, 100), (0.0, 0.15, 70)]
HEADINGS, TEMPLATES, CROSS = 60, 60, 260
TEST_SHARE, DOUBLE_SHARE = 0.40, 0.21


def _fold(text: str) -> str:
    text = _MARKS.sub("", text)
    return re.sub("[إأآٱ]", "ا", text).replace("ة", "ه").replace("ى", "ي")


def _grams(text: str, n: int = 5) -> set[str]:
    t = " ".join(_WORD.findall(_fold(text)))
    return {t[i:i + n] for i in range(max(0, len(t) - n + 1))}


def containment(a: str, b: str) -> float:
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / min(len(ga), len(gb)) if ga and gb else 0.0


def _within_candidates(rng):
    binned, headings, templates = defaultdict(list), [], []
    for name in ("ant", "snn"):
        for art in iter_corpus(name):
            paras = paragraphs(art.get("body"))
            if len(paras) < 3 or rng.random() > 0.25:
                continue
            for j in range(1, min(len(paras), 25)):
                for i in range(max(0, j - 8), j):
                    a, b = paras[i], paras[j]
                    if min(len(a), len(b)) < 25:
                        continue
                    c = containment(a, b)
                    pair = {"kind": "within", "a": art["id"], "pa": i, "b": art["id"], "pb": j, "containment": round(c, 3)}
                    wa, wb = _WORD.findall(_fold(a)), _WORD.findall(_fold(b))
                    if i == 0 and len(wb) <= 14 and not b.rstrip().endswith((".", "۔")):
                        headings.append({**pair, "kind": "heading"})
                    elif wa[:3] == wb[:3] and len(wa) > 6 and c < 0.8:
                        templates.append({**pair, "kind": "template"})
                    else:
                        for lo, hi, _ in BINS:
                            if lo <= c < hi:
                                binned[lo].append(pair)
    return binned, headings, templates


def _word_shingles(text: str, n: int = 4) -> set[int]:
    w = _WORD.findall(_fold(text))
    return {hash(" ".join(w[i:i + n])) for i in range(max(0, len(w) - n + 1))}


def _cross_candidates():
    docs, post = {}, defaultdict(list)
    for name in ("ant", "snn"):
        for art in iter_corpus(name):
            body = art.get("body") or ""
            if len(body) < 300:
                continue
            sh = _word_shingles(body)
            docs[art["id"]] = (art["outlet"], len(sh))
            for h in sh:
                post[h].append(art["id"])
    shared = defaultdict(int)
    for ids in post.values():
        if 2 <= len(ids) <= 6:  # rare shingles: shared by a few stories only
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    shared[(ids[x], ids[y])] += 1
    out = []
    for (a, b), n in shared.items():
        if n >= 3:
            overlap = n / min(docs[a][1], docs[b][1])
            out.append({"kind": "cross", "a": a, "pa": None, "b": b, "pb": None, "containment": round(overlap, 3),
                        "same_outlet": docs[a][0] == docs[b][0]})
    return out


def draw():
    rng = random.Random(SEED)
    binned, headings, templates = _within_candidates(rng)
    rows = []
    for lo, _, quota in BINS:
        pool = sorted(binned[lo], key=lambda p: (p["a"], p["pa"], p["pb"]))
        rows += rng.sample(pool, min(quota, len(pool)))
    rows += rng.sample(headings, min(HEADINGS, len(headings)))
    rows += rng.sample(templates, min(TEMPLATES, len(templates)))
    cross = sorted(_cross_candidates(), key=lambda p: (p["a"], p["b"]))
    for lo, hi, share in ((0.6, 9, 0.4), (0.25, 0.6, 0.35), (0.0, 0.25, 0.25)):
        pool = [p for p in cross if lo <= p["containment"] < hi]
        rows += rng.sample(pool, min(round(CROSS * share), len(pool)))
    rng.shuffle(rows)
    for i, row in enumerate(rows):
        row["pair_id"] = f"p{i:04d}"
        row["split"] = "test" if rng.random() < TEST_SHARE else "train"
        row["double"] = rng.random() < DOUBLE_SHARE
    return rows


if __name__ == "__main__":
    for row in draw():
        print(json.dumps(row, ensure_ascii=False))

"""Score repeats and republications on the labelled pairs (eval/data/pairs_manifest.jsonl).

    python eval/pairs_eval.py [--split train|test|both] [--errors] [--json FILE]

(a) In-article repeats: for each within/heading/template pair, the system says "repeat" iff
    the transform's output (transform_article on the corpus article) marks paragraph pb as
    `duplicate_of` pa. Paragraph indices follow the contract's blank-line split, as
    eval/corpus.py does.
(b) Republication: for each cross pair, whether the dedup engine, fed the two articles in
    publication order through its in-memory store, puts B in A's story.

The gold is each pair's primary label (repeat/same positive, not negative); borderline pairs
count neither way. `--errors` lists the training split's misses; it refuses the locked test
split, whose errors are not to be read.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_articles, paragraphs  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
IN_ARTICLE = ("within", "heading", "template")
POSITIVE = {"repeat", "same"}


def pairs(split: str) -> list[dict]:
    """Manifest rows of `split` (train, test or both), each with its primary `label`."""
    labels = {}
    for line in (DATA / "pair_labels.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["role"] == "primary":
            labels[rec["pair_id"]] = rec["label"]
    out = []
    for line in (DATA / "pairs_manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if split in ("both", row["split"]):
            out.append({**row, "label": labels[row["pair_id"]]})
    return out


def _input(art: dict):
    from akhbar.models import ArticleInput

    return ArticleInput(id=art["id"], title=art.get("title"), body=art.get("body"),
                        published=art.get("published"), url=art.get("url"), outlet=art.get("outlet"))


def in_article_marks(articles: dict[str, dict]) -> dict[str, list]:
    """Article id → each paragraph's `duplicate_of` from transform_article (no boilerplate)."""
    from akhbar.transform.article import transform_article

    out = {}
    for aid, art in articles.items():
        result = transform_article(_input(art))
        marks = [p.duplicate_of for p in result.paragraphs]
        if len(marks) != len(paragraphs(art.get("body"))):
            raise SystemExit(f"{aid}: the transform's paragraphs do not follow the contract's split")
        out[aid] = marks
    return out


def same_story(a: dict, b: dict) -> bool:
    """Does the engine, given A and B in publication order, put them in one story?"""
    from akhbar.transform.dedup import dedup_articles
    from akhbar.transform.dedup_memory import MemoryStore

    store = MemoryStore()
    decided = dedup_articles(store, [_input(a), _input(b)])
    return decided[0].story == decided[1].story


def predictions(rows: list[dict], articles: dict[str, dict]) -> dict[str, bool]:
    marks = in_article_marks({r["a"]: articles[r["a"]] for r in rows if r["kind"] in IN_ARTICLE})
    out = {}
    for r in rows:
        if r["kind"] in IN_ARTICLE:
            out[r["pair_id"]] = marks[r["a"]][r["pb"]] == r["pa"]
        else:
            out[r["pair_id"]] = same_story(articles[r["a"]], articles[r["b"]])
    return out


def prf(gold: list[bool], said: list[bool]) -> dict:
    tp = sum(g and s for g, s in zip(gold, said))
    fp = sum(s and not g for g, s in zip(gold, said))
    fn = sum(g and not s for g, s in zip(gold, said))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"n": len(gold), "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def score(rows: list[dict], said: dict[str, bool]) -> dict:
    """P/R/F1 per split and kind, plus the two headline groups."""
    groups = defaultdict(list)
    for r in rows:
        if r["label"] == "borderline":
            continue
        g = (r["label"] in POSITIVE, said[r["pair_id"]])
        groups[(r["split"], r["kind"])].append(g)
        groups[(r["split"], "in-article" if r["kind"] in IN_ARTICLE else "republication")].append(g)
    return {f"{split}/{kind}": prf([g for g, _ in v], [s for _, s in v])
            for (split, kind), v in sorted(groups.items())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("train", "test", "both"), default="train")
    ap.add_argument("--errors", action="store_true", help="list the misses (training split only)")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args(argv)
    if args.errors and args.split != "train":
        ap.error("--errors lists the training split only: the locked test split's errors are not to be read")
    rows = pairs(args.split)
    articles = load_articles({r[k] for r in rows for k in ("a", "b")})
    missing = {r[k] for r in rows for k in ("a", "b")} - set(articles)
    if missing:
        print(f"{len(missing)} articles not found in the corpora ({sorted(missing)[:3]} ...)", file=sys.stderr)
        return 2
    said = predictions(rows, articles)
    figures = score(rows, said)
    print(f"{'split/kind':<26} {'n':>4} {'pos':>4} {'tp':>4} {'fp':>4} {'fn':>4}   P      R      F1")
    for name, f in figures.items():
        print(f"{name:<26} {f['n']:>4} {f['positives']:>4} {f['tp']:>4} {f['fp']:>4} {f['fn']:>4}"
              f"   {f['precision']:.3f}  {f['recall']:.3f}  {f['f1']:.3f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    if args.errors:
        for r in rows:
            if r["label"] == "borderline" or (r["label"] in POSITIVE) == said[r["pair_id"]]:
                continue
            kind = "missed" if r["label"] in POSITIVE else "false"
            print(f"\n### {r['pair_id']} {r['kind']} {kind} ({r['a']} {r['pa']} -> {r['b']} {r['pb']})")
            if r["kind"] in IN_ARTICLE:
                paras = paragraphs(articles[r["a"]].get("body"))
                print(f"--- A ---\n{paras[r['pa']]}\n--- B ---\n{paras[r['pb']]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

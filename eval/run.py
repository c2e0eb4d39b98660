"""`make eval`: `akhbar transform` over the annotated articles, scored per split.

    python eval/run.py [--split train|test|both] [--errors] [--json FILE]

The texts come from the corpora (AKHBAR_EVAL_CORPUS_DIR); the gold from the stand-off
annotations in eval/data/annotations (each article's primary annotation). `--errors`
lists the training split's misses per article; it refuses the locked test split, whose
errors are not to be read.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_articles  # noqa: E402
from score import score  # noqa: E402
from standoff import to_contract  # noqa: E402

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def manifest() -> list[dict]:
    return [json.loads(line) for line in (DATA / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def annotations(role: str = "primary") -> dict[str, dict]:
    """Article id → its stand-off annotation of `role` (primary, second, or adjudicated: the
    settled version of a double-annotated article, which is then its gold)."""
    out = {}
    for path in sorted((DATA / "annotations").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("role", "primary") == role:
                out[rec["id"]] = rec
    return out


def transform(articles: list[dict]) -> dict[str, dict]:
    """`akhbar transform` over the articles, as a user would run it."""
    akhbar = shutil.which("akhbar", path=str(Path(sys.executable).parent)) or shutil.which("akhbar")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for a in articles:
                fh.write(json.dumps({k: a.get(k) for k in ("id", "title", "body", "published", "url", "outlet")},
                                    ensure_ascii=False) + "\n")
        subprocess.run([akhbar, "transform", "--input", str(src), "--output", str(dst)], check=True)
        out = {r["id"]: r for r in map(json.loads, dst.read_text(encoding="utf-8").splitlines())}
    # an article the transform refused scores as empty: say so, or a crash reads as a drop in recall
    failed = sorted(i for i, r in out.items() if r.get("error"))
    if failed:
        print(f"{len(failed)} of {len(out)} articles failed to transform: {', '.join(failed[:5])}"
              f"{' ...' if len(failed) > 5 else ''}", file=sys.stderr)
    return out


def evaluate(split: str) -> tuple[dict, dict, int]:
    ids = [m["id"] for m in manifest() if m["split"] == split]
    gold_sa = {**annotations("primary"), **annotations("adjudicated")}
    ids = [i for i in ids if i in gold_sa]
    texts = load_articles(ids)
    gold = {i: to_contract(gold_sa[i], texts[i]) for i in ids}
    pred = transform([texts[i] for i in ids])
    result, per_article, _ = score(gold, pred)
    return result, per_article, len(ids)


def print_table(split: str, result: dict, n: int) -> None:
    print(f"\n{split} split: {n} articles")
    print(f"{'field':16} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    for f, r in result.items():
        print(f"{f:16} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}   {r['tp']}/{r['fp']}/{r['fn']}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=("train", "test", "both"), default="both")
    ap.add_argument("--errors", action="store_true", help="per-article misses (training split only)")
    ap.add_argument("--json", help="write the figures as JSON to this file")
    args = ap.parse_args()
    if args.errors and args.split != "train":
        ap.error("--errors reads the training split only: the test split's errors are not read")
    figures = {}
    for split in (("train", "test") if args.split == "both" else (args.split,)):
        result, per_article, n = evaluate(split)
        figures[split] = {"articles": n, "fields": result}
        print_table(split, result, n)
        if args.errors:
            for aid, row in per_article.items():
                bad = {f: v for f, v in row.items() if v[1] or v[2]}
                if bad:
                    print(f"  {aid}: " + ", ".join(f"{f} fp={v[1]} fn={v[2]}" for f, v in bad.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

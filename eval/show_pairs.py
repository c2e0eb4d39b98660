"""Print paragraph pairs (or article pairs) for labelling: the two texts only.

    python eval/show_pairs.py --file PAIR_IDS.txt
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_articles, paragraphs  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def pair_rows() -> dict[str, dict]:
    rows = map(json.loads, (DATA / "pairs_manifest.jsonl").read_text(encoding="utf-8").splitlines())
    return {r["pair_id"]: r for r in rows}


def pair_texts(row: dict, articles: dict) -> tuple[str, str]:
    """The two texts of a pair: two paragraphs of one article, or two articles' bodies."""
    a, b = articles[row["a"]], articles[row["b"]]
    if row["kind"] == "cross":
        return "\n".join(paragraphs(a.get("body"))), "\n".join(paragraphs(b.get("body")))
    return paragraphs(a.get("body"))[row["pa"]], paragraphs(b.get("body"))[row["pb"]]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    args = ap.parse_args()
    ids = [line.strip() for line in open(args.file, encoding="utf-8") if line.strip()]
    rows = pair_rows()
    articles = load_articles({rows[i][k] for i in ids for k in ("a", "b")})
    for pid in ids:
        row = rows[pid]
        first, second = pair_texts(row, articles)
        kind = "two articles" if row["kind"] == "cross" else "two paragraphs of one article (A comes first)"
        print(f"### {pid} ({kind})\n--- A ---\n{first}\n--- B ---\n{second}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

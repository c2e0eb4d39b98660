"""Print articles for annotation: id, outlet, publication time, title and the body's
paragraphs numbered from 0 as the contract counts them.

    python eval/show.py ID [ID ...]        or        python eval/show.py --file IDS.txt
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_articles, paragraphs  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("ids", nargs="*")
    ap.add_argument("--file")
    args = ap.parse_args()
    ids = list(args.ids)
    if args.file:
        ids += [line.strip() for line in open(args.file, encoding="utf-8") if line.strip()]
    found = load_articles(ids)
    for aid in ids:
        art = found.get(aid)
        if art is None:
            print(f"### {aid}: not found\n")
            continue
        print(f"### {aid}\noutlet: {art['outlet']}\npublished: {art.get('published')}")
        print(f"title: {art.get('title')}")
        for i, para in enumerate(paragraphs(art.get("body"))):
            print(f"[{i}] {para}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

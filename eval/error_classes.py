"""The training split's event errors by class, largest first (never the test split's).

    python eval/error_classes.py

Each missed gold event (FN) and each event read where the annotators read none (FP) is put
in one class by what the system read in the same paragraph.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_articles, paragraphs  # noqa: E402
from run import annotations, manifest, transform  # noqa: E402
from standoff import to_contract  # noqa: E402


def _key(e: dict) -> tuple:
    codes = {c["code"] for c in (e.get("actor") or []) + (e.get("recipient") or []) if c.get("code")}
    return e["event"][0], tuple(sorted(codes))


def _paragraph_of(text: str, article: dict) -> int | None:
    if text and text in (article.get("title") or ""):
        return -1
    for k, para in enumerate(paragraphs(article.get("body"))):
        if text and text[:40] in para:
            return k
    return None


def classify(gold: dict, pred: dict, article: dict, counts: Counter) -> None:
    g_keys = {_key(e) for e in gold["events"]}
    p_events = pred.get("events") or []
    p_keys = {_key(e) for e in p_events}
    read_in = defaultdict(set)
    for e in p_events:
        read_in[_paragraph_of(e.get("event_text") or "", article)].add(_key(e))
    gold_in = defaultdict(set)
    for e in gold["events"]:
        gold_in[e.get("paragraph")].add(_key(e))
    for e in gold["events"]:
        k = _key(e)
        if k in p_keys:
            continue
        here = read_in.get(e.get("paragraph"), set())
        side = "one country" if len(k[1]) < 2 else "two or more"
        if any(x[1] == k[1] for x in here):
            counts[f"FN right parties, other category ({side})"] += 1
        elif any(x[0] == k[0] for x in here):
            counts[f"FN right category, other parties ({side})"] += 1
        else:
            counts[f"FN nothing read in its paragraph ({side})"] += 1
    for e in p_events:
        k = _key(e)
        if k in g_keys:
            continue
        there = gold_in.get(_paragraph_of(e.get("event_text") or "", article), set())
        if any(x[1] == k[1] for x in there):
            counts["FP right parties, other category"] += 1
        elif any(x[0] == k[0] for x in there):
            counts["FP right category, other parties"] += 1
        elif there:
            counts["FP another event than the annotators'"] += 1
        else:
            counts["FP an event where the annotators read none"] += 1


def main() -> int:
    gold_sa = {**annotations("primary"), **annotations("adjudicated")}
    ids = [m["id"] for m in manifest() if m["split"] == "train" and m["id"] in gold_sa]
    texts = load_articles(ids)
    pred = transform([texts[i] for i in ids])
    counts = Counter()
    for i in ids:
        classify(to_contract(gold_sa[i], texts[i]), pred[i], texts[i], counts)
    for name, n in counts.most_common():
        print(f"{n:4}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

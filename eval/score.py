#!/usr/bin/env python3
"""Score `akhbar transform` output against a gold file (the transform contract's scoring; a copy of the shared scorer, so the figures are the same).

    python3 score.py GOLD.jsonl PREDICTED.jsonl [--json] [--min FIELD=F1 ...]

Prints precision, recall and F1 per field, micro-averaged over articles, and a last line
`overall F1 <mean over fields>`. With --min, exits 1 when a field's F1 is below its bound.
Standard library only.
"""
import argparse
import json
import re
import sys

FIELDS = ["countries", "categories", "dyads", "dates", "amounts",
          "agreement_count", "persons", "duplicates"]

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def _norm_name(name):
    s = _DIACRITICS.sub("", name or "")
    s = re.sub("[إأآٱ]", "ا", s).replace("ة", "ه").replace("ى", "ي")
    return [w for w in re.findall(r"\w+", s) if w]


def _load(path):
    rows = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                print(f"{path}:{n}: not JSON, counted as missing", file=sys.stderr)
                continue
            if isinstance(obj, dict) and obj.get("id") is not None:
                rows[str(obj["id"])] = obj
    return rows


def _codes(entities):
    out = set()
    for e in entities or []:
        if isinstance(e, dict) and e.get("code"):
            out.add(str(e["code"]).upper())
    return out


def _sets(doc):
    """The scored sets of one article; `doc` may be an error line or None."""
    if not doc or doc.get("error"):
        doc = {}
    events = [e for e in doc.get("events") or [] if isinstance(e, dict)]
    cats, dyads, dates = set(), set(), set()
    for e in events:
        ev = e.get("event")
        ev = [ev] if isinstance(ev, str) else (ev or [])
        parties = tuple(sorted(_codes(e.get("actor")) | _codes(e.get("recipient"))))
        for c in ev:
            c = str(c).upper()
            cats.add(c)
            dyads.add((c, parties))
        if e.get("date"):
            dates.add(str(e["date"])[:10])
    amounts = set()
    for a in doc.get("amounts") or []:
        try:
            amounts.add((round(float(a["value"])), str(a.get("currency", "")).upper()))
        except (KeyError, TypeError, ValueError):
            continue
    agreements = doc.get("agreements") or {}
    count = agreements.get("count") if isinstance(agreements, dict) else None
    dups, optional = set(), set()
    for p in doc.get("paragraphs") or []:
        if isinstance(p, dict) and p.get("duplicate_of") is not None:
            (optional if p.get("optional") else dups).add((p.get("index"), p.get("duplicate_of")))
    return {
        "countries": {str(c).upper() for c in doc.get("countries") or []},
        "categories": cats,
        "dyads": dyads,
        "dates": dates,
        "amounts": amounts,
        "agreement_count": {count} if count is not None else set(),
        "persons": [_norm_name(p.get("name")) for p in doc.get("persons") or []
                    if isinstance(p, dict) and p.get("name")],
        "duplicates": dups,
        "_optional_duplicates": optional,
    }


def _match_persons(gold, pred):
    used, tp = set(), 0
    for g in gold:
        if not g:
            continue
        for i, p in enumerate(pred):
            if i in used:
                continue
            if len(set(g) & set(p)) * 2 >= len(set(g)):
                used.add(i)
                tp += 1
                break
    return tp, len(pred) - tp, len(gold) - tp


def score(gold_rows, pred_rows):
    totals = {f: [0, 0, 0] for f in FIELDS}  # tp, fp, fn
    per_article = {}
    for aid, gdoc in gold_rows.items():
        g, p = _sets(gdoc), _sets(pred_rows.get(aid))
        # a borderline repeat in the gold counts neither way: found or not, no credit or blame
        p["duplicates"] = {d for d in p["duplicates"] if d not in g["_optional_duplicates"]}
        row = {}
        for f in FIELDS:
            if f == "persons":
                tp, fp, fn = _match_persons(g[f], p[f])
            else:
                tp, fp, fn = len(g[f] & p[f]), len(p[f] - g[f]), len(g[f] - p[f])
            for k, v in enumerate((tp, fp, fn)):
                totals[f][k] += v
            row[f] = (tp, fp, fn)
        per_article[aid] = row
    result = {}
    for f, (tp, fp, fn) in totals.items():
        prec = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
        rec = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        result[f] = {"precision": prec, "recall": rec, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
    missing = sorted(a for a in gold_rows if a not in pred_rows or pred_rows[a].get("error"))
    return result, per_article, missing


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("predicted")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--per-article", action="store_true", help="also list each article's misses")
    ap.add_argument("--min", action="append", default=[], metavar="FIELD=F1")
    args = ap.parse_args(argv)
    gold, pred = _load(args.gold), _load(args.predicted)
    result, per_article, missing = score(gold, pred)
    overall = sum(r["f1"] for r in result.values()) / len(result)
    if args.json:
        print(json.dumps({"fields": result, "missing": missing, "overall_f1": overall}, indent=1))
    else:
        print(f"{'field':16} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
        for f, r in result.items():
            print(f"{f:16} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}   "
                  f"{r['tp']}/{r['fp']}/{r['fn']}")
        if missing:
            print(f"missing or errored articles: {len(missing)} of {len(gold)}: {', '.join(missing[:10])}")
        if args.per_article:
            for aid, row in per_article.items():
                bad = {f: v for f, v in row.items() if v[1] or v[2]}
                if bad:
                    print(f"  {aid}: " + ", ".join(f"{f} fp={v[1]} fn={v[2]}" for f, v in bad.items()))
        print(f"overall F1 {overall:.3f}")
    failed = []
    for bound in args.min:
        field, _, value = bound.partition("=")
        if field not in result:
            ap.error(f"unknown field {field!r}; fields: {', '.join(FIELDS)}")
        if result[field]["f1"] < float(value):
            failed.append(f"{field} F1 {result[field]['f1']:.3f} < {value}")
    if failed:
        print("below bound: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

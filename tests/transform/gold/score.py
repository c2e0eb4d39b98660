"""Per-field precision / recall / F1 of transform output against a gold file, with the field
definitions of the transform contract's scoring (countries; event categories; dyads =
category with the sorted set of actor and recipient codes; event dates; amounts = rounded
value and currency; agreement count; persons = a predicted name matches a gold name when
they share at least half of the gold name's words after Arabic normalization)."""
from __future__ import annotations

import re

FIELDS = ["countries", "categories", "dyads", "dates", "amounts", "agreement_count", "persons"]
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def _name_words(name: str) -> list[str]:
    s = _DIACRITICS.sub("", name or "")
    s = re.sub("[إأآٱ]", "ا", s).replace("ة", "ه").replace("ى", "ي")
    return re.findall(r"\w+", s)


def _codes(entities) -> set[str]:
    return {str(e["code"]).upper() for e in entities or [] if isinstance(e, dict) and e.get("code")}


def field_sets(doc: dict | None) -> dict:
    doc = doc if doc and not doc.get("error") else {}
    cats, dyads, dates = set(), set(), set()
    for e in doc.get("events") or []:
        ev = e.get("event")
        ev = [ev] if isinstance(ev, str) else (ev or [])
        parties = tuple(sorted(_codes(e.get("actor")) | _codes(e.get("recipient"))))
        for c in ev:
            cats.add(c.upper())
            dyads.add((c.upper(), parties))
        if e.get("date"):
            dates.add(str(e["date"])[:10])
    count = (doc.get("agreements") or {}).get("count")
    return {
        "countries": {c.upper() for c in doc.get("countries") or []},
        "categories": cats, "dyads": dyads, "dates": dates,
        "amounts": {(round(float(a["value"])), str(a.get("currency", "")).upper()) for a in doc.get("amounts") or []},
        "agreement_count": {count} if count is not None else set(),
        "persons": [_name_words(p["name"]) for p in doc.get("persons") or [] if p.get("name")],
    }


def _match_persons(gold: list, pred: list) -> tuple[int, int, int]:
    used, tp = set(), 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and len(set(g) & set(p)) * 2 >= len(set(g)):
                used.add(i)
                tp += 1
                break
    return tp, len(pred) - tp, len(gold) - tp


def score(gold: dict[str, dict], pred: dict[str, dict]) -> dict[str, float]:
    totals = {f: [0, 0, 0] for f in FIELDS}
    for aid, gdoc in gold.items():
        g, p = field_sets(gdoc), field_sets(pred.get(aid))
        for f in FIELDS:
            if f == "persons":
                counts = _match_persons(g[f], p[f])
            else:
                counts = (len(g[f] & p[f]), len(p[f] - g[f]), len(g[f] - p[f]))
            for k, v in enumerate(counts):
                totals[f][k] += v
    out = {}
    for f, (tp, fp, fn) in totals.items():
        prec = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
        rec = tp / (tp + fn) if tp + fn else 1.0
        out[f] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return out

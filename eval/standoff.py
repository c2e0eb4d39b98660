"""Turn annotators' working files into stand-off annotations, and back.

    python eval/standoff.py RAW_DIR ANNOTATOR > eval/data/annotations/ANNOTATOR.jsonl

An annotator writes names as they stand in the article; the project keeps only where they
stand: (paragraph, start, end) character offsets, the title being paragraph -1. Codes,
numbers, dates, categories and paragraph indices are kept as they are. `to_contract`
restores the contract's gold form from the corpus text when the evaluation runs.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_articles, paragraphs  # noqa: E402

_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """`text` without diacritics and tatweel, alef/ta marbuta/ya folded; with each folded
    character's offset in `text`."""
    out, where = [], []
    for i, ch in enumerate(text):
        if _MARKS.match(ch):
            continue
        out.append(ch.translate(_FOLD))
        where.append(i)
    return "".join(out), where


def texts_of(article: dict) -> dict[int, str]:
    """Paragraph index → text, the title as -1."""
    out = {-1: article.get("title") or ""}
    out.update(enumerate(paragraphs(article.get("body"))))
    return out


def locate(name: str | None, texts: dict[int, str]) -> list[int] | None:
    """[paragraph, start, end] of the first place `name` stands, exactly or folded."""
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    for para in sorted(texts, key=lambda k: (k < 0, k)):  # body first, then the title
        text = texts[para]
        at = text.find(name)
        if at >= 0:
            return [para, at, at + len(name)]
    want, _ = _fold_with_map(name)
    for para in sorted(texts, key=lambda k: (k < 0, k)):
        folded, where = _fold_with_map(texts[para])
        folded_spaced = folded
        at = folded_spaced.find(want)
        if at >= 0:
            return [para, where[at], where[at + len(want) - 1] + 1]
    return None


def to_standoff(raw: dict, article: dict, annotator: str) -> tuple[dict, int]:
    """(stand-off record, number of names not found in the text)."""
    texts = texts_of(article)
    persons, lost = [], 0
    for p in raw.get("persons") or []:
        at = locate(p.get("name"), texts)
        if at is None:
            lost += 1
            continue
        persons.append({"name_at": at, "office_at": locate(p.get("office"), texts), "country": p.get("country")})
    events = []
    for e in raw.get("events") or []:
        events.append({k: e.get(k) for k in ("event", "mode", "date", "actor", "recipient", "paragraph")})
    record = {
        "id": raw["id"], "annotator": annotator,
        "countries": sorted({str(c).upper() for c in raw.get("countries") or []}),
        "persons": persons,
        "amounts": [{"value": a.get("value"), "currency": a.get("currency")} for a in raw.get("amounts") or []],
        "agreements": raw.get("agreements") or {"count": None, "sectors": []},
        "events": events,
        "repeats": [{"index": r.get("index"), "duplicate_of": r.get("duplicate_of"), "optional": bool(r.get("optional"))}
                    for r in raw.get("repeats") or []],
    }
    return record, lost


def to_contract(record: dict, article: dict) -> dict:
    """The contract's gold form of a stand-off record, names read back from the text."""
    texts = texts_of(article)

    def span(at):
        return texts.get(at[0], "")[at[1]:at[2]] if at else None

    n = len(texts) - 1
    optional = {(r["index"], r["duplicate_of"]): r["optional"] for r in record["repeats"]}
    dup_of = {r["index"]: r["duplicate_of"] for r in record["repeats"]}
    return {
        "id": record["id"],
        "paragraphs": [{"index": i, "duplicate_of": dup_of.get(i),
                        **({"optional": True} if optional.get((i, dup_of.get(i))) else {})} for i in range(n)],
        "countries": record["countries"],
        "persons": [{"name": span(p["name_at"]), "office": span(p["office_at"]), "country": p["country"]}
                    for p in record["persons"]],
        "amounts": record["amounts"], "agreements": record["agreements"], "events": record["events"],
    }


def _roles(annotator: str) -> dict[str, str]:
    """Article id → this annotator's role for it, from the manifest's assignment; the
    adjudicator (ADJ) settles the double-annotated articles."""
    roles = {}
    for line in (Path(__file__).resolve().parent / "data" / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if annotator == "ADJ" and row.get("second"):
            roles[row["id"]] = "adjudicated"
        elif row["primary"] == annotator:
            roles[row["id"]] = "primary"
        elif row.get("second") == annotator:
            roles[row["id"]] = "second"
    return roles


def main() -> int:
    raw_dir, annotator = Path(sys.argv[1]), sys.argv[2]
    roles = _roles(annotator)
    raws = []
    for path in sorted(raw_dir.glob("*.json")):
        try:
            raws.append(json.loads(path.read_text(encoding="utf-8")))
        except json.JSONDecodeError as exc:
            print(f"{path.name}: not JSON ({exc}), skipped", file=sys.stderr)
    articles = load_articles(r["id"] for r in raws)
    lost_total = 0
    for raw in raws:
        if raw["id"] not in articles:
            print(f"{raw['id']}: not in the corpus, skipped", file=sys.stderr)
            continue
        if raw["id"] not in roles:
            print(f"{raw['id']}: not assigned to {annotator}, skipped", file=sys.stderr)
            continue
        record, lost = to_standoff(raw, articles[raw["id"]], annotator)
        record["role"] = roles[raw["id"]]
        lost_total += lost
        print(json.dumps(record, ensure_ascii=False, sort_keys=True))
    print(f"{annotator}: {len(raws)} articles, {lost_total} names not found in the text", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`akhbar dedup-report`: what repeats in a corpus, without a warehouse.

Runs the warehouse's dedup engine (transform/dedup.py) over its in-memory store
(transform/dedup_memory.py) on a JSON Lines file (the transform contract's input, or the
benchmark corpus's lines, which carry the same `id`, `body`, `published`, `outlet`):
boilerplate learned per outlet, repeats within each article and, in publication order,
paragraphs and articles that repeat an earlier article. No rule is written here.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from akhbar.progress import Progress
from akhbar.transform import boilerplate, dedup
from akhbar.transform.dedup_memory import MemoryStore
from akhbar.transform.paragraphs import split_paragraphs

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class Article:
    id: str
    outlet: str | None
    when: datetime | None
    paragraphs: list[str]
    story: int = -1
    duplicate_of: int | None = None
    share: float = 0.0
    best_other: int | None = None


@dataclass
class Report:
    articles: int = 0
    paragraphs: int = 0
    republications: int = 0
    story_clusters: int = 0
    stories: int = 0
    repeats_within: int = 0
    repeats_across: int = 0
    boilerplate_paragraphs: int = 0
    boilerplate_lines: dict[str, int] = field(default_factory=dict)
    # per outlet, its most widespread boilerplate lines: (stories, text)
    boilerplate_examples: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def lines(self) -> list[str]:
        rate = self.paragraphs / self.seconds if self.seconds else 0.0
        out = [
            f"articles: {self.articles}",
            f"paragraphs: {self.paragraphs}",
            f"republications found: {self.republications}",
            f"story clusters (stories with 2+ articles): {self.story_clusters} of {self.stories} stories",
            f"duplicate paragraphs: {self.repeats_within + self.repeats_across}"
            f" ({self.repeats_within} within an article, {self.repeats_across} of an earlier article;"
            f" boilerplate not counted)",
            f"boilerplate paragraphs: {self.boilerplate_paragraphs}",
            "boilerplate lines per outlet:",
        ]
        for o, n in sorted(self.boilerplate_lines.items()):
            out.append(f"  {o}: {n}")
            out += [f"      {stories:>4} stories: {text[:80]}" for stories, text in self.boilerplate_examples.get(o, [])]
        out.append(f"time: {self.seconds:.1f} s, {rate:.0f} paragraphs/s, peak RSS {self.peak_rss_mb:.0f} MB")
        return out


# totals, rate and ETA; a rich bar on a terminal (akhbar.progress)
_Progress = Progress


def _when(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    for parse in (lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")), parsedate_to_datetime):
        try:
            dt = parse(value.strip())
        except (TypeError, ValueError, IndexError):
            continue
        return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    return None


def read_articles(path: str) -> list[Article]:
    opener = gzip.open if path.endswith(".gz") else open
    out = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("body"), str):
                continue
            out.append(Article(id=str(obj.get("id", n)), outlet=obj.get("outlet"),
                               when=_when(obj.get("published")),
                               paragraphs=split_paragraphs(obj["body"])))
    # first seen = first published; undated articles after the dated ones, in file order
    out.sort(key=lambda a: (a.when is None, a.when or _EPOCH))
    return out


def dedup_corpus(articles: list[Article], progress: bool = False, examples: int = 3) -> Report:
    """The engine (transform/dedup.py) over an in-memory store, in publication order, as
    successive loads would apply it: an article's lines count for its outlet once it is a
    new story, lines become boilerplate when their counts pass the bar, and the final
    boilerplate is left out of the figures (the warehouse marks it in earlier articles too)."""
    started = time.monotonic()
    report = Report(articles=len(articles), paragraphs=sum(len(a.paragraphs) for a in articles))
    store = MemoryStore()
    records = []
    repeated: list[tuple[bool, str | None, int]] = []  # (within?, outlet, line) of each repeat
    bar = _Progress(len(articles), "dedup", progress)
    for idx, a in enumerate(articles):
        rec, match = dedup.dedup_article(store, idx, a.outlet, a.when, a.paragraphs)
        records.append(rec)
        repeated += [(p.duplicate_of is not None, a.outlet, p.line) for p in rec.paragraphs
                     if not p.is_boilerplate and (p.duplicate_of is not None or p.position in match.earlier)]
        a.share, a.best_other = match.share, match.best_story
        a.duplicate_of = match.republished_of
        a.story = store.story_of(idx)
        bar.update(idx + 1)
    final = {o: store.boilerplate(o) for o in store.outlets()}
    report.boilerplate_lines = {o: len(k) for o, k in final.items()}
    report.boilerplate_paragraphs = sum(1 for a, rec in zip(articles, records) for p in rec.paragraphs
                                        if boilerplate.may_be_boilerplate(p.position) and p.line in final.get(a.outlet, ()))
    texts: dict[tuple, str] = {}
    for a, rec in zip(articles, records):
        for p in rec.paragraphs:
            if p.line in final.get(a.outlet, ()):
                texts.setdefault((a.outlet, p.line), p.text)
    for o, keys in final.items():
        ranked = sorted(((store.stories(o, k), texts[(o, k)]) for k in keys), key=lambda x: (-x[0], x[1]))
        report.boilerplate_examples[o] = ranked[:examples]
    kept = [w for w, outlet, k in repeated if k not in final.get(outlet, ())]
    report.repeats_within = sum(kept)
    report.repeats_across = len(kept) - report.repeats_within
    sizes = Counter(a.story for a in articles)
    report.republications = sum(1 for a in articles if a.duplicate_of is not None)
    report.stories = len(sizes)
    report.story_clusters = sum(1 for n in sizes.values() if n > 1)
    report.seconds = time.monotonic() - started
    report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def write_pairs(articles: list[Article], path: str) -> None:
    """Republications found and near misses (best earlier story with a share below the bar),
    one JSON object a line, for checking by hand."""
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            if a.best_other is None:
                continue
            fh.write(json.dumps({"id": a.id, "of": articles[a.best_other].id, "share": round(a.share, 3),
                                 "republication": a.duplicate_of is not None}, ensure_ascii=False) + "\n")


def cmd_dedup_report(args: argparse.Namespace) -> int:
    started = time.monotonic()
    articles = read_articles(args.input)
    progress = sys.stderr.isatty() or len(articles) >= 1000
    report = dedup_corpus(articles, progress=progress and not args.quiet, examples=args.examples)
    report.seconds = time.monotonic() - started
    for line in report.lines():
        print(line)
    if args.pairs:
        write_pairs(articles, args.pairs)
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("dedup-report", help="republications, story clusters, repeated paragraphs"
                                                   " and boilerplate of a JSON Lines corpus")
    p.add_argument("--input", required=True, help="JSON Lines file (.jsonl or .jsonl.gz) of articles")
    p.add_argument("--pairs", help="also write found republications and near misses here (JSON Lines)")
    p.add_argument("--examples", type=int, default=3, help="boilerplate lines shown per outlet (default 3)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_dedup_report)

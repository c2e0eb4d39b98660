"""The dedup engine's in-memory store (transform/dedup.py's `DedupStore`), for
`akhbar transform` (boilerplate learned from its input) and `akhbar dedup-report`.

Memory grows with the number of distinct lines and indexed paragraphs, not with the text
kept elsewhere: one set of story ids per line, at most CANDIDATES_PER_BAND paragraphs per
band key and day (a single one kept as a bare tuple): within any look-back window the
earliest CANDIDATES_PER_BAND come from those, as the warehouse's lookup reads them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Hashable

from akhbar.transform import boilerplate
from akhbar.transform.dedup import CANDIDATES_PER_BAND, ArticleRecord, Candidate, Match, filed_day, lookback


@dataclass
class _LineStats:
    stories: set = field(default_factory=set)
    length: int = 0
    first_day: date | None = None
    last_day: date | None = None


class MemoryStore:
    """Earlier articles and per-outlet line counts, in memory."""

    def __init__(self, today: date | None = None) -> None:
        # the day undated articles are filed under (dedup.filed_day)
        self.today = today or datetime.now(timezone.utc).date()
        self._stats: dict[str, dict[int, _LineStats]] = defaultdict(lambda: defaultdict(_LineStats))
        self._learned: dict[str, frozenset[int]] = {}
        self._bands: dict[int, object] = {}
        self._texts: dict[Hashable, tuple[date | None, list[str]]] = {}
        self._paras: dict[tuple, tuple[str, tuple | None]] = {}
        self._story: dict[Hashable, Hashable] = {}

    # --- line counts -------------------------------------------------------------------
    def add_lines(self, outlet: str | None, story, day: date | None, lines: list[tuple[int, int]]) -> None:
        """Count (key, length) lines of one article of `story` for `outlet`."""
        if not outlet:
            return
        self._learned.pop(outlet, None)
        known = self._stats[outlet]
        for key, length in set(lines):
            stats = known[key]
            stats.length = length
            stats.stories.add(story)
            if day is not None:
                stats.first_day = day if stats.first_day is None else min(stats.first_day, day)
                stats.last_day = day if stats.last_day is None else max(stats.last_day, day)

    def add(self, outlet: str | None, story, day: date | None, paragraphs: list[str]) -> None:
        self.add_lines(outlet, story, day, [boilerplate.line(p) for p in paragraphs])

    def is_boilerplate(self, outlet: str | None, key: int) -> bool:
        stats = self._stats.get(outlet, {}).get(key) if outlet else None
        return stats is not None and boilerplate.is_boilerplate_count(
            len(stats.stories), stats.first_day, stats.last_day, stats.length)

    def boilerplate_lines(self, outlet: str | None, lines: set[int]) -> set[int]:
        return {k for k in lines if self.is_boilerplate(outlet, k)}

    def boilerplate(self, outlet: str | None) -> frozenset[int]:
        """Every line key the outlet's counts make boilerplate."""
        if not outlet or outlet not in self._stats:
            return frozenset()
        if outlet not in self._learned:
            self._learned[outlet] = frozenset(k for k in self._stats[outlet] if self.is_boilerplate(outlet, k))
        return self._learned[outlet]

    def stories(self, outlet: str, key: int) -> int:
        stats = self._stats.get(outlet, {}).get(key)
        return len(stats.stories) if stats else 0

    def outlets(self) -> list[str]:
        return sorted(self._stats)

    # --- earlier articles --------------------------------------------------------------
    def candidates(self, bands: set[int], day: date | None) -> dict[int, list[Candidate]]:
        first, last = lookback(day, self.today)
        out = {}
        for k in bands:
            postings = self._bands.get(k)
            if postings is None:
                continue
            postings = [postings] if isinstance(postings, tuple) else postings
            # by day, then in the order recorded (a stable sort)
            refs = [ref for filed, ref in sorted(postings, key=lambda p: p[0]) if first <= filed <= last]
            if refs:
                out[k] = [Candidate(ref, self._paras[ref][0], self._paras[ref][1], self._story.get(ref[0], ref[0]))
                          for ref in refs[:CANDIDATES_PER_BAND]]
        return out

    def story_texts(self, articles: set) -> dict[Hashable, tuple[date | None, list[str]]]:
        return {a: self._texts.get(a, (None, [])) for a in articles}

    def record(self, article_id, rec: ArticleRecord, match: Match) -> None:
        story = article_id if match.republished_of is None else match.republished_of
        self._story[article_id] = story
        content = rec.content()
        self._texts[article_id] = (rec.day, [p.text for p in content])
        filed = filed_day(rec.day, self.today)
        for p in rec.paragraphs:
            if p.is_boilerplate:
                continue
            ref = (article_id, p.position)
            self._paras[ref] = (p.text, match.earlier.get(p.position))
            for k in set(p.bands):
                self._post(k, (filed, ref))
        if match.republished_of is None:
            self.add_lines(rec.outlet, article_id, rec.day, rec.lines())

    def _post(self, band: int, posting: tuple) -> None:
        v = self._bands.get(band)
        if v is None:
            self._bands[band] = posting
        elif isinstance(v, tuple):
            self._bands[band] = [v, posting]
        elif len(v) < CANDIDATES_PER_BAND or sum(filed == posting[0] for filed, _ in v) < CANDIDATES_PER_BAND:
            v.append(posting)

    def story_of(self, article_id):
        return self._story.get(article_id, article_id)

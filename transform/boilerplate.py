"""Site boilerplate, learned from the data: lines an outlet prints under many stories.

App promotions, disclaimers, "نقلا عن …" source lines, separators, "للمزيد:" link lines
and photo credits are no part of the story they end. No list of phrases: a line is
boilerplate for an outlet when it recurs, in the same letters, under at least MIN_STORIES
distinct stories of that outlet published over a span of at least MIN_SPAN_DAYS days.
Stories, not articles: an article republished under three categories counts once, or the
outlet's own copies would teach it its news. The span keeps out a background paragraph
that an outlet repeats across the updates of one running story (on the benchmark corpus
those recur in 4-7 stories within a day or two); a disclaimer recurs for months.

The line key keeps letters and digits only (folded), so separators of any length ("-----",
"* * *") share one key, and "نقلاً عن" meets "نقلا عن".
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from akhbar.transform.dedup import matching_key

MIN_STORIES = 4
MIN_SPAN_DAYS = 2


def line_key(text: str) -> int:
    """A signed 64-bit key of the line's folded letters and digits (stable across processes)."""
    letters = matching_key(text).replace(" ", "")
    return int.from_bytes(hashlib.blake2b(letters.encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)


def is_boilerplate_count(stories: int, first_day: date | None, last_day: date | None) -> bool:
    if stories < MIN_STORIES or first_day is None or last_day is None:
        return False
    return (last_day - first_day).days >= MIN_SPAN_DAYS


@dataclass
class _LineStats:
    stories: set = field(default_factory=set)
    first_day: date | None = None
    last_day: date | None = None


class BoilerplateLearner:
    """Per-outlet line counts over a stream of articles; `boilerplate(outlet)` gives the keys.

    Feed it every article once (`add`), with the story it belongs to, then ask. Memory grows
    with the number of distinct lines, not with the text: one set of story ids per line.
    """

    def __init__(self) -> None:
        self._stats: dict[str, dict[int, _LineStats]] = defaultdict(lambda: defaultdict(_LineStats))
        self._learned: dict[str, frozenset[int]] = {}

    def add(self, outlet: str | None, story, day: date | None, paragraphs: list[str]) -> None:
        self.add_keys(outlet, story, day, [line_key(p) for p in paragraphs])

    def add_keys(self, outlet: str | None, story, day: date | None, keys: list[int]) -> None:
        if not outlet:
            return
        self._learned.pop(outlet, None)
        lines = self._stats[outlet]
        for key in set(keys):
            stats = lines[key]
            stats.stories.add(story)
            if day is not None:
                stats.first_day = day if stats.first_day is None else min(stats.first_day, day)
                stats.last_day = day if stats.last_day is None else max(stats.last_day, day)

    def is_boilerplate(self, outlet: str | None, key: int) -> bool:
        """What `boilerplate(outlet)` would say of one key, without building the set."""
        stats = self._stats.get(outlet, {}).get(key) if outlet else None
        return stats is not None and is_boilerplate_count(len(stats.stories), stats.first_day, stats.last_day)

    def stories(self, outlet: str, key: int) -> int:
        stats = self._stats.get(outlet, {}).get(key)
        return len(stats.stories) if stats else 0

    def boilerplate(self, outlet: str | None) -> frozenset[int]:
        if not outlet or outlet not in self._stats:
            return frozenset()
        if outlet not in self._learned:
            self._learned[outlet] = frozenset(
                k for k, s in self._stats[outlet].items()
                if is_boilerplate_count(len(s.stories), s.first_day, s.last_day))
        return self._learned[outlet]

    def outlets(self) -> list[str]:
        return sorted(self._stats)

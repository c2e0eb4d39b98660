"""Site boilerplate, learned from the data: lines an outlet prints under many stories.

App promotions, disclaimers, "نقلا عن …" source lines, separators, "للمزيد:" link lines
and photo credits are no part of the story they end. No list of phrases: a line is
boilerplate for an outlet when it recurs, in the same letters, under at least MIN_STORIES
distinct stories of that outlet published over a span of at least MIN_SPAN_DAYS days; a
line longer than LONG_LINE letters (about 100 characters) needs MIN_STORIES_LONG stories.
A long line is news more often than furniture: on the benchmark corpus, CNN appends the
ledes of four related articles under a story, so each lede recurs under five stories (its
own among them), and outlets reuse background paragraphs a few times; their disclaimers
and app promotions, long ones included, recur under 10 to 900 stories. And an article's
first paragraph is never boilerplate (`may_be_boilerplate`): it is the story's lede, even
when other articles append it as a teaser.
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
LONG_LINE = 80
MIN_STORIES_LONG = 10


def line_key(text: str) -> int:
    """A signed 64-bit key of the line's folded letters and digits (stable across processes)."""
    letters = matching_key(text).replace(" ", "")
    return int.from_bytes(hashlib.blake2b(letters.encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)


def may_be_boilerplate(position: int) -> bool:
    return position > 0


def line_length(text: str) -> int:
    """How many letters and digits the line has (what LONG_LINE counts)."""
    return len(matching_key(text).replace(" ", ""))


def line(text: str) -> tuple[int, int]:
    return line_key(text), line_length(text)


def is_boilerplate_count(stories: int, first_day: date | None, last_day: date | None,
                         length: int = 0) -> bool:
    need = MIN_STORIES_LONG if length > LONG_LINE else MIN_STORIES
    if stories < need or first_day is None or last_day is None:
        return False
    return (last_day - first_day).days >= MIN_SPAN_DAYS


@dataclass
class _LineStats:
    stories: set = field(default_factory=set)
    length: int = 0
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
        self.add_lines(outlet, story, day, [line(p) for p in paragraphs])

    def add_lines(self, outlet: str | None, story, day: date | None, lines: list[tuple[int, int]]) -> None:
        """Count (key, length) lines (`line`) of one article of `story` for `outlet`."""
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

    def is_boilerplate(self, outlet: str | None, key: int) -> bool:
        """What `boilerplate(outlet)` would say of one key, without building the set."""
        stats = self._stats.get(outlet, {}).get(key) if outlet else None
        return stats is not None and is_boilerplate_count(len(stats.stories), stats.first_day,
                                                          stats.last_day, stats.length)

    def stories(self, outlet: str, key: int) -> int:
        stats = self._stats.get(outlet, {}).get(key)
        return len(stats.stories) if stats else 0

    def boilerplate(self, outlet: str | None) -> frozenset[int]:
        if not outlet or outlet not in self._stats:
            return frozenset()
        if outlet not in self._learned:
            self._learned[outlet] = frozenset(
                k for k, s in self._stats[outlet].items()
                if is_boilerplate_count(len(s.stories), s.first_day, s.last_day, s.length))
        return self._learned[outlet]

    def outlets(self) -> list[str]:
        return sorted(self._stats)

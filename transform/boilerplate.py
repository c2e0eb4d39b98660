"""Site boilerplate, learned from the data: lines an outlet prints under many stories (the
dedup engine's boilerplate rule; a store counts the lines: transform/dedup_memory.py in
memory, load/dedup_index.py in the warehouse).

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

from datetime import date

from akhbar.transform.textkeys import line_key, line_length

MIN_STORIES = 4
MIN_SPAN_DAYS = 2
LONG_LINE = 80
MIN_STORIES_LONG = 10


def may_be_boilerplate(position: int) -> bool:
    """An article's first paragraph is its lede, never boilerplate."""
    return position > 0


def line(text: str) -> tuple[int, int]:
    return line_key(text), line_length(text)


def is_boilerplate_count(stories: int, first_day: date | None, last_day: date | None,
                         length: int = 0) -> bool:
    need = MIN_STORIES_LONG if length > LONG_LINE else MIN_STORIES
    if stories < need or first_day is None or last_day is None:
        return False
    return (last_day - first_day).days >= MIN_SPAN_DAYS

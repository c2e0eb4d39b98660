"""Where an article's extracted facts stand in its paragraphs, as marked-up HTML.

Countries and event triggers are found again with the transform's own readers (its
gazetteer and trigger rules, over the paragraph's tokens with their offsets), kept only
when the article's extraction has them: a country among its countries, a trigger of one
of its event categories inside that event's evidence sentence. Persons and amounts are
found by their stored text.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str    # country, person, amount, trigger
    label: str


def _literal(text: str, needle: str, kind: str, label: str) -> list[Span]:
    out, at = [], 0
    if not needle:
        return out
    while (i := text.find(needle, at)) >= 0:
        out.append(Span(i, i + len(needle), kind, label))
        at = i + len(needle)
    return out


def _transform_spans(text: str, countries: set[str], evidence: list[tuple[str, str]]) -> list[Span]:
    try:
        from akhbar.transform.countries import find_country_mentions
        from akhbar.transform.events import find_triggers
        from akhbar.transform.sentences import make_sentence
    except ImportError:  # the pages still work, without these marks
        log.warning("akhbar.transform is not importable: no country or trigger marks")
        return []
    s = make_sentence(text)
    out = []
    for m in find_country_mentions(s.tokens):
        if m.code in countries:
            out.append(Span(s.spans[m.start][0], s.spans[m.end - 1][1], "country", m.code))
    windows = []
    for sentence, category in evidence:
        if sentence:
            windows += [(sp.start, sp.end, category) for sp in _literal(text, sentence, "", "")]
    if windows:
        for i, rule in find_triggers(s):
            start, end = s.spans[i]
            if any(a <= start < b and rule.category == cat for a, b, cat in windows):
                out.append(Span(start, end, "trigger", rule.category))
    return out


def spans(text: str, *, countries: set[str], persons: list[str], amounts: list[str],
          evidence: list[tuple[str, str]]) -> list[Span]:
    """Non-overlapping spans in text order; where two overlap the earlier (then the
    longer) one stays."""
    found: list[Span] = []
    for a in amounts:
        found += _literal(text, a, "amount", a)
    for p in persons:
        found += _literal(text, p, "person", p)
    try:
        found += _transform_spans(text, countries, evidence)
    except Exception:  # a reader's bug must not take the page down
        log.exception("could not mark countries and triggers")
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for s in found:
        if not kept or s.start >= kept[-1].end:
            kept.append(s)
    return kept


def marked(text: str, found: list[Span]) -> str:
    out, at = [], 0
    for s in found:
        out.append(escape(text[at:s.start]))
        out.append(f'<mark class="m-{s.kind}" title="{escape(s.kind)}: {escape(s.label)}">'
                   f'{escape(text[s.start:s.end])}</mark>')
        at = s.end
    out.append(escape(text[at:]))
    return "".join(out)

"""PLOVER events read sentence by sentence.

A sentence yields an event for each trigger word it holds (event_triggers.yaml), with the
countries it involves as parties: named ones, those whose officials it names (by surname,
from the article's persons), and the article's two main parties when it says "الجانبان" or
uses a dual verb ("اتفقا"). Parties mentioned before the trigger act; those after it
receive; in a visit the country where it happens is the host (recipient). Time the sentence
places in the future turns a visit into an agreement to meet (AGREE). One record per
category and party set.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date

from akhbar.models import Entity, Event, Location
from akhbar.transform.agreements import is_signing_sentence, signing_position
from akhbar.transform.countries import resolve_ambiguous
from akhbar.transform.dates import DateMention
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.lexicon import read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.sentences import Sentence

QUAD_CODES = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 1, "AID": 1, "RETREAT": 1,
    "REQUEST": 2, "ACCUSE": 2, "REJECT": 2, "THREATEN": 2, "PROTEST": 2,
    "SANCTION": 3, "MOBILIZE": 3, "COERCE": 4, "ASSAULT": 4,
}


@dataclass(frozen=True)
class _Rule:
    category: str
    mode: str
    words: frozenset[str]
    prefixes: tuple[str, ...]
    min_parties: int


def _load_rules() -> list[_Rule]:
    rules = []
    for r in read_yaml("event_triggers.yaml"):
        rules.append(_Rule(
            category=r["category"], mode=r.get("mode") or "",
            words=frozenset(normalize_for_matching(w) for w in r.get("words", [])),
            prefixes=tuple(normalize_for_matching(w) for w in r.get("prefixes", [])),
            min_parties=int(r.get("min_parties", 1)),
        ))
    return rules


_RULES = _load_rules()
# Signing or exchanging agreements is SUPPORT (found by the agreements reader, not a word list).
_SIGNING = _Rule("SUPPORT", "", frozenset(), (), 2)
_TOPICS = read_yaml("article_topics.yaml")
_TWO_PARTIES = frozenset(normalize_for_matching(w) for w in _TOPICS["two_parties"])
_LOCATIVE = ("في", "ب", "الي")


@dataclass
class ArticleContext:
    """What the event reader needs to know about the whole article."""
    published: date | None
    main_parties: list[str]                  # the two most mentioned countries
    evidenced: set[str]                      # codes the article refers to unambiguously
    official_codes: dict[str, str] = field(default_factory=dict)  # folded surname → code
    lede_date: date | None = None


@dataclass
class ReadSentence:
    """A sentence with its country mentions and the date it names."""
    sentence: Sentence
    mentions: list  # CountryMention
    when: DateMention | None


@lru_cache(maxsize=1 << 16)
def _trigger(tok: str) -> tuple[_Rule, ...]:
    variants = proclitic_variants(tok)
    return tuple(r for r in _RULES
                 if any(v in r.words for v in variants) or (r.prefixes and any(v.startswith(r.prefixes) for v in variants)))


def _parties(read: ReadSentence, ctx: ArticleContext) -> list[tuple[int, str, bool]]:
    """(token index, code, is_location) of every party in the sentence, in text order."""
    s = read.sentence
    out = []
    for m in read.mentions:
        code = resolve_ambiguous(m, ctx.evidenced)
        if code:
            prev = s.tokens[m.start - 1] if m.start else ""
            tok = s.tokens[m.start]
            locative = prev in _LOCATIVE or (tok[:1] == "ب" and not m.form.startswith("ب")) or m.kind == "capital"
            out.append((m.start, code, locative))
    for i, tok in enumerate(s.tokens):
        code = ctx.official_codes.get(tok)
        if code:
            out.append((i, code, False))
        if any(v in _TWO_PARTIES for v in proclitic_variants(tok)):
            out.extend((i, c, False) for c in ctx.main_parties)
    return sorted(out)


def _is_dual_verb(tok: str) -> bool:
    return tok.endswith(("ا", "تان", "ان")) and not tok.endswith(("ها", "نا"))


def read_events(sentences: list[ReadSentence], ctx: ArticleContext) -> list[Event]:
    events: dict[tuple[str, frozenset[str]], Event] = {}
    carried: dict[int, date | None] = {}
    for read in sentences:
        s = read.sentence
        day, future = _event_day(read, ctx, carried)
        parties = _parties(read, ctx)
        triggers = [(i, rule) for i, tok in enumerate(s.tokens) for rule in _trigger(tok)]
        if is_signing_sentence(s.tokens):
            triggers.insert(0, (signing_position(s.tokens), _SIGNING))
        for i, rule in triggers:
            tok = s.tokens[i]
            plist = list(parties)
            if _is_dual_verb(tok) and len(ctx.main_parties) == 2 and not any(p < i for p, _, _ in plist):
                plist = [(i - 1, c, False) for c in ctx.main_parties] + plist
            codes = {c for _, c, _ in plist}
            if len(codes) < rule.min_parties or not codes:
                continue
            category, mode = rule.category, rule.mode
            if future and category == "CONSULT":
                category, mode = "AGREE", ""
            actor, recipient, host = _roles(plist, i, mode == "visit")
            key = (category, frozenset(actor) | frozenset(recipient))
            if key in events:
                continue
            events[key] = Event(
                event=[category], mode=[mode] if mode else ([("multilateral")] if category == "CONSULT" and len(codes) > 2 else []),
                quad_code=QUAD_CODES[category],
                date=day.isoformat() if day else None,
                actor=[Entity(c) for c in actor], recipient=[Entity(c) for c in recipient],
                event_loc=Location(country=host) if host else None,
                event_text=s.text,
            )
    return list(events.values())


def _roles(plist, trigger: int, visit: bool) -> tuple[list[str], list[str], str | None]:
    def uniq(codes):
        seen = []
        for c in codes:
            if c not in seen:
                seen.append(c)
        return seen

    if visit:
        hosts = uniq(c for _, c, loc in plist if loc)
        if hosts:
            host = hosts[-1]
            actor = uniq(c for _, c, _ in plist if c != host)
            if actor:
                return actor, [host], host
    before = uniq(c for p, c, _ in plist if p < trigger)
    after = uniq(c for p, c, _ in plist if p >= trigger and c not in before)
    if not before:
        before, after = after[:1], after[1:]
    if len(before) > 1 and not after:
        return before, [], None
    return before, after, (after[0] if visit and after else None)


def _event_day(read: ReadSentence, ctx: ArticleContext, carried: dict[int, date | None]) -> tuple[date | None, bool]:
    """The day of the sentence's events and whether the sentence speaks of the future."""
    para = read.sentence.paragraph
    when = read.when
    if when is not None:
        if when.kind == "future":
            return ctx.published, True
        carried[para] = when.day
        return when.day, False
    if para in carried:
        return carried[para], False
    return (ctx.lede_date or ctx.published), False

"""Who held an office on a given day (transform/data/leaders.yaml).

An office written alone ("خادم الحرمين الشريفين", "ولي العهد السعودي") resolves to the person
who held it on the article's date; a leader's name, or the short form headlines use
("بوتين", "السيسي"), resolves to the country he acts for.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from akhbar.transform.gazetteer import PhraseIndex, proclitic_variants
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml
from akhbar.transform.normalize import normalize_for_matching


@dataclass(frozen=True)
class Holder:
    office: str
    country: str
    name: str
    start: date
    end: date | None          # None: still in office
    aliases: tuple[str, ...]  # folded short forms

    def holds_on(self, day: date | None) -> bool:
        return day is None or (self.start <= day and (self.end is None or day < self.end))


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _load() -> tuple[list[list[Holder]], PhraseIndex[int]]:
    offices: list[list[Holder]] = []
    phrases: PhraseIndex[int] = PhraseIndex()
    for k, entry in enumerate(read_yaml("leaders.yaml")):
        offices.append([
            Holder(office=entry["office"], country=entry["country"], name=h["name"],
                   start=_day(h["from"]), end=_day(h.get("to")),
                   aliases=tuple(normalize_for_matching(a) for a in h.get("aliases", [])))
            for h in entry["holders"]])
        for phrase in entry.get("phrases", []):
            phrases.add(phrase, k)
    return offices, phrases


_OFFICES, _PHRASES = _load()
_HOLDERS = [h for holders in _OFFICES for h in holders]


def office_phrases() -> list[tuple[str, str]]:
    """(phrase, country) of every office phrase: each names its country."""
    return [(phrase, entry["country"]) for entry in read_yaml("leaders.yaml") for phrase in entry.get("phrases", [])]


def resolve_office(tokens: list[str], i: int, day: date | None) -> Holder | None:
    """The holder of the office phrase that starts at folded token `i` on `day`."""
    m = _PHRASES.match_at(tokens, i)
    if m is None:
        return None
    return next((h for h in _OFFICES[m.value] if h.holds_on(day)), None) if day else None


def offices_in(tokens: list[str], day: date | None) -> list[tuple[int, int, Holder]]:
    """Every office phrase of folded `tokens` with its holder on `day`."""
    out = []
    for m in _PHRASES.scan(tokens):
        holder = next((h for h in _OFFICES[m.value] if h.holds_on(day)), None) if day else None
        if holder:
            out.append((m.start, m.end, holder))
    return out


@lru_cache(maxsize=256)
def alias_codes(day: date | None) -> dict[str, str]:
    """Folded short forms of the leaders in office on `day` → their country."""
    if day is None:
        return {}
    return {a: h.country for h in _HOLDERS if h.holds_on(day) for a in h.aliases}


@lru_cache(maxsize=256)
def alias_holders(day: date | None) -> dict[str, Holder]:
    """Folded short forms of the leaders in office on `day` → the holder they name."""
    if day is None:
        return {}
    return {a: h for h in _HOLDERS if h.holds_on(day) for a in h.aliases}


def name_tokens(name: str) -> list[str]:
    return [t for t in normalize_for_matching(name).replace("عبد ", "عبد").split() if t]


@lru_cache(maxsize=1 << 12)
def country_of_person(name: str, day: date | None) -> str | None:
    """The country of a named person who is in the table: his full name (or its first words,
    "محمد بن سلمان") in office on `day`, or any term when the day is unknown."""
    key = name_tokens(name)
    if len(key) < 2 or key[0] not in _FIRST_NAMES:
        return None
    codes = set()
    for h, full in _NAMED:
        if full[:len(key)] == key or key[:len(full)] == full:
            if h.holds_on(day) or day is None:
                codes.add(h.country)
    if not codes and day is not None:
        # named after leaving or before taking office: the person still acts for his country
        codes = {h.country for h, full in _NAMED if full[:len(key)] == key}
    return codes.pop() if len(codes) == 1 else None


# Holders with their folded name tokens, computed once; a name's first word must be one of
# theirs before the table is searched (most persons are in no table).
_NAMED = [(h, name_tokens(h.name)) for h in _HOLDERS]
_FIRST_NAMES = frozenset(full[0] for _, full in _NAMED)


_ALL_ALIASES = frozenset(a for h in _HOLDERS for a in h.aliases)


@lru_cache(maxsize=TOKEN_CACHE)
def leader_alias(tok: str) -> str | None:
    """The leader's short name `tok` is (with or without clitics), whatever the day."""
    return next((v for v in proclitic_variants(tok) if v in _ALL_ALIASES), None)


# alias → every token of the full names it shortens ("ترامب" → دونالد, ترامب)
_ALIAS_NAME_TOKENS: dict[str, frozenset[str]] = {}
for _h, _full in _NAMED:
    for _a in _h.aliases:
        _ALIAS_NAME_TOKENS[_a] = _ALIAS_NAME_TOKENS.get(_a, frozenset()) | frozenset(_full)


def alias_is_someone_else(alias: str, previous: str, not_names: frozenset[str]) -> bool:
    """"ميغان ميركل": a first name before the short form that is not the leader's own
    (nor a word that is no name: "وقال ميركل", "المستشارة ميركل") names another person."""
    if not previous or any(v.startswith("ال") or v in not_names for v in proclitic_variants(previous)):
        return False
    return not any(v in _ALIAS_NAME_TOKENS.get(alias, ()) for v in proclitic_variants(previous))


def alias_at(tok: str, aliases: dict[str, str]) -> str | None:
    """The code `aliases` (folded short names → code) gives `tok` with or without clitics."""
    for v in proclitic_variants(tok):
        code = aliases.get(v)
        if code:
            return code
    return None

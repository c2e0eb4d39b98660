"""Named persons with the office written next to them and the country it names.

A person is found from an anchor: an office ("وزير الخارجية السعودي عادل الجبير"), an
honorific ("الشيخ صباح الأحمد …") or a frequent given name ("محمد صلاح"). The name is the run
of name-like tokens that follows: words without the article (family names with ال are
allowed once the name has started), joined by particles (بن، آل، عبد), ending at
punctuation, a function word or a verb of saying.
"""
from __future__ import annotations

from functools import lru_cache

from akhbar.models import Person
from akhbar.transform.countries import CountryMention, find_country_mentions
from akhbar.transform.gazetteer import PhraseIndex, proclitic_variants
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml, stopwords
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.sentences import Sentence

_MAX_NAME_TOKENS = 6
# The article, alone or behind a proclitic ("والوزراء", "بالقصر", "للرئيس").
_DEFINITE = ("وال", "بال", "لل", "ولل")
# Shorter tokens with these letters are names ("والتر").
_MIN_CLITIC_DEFINITE = 6
# "سلطان بن أحمد": a word that is an office elsewhere is a given name before بن / بنت.
_SON_OF = ("بن", "بنت")
_MAX_OFFICE_TOKENS = 12


def _folded_set(words) -> frozenset[str]:
    return frozenset(normalize_for_matching(w) for w in words)


_LEX = read_yaml("offices.yaml")
_HEADS: PhraseIndex[str] = PhraseIndex()
for _w in _LEX["office_heads"]:
    _HEADS.add(_w, "office")
_HONORIFICS: PhraseIndex[str] = PhraseIndex()
for _w in _LEX["honorifics"]:
    _HONORIFICS.add(_w, "honorific")
_COMPLEMENTS = _folded_set(_LEX["office_complements"])
_PARTICLES = _folded_set(_LEX["name_particles"])
_NOT_NAME = _folded_set(_LEX["not_name"]) | stopwords()
_GIVEN = _folded_set(_LEX["given_names"])
_BAD_ENDINGS = tuple(normalize_for_matching(w) for w in _LEX["not_name_endings"])
_HEAD_WORDS = _folded_set(w for w in _LEX["office_heads"] if " " not in w)
# words that are never a name: what may stand before a leader's short name ("وقال ميركل")
NOT_NAMES = _NOT_NAME | _HEAD_WORDS | _folded_set(w.split()[-1] for w in _LEX["honorifics"])


def _is_name_word(tok: str, started: bool) -> bool:
    if tok.isdigit() or len(tok) < 2 and tok not in ("د",):
        return False
    if tok in _NOT_NAME or tok in _HEAD_WORDS or tok in _COMPLEMENTS:
        return False
    # A first word in ة is a verbal noun ("أهمية", "إعادة") unless a known given name.
    if tok not in _GIVEN and (tok.endswith(_BAD_ENDINGS) or (tok.endswith("ه") and len(tok) > 3)):
        return False
    if tok[0] in "وفبل" and tok[1:] in _NOT_NAME:
        return False
    if tok.startswith("ال") and tok not in _PARTICLES:
        return started
    if tok.startswith(_DEFINITE) and len(tok) >= _MIN_CLITIC_DEFINITE and tok not in _GIVEN:
        return False
    if not started and tok[0] == "و" and tok[1:] in _GIVEN:
        return False
    return True


_AFTER_ALA = _folded_set(_LEX["after_ala"])
_SPORTS_WORDS = _folded_set(read_yaml("article_topics.yaml")["sports"]["words"])


def _name_ends_at(s: Sentence, j: int) -> bool:
    """A name can end before token j: the sentence ends, punctuation, or a name-ending word."""
    return j >= len(s.tokens) or s.breaks[j] or s.tokens[j] in _NOT_NAME or _HEADS.match_at(s.tokens, j) is not None


def _name_run(s: Sentence, i: int, countries: dict[int, CountryMention]) -> int:
    """End (exclusive) of the name starting at token i; i when there is none."""
    j, n = i, len(s.tokens)
    while j < n and j - i < _MAX_NAME_TOKENS:
        tok = s.tokens[j]
        if j > i and s.breaks[j]:
            break
        if j in countries:
            break
        if tok in _PARTICLES:
            j += 1
            continue
        nxt = s.tokens[j + 1] if j + 1 < n else ""
        if j == i and tok in _HEAD_WORDS and nxt in _SON_OF:
            j += 1
            continue
        # "علي" folds like the preposition "على": a name after a given name, before بن, or
        # before a family name with ال that no phrase of "على" takes ("على الصعيد").
        if tok in _GIVEN and tok in _NOT_NAME and (nxt in _SON_OF or (j > i and s.tokens[j - 1] in _GIVEN) or (
                j == i and nxt.startswith("ال") and nxt not in _AFTER_ALA and _name_ends_at(s, j + 2))):
            j += 1
            continue
        if j > i and tok[0] == "و" and len(tok) > 3 and tok not in _GIVEN and not s.tokens[j - 1] in _PARTICLES:
            break
        if not _is_name_word(tok, started=j > i):
            break
        # "يوسف النعيمات هدف الفوز", "أحمد الروسان التسجيل": a match report goes on after the name
        if j > i and (tok in _SPORTS_WORDS or (tok.startswith("الت") and len(tok) >= 7 and s.tokens[j - 1].startswith("ال"))):
            break
        j += 1
    while j > i and s.tokens[j - 1] in _PARTICLES:
        j -= 1
    return j


def _office_end(s: Sentence, i: int, countries: dict[int, CountryMention]) -> int:
    """Skip the office that starts at token i (head, complements, countries, ال-words, honorifics)."""
    j, n = i, len(s.tokens)
    while j < n and j - i < _MAX_OFFICE_TOKENS:
        if j > i and s.breaks[j] and not (s.tokens[j] in _HONORIFICS_FIRST or _HEADS.match_at(s.tokens, j)):
            break
        if j in countries:
            j = countries[j].end
            continue
        m = _HEADS.match_at(s.tokens, j) or _HONORIFICS.match_at(s.tokens, j)
        if m and s.tokens[m.end:m.end + 1] and s.tokens[m.end] in _SON_OF:
            break
        if m:
            j = m.end
            continue
        tok = s.tokens[j]
        base = proclitic_variants(tok)
        if tok in _COMPLEMENTS or any(b in _COMPLEMENTS for b in base[1:2]):
            j += 1
            continue
        if tok.startswith(("ال", "لل", "وال")) and tok not in _NOT_NAME:
            j += 1
            continue
        break
    return j


_HONORIFICS_FIRST = frozenset(normalize_for_matching(w).split()[0] for w in _LEX["honorifics"])


def persons_in_sentence(s: Sentence, mentions: list[CountryMention] | None = None) -> list[Person]:
    """Named persons of a sentence; `mentions` are its country mentions when already found."""
    if mentions is None:
        mentions = find_country_mentions(s.tokens)
    countries = {m.start: m for m in mentions}
    out, i, n = [], 0, len(s.tokens)
    tokens, breaks = s.tokens, s.breaks
    while i < n:
        # most tokens open nothing: no office, honorific or given name, no apposition start
        if not _could_open(tokens[i]) and not breaks[i] and not (i and tokens[i - 1] in _OPENS_NAME):
            i += 1
            continue
        anchor = _HEADS.match_at(s.tokens, i) or _HONORIFICS.match_at(s.tokens, i)
        if anchor is None and i + 2 < n and _name_before_office(s, i, countries):
            # "مع ناتالي جاريسكو وزير المالية في أوكرانيا": the office after the name
            out.append(_person(s, i, i, i + 2, mentions, office_after=True))
            i += 2
            continue
        if anchor is not None:
            start = _office_end(s, i, countries)
            if start > i and start < n and s.breaks[start] and s.tokens[start][:1] == "و" \
                    and s.tokens[start] not in _GIVEN:
                i = start  # "الوزير، وفاليريا …": a new conjunct, not this office's name
                continue
            end = _name_run(s, start, countries)
            # "لاعب وسط مانشستر سيتي الألماني إيلكاي غندوغان": a club or body, its nisba,
            # then the name.
            if end > start and end in countries:
                later = countries[end].end
                while later in countries:
                    later = countries[later].end
                later_end = _name_run(s, later, countries)
                if later_end - later >= 2:
                    start, end = later, later_end
            if end - start >= 2 or (end - start == 1 and s.tokens[start] not in _GIVEN and end < n and s.tokens[end] in ("الثاني", "السادس")):
                out.append(_person(s, i, start, end, mentions))
                i = end
                continue
            i = max(start, i + 1)
            continue
        # without an office, "علي" (folded like "على") opens a name only before بن
        if s.tokens[i] in _GIVEN and (i == 0 or s.tokens[i - 1] not in _PARTICLES) and (
                s.tokens[i] not in _NOT_NAME or s.tokens[i + 1:i + 2] and s.tokens[i + 1] in _SON_OF):
            end = _name_run(s, i, countries)
            if end - i >= 2:
                out.append(_person(s, i, i, end, mentions, office_after=True))
                i = end
                continue
        i += 1
    return out


_OPENS_NAME = frozenset({"مع"})


@lru_cache(maxsize=TOKEN_CACHE)
def _could_open(tok: str) -> bool:
    """Whether `tok` may start an office, an honorific or a name by a given name."""
    return tok in _GIVEN or bool(_HEADS.candidates(tok) or _HONORIFICS.candidates(tok))


def _name_before_office(s: Sentence, i: int, countries: dict[int, CountryMention]) -> bool:
    """Two name words at i, right after "مع" or punctuation, then an office head and its
    complement: wire copy's "…، فاليريا كونتاريفا محافظ المصرف المركزي"."""
    toks = s.tokens
    if not (s.breaks[i] or (i and toks[i - 1] in _OPENS_NAME)):
        return False
    first = toks[i][1:] if toks[i][:1] == "و" and s.breaks[i] else toks[i]
    if i in countries or i + 1 in countries or first in _GIVEN:
        return False  # a given name is found by the given-name rule
    if not (_is_name_word(first, False) and _is_name_word(toks[i + 1], True)) or toks[i + 1].startswith("ال"):
        return False
    if len(first) < 3 or len(toks[i + 1]) < 3 or s.breaks[i + 1]:
        return False
    # an imperfect verb ("يأتي", "يستدعي") is no name word here: without an office before it,
    # a name must look like one
    if any(t[:1] == "ي" and t not in _GIVEN for t in (first, toks[i + 1])):
        return False
    head = _HEADS.match_at(toks, i + 2)
    if head is None or head.end >= len(toks):
        return False
    nxt = toks[head.end]
    if not (nxt.startswith("ال") or nxt in _COMPLEMENTS or head.end in countries):
        return False
    # an apposition: the office runs to punctuation or the end ("… محافظ المصرف المركزي الأوكراني.")
    # or to "في <country>"; an office followed by more words is the subject of what came before
    end = _office_end(s, i + 2, countries)
    if end < len(toks) and toks[end] == "في" and end + 1 in countries:
        end = countries[end + 1].end
    return end >= len(toks) or s.breaks[end]


def _person(s: Sentence, office_start: int, name_start: int, name_end: int,
            mentions: list[CountryMention], office_after: bool = False) -> Person:
    name = s.surface(name_start, name_end).strip("#_ ").replace("_", " ")
    if office_after and s.breaks[name_start] and s.tokens[name_start][:1] == "و" and name[:1] == "و" \
            and s.tokens[name_start][1:] not in _GIVEN and s.tokens[name_start] not in _GIVEN:
        name = name[1:]  # "، وفاليريا كونتاريفا محافظ …": the conjunction is no part of the name
    if office_after:
        o_end = _office_end(s, name_end, {m.start: m for m in mentions}) if name_end < len(s.tokens) and _HEADS.match_at(s.tokens, name_end) else name_end
        office_span = (name_end, o_end)
    else:
        office_span = (office_start, name_start)
    office = _without_proclitic(s.surface(*office_span).strip("،, ")) or None
    # "النجم المصري محمد صلاح", "لاعب ريال مدريد الألماني توني كروس": the nisba right
    # before the name, else the first country of the office.
    country = next((m.code for m in mentions if m.end == name_start and m.kind == "adj"), None) or \
        next((m.code for m in mentions if office_span[0] <= m.start < office_span[1] and m.code != "?"), None)
    return Person(name=name, office=office, country=country)


def merge_persons(persons: list[Person]) -> list[Person]:
    """One record per person: a name that starts another keeps the longer; lone surnames go."""
    out: list[Person] = []
    keys: list[list[str]] = []
    for p in persons:
        key = normalize_for_matching(p.name).split()
        if len(key) < 2:
            continue
        merged = False
        for k, other in enumerate(keys):
            short, long_ = (key, other) if len(key) <= len(other) else (other, key)
            if long_[:len(short)] == short:
                if len(key) > len(other):
                    keys[k] = key
                    out[k] = Person(p.name, p.office or out[k].office, p.country or out[k].country)
                elif out[k].office is None or out[k].country is None:
                    out[k] = Person(out[k].name, out[k].office or p.office, out[k].country or p.country)
                merged = True
                break
        if not merged:
            keys.append(key)
            out.append(p)
    return out


def _without_proclitic(office: str) -> str:
    """"ورئيس جمهورية …", "بنائب رئيس …", "لرئيس …": the office as a title, without the
    conjunction or preposition the sentence glued to it."""
    first, _, rest = office.partition(" ")
    for clitic in ("و", "ب", "ل", "ف"):
        if first.startswith(clitic) and _HEADS.match_at([normalize_for_matching(first[1:])], 0) is not None:
            return (first[1:] + " " + rest).strip()
    return office

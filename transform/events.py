"""PLOVER events read sentence by sentence.

A sentence yields an event for each trigger word it holds (event_triggers.yaml, with the
context checks of event_roles.yaml), with its parties placed by roles.py: the actor is the
party named before the trigger (or right after a sentence-initial verb), the recipient the
first party after it; topic countries are no party. "الجانبان", a dual verb ("اتفقا"), a
passive ("جرى بحث") and a joint statement stand for the article's two main parties. Time
the sentence places in the future turns a visit into an agreement to meet (AGREE). One
record per category and party set.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date

from akhbar.models import Entity, Event, Location
from akhbar.transform.agreements import is_signing_sentence, signing_position
from akhbar.transform.budget import check
from akhbar.transform.countries import org_positions, resolve_ambiguous
from akhbar.transform.dates import DateMention
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.leaders import alias_at
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.roles import (INSTITUTIONS, Party, anaphoric_subject_after, assign_roles, clause_is_future, first_chain,
                                    drop_topics, emphasis_verb_before, is_dual_verb, is_past_verb, is_place_word, told_as_done,
                                    is_hedged, is_joint, is_negated, is_passive, is_state_reference,
                                    object_pronoun_after, shares_main_subject, trigger_stands)
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
    org_actor_ok: bool = False  # one country is enough when an organisation is named before


def _load_rules() -> list[_Rule]:
    rules = []
    for r in read_yaml("event_triggers.yaml"):
        rules.append(_Rule(
            category=r["category"], mode=r.get("mode") or "",
            words=frozenset(normalize_for_matching(w) for w in r.get("words", [])),
            prefixes=tuple(normalize_for_matching(w) for w in r.get("prefixes", [])),
            min_parties=int(r.get("min_parties", 1)),
            org_actor_ok=bool(r.get("org_actor_ok", False)),
        ))
    return rules


_RULES = _load_rules()
# Signing or exchanging agreements is SUPPORT (found by the agreements reader, not a word list).
_SIGNING = _Rule("SUPPORT", "", frozenset(), (), 2)
_TOPICS = read_yaml("article_topics.yaml")
_TWO_PARTIES = frozenset(normalize_for_matching(w) for w in _TOPICS["two_parties"])
_LOCATIVE = ("في", "ب", "الي")
_EMPHASIS = "EMPHASIS"
_UNSEEN = object()
# the prepositions that open what a call asks for ("إلى", "على"), folded
_CONTENT_OPENERS = frozenset({"الي", "علي"})
_MINISTRY = ("وزار", "الوزار")


@dataclass
class ArticleContext:
    """What the event reader needs to know about the whole article."""
    published: date | None
    main_parties: list[str]                  # the two most mentioned countries
    evidenced: set[str]                      # codes the article refers to unambiguously
    official_codes: dict[str, str] = field(default_factory=dict)  # folded surname → code
    lede_date: date | None = None
    lede_actor: list[str] = field(default_factory=list)  # actor of the story's first event
    official_cache: dict = field(default_factory=dict)   # token → official's code, per article


@dataclass
class ReadSentence:
    """A sentence with its country mentions and the date it names."""
    sentence: Sentence
    mentions: list  # CountryMention
    when: DateMention | None


# word → indexes of the rules it triggers; rules with prefixes are checked apart (few)
_WORD_RULES: dict[str, list[int]] = {}
for _k, _r in enumerate(_RULES):
    for _w in _r.words:
        _WORD_RULES.setdefault(_w, []).append(_k)
_PREFIX_RULES = [(k, r.prefixes) for k, r in enumerate(_RULES) if r.prefixes]


@lru_cache(maxsize=TOKEN_CACHE)
def _trigger(tok: str) -> tuple[_Rule, ...]:
    variants = proclitic_variants(tok)
    # "وزارة" (ministry) is no "و + زاره" (visited him)
    if any(v.startswith(_MINISTRY) for v in variants):
        return ()
    hits = {k for v in variants for k in _WORD_RULES.get(v, ())}
    hits.update(k for k, prefixes in _PREFIX_RULES if any(v.startswith(prefixes) for v in variants))
    return tuple(_RULES[k] for k in sorted(hits))


def _parties(read: ReadSentence, ctx: ArticleContext, state_only: bool = True) -> list[Party]:
    """Every party the sentence names, in text order; with `state_only`, nisbas that
    name a people or firms ("اللاجئين السوريين") are left out."""
    s = read.sentence
    out = []
    for m in read.mentions:
        code = resolve_ambiguous(m, ctx.evidenced)
        if code and (not state_only or is_state_reference(s.tokens, m.start, m.kind, m.form)):
            prev = s.tokens[m.start - 1] if m.start else ""
            tok = s.tokens[m.start]
            locative = prev in _LOCATIVE or (tok[:1] == "ب" and not m.form.startswith("ب")) or m.kind == "capital"
            # "في وسط الصومال", "بشمال سوريا": where, like "في الصومال"
            place = m.start >= 2 and is_place_word(prev) and (
                s.tokens[m.start - 2] in _LOCATIVE or s.tokens[m.start - 2] == "في") or \
                (m.start >= 1 and is_place_word(prev) and prev[:1] == "ب")
            locative = locative or place
            place = place or prev == "في"
            # "نظام طالبان في أفغانستان": the institution's country, not a place.
            if prev == "في" and any(t in INSTITUTIONS for t in s.tokens[max(0, m.start - 4):m.start - 1]):
                locative = place = False
            out.append(Party(m.start, m.end, code, locative, place))
    cache = ctx.official_cache
    for i, tok in enumerate(s.tokens):
        code = cache.get(tok, _UNSEEN)
        if code is _UNSEEN:
            code = cache[tok] = alias_at(tok, ctx.official_codes) if ctx.official_codes else None
        if code:
            out.append(Party(i, i + 1, code, False))
        if _is_two_parties(tok):
            out.extend(Party(i, i + 1, c, False) for c in ctx.main_parties)
    return sorted(out, key=lambda p: (p.start, p.end))


@lru_cache(maxsize=TOKEN_CACHE)
def _is_two_parties(tok: str) -> bool:
    return any(v in _TWO_PARTIES for v in proclitic_variants(tok))


def _is_dual_verb(tok: str) -> bool:
    return tok.endswith(("ا", "تان", "ان")) and not tok.endswith(("ها", "نا"))


def _stand_ins(i: int, codes) -> list[Party]:
    """Parties the text does not name at the trigger `i` but means (the two sides, the
    lede's actor): placed on the trigger itself, so that they act as its subject."""
    return [Party(i, i + 1, c, False) for c in codes]


def _continues_subject(tok: str) -> bool:
    """"ودعمها": a coordinated noun with the subject's possessive pronoun."""
    return tok[:1] == "و" and tok.endswith(("ها", "ه", "هما")) and len(tok) > 5


def _is_definite_noun(tok: str) -> bool:
    return any(v.startswith("ال") for v in proclitic_variants(tok)[:3] if v != "الي")


# What an accusation says the accused did ("متهمين إياها بمساندة إيران ودعم الإرهاب"), and
# what a call asks for ("دعا إلى تكثيف دعمه", "حثا على تسهيل وصول المساعدات"), is its
# content, not another event.
_CONTENT_OF_ACCUSATION = frozenset({"SUPPORT", "AID", "COOPERATE", "CONSULT", "AGREE", "PROTEST", "MOBILIZE",
                                    "ASSAULT", "SANCTION", "THREATEN", "REJECT", "COERCE"})


def _drop_accusation_content(triggers, breaks):
    out, accusing = [], None
    for i, rule in triggers:
        if accusing is not None and any(breaks[accusing + 1:i + 1]):
            accusing = None
        if rule.category in ("ACCUSE", "REQUEST"):
            accusing = i
        elif accusing is not None and rule.category in _CONTENT_OF_ACCUSATION:
            continue
        out.append((i, rule))
    return out


def _emphasis(tokens: list[str], i: int, plist: list[Party], ctx: ArticleContext):
    """"أكد الجانبان أهمية X": AGREE of the two sides, or SUPPORT of them for a further
    country X; (category, parties) or None when no two sides state it together."""
    verb = emphasis_verb_before(tokens, i)
    if verb is None or len(ctx.main_parties) != 2:
        return None
    subject = {p.code for p in plist if verb < p.start < i}
    two = _is_dual_verb(tokens[verb]) or set(ctx.main_parties) <= subject or any(
        any(v in _TWO_PARTIES for v in proclitic_variants(t)) for t in tokens[verb:i])
    if not two:
        return None
    sides = [Party(verb, verb, c, False) for c in ctx.main_parties]
    others = [p for p in plist if p.start > i and p.code not in ctx.main_parties and not p.locative]
    if others:
        return "SUPPORT", sides + others[:1]
    return "AGREE", sides


def read_events(sentences: list[ReadSentence], ctx: ArticleContext) -> list[Event]:
    events: dict[tuple[str, frozenset[str]], Event] = {}
    carried: dict[int, date | None] = {}
    headline: set = set()   # keys of the title's talks and visits
    announced: set = set()  # party sets of visits the body announces for later
    confirmed: set = set()  # headline talks the body tells as held
    for read in sentences:
        check()
        s = read.sentence
        day, future = _event_day(read, ctx, carried)
        triggers = [(i, rule) for i, tok in enumerate(s.tokens) for rule in _trigger(tok)
                    if trigger_stands(s.tokens, i) and not is_negated(s.tokens, i) and not is_hedged(s.tokens, i)]
        if is_signing_sentence(s.tokens):
            at = signing_position(s.tokens)
            if not is_negated(s.tokens, at):
                triggers.insert(0, (at, _SIGNING))
        if not triggers:
            continue  # most sentences: nothing to read, no parties to place
        triggers = _drop_accusation_content(triggers, s.breaks)
        raw_parties = _parties(read, ctx, state_only=False) if any(r.category == _EMPHASIS for _, r in triggers) else []
        parties = drop_topics(_parties(read, ctx), s.tokens, s.breaks, {i for i, _ in triggers})
        last_recipient: list[str] = []
        orgs = None  # organisation positions, found when a rule asks
        for i, rule in triggers:
            tok = s.tokens[i]
            plist = list(parties)
            two = len(ctx.main_parties) == 2
            if two and (is_passive(s.tokens, i) or is_joint(s.tokens, i) or is_dual_verb(tok)
                        or (_is_dual_verb(tok) and not any(p.start < i for p in plist))):
                # the unnamed agent of "جرى بحث" / the dual subject of "اتفقا": the two parties
                plist = _stand_ins(i, ctx.main_parties) + \
                    ([] if is_passive(s.tokens, i) or is_joint(s.tokens, i) else [p for p in plist if p.start > i])
            elif ctx.lede_actor and anaphoric_subject_after(s.tokens, i) and not any(
                    p.start <= i + 2 for p in plist if p.start > i) and not any(p.start < i for p in plist):
                # "ودعت الوزارة ...": the institution of the lede
                plist = _stand_ins(i, ctx.lede_actor) + plist
            elif _continues_subject(tok) and plist and plist[0].start < i:
                # "وأكدت مصر تضامنها مع الصومال ...، ودعمها لجهود ...": the sentence's subject
                first = [p for p in plist if p.start == plist[0].start]
                plist = _stand_ins(i, [p.code for p in first]) + [p for p in plist if p.start > i]
            elif shares_main_subject(s.tokens, i) and plist and plist[0].start < i:
                # "قطعت السعودية والإمارات ... متهمين إياها": the whole subject chain
                first = first_chain([p for p in plist if p.start < i], s.tokens)
                plist = _stand_ins(i, [p.code for p in first]) + [p for p in plist if p.start > i]
            category, mode = rule.category, rule.mode
            if category == _EMPHASIS:
                found = _emphasis(s.tokens, i, raw_parties, ctx)
                if not found:
                    continue
                category, plist = found
            ahead = not future and clause_is_future(s.tokens, s.breaks, i)
            # a perfect verb tells what happened, whatever another clause foresees
            done = future and (is_past_verb(tok) or told_as_done(s.tokens, i)) and not clause_is_future(s.tokens, s.breaks, i)
            if ((future and not done) or ahead) and category == "CONSULT":
                category, mode = "AGREE", ""
                announced_now = True
            else:
                announced_now = False
            # a trigger of another kind after punctuation opens another clause and event
            nxt = next((j for j, r in triggers if j > i and r.category != rule.category and any(s.breaks[i + 1:j + 1])), None)
            if category not in ("CONSULT", "AGREE"):
                # a place named in a condemnation or a call is where, not whom
                plist = [p for p in plist if not (p.place and p.start > i)]
            if rule.category in ("REQUEST", "AGREE"):  # not a visit told for later: its host follows إلى
                # "دعا X إلى ...", "حث X على ...", "اتفق مع X على ...": X is asked or agreed
                # with; what follows is what is asked for or agreed on
                content = next((j for j in range(i + 1, len(s.tokens)) if s.tokens[j] in _CONTENT_OPENERS), None)
                if content is not None:
                    plist = [p for p in plist if p.start < content]
            actor, recipient, host = assign_roles(plist, s.tokens, i, rule.mode == "visit", nxt, s.breaks)
            if actor and not ctx.lede_actor and s.paragraph <= 0:
                ctx.lede_actor = list(actor)
            if last_recipient and object_pronoun_after(s.tokens, i):
                recipient = [c for c in last_recipient if c not in actor]
            last_recipient = recipient or last_recipient
            codes = set(actor) | set(recipient)
            needed = rule.min_parties
            if rule.org_actor_ok and needed > 1 and orgs is None:
                orgs = org_positions(s.tokens)
            if rule.org_actor_ok and orgs and any(o < i for o in orgs):
                needed = 1
            if len(codes) < needed or not codes:
                continue
            # "الدعم الدولي للأردن": a definite noun with one country is what the text
            # talks about; an act has a second party or a named subject.
            if len(codes) == 1 and _is_definite_noun(tok):
                continue
            key = (category, frozenset(actor) | frozenset(recipient))
            if announced_now or (future and category == "AGREE" and tok.lstrip("وف").startswith(("سي", "ست"))):
                announced.add(key[1])
            if key in headline and s.paragraph >= 0 and category == "CONSULT":
                confirmed.add(key)  # the body tells the talks as held
            # the same talks told again: keep the first telling, unless this one says who
            # visited whom and the first did not
            if key in events and not (host and mode == "visit" and "visit" not in events[key].mode):
                continue
            if s.paragraph < 0 and category == "CONSULT":
                headline.add(key)
            events[key] = Event(
                event=[category], mode=[mode] if mode else ([("multilateral")] if category == "CONSULT" and len(codes) > 2 else []),
                quad_code=QUAD_CODES[category],
                date=(ctx.published if ahead else day).isoformat() if (ctx.published if ahead else day) else None,
                actor=[Entity(c) for c in actor], recipient=[Entity(c) for c in recipient],
                event_loc=Location(country=host) if host else None,
                event_text=s.text,
            )
    # A headline tells a coming visit in the present ("يزور الكويت"); when the body
    # announces it for later, the headline's talks are that announcement, not a meeting.
    for key in headline - confirmed:
        if key[1] in announced:
            events.pop(key, None)
    return list(events.values())


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

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
from akhbar.transform.countries import org_positions, resolve_ambiguous
from akhbar.transform.dates import DateMention
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.leaders import alias_at
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.plover import quad_code
from akhbar.transform.roles import (INSTITUTIONS, Party, anaphoric_subject_after, assign_roles, clause_is_future, first_chain,
                                    drop_topics, emphasis_verb_before, is_dual_verb, is_past_verb, is_place_word, told_as_done,
                                    is_hedged, is_joint, is_negated, is_passive, is_state_reference,
                                    object_pronoun_after, shares_main_subject, trigger_stands)
from akhbar.transform.sentences import Sentence



@dataclass(frozen=True)
class _Rule:
    category: str
    mode: str
    words: frozenset[str]
    prefixes: tuple[str, ...]
    min_parties: int
    org_actor_ok: bool = False  # one country is enough when an organisation is named before
    other_side_ok: bool = False  # one country is enough when a non-state side is named


# Person and number suffixes of the perfect and the imperfect verb: from a verb's perfect
# and imperfect stems ("قصف", "قصف") come قصف قصفت قصفا قصفتا قصفوا يقصف تقصف يقصفان …
_PERFECT_ENDINGS = ("", "ت", "ا", "تا", "وا")
_IMPERFECT_FORMS = ("ي{}", "ت{}", "ي{}ان", "ت{}ان", "ي{}ون")


def verb_forms(perfect: str, imperfect: str) -> set[str]:
    """The third-person forms of a verb, folded, from its perfect and imperfect stems."""
    perfect, imperfect = normalize_for_matching(perfect), normalize_for_matching(imperfect)
    return {perfect + e for e in _PERFECT_ENDINGS} | {f.format(imperfect) for f in _IMPERFECT_FORMS}


def _rule_words(r: dict) -> frozenset[str]:
    words = {normalize_for_matching(w) for w in r.get("words", [])}
    for pair in r.get("verbs", []):
        words |= verb_forms(*pair.split("/"))
    return frozenset(words)


def _load_rules() -> list[_Rule]:
    rules = []
    for r in read_yaml("event_triggers.yaml"):
        rules.append(_Rule(
            category=r["category"], mode=r.get("mode") or "",
            words=_rule_words(r),
            prefixes=tuple(normalize_for_matching(w) for w in r.get("prefixes", [])),
            min_parties=int(r.get("min_parties", 1)),
            org_actor_ok=bool(r.get("org_actor_ok", False)),
            other_side_ok=bool(r.get("other_side_ok", False)),
        ))
    return rules


_RULES = _load_rules()
_OTHER_SIDES = frozenset(normalize_for_matching(w) for w in read_yaml("other_sides.yaml")["heads"])
# how far from the trigger a non-state side still belongs to its clause
_OTHER_SIDE_REACH = 12
# Signing or exchanging agreements is SUPPORT (found by the agreements reader, not a word list).
_SIGNING = _Rule("SUPPORT", "", frozenset(), (), 2)
_TOPICS = read_yaml("article_topics.yaml")
_TWO_PARTIES = frozenset(normalize_for_matching(w) for w in _TOPICS["two_parties"])
_LOCATIVE = ("في", "ب", "الي")
_NISBA_ENDINGS = ("ي", "يه")
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
    dateline: int = 0  # leading tokens that say where the report was filed (datelines.py)


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
        if m.start < read.dateline:
            continue  # where the report was filed is no party
        code = resolve_ambiguous(m, ctx.evidenced)
        if code and (not state_only or is_state_reference(s.tokens, m.start, m.kind, m.form)):
            prev = s.tokens[m.start - 1] if m.start else ""
            tok = s.tokens[m.start]
            locative = prev in _LOCATIVE or (tok[:1] == "ب" and not m.form.startswith("ب")) or m.kind == "capital"
            # "في وسط الصومال", "بشمال سوريا": where, like "في الصومال"
            place = m.start >= 2 and is_place_word(prev) and (
                s.tokens[m.start - 2] in _LOCATIVE or s.tokens[m.start - 2] == "في") or \
                (m.start >= 1 and is_place_word(prev) and prev[:1] == "ب")
            # "بإقليم بكتيكا الأفغاني", "في مدينة حلب السورية": the nisba of a named place
            named_place = m.start >= 2 and m.form.endswith(_NISBA_ENDINGS) and is_place_word(
                proclitic_variants(s.tokens[m.start - 2])[-1])
            locative = locative or place or named_place
            place = place or prev == "في" or named_place
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


def find_triggers(s: Sentence) -> list[tuple[int, _Rule]]:
    """Stage 1: the sentence's trigger words that stand (not negated, not hedged), with a
    signing of agreements first, and the content of an accusation or a call left out."""
    triggers = [(i, rule) for i, tok in enumerate(s.tokens) for rule in _trigger(tok)
                if trigger_stands(s.tokens, i) and not is_negated(s.tokens, i) and not is_hedged(s.tokens, i)]
    if is_signing_sentence(s.tokens):
        at = signing_position(s.tokens)
        if not is_negated(s.tokens, at):
            triggers.insert(0, (at, _SIGNING))
    return _drop_accusation_content(triggers, s.breaks) if triggers else triggers


def _unnamed_two_sides(tokens: list[str], i: int, plist: list[Party], ctx: ArticleContext) -> list[Party] | None:
    """The passive ("جرى بحث"), the joint statement ("بيان مشترك") and the dual verb
    ("اتفقا") name no subject: their agent is the article's two main parties. None when
    the trigger has a subject of its own."""
    tok = tokens[i]
    if len(ctx.main_parties) != 2:
        return None
    passive_or_joint = is_passive(tokens, i) or is_joint(tokens, i)
    if not (passive_or_joint or is_dual_verb(tok) or (_is_dual_verb(tok) and not any(p.start < i for p in plist))):
        return None
    return _stand_ins(i, ctx.main_parties) + ([] if passive_or_joint else [p for p in plist if p.start > i])


def _institution_of_lede(tokens: list[str], i: int, plist: list[Party], ctx: ArticleContext) -> list[Party] | None:
    """"ودعت الوزارة ...": a definite institution as subject, with no country named near,
    is the institution of the lede's actor."""
    if ctx.lede_actor and anaphoric_subject_after(tokens, i) and not any(
            p.start <= i + 2 for p in plist if p.start > i) and not any(p.start < i for p in plist):
        return _stand_ins(i, ctx.lede_actor) + plist
    return None


def _sentence_subject(tokens: list[str], i: int, plist: list[Party]) -> list[Party] | None:
    """A later verb or noun of the same subject: "وأكدت مصر تضامنها ...، ودعمها لجهود ..."
    (a coordinated noun with the subject's pronoun) and "قطعت السعودية والإمارات ...
    متهمين إياها" (a circumstantial participle): the sentence's first party chain acts."""
    if not (plist and plist[0].start < i):
        return None
    if _continues_subject(tokens[i]):
        first = [p for p in plist if p.start == plist[0].start]
    elif shares_main_subject(tokens, i):
        first = first_chain([p for p in plist if p.start < i], tokens)
    else:
        return None
    return _stand_ins(i, [p.code for p in first]) + [p for p in plist if p.start > i]


def stand_in_subject(tokens: list[str], i: int, parties: list[Party], ctx: ArticleContext) -> list[Party]:
    """Stage 2: the trigger's parties, with the subject the text means but does not name
    placed on the trigger (the first of the constructions above that applies)."""
    plist = list(parties)
    for construction in (_unnamed_two_sides, _institution_of_lede):
        found = construction(tokens, i, plist, ctx)
        if found is not None:
            return found
    found = _sentence_subject(tokens, i, plist)
    return plist if found is None else found


def _content_opener_after(tokens: list[str], i: int) -> int | None:
    """"دعا X إلى ...", "حث X على ...", "اتفق مع X على ...": the preposition that opens what is
    asked for or agreed on; parties after it are that content, not the recipient."""
    return next((j for j in range(i + 1, len(tokens)) if tokens[j] in _CONTENT_OPENERS), None)


def _restrict_parties(plist: list[Party], tokens: list[str], i: int, rule: _Rule, category: str) -> list[Party]:
    """Stage 3: parties that cannot be roles of this trigger left out: a place after a
    condemnation or a call is where, not whom, and the content of a call or agreement."""
    if category not in ("CONSULT", "AGREE"):
        plist = [p for p in plist if not (p.place and p.start > i)]
    if rule.category in ("REQUEST", "AGREE"):  # not a visit told for later: its host follows إلى
        content = _content_opener_after(tokens, i)
        if content is not None:
            plist = [p for p in plist if p.start < content]
    return plist


@dataclass
class _Modality:
    category: str
    mode: str
    ahead: bool          # this clause speaks of later, in a sentence that does not
    announced: bool      # a visit or talks told for later: an agreement to meet


def apply_modality(s: Sentence, i: int, rule: _Rule, future: bool) -> _Modality:
    """Stage 4: time. Talks that the sentence or the clause places in the future are an
    agreement to meet (AGREE), unless the trigger itself is told as done."""
    tok = s.tokens[i]
    ahead = not future and clause_is_future(s.tokens, s.breaks, i)
    # a perfect verb tells what happened, whatever another clause foresees
    done = future and (is_past_verb(tok) or told_as_done(s.tokens, i)) and not clause_is_future(s.tokens, s.breaks, i)
    if ((future and not done) or ahead) and rule.category == "CONSULT":
        return _Modality("AGREE", "", ahead, True)
    return _Modality(rule.category, rule.mode, ahead, False)


@lru_cache(maxsize=TOKEN_CACHE)
def _is_other_side(tok: str) -> bool:
    return any(v in _OTHER_SIDES for v in proclitic_variants(tok))


def names_other_side(tokens: list[str]) -> bool:
    return any(_is_other_side(t) for t in tokens)


def other_side_named(tokens: list[str], i: int) -> bool:
    """A non-state side (an armed group, a movement, an organisation) named near the
    trigger: "قصفت طائرات إسرائيلية مواقع لحماس", "طالبت منظمة العفو السعودية"."""
    lo, hi = max(0, i - _OTHER_SIDE_REACH), min(len(tokens), i + _OTHER_SIDE_REACH + 1)
    return any(_is_other_side(tokens[j]) for j in range(lo, hi) if j != i)


def _enough_parties(codes: set[str], rule: _Rule, tokens: list[str], i: int, orgs: list[int] | None) -> bool:
    """A rule asks for its number of parties; one country is enough when an organisation
    is named before the trigger (org_actor_ok), or when the rule allows a non-state other
    side and one is named (other_side_ok). "الدعم الدولي للأردن": a definite noun with
    one country is what the text talks about; an act has a second party or a named subject."""
    needed = rule.min_parties
    if rule.org_actor_ok and orgs and any(o < i for o in orgs):
        needed = 1
    if rule.other_side_ok and needed > 1 and other_side_named(tokens, i):
        needed = 1
    if len(codes) < needed or not codes:
        return False
    return not (len(codes) == 1 and _is_definite_noun(tokens[i]))


class _EventBook:
    """Stage 5: merging. One record per category and party set; the first telling is kept
    unless a later one says who visited whom. A headline's talks that the body only
    announces for later are dropped at the end."""

    def __init__(self):
        self.events: dict[tuple[str, frozenset[str]], Event] = {}
        self.headline: set = set()   # keys of the title's talks and visits
        self.announced: set = set()  # party sets of visits the body announces for later
        self.confirmed: set = set()  # headline talks the body tells as held

    def add(self, key, event: Event, s: Sentence, announced: bool, future_agree: bool, host) -> None:
        category = key[0]
        if announced or future_agree:
            self.announced.add(key[1])
        if key in self.headline and s.paragraph >= 0 and category == "CONSULT":
            self.confirmed.add(key)  # the body tells the talks as held
        if key in self.events and not (host and "visit" in event.mode and "visit" not in self.events[key].mode):
            return
        if s.paragraph < 0 and category == "CONSULT":
            self.headline.add(key)
        self.events[key] = event

    def finish(self) -> list[Event]:
        # A headline tells a coming visit in the present ("يزور الكويت"); when the body
        # announces it for later, the headline's talks are that announcement, not a meeting.
        for key in self.headline - self.confirmed:
            if key[1] in self.announced:
                self.events.pop(key, None)
        return list(self.events.values())


def read_events(sentences: list[ReadSentence], ctx: ArticleContext) -> list[Event]:
    """Events of an article, sentence by sentence: triggers → parties → roles → modality →
    one record per category and party set."""
    book = _EventBook()
    carried: dict[int, date | None] = {}
    for read in sentences:
        _follow_two_sides(read, ctx)
        # every sentence's date is read: a date carries to the later sentences of its paragraph
        when = _event_day(read, ctx, carried)
        triggers = find_triggers(read.sentence)
        if triggers:  # most sentences: nothing to read, no parties to place
            _read_sentence(read, triggers, when, ctx, book)
    return book.finish()


_BACKGROUND_OPENERS = frozenset(normalize_for_matching(w) for w in read_yaml("event_roles.yaml")["background_openers"])
_BACKGROUND_REACH = 3


def is_background(tokens: list[str], i: int) -> bool:
    """The pluperfect of narration, "وكانت X قد ..." / "وسبق أن ..." / "كان ... قد": what the
    story recalls from before its news. Such an event has no day unless the text gives one."""
    head = tokens[:min(i, _BACKGROUND_REACH)]
    return any(t in _BACKGROUND_OPENERS for t in head) or (
        "قد" in tokens[max(0, i - _BACKGROUND_REACH):i] and any(t in ("كان", "كانت", "وكان", "وكانت") for t in tokens[:i]))


def _follow_two_sides(read: ReadSentence, ctx: ArticleContext) -> None:
    """"The two sides" ("الجانبان", "اتفقا", "جرى بحث") in a digest of several stories, each
    opened by its own dateline, are the two countries that story names first, not the
    whole page's two most named countries."""
    if len(ctx.main_parties) != 2 or not read.dateline:
        return
    codes = []
    for m in read.mentions:
        code = resolve_ambiguous(m, ctx.evidenced)
        if code and m.start >= read.dateline and code not in codes:
            codes.append(code)
    if len(codes) == 2 and set(codes) != set(ctx.main_parties):
        ctx.main_parties = codes


def _read_sentence(read: ReadSentence, triggers, when: tuple[date | None, bool], ctx: ArticleContext,
                   book: _EventBook) -> None:
    s = read.sentence
    day, future = when
    raw_parties = _parties(read, ctx, state_only=False) if any(r.category == _EMPHASIS for _, r in triggers) else []
    parties = drop_topics(_parties(read, ctx), s.tokens, s.breaks, {i for i, _ in triggers})
    last_recipient: list[str] = []
    orgs = None  # organisation positions, found when a rule asks
    for i, rule in triggers:
        plist = stand_in_subject(s.tokens, i, parties, ctx)
        modality = apply_modality(s, i, rule, future)
        if rule.category == _EMPHASIS:
            found = _emphasis(s.tokens, i, raw_parties, ctx)
            if not found:
                continue
            modality.category, plist = found
        # a trigger of another kind after punctuation opens another clause and event
        nxt = next((j for j, r in triggers if j > i and r.category != rule.category and any(s.breaks[i + 1:j + 1])), None)
        plist = _restrict_parties(plist, s.tokens, i, rule, modality.category)
        actor, recipient, host = assign_roles(plist, s.tokens, i, rule.mode == "visit", nxt, s.breaks)
        if actor and not ctx.lede_actor and s.paragraph <= 0:
            ctx.lede_actor = list(actor)
        if last_recipient and object_pronoun_after(s.tokens, i):
            recipient = [c for c in last_recipient if c not in actor]
        last_recipient = recipient or last_recipient
        codes = set(actor) | set(recipient)
        if rule.org_actor_ok and rule.min_parties > 1 and orgs is None:
            orgs = org_positions(s.tokens)
        if not _enough_parties(codes, rule, s.tokens, i, orgs):
            continue
        category, mode = modality.category, modality.mode
        on = ctx.published if modality.ahead else day
        if read.when is None and is_background(s.tokens, i):
            on = None  # told as earlier background, and no day given for it
        event = Event(
            event=[category], mode=[mode] if mode else (["multilateral"] if category == "CONSULT" and len(codes) > 2 else []),
            quad_code=quad_code(category), date=on.isoformat() if on else None,
            actor=[Entity(c) for c in actor], recipient=[Entity(c) for c in recipient],
            event_loc=Location(country=host) if host else None, event_text=s.text,
        )
        future_agree = future and category == "AGREE" and s.tokens[i].lstrip("وف").startswith(("سي", "ست"))
        book.add((category, frozenset(actor) | frozenset(recipient)), event, s, modality.announced, future_agree, host)


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

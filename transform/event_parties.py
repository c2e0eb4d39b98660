"""Who takes part in an event: the countries a sentence names, the subject a construction
means but does not name, the parties that cannot be roles, and the non-state other side."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from akhbar.transform.countries import resolve_ambiguous
from akhbar.transform.dates import DateMention
from akhbar.transform.event_triggers import Rule
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.leaders import alias_at
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.roles import (INSTITUTIONS, NISBA_ENDINGS, Party, anaphoric_subject_after, emphasis_verb_before,
                                    first_chain, in_words, is_dual_verb, is_joint, is_passive, is_place_word,
                                    is_state_reference, is_venue_head, shares_main_subject)
from akhbar.transform.sentences import Sentence


_OTHER_SIDES = frozenset(normalize_for_matching(w) for w in read_yaml("other_sides.yaml")["heads"])
# how far from the trigger a non-state side still belongs to its clause
_OTHER_SIDE_REACH = 12
# Signing or exchanging agreements is SUPPORT (found by the agreements reader, not a word list).
_TOPICS = read_yaml("article_topics.yaml")
_TWO_PARTIES = frozenset(normalize_for_matching(w) for w in _TOPICS["two_parties"])
_LOCATIVE = ("في", "ب", "الي")
_UNSEEN = object()
_OWN_COUNTRY = frozenset({"بلاده", "بلادها", "بلادهم", "بلدها", "بلده", "دولته", "حكومته", "حكومتها"})
# Acts two sides do together, whose passive ("جرى بحث", "تم التوقيع") means both of them
_RECIPROCAL = frozenset({"CONSULT", "AGREE", "SUPPORT", "COOPERATE"})
# the prepositions that open what a call asks for ("إلى", "على"), folded
_CONTENT_OPENERS = frozenset({"الي", "علي"})
_PARTNER_REACH = 3  # "مع نظيره الإيراني روحاني": the partner's office, nisba and name
_ROLES = read_yaml("event_roles.yaml")
_DRILLS = frozenset(normalize_for_matching(w) for w in _ROLES["drill_nouns"])
_ARRESTS = frozenset(normalize_for_matching(w) for w in _ROLES["arrest_words"])
_DRILL_FILLERS = frozenset(normalize_for_matching(w) for w in _ROLES["drill_fillers"])


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
    last_talks: list[str] = field(default_factory=list)  # the two sides of the last talks read


@dataclass
class ReadSentence:
    """A sentence with its country mentions and the date it names."""
    sentence: Sentence
    mentions: list  # CountryMention
    when: DateMention | None
    dateline: int = 0  # leading tokens that say where the report was filed (datelines.py)


def sentence_parties(read: ReadSentence, ctx: ArticleContext, state_only: bool = True) -> list[Party]:
    """Every party the sentence names, in text order; with `state_only`, nisbas that
    name a people or firms ("اللاجئين السوريين") are left out."""
    s = read.sentence
    out = []
    for m in read.mentions:
        if m.start < read.dateline or _is_title_label(s, m):
            continue  # where the report was filed, or what a headline is filed under, is no party
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
            named_place = m.start >= 2 and m.form.endswith(NISBA_ENDINGS) and is_place_word(
                proclitic_variants(s.tokens[m.start - 2])[-1])
            # "قمة سنغافورة", "اتفاق فيينا": the venue or the name of the event
            venue = m.kind in ("name", "capital") and m.start >= 1 and is_venue_head(prev)
            place = place or venue
            locative = locative or place or named_place
            place = place or prev == "في" or named_place
            # "نظام طالبان في أفغانستان": the institution's country, not a place.
            if prev == "في" and any(t in INSTITUTIONS for t in s.tokens[max(0, m.start - 4):m.start - 1]):
                locative = place = False
            out.append(Party(m.start, m.end, code, locative, place, venue))
    out.extend(_own_country(s.tokens, out))
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


def _own_country(tokens: list[str], named: list[Party]) -> list[Party]:
    """"قال أمير قطر إن بلاده تقف إلى جانب تركيا": "بلاده" is the country of the one who
    speaks, the first country the sentence names before it."""
    out = []
    for i, tok in enumerate(tokens):
        if in_words(tok, _OWN_COUNTRY):
            first = next((p for p in named if p.start < i and not p.locative), None)
            if first is not None:
                out.append(Party(i, i + 1, first.code, False))
    return out


def names_a_place(tokens: list[str], m) -> bool:
    """"في أديس أبابا", "بالعاصمة الإثيوبية", "إلى سوريا": the mention says where, which
    makes no country a side of the story."""
    prev = tokens[m.start - 1] if m.start else ""
    return prev in _LOCATIVE or (tokens[m.start][:1] == "ب" and not m.form.startswith("ب")) or (
        m.start >= 2 and tokens[m.start - 2] in _LOCATIVE and is_place_word(prev))


def _is_title_label(s: Sentence, m) -> bool:
    """"اليمن.. غارات للتحالف", "غزة: إسرائيل تشن": a headline's first word set off by
    punctuation files the story under a place."""
    return s.paragraph < 0 and m.start == 0 and m.end < len(s.tokens) and s.clause_breaks[m.end]


@lru_cache(maxsize=TOKEN_CACHE)
def _is_two_parties(tok: str) -> bool:
    return in_words(tok, _TWO_PARTIES)


def _is_dual_verb(tok: str) -> bool:
    """A verb of stating in the dual ("أكدا", "يؤكدان"); not the plural ("أكدوا"), an
    adverb ("رسميا") or a circumstantial ("مؤكدا")."""
    return tok.endswith(("ا", "تان", "ان")) and not tok.endswith(("ها", "نا", "وا", "يا")) and not tok.startswith("م")


def _stand_ins(i: int, codes) -> list[Party]:
    """Parties the text does not name at the trigger `i` but means (the two sides, the
    lede's actor): placed on the trigger itself, so that they act as its subject."""
    return [Party(i, i + 1, c, False) for c in codes]


def _continues_subject(tok: str) -> bool:
    """"ودعمها": a coordinated noun with the subject's possessive pronoun."""
    return tok[:1] == "و" and tok.endswith(("ها", "ه", "هما")) and len(tok) > 5


def is_definite_noun(tok: str) -> bool:
    return any(v.startswith("ال") for v in proclitic_variants(tok)[:3] if v != "الي")


def emphasis_event(tokens: list[str], i: int, plist: list[Party], ctx: ArticleContext):
    """"أكد الجانبان أهمية X": AGREE of the two sides, or SUPPORT of them for a further
    country X; (category, parties) or None when no two sides state it together."""
    verb = emphasis_verb_before(tokens, i)
    if verb is None or len(ctx.main_parties) != 2:
        return None
    subject = {p.code for p in plist if verb < p.start < i}
    two = _is_dual_verb(tokens[verb]) or set(ctx.main_parties) <= subject or any(
        in_words(t, _TWO_PARTIES) for t in tokens[verb:i])
    if not two:
        return None
    sides = [Party(verb, verb, c, False) for c in ctx.main_parties]
    others = [p for p in plist if p.start > i and p.code not in ctx.main_parties and not p.locative]
    if others:
        return "SUPPORT", sides + others[:1]
    return "AGREE", sides


def _unnamed_two_sides(tokens: list[str], i: int, plist: list[Party], ctx: ArticleContext,
                       category: str) -> list[Party] | None:
    """The passive ("جرى بحث"), the joint statement ("بيان مشترك") and the dual verb
    ("اتفقا") name no subject: their agent is the article's two main parties. None when
    the trigger has a subject of its own. Only acts done together (talks, agreeing,
    signing) are the two sides' in the passive: "تم فرض ضرائب" hides one agent."""
    tok = tokens[i]
    if len(ctx.main_parties) != 2:
        return None
    passive_or_joint = category in _RECIPROCAL and (is_passive(tokens, i) or is_joint(tokens, i))
    # only a listed dual verb: a final alif is as often a noun's accusative ("وجه انتقادا")
    # or a singular verb ("دعا")
    if not (passive_or_joint or is_dual_verb(tok)):
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


def stand_in_subject(tokens: list[str], i: int, parties: list[Party], ctx: ArticleContext,
                     category: str = "CONSULT") -> list[Party]:
    """Stage 2: the trigger's parties, with the subject the text means but does not name
    placed on the trigger (the first of the constructions above that applies)."""
    plist = list(parties)
    found = _unnamed_two_sides(tokens, i, plist, ctx, category)
    if found is None:
        found = _institution_of_lede(tokens, i, plist, ctx)
    if found is not None:
        return found
    found = _sentence_subject(tokens, i, plist)
    return plist if found is None else found


def _content_opener_after(tokens: list[str], i: int) -> int | None:
    """"دعا X إلى ...", "حث X على ...", "اتفق مع X على ...": the preposition that opens what is
    asked for or agreed on; parties after it are that content, not the recipient."""
    return next((j for j in range(i + 1, len(tokens)) if tokens[j] in _CONTENT_OPENERS), None)


def restrict_parties(plist: list[Party], tokens: list[str], i: int, rule: Rule, category: str) -> list[Party]:
    """Stage 3: parties that cannot be roles of this trigger left out: a place after a
    condemnation or a call is where, not whom, and the content of a call or agreement."""
    if category not in ("CONSULT", "AGREE"):
        plist = [p for p in plist if not (p.place and p.start > i)]
    if category == "ACCUSE":
        plist = [p for p in plist if not (p.start > i and _partner(tokens, p.start))]
    if rule.category in ("REQUEST", "AGREE"):  # not a visit told for later: its host follows إلى
        content = _content_opener_after(tokens, i)
        if content is not None:
            between = _between_chain(plist, tokens, content) if rule.category == "REQUEST" else []
            plist = [p for p in plist if p.start < content] + between
    return plist


def _partner(tokens: list[str], at: int) -> bool:
    """"أدان في اتصال مع نظيره الإيراني الهجوم": the one spoken with ("مع", "مع نظيره") is no
    one blamed."""
    return "مع" in tokens[max(0, at - _PARTNER_REACH):at]


def _between_chain(plist: list[Party], tokens: list[str], content: int) -> list[Party]:
    """"دعا إلى وقف التصعيد بين إسرائيل وإيران": the sides a call asks to make peace are
    those it is made to."""
    at = next((j for j in range(content + 1, len(tokens)) if tokens[j] == "بين"), None)
    if at is None:
        return []
    return first_chain([p for p in plist if p.start > at], tokens) if any(p.start == at + 1 for p in plist) else []


@lru_cache(maxsize=TOKEN_CACHE)
def _is_other_side(tok: str) -> bool:
    return in_words(tok, _OTHER_SIDES)


def names_other_side(tokens: list[str]) -> bool:
    return any(_is_other_side(t) for t in tokens)


def other_side_named(tokens: list[str], i: int) -> bool:
    """A non-state side (an armed group, a movement, an organisation) named near the
    trigger: "قصفت طائرات إسرائيلية مواقع لحماس", "طالبت منظمة العفو السعودية"."""
    lo, hi = max(0, i - _OTHER_SIDE_REACH), min(len(tokens), i + _OTHER_SIDE_REACH + 1)
    return any(_is_other_side(tokens[j]) for j in range(lo, hi) if j != i)


def follow_two_sides(read: ReadSentence, ctx: ArticleContext) -> None:
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


def joint_drill(tokens: list[str], i: int, plist: list[Party], actor: list[str],
                recipient: list[str]) -> list[str] | None:
    """"المناورات الأميركية الكورية الجنوبية", "مناورات بين مصر والسعودية", "أجرت مصر والسعودية
    مناورات مشتركة": an exercise the countries hold together is cooperation of all of them,
    not forces massed against the next country named; the countries that hold it, or None."""
    if not in_words(tokens[i], _DRILLS):
        return None
    named, j = [], i + 1
    while j < len(tokens):
        here = [p for p in plist if p.start == j]
        if here:
            named += [p.code for p in here if p.code not in named]
            j = max(p.end for p in here)
        elif tokens[j] in _DRILL_FILLERS:
            j += 1
        else:
            break
    if len(named) >= 2:
        return named
    together = any(t in ("مشتركه", "المشتركه") for t in tokens[i + 1:i + 4])
    codes = list(dict.fromkeys(actor + recipient))
    return codes if together and len(codes) >= 2 else None


def tells_an_arrest(tokens: list[str]) -> bool:
    """"اعتقلت السلطات السعودية ناشطتين ... في حملة تستهدف مدافعين": a sentence that tells of
    arrests; with one country in it, the state acts at home."""
    return any(in_words(t, _ARRESTS) for t in tokens)

"""Who acts and who receives in an event, from where the countries stand around its trigger.

Arabic news puts the actor before the trigger ("السعودية والأردن تتفقان") or right after a
sentence-initial verb ("قطعت السعودية والإمارات ... مع قطر"); the recipient is the first
party after the actor. A party is a chain of coordinated countries ("مصر والأردن"), so a
sentence's later, unrelated countries (background, the content of a statement) stay out:
fewer, well-founded parties rather than every country the sentence names. Countries that
are the topic of talks ("الأوضاع في سوريا", "حول غزة") are no party at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from akhbar.transform.countries import is_nisba_token
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.dates import WEEKDAY_NAMES
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml
from akhbar.transform.normalize import normalize_for_matching

_DATA = read_yaml("event_roles.yaml")
_TOPIC = frozenset(normalize_for_matching(w) for w in _DATA["topic_words"])
_OPENERS = frozenset(normalize_for_matching(w) for w in _DATA["party_openers"])
INSTITUTIONS = frozenset(normalize_for_matching(w) for w in _DATA["institutions"])
_NEEDS_NEXT = {normalize_for_matching(k): frozenset(normalize_for_matching(w) for w in v)
               for k, v in _DATA["needs_next"].items()}
_NOT_AFTER = {normalize_for_matching(k): frozenset(normalize_for_matching(w) for w in v)
              for k, v in _DATA["not_after"].items()}
_NOT_BEFORE = {normalize_for_matching(k): frozenset(normalize_for_matching(w) for w in v)
               for k, v in _DATA["not_before"].items()}
_PASSIVE = frozenset(normalize_for_matching(w) for w in _DATA["passive_markers"])
_CIRCUMSTANTIAL = frozenset(normalize_for_matching(w) for w in _DATA["circumstantial"])
_PRONOUNS = frozenset(normalize_for_matching(w) for w in _DATA["object_pronouns"])
_NEGATORS = frozenset(normalize_for_matching(w) for w in _DATA["negators"])
_DENIALS = frozenset(normalize_for_matching(w) for w in _DATA["denials"])
_HEDGES = frozenset(normalize_for_matching(w) for w in _DATA["hedges"])
_ANALYSTS = frozenset(normalize_for_matching(w) for w in _DATA["analyst_heads"])
_EMPHASIS = frozenset(normalize_for_matching(w) for w in _DATA["emphasis_verbs"])
_NON_STATE = frozenset(normalize_for_matching(w) for w in _DATA["non_state_heads"])
_CROWDS = frozenset(normalize_for_matching(w) for w in _DATA["crowd_subjects"])
_GROUP_LEADERS = frozenset(normalize_for_matching(w) for w in _DATA["group_leaders"])
_ASIDES = frozenset({"من", "جهته", "جهتها", "بدوره", "بدورها"})  # "وحث من جهته ...": the subject follows
_OFFICIAL_HEADS = frozenset(normalize_for_matching(w) for w in _DATA["official_heads"])
_INSTRUMENTAL = frozenset(normalize_for_matching(w) for w in _DATA["instrumental_forms"])
_DESCRIPTIONS = frozenset(normalize_for_matching(w) for w in _DATA["descriptions"])
# How far before a trigger a negation, a hedge or a verb of stating still governs it.
_NEGATION_REACH = 2
_HEDGE_REACH = 4
_DENIAL_REACH = 8
_FIRST_YEAR = 1900
_OWES = frozenset({"يدين", "تدين", "يدينون"})
_EMPHASIS_REACH = 16  # the subject may come between: "أكد الرئيس المصري ... ونظيره الروسي ... على ضرورة"
_PLURAL_NISBA = ("ين", "ون", "ات")
# needs_next words may stand after the verb's subject ("تبادل الوزيران وجهات النظر").
_NEXT_REACH = 5
# A verb-first sentence names its subject within this many words after the verb.
_VSO_REACH = 6
# Two mentions this close (in tokens between them) with "و" on the second are one chain.
_CHAIN_GAP = 2
# ... or this close when "و" joins an office: the first official's name stands between
_TITLED_GAP = 5
_COORDINATED_OFFICES = frozenset(normalize_for_matching(w) for w in _DATA["coordinated_offices"])


@dataclass(frozen=True)
class Party:
    start: int
    end: int
    code: str
    locative: bool
    place: bool = False  # "في الصومال", "في وسط الصومال": where something happened
    venue: bool = False  # "قمة سنغافورة": where another event was held, no host of this one


def in_words(tok: str, words: frozenset[str]) -> bool:
    """`tok` is one of `words`, with or without its proclitics."""
    return any(v in words for v in proclitic_variants(tok))


def trigger_stands(tokens: list[str], i: int) -> bool:
    """Whether the trigger word at `i` names an event in its context (see needs_next)."""
    if i and tokens[i - 1].isdigit() and int(tokens[i - 1]) < _FIRST_YEAR:  # "300 طالب": counted nouns
        return False
    if tokens[i] in _OWES and i + 1 < len(tokens) and tokens[i + 1][:1] == "ل":  # "يدين له": owes
        return False
    if tokens[i] in _INSTRUMENTAL or tokens[i][1:] in _INSTRUMENTAL and tokens[i][:1] == "و":
        return False
    variants = proclitic_variants(tokens[i])
    for v in variants:
        if v in _NEEDS_NEXT and not any(in_words(t, _NEEDS_NEXT[v]) for t in tokens[i + 1:i + 1 + _NEXT_REACH]):
            return False
        if v in _NOT_AFTER and i and in_words(tokens[i - 1], _NOT_AFTER[v]):
            return False
        if v in _NOT_BEFORE and i + 1 < len(tokens) and tokens[i + 1] in _NOT_BEFORE[v]:
            return False
    return True


def is_passive(tokens: list[str], i: int) -> bool:
    return i > 0 and in_words(tokens[i - 1], _PASSIVE)


def shares_main_subject(tokens: list[str], i: int) -> bool:
    return in_words(tokens[i], _CIRCUMSTANTIAL) or (i > 0 and in_words(tokens[i - 1], _CIRCUMSTANTIAL))


def is_joint(tokens: list[str], i: int) -> bool:
    """"بيان مشترك", "مباحثات مشتركة": the two parties together."""
    return any(t.startswith(("مشترك", "المشترك")) for t in tokens[i + 1:i + 2])


def object_pronoun_after(tokens: list[str], i: int) -> bool:
    return any(t in _PRONOUNS for t in tokens[i + 1:i + 3])


# Every token of every sentence with a party is classed; a corpus repeats its tokens.
@lru_cache(maxsize=TOKEN_CACHE)
def _topic_class(tok: str) -> int:
    """1 for a topic word, 2 for a party opener, else 0."""
    return 1 if in_words(tok, _TOPIC) else 2 if in_words(tok, _OPENERS) else 0


def drop_topics(parties: list[Party], tokens: list[str], breaks: list[bool], triggers: set[int]) -> list[Party]:
    """The parties that are not a topic: a topic word reaches to the next trigger,
    party opener or punctuation."""
    if not parties:
        return parties
    topical, in_topic = set(), False
    for i, tok in enumerate(tokens):
        kind = _topic_class(tok)
        if breaks[i] or i in triggers or kind == 2:
            in_topic = False
        if kind == 1:
            in_topic = True
        elif in_topic:
            topical.add(i)
    return [p for p in parties if p.start not in topical]


def _titled_conjunct(tokens: list[str], last: Party, p: Party) -> bool:
    """"مع الرئيس الفرنسي إيمانويل ماكرون والمستشارة الألمانية": a second official joined by
    "و" after the first one's name is one more party of the same chain."""
    return p.start - last.end <= _TITLED_GAP and any(
        t[:1] == "و" and t[1:] in _COORDINATED_OFFICES for t in tokens[last.end:p.start])


def _chains(parties: list[Party], tokens: list[str]) -> list[list[Party]]:
    chains: list[list[Party]] = []
    for p in parties:
        if chains:
            last = chains[-1][-1]
            # "الرئيس الفرنسي إيمانويل ماكرون": the name of an official just named by his country
            # continues that mention
            named = p.code == last.code and p.start - last.end <= _CHAIN_GAP
            joined = p.start == last.start or named or (
                p.start - last.end <= _CHAIN_GAP and any(t[:1] == "و" for t in tokens[last.end:p.start + 1])) or \
                _titled_conjunct(tokens, last, p)
            if joined:
                chains[-1].append(p)
                continue
        chains.append([p])
    return chains


def first_chain(parties: list[Party], tokens: list[str]) -> list[Party]:
    """The first chain of coordinated parties ("السعودية والإمارات والبحرين ومصر")."""
    chains = _chains(parties, tokens)
    return chains[0] if chains else []


def _codes(chain, exclude=()) -> list[str]:
    out = []
    for p in chain:
        if p.code not in out and p.code not in exclude:
            out.append(p.code)
    return out


def assign_roles(parties: list[Party], tokens: list[str], trigger: int, visit: bool, next_trigger: int | None = None,
                 breaks: list[bool] | None = None):
    """(actor codes, recipient codes, host code or None) of the event at `trigger`; what
    follows the next trigger belongs to that one's event."""
    stop = next_trigger if next_trigger is not None else len(tokens)
    # "قال الجيش لصحفيين يرافقون الوزير في زيارته لأربيل إن الضربة ... في أفغانستان": what
    # follows "إن" is what was said, another clause
    stop = next((j for j in range(trigger + 1, stop) if tokens[j] in _COMPLEMENTIZERS
                 and tokens[j - 1] not in _VERB_GOVERNORS), stop)
    opening = 0
    if breaks is not None:
        # A verb that opens its clause ("، وفي غضون ذلك يصل السودان وفد ...") takes its subject
        # after it: the parties of the clause before are another event's.
        last_break = _clause_opening(tokens, breaks, trigger)
        possessed = tokens[trigger].endswith(_POSSESSIVE) and len(tokens[trigger]) > 4
        if not possessed and any(trigger < p.start <= trigger + _VSO_REACH for p in parties) and \
                any(p.start < last_break for p in parties):
            opening = last_break
    before = _chains([p for p in parties if opening <= p.start < trigger], tokens)
    after = _chains([p for p in parties if trigger <= p.start < stop], tokens)
    if visit:
        host = _visited_object(tokens, trigger, before, after) or \
            next((c[0].code for c in after if c[0].locative and not c[0].venue), None) or \
            next((c[0].code for c in reversed(before) if c[0].locative and not c[0].venue), None)
        if host:
            pool = [c for c in reversed(before) if not c[0].locative] + [c for c in after if not c[0].locative]
            actor = next((_codes(c, (host,)) for c in pool if _codes(c, (host,))), [])
            if actor:
                return actor, [host], host
    # A place before the trigger ("في الخرطوم تواصلت ...") is where, not who.
    actors_chain = next((c for c in reversed(before) if not c[0].locative), None)
    if actors_chain is None:
        if not after:
            return [], [], None
        if after[0][0].start - trigger > _VSO_REACH:  # no subject named: only a recipient
            return [], _codes(after[0]), None
        actors_chain, after = after[0], after[1:]
    actor = _codes(actors_chain)
    # The recipient: the first named party after the actor; a place only when no party is.
    rest = [c for c in after if _codes(c, actor)]
    chain = next((c for c in rest if not c[0].locative), None)
    if chain is None and rest and len(actor) < 2:  # "التقى ترامب وكيم في سنغافورة": the venue
        chain = rest[0]
    recipient = _codes(chain, actor) if chain else []
    if visit and recipient and is_host_verb(tokens[trigger]):
        # the one who receives is the host: the guest is the actor
        return recipient, actor, actor[0]
    return actor, recipient, (recipient[0] if visit and recipient else None)


def _visited_object(tokens: list[str], trigger: int, before, after) -> str | None:
    """"ويزور ترامب بريطانيا حاليا ومن المقرر أن يلتقي بوتين في هلسنكي": the direct object of
    a transitive visit verb, right after its subject, is the host, not a later place."""
    if not in_words(tokens[trigger], _TRANSITIVE_VISITS):
        return None
    near = [c for c in after if c[0].start - trigger <= _VSO_REACH]
    objects = near if any(not c[0].locative for c in before) else near[1:]
    return objects[0][0].code if objects and not objects[0][0].locative else None


_TIME_ADJUNCT = frozenset(WEEKDAY_NAMES) | frozenset(normalize_for_matching(w) for w in _DATA["time_adjuncts"])
# "أعلنت مصر، الخميس، إرسال ...": a day set off by commas is at most this long
_ADJUNCT_LEN = 2


def _clause_opening(tokens: list[str], breaks: list[bool], trigger: int) -> int:
    """Where the trigger's clause opens: the last punctuation before it, passing over the
    pair of commas that only sets off a day ("، الخميس،"), which opens no clause."""
    opened = [j for j in range(1, trigger + 1) if breaks[j]]
    last, k = 0, 0
    while k < len(opened):
        j = opened[k]
        if k + 1 < len(opened) and opened[k + 1] - j <= _ADJUNCT_LEN and \
                all(in_words(t, _TIME_ADJUNCT) for t in tokens[j:opened[k + 1]]):
            k += 2
            continue
        last, k = j, k + 1
    return last


def is_negated(tokens: list[str], i: int) -> bool:
    """"لم يوقع", "لم يتم التوقيع", "تنفي الاتهامات": no event happened."""
    return any(in_words(t, _NEGATORS) for t in tokens[max(0, i - _NEGATION_REACH):i]) or \
        any(in_words(t, _DENIALS) for t in tokens[max(0, i - _DENIAL_REACH):i])


def is_opinion(tokens: list[str], i: int) -> bool:
    """"أكد الخبير ... أن زيارة ...", "أشاد خبراء ...": an analyst's or a former official's
    words, before the trigger or as its subject right after it."""
    return any(in_words(t, _ANALYSTS) for t in tokens[:i]) or any(in_words(t, _ANALYSTS) for t in tokens[i + 1:i + 3])


def is_crowd_act(tokens: list[str], i: int) -> bool:
    """"المحتجون دعوا إلى ...", "وحث نشطاء الجانبين", "وحث من جهته زعيم الحوثيين مقاتليه": the
    subject is activists, protesters or a group's leader, no state (C1); not "اجتمع مع زعيم ..."."""
    j = i + 1
    while j < len(tokens) and tokens[j] in _ASIDES:
        j += 1
    subject = tokens[j:j + 2]
    if (i and in_words(tokens[i - 1], _CROWDS)) or (subject and in_words(subject[0], _CROWDS)):
        return True
    return len(subject) == 2 and in_words(subject[0], _GROUP_LEADERS) and in_words(subject[1], _NON_STATE)


def is_hedged(tokens: list[str], i: int) -> bool:
    return any(in_words(t, _HEDGES) for t in tokens[max(0, i - _HEDGE_REACH):i])


def emphasis_verb_before(tokens: list[str], i: int) -> int | None:
    """The index of the verb of stating that governs "أهمية"/"ضرورة" at `i`, if any."""
    for j in range(i - 1, max(-1, i - 1 - _EMPHASIS_REACH), -1):
        if in_words(tokens[j], _EMPHASIS):
            return j
    return None


def is_state_reference(tokens: list[str], start: int, kind: str, form: str) -> bool:
    """Whether a country mention can stand for the state as an actor: a nisba after a word
    for people, firms, groups or markets names those ("شركة فرنسية إيطالية": across the
    chain of nisbas), a plural nisba only an official group, and a country after "الموالين
    ل" / "المدعومة من" describes a group."""
    if start == 0:
        return True
    if _describes(tokens, start):
        return False
    if kind not in ("adj", "people"):
        return True
    head = start - 1
    while head > 0 and _is_nisba(tokens[head]):
        head -= 1
    prev = tokens[head]
    if in_words(prev, _NON_STATE):
        return False
    if form.endswith(_PLURAL_NISBA):
        return in_words(tokens[start - 1], _OFFICIAL_HEADS)
    return True


def _describes(tokens: list[str], start: int) -> bool:
    prev = tokens[start - 1]
    if prev == "من" and start >= 2:
        prev = tokens[start - 2]
    return in_words(prev, _DESCRIPTIONS)


@lru_cache(maxsize=TOKEN_CACHE)
def _is_nisba(tok: str) -> bool:
    return is_nisba_token(tok)


_FUTURE_WORDS = frozenset(normalize_for_matching(w) for w in _DATA["future_words"])
_DUAL_VERBS = frozenset(normalize_for_matching(w) for w in _DATA["dual_verbs"])
_PLACE_WORDS = frozenset(normalize_for_matching(w) for w in _DATA["place_words"])
_VENUE_HEADS = frozenset(normalize_for_matching(w) for w in _DATA["venue_heads"])
_ANAPHORIC = frozenset(normalize_for_matching(w) for w in _DATA["anaphoric_subjects"])
_POSSESSIVE = ("ه", "ها", "هما", "هم")
_COMPLEMENTIZERS = frozenset({"ان", "بان", "وان"})
# "يمكن أن تفرضها", "يجب أن": after a modal, أن opens the verb of the same clause
_VERB_GOVERNORS = frozenset({"يمكن", "يجب", "ينبغي", "ممكن", "لابد", "يتعين"})
NISBA_ENDINGS = ("ي", "يه")  # a nisba adjective, masculine or feminine (folded)


def is_dual_verb(tok: str) -> bool:
    return in_words(tok, _DUAL_VERBS)


def is_place_word(tok: str) -> bool:
    return in_words(tok, _PLACE_WORDS)


def is_venue_head(tok: str) -> bool:
    """"قمة", "اتفاق": the country named after it in construct is where or what, not who."""
    return in_words(tok, _VENUE_HEADS)


def anaphoric_subject_after(tokens: list[str], i: int) -> bool:
    """"ودعت الوزارة …": the verb's subject is an institution named before, not here; one
    that a nisba qualifies ("تعهد الجانب الأوروبي") is named here, whoever it is."""
    if i + 2 < len(tokens) and len(tokens[i + 2]) > 4 and tokens[i + 2].startswith("ال") and \
            tokens[i + 2].endswith(NISBA_ENDINGS):  # not "إلى" (folded الي)
        return False
    return i + 1 < len(tokens) and in_words(tokens[i + 1], _ANAPHORIC)
_PAST_VERBS = frozenset(normalize_for_matching(w) for w in _DATA["past_verbs"])
_DONE_MARKERS = frozenset(normalize_for_matching(w) for w in _DATA["done_markers"])
_PRESENT_MARKERS = frozenset(normalize_for_matching(w) for w in _DATA["present_markers"])
_PRESENT_REACH = 4  # "يزور ترامب بريطانيا حاليا": after the subject and the object


def told_as_done(tokens: list[str], i: int) -> bool:
    """"زيارة قام بها", "محادثات جرت": the trigger at i names what happened; "يزور X حاليا"
    what is happening."""
    return any(in_words(t, _DONE_MARKERS) for t in tokens[i + 1:i + 3]) or \
        any(t in _PRESENT_MARKERS for t in tokens[i + 1:i + 1 + _PRESENT_REACH])
_HOST_VERBS = frozenset(normalize_for_matching(w) for w in _DATA["host_verbs"])
_TRANSITIVE_VISITS = frozenset(normalize_for_matching(w) for w in _DATA["transitive_visits"])


def is_past_verb(tok: str) -> bool:
    return in_words(tok, _PAST_VERBS)


def is_host_verb(tok: str) -> bool:
    return in_words(tok, _HOST_VERBS)
_IMPERFECT_PREFIXES = ("ي", "ت", "سي", "ست")


def clause_is_future(tokens: list[str], breaks: list[bool], i: int) -> bool:
    """An imperfect trigger ("يصل", "يلتقي") with "المقبل"/"غدا" in its clause: an event to come,
    even when the sentence's other clause tells of yesterday."""
    if tokens[i].lstrip("وف").startswith(("سي", "ست")) and len(tokens[i]) > 4:
        return True  # "سيتوجه": the future prefix itself
    if not tokens[i].lstrip("وف").startswith(_IMPERFECT_PREFIXES):
        return False
    for j in range(i + 1, len(tokens)):
        if breaks[j]:
            break
        if in_words(tokens[j], _FUTURE_WORDS):
            return True
    return False

"""PLOVER events read sentence by sentence.

A sentence yields an event for each trigger word it holds (event_triggers.py, with the
context checks of event_roles.yaml), with its parties placed by roles.py: the actor is the
party named before the trigger (or right after a sentence-initial verb), the recipient the
first party after it; topic countries are no party. "الجانبان", a dual verb ("اتفقا"), a
passive ("جرى بحث") and a joint statement stand for the article's two main parties. Time
the sentence places in the future turns a visit into an agreement to meet (AGREE). One
record per category and party set.

The stages: find_triggers (event_triggers.py) → the parties of the sentence and the subject a
construction means (event_parties.py) → restrict_parties → assign_roles (roles.py) →
apply_modality → EventBook (one record per category and party set).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from akhbar.models import Entity, Event, Location
from akhbar.transform.budget import check
from akhbar.transform.countries import org_positions
from akhbar.transform.event_parties import (ArticleContext, ReadSentence, emphasis_event, follow_two_sides,
                                            is_definite_noun, joint_drill, sentence_parties, restrict_parties,
                                            other_side_named, stand_in_subject, tells_an_arrest)
from akhbar.transform.event_triggers import EMPHASIS, Rule, find_triggers
from akhbar.transform.lexicon import read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.plover import quad_code
from akhbar.transform.roles import (assign_roles, clause_is_future, drop_topics, is_past_verb, object_pronoun_after,
                                    told_as_done)
from akhbar.transform.sentences import Sentence


@dataclass
class _Modality:
    category: str
    mode: str
    ahead: bool          # this clause speaks of later, in a sentence that does not
    announced: bool      # a visit or talks told for later: an agreement to meet


def apply_modality(s: Sentence, i: int, rule: Rule, future: bool) -> _Modality:
    """Stage 4: time. Talks that the sentence or the clause places in the future are an
    agreement to meet (AGREE), unless the trigger itself is told as done."""
    tok = s.tokens[i]
    ahead = not future and clause_is_future(s.tokens, s.breaks, i)
    # a perfect verb tells what happened, whatever another clause foresees
    done = future and (is_past_verb(tok) or told_as_done(s.tokens, i)) and not clause_is_future(s.tokens, s.breaks, i)
    if ((future and not done) or ahead) and rule.category == "CONSULT":
        return _Modality("AGREE", "", ahead, True)
    return _Modality(rule.category, rule.mode, ahead, False)


def _enough_parties(codes: set[str], recipient: list[str], rule: Rule, tokens: list[str], i: int,
                    orgs: list[int] | None) -> bool:
    """A rule asks for its number of parties; one country is enough when an organisation
    is named before the trigger (org_actor_ok), or when the rule allows a non-state other
    side and one is named (other_side_ok); a rule content with one party still asks for a
    recipient, an organisation or a non-state side. "الدعم الدولي للأردن": a definite noun
    with one country is what the text talks about; an act has a second party or a named subject."""
    needed = rule.min_parties
    if rule.org_actor_ok and orgs and any(o < i for o in orgs):
        needed = 1
    if rule.other_side_ok and needed > 1 and other_side_named(tokens, i):
        needed = 1
    if len(codes) < needed or not codes:
        return False
    if not recipient and len(codes) == 1 and rule.min_parties == 1 and not (orgs or other_side_named(tokens, i)):
        return False  # praise, aid or a pledge with no one named to receive it: a home affair
    return not (len(codes) == 1 and is_definite_noun(tokens[i]))


class EventBook:
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
    book = EventBook()
    carried: dict[int, date | None] = {}
    for read in sentences:
        check()
        follow_two_sides(read, ctx)
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


def _read_sentence(read: ReadSentence, triggers, when: tuple[date | None, bool], ctx: ArticleContext,
                   book: EventBook) -> None:
    s = read.sentence
    day, future = when
    raw_parties = sentence_parties(read, ctx, state_only=False) if any(r.category == EMPHASIS for _, r in triggers) else []
    parties = drop_topics(sentence_parties(read, ctx), s.tokens, s.breaks, {i for i, _ in triggers})
    last_recipient: list[str] = []
    told: list[tuple[str, set[str]]] = []  # (category, parties) of the sentence's events so far
    orgs = None  # organisation positions, found when a rule asks
    # arrests where the sentence names no other country than the one arresting: at home
    arrests = tells_an_arrest(s.tokens) and len({m.code for m in read.mentions}) <= 1
    for i, rule in triggers:
        plist = stand_in_subject(s.tokens, i, parties, ctx, rule.category)
        modality = apply_modality(s, i, rule, future)
        if rule.category == EMPHASIS:
            found = emphasis_event(s.tokens, i, raw_parties, ctx)
            if not found:
                continue
            modality.category, plist = found
        # a trigger of another kind after punctuation opens another clause and event
        nxt = next((j for j, r in triggers if j > i and r.category != rule.category and any(s.breaks[i + 1:j + 1])), None)
        plist = restrict_parties(plist, s.tokens, i, rule, modality.category)
        actor, recipient, host = assign_roles(plist, s.tokens, i, rule.mode == "visit", nxt, s.clause_breaks)
        if modality.category == "MOBILIZE":
            together = joint_drill(s.tokens, i, plist, actor, recipient)
            if together:
                modality.category, actor, recipient = "COOPERATE", together, []
        if actor and not ctx.lede_actor and s.paragraph <= 0:
            ctx.lede_actor = list(actor)
        if last_recipient and object_pronoun_after(s.tokens, i):
            recipient = [c for c in last_recipient if c not in actor]
        if rule.category == "REQUEST" and not recipient:
            recipient = _other_side(actor, s.tokens, i, ctx)
        last_recipient = recipient or last_recipient
        codes = set(actor) | set(recipient)
        if (rule.org_actor_ok or rule.min_parties == 1) and orgs is None:
            orgs = org_positions(s.tokens)
        if not _enough_parties(codes, recipient, rule, s.tokens, i, orgs) or (arrests and len(codes) == 1 and actor):
            continue  # too few parties, or a state acting at home among its arrests (C14)
        on = ctx.published if modality.ahead else day
        if read.when is None and is_background(s.tokens, i):
            on = None  # told as earlier background, and no day given for it
        event = _record(modality, actor, recipient, host, on, s.text)
        category = event.event[0]
        if category == "CONSULT" and len(codes) == 2:
            ctx.last_talks = sorted(codes)
        future_agree = future and category == "AGREE" and s.tokens[i].lstrip("وف").startswith(("سي", "ست"))
        if any(c == category and p & codes for c, p in told):
            continue  # "فرض العقوبات ... فرض أية عقوبات": one sentence tells one such act of its parties
        told.append((category, codes))
        book.add((category, frozenset(codes)), event, s, modality.announced, future_agree, host)


def _record(modality: _Modality, actor: list[str], recipient: list[str], host, on: date | None, text: str) -> Event:
    """The event record; a meeting of three or more states, even one announced for later, is
    a multilateral CONSULT in which every participant acts and no one receives (C5, C6)."""
    category, mode = modality.category, modality.mode
    if modality.announced and len(set(actor) | set(recipient)) > 2:
        category, mode = "CONSULT", "multilateral"
    if category == "CONSULT" and len(set(actor) | set(recipient)) > 2 and mode in ("", "multilateral"):
        mode, actor, recipient = mode or "multilateral", actor + recipient, []
    return Event(
        event=[category], mode=[mode] if mode else [],
        quad_code=quad_code(category), date=on.isoformat() if on else None,
        actor=[Entity(c) for c in actor], recipient=[Entity(c) for c in recipient],
        event_loc=Location(country=host) if host else None, event_text=text,
    )


def _other_side(actor: list[str], tokens: list[str], i: int, ctx: ArticleContext) -> list[str]:
    """"ودعا أردوغان إلى وقف إطلاق النار" after his talks with Putin: a call that names no one
    to act is made to the other side of the talks the story told last; one that a non-state
    side hears ("دعا الحوثيين") stays one-sided."""
    if len(actor) != 1 or actor[0] not in ctx.last_talks or other_side_named(tokens, i):
        return []
    return [c for c in ctx.last_talks if c != actor[0]]


def _event_day(read: ReadSentence, ctx: ArticleContext, carried: dict[int, date | None]) -> tuple[date | None, bool]:
    """The day of the sentence's events and whether the sentence speaks of the future."""
    para = read.sentence.paragraph
    when = read.when
    if when is not None:
        if when.kind == "future":
            # a coming event on the day the text gives it (C6); else the news of the day
            return when.day or ctx.published, True
        if not (when.day and ctx.published and when.day > ctx.published):
            carried[para] = when.day  # a day still to come is no day of the sentences after it
        return when.day, False
    if para in carried:
        return carried[para], False
    return (ctx.lede_date or ctx.published), False

"""Trigger words of PLOVER events (data/event_triggers.yaml) and the first stage of the
event reader: the triggers of a sentence that stand."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from akhbar.transform.agreements import is_signing_sentence, signing_position
from akhbar.transform.amounts import is_currency_word
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.roles import in_words, is_crowd_act, is_hedged, is_negated, is_opinion, trigger_stands
from akhbar.transform.sentences import Sentence


@dataclass(frozen=True)
class Rule:
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


def _load_rules() -> list[Rule]:
    rules = []
    for r in read_yaml("event_triggers.yaml"):
        rules.append(Rule(
            category=r["category"], mode=r.get("mode") or "",
            words=_rule_words(r),
            prefixes=tuple(normalize_for_matching(w) for w in r.get("prefixes", [])),
            min_parties=int(r.get("min_parties", 1)),
            org_actor_ok=bool(r.get("org_actor_ok", False)),
            other_side_ok=bool(r.get("other_side_ok", False)),
        ))
    return rules


_RULES = _load_rules()

_SIGNING = Rule("SUPPORT", "", frozenset(), (), 2)
# A sum given: one country is enough when an organisation or a non-state side receives it
_GIFT = Rule("AID", "", frozenset(), (), 1, org_actor_ok=False, other_side_ok=True)
_ROLES = read_yaml("event_roles.yaml")
_GIFT_WORDS = frozenset(normalize_for_matching(w) for w in _ROLES["gift_words"])
_GIFT_REACH = int(_ROLES["gift_reach"])
_BLAME = Rule("ACCUSE", "disapprove", frozenset(), (), 2, other_side_ok=True)
_DESCRIBE = frozenset(normalize_for_matching(w) for w in _ROLES["describe_verbs"])
_BLAME_WORDS = frozenset(normalize_for_matching(w) for w in _ROLES["blame_words"])
_DESCRIBE_REACH = int(_ROLES["describe_reach"])
_VERBAL_ATTACKS = frozenset(normalize_for_matching(w) for w in _ROLES["verbal_attack_verbs"])
_SPEAKERS = frozenset(normalize_for_matching(w) for w in _ROLES["speaking_subjects"])
_QUOTING = frozenset({"ما", "من", "الذي", "التي"})  # "ما وصفه ...": a phrase quoted, no blame

EMPHASIS = "EMPHASIS"

_MINISTRY = ("وزار", "الوزار")



# word → indexes of the rules it triggers; rules with prefixes are checked apart (few)
_WORD_RULES: dict[str, list[int]] = {}
for _k, _r in enumerate(_RULES):
    for _w in _r.words:
        _WORD_RULES.setdefault(_w, []).append(_k)
_PREFIX_RULES = [(k, r.prefixes) for k, r in enumerate(_RULES) if r.prefixes]


@lru_cache(maxsize=TOKEN_CACHE)
def _trigger(tok: str) -> tuple[Rule, ...]:
    variants = proclitic_variants(tok)
    # "وزارة" (ministry) is no "و + زاره" (visited him)
    if any(v.startswith(_MINISTRY) for v in variants):
        return ()
    hits = {k for v in variants for k in _WORD_RULES.get(v, ())}
    hits.update(k for k, prefixes in _PREFIX_RULES if any(v.startswith(prefixes) for v in variants))
    return tuple(_RULES[k] for k in sorted(hits))



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
        if rule.category in ("ACCUSE", "REQUEST") and rule is not _BLAME:  # a description's object is no content
            accusing = i
        elif accusing is not None and rule.category in _CONTENT_OF_ACCUSATION:
            continue
        out.append((i, rule))
    return out


def _gifts(tokens: list[str], triggers):
    """"قرر دعم الاقتصاد التركي بـ15 مليار دولار": a word of giving with a currency after it
    gives a sum (AID); its "دعم" is then no backing of its own (SUPPORT)."""
    at = [i for i, tok in enumerate(tokens) if tok in _GIFT_WORDS or tok[:1] in "وف" and tok[1:] in _GIFT_WORDS]
    at = [i for i in at if any(is_currency_word(v) for t in tokens[i + 1:i + 1 + _GIFT_REACH]
                               for v in proclitic_variants(t)) and not is_negated(tokens, i)]
    if not at:
        return triggers
    kept = [(i, r) for i, r in triggers if not (i in at and r.category == "SUPPORT")]
    return sorted(kept + [(i, _GIFT) for i in at], key=lambda t: t[0])


def _is_describe(tokens: list[str], i: int) -> bool:
    return in_words(tokens[i], _DESCRIBE) and not (i and tokens[i - 1] in _QUOTING)


def _blames(tokens: list[str], triggers):
    """"وصفت X موقف Y بأنه مؤسف": a description whose "ب" ("ب", "بأنه") introduces a word of
    blame accuses (ACCUSE); any other description is none."""
    found = []
    for i in (i for i in range(len(tokens)) if _is_describe(tokens, i)):
        ahead = tokens[i + 1:i + 1 + _DESCRIBE_REACH]
        by = next((k for k, t in enumerate(ahead)
                   if t == "ب" or t.startswith("بان") or t[:1] == "ب" and _blame(t)), None)
        if by is not None and any(_blame(t) for t in ahead[by:by + 4]):
            found.append((i, _BLAME))
    if not found:
        return triggers
    first = triggers[:1] if triggers and triggers[0][1] is _SIGNING else []  # a signing stays first
    return first + sorted(triggers[len(first):] + found, key=lambda t: t[0])


def _attacks_in_words(tokens: list[str], triggers):
    """"هاجمت وزارة الخارجية الإسرائيلية ...": an attack whose subject speaks is made in words (ACCUSE)."""
    def spoken(i: int) -> bool:
        return (in_words(tokens[i], _VERBAL_ATTACKS) and i + 1 < len(tokens)
                and in_words(tokens[i + 1], _SPEAKERS))
    return [(i, _BLAME if r.category == "ASSAULT" and spoken(i) else r) for i, r in triggers]


def _blame(tok: str) -> bool:
    return in_words(tok, _BLAME_WORDS)


def find_triggers(s: Sentence) -> list[tuple[int, Rule]]:
    """Stage 1: the sentence's trigger words that stand (not negated, not hedged), with a
    signing of agreements first, and the content of an accusation or a call left out."""
    triggers = [(i, rule) for i, tok in enumerate(s.tokens) for rule in _trigger(tok)
                if trigger_stands(s.tokens, i) and not is_negated(s.tokens, i) and not is_hedged(s.tokens, i)
                and not is_opinion(s.tokens, i)]
    if is_signing_sentence(s.tokens):
        at = signing_position(s.tokens)
        if not is_negated(s.tokens, at):
            triggers.insert(0, (at, _SIGNING))
    else:  # a sum in an agreement signed ("اتفاقية تحصل بموجبها على دعم بقيمة ...") is its content
        triggers = _gifts(s.tokens, triggers)
    triggers = _attacks_in_words(s.tokens, _blames(s.tokens, triggers))
    if not triggers:
        return triggers
    # a call of protesters is none, though what it calls for stays its content
    return [(i, r) for i, r in _drop_accusation_content(triggers, s.breaks) if not is_crowd_act(s.tokens, i)]

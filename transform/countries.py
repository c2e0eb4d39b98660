"""Countries an article refers to: names, nisbas, capitals, territories, titles → alpha-3."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from akhbar.transform.gazetteer import PhraseIndex, proclitic_variants
from akhbar.transform.lexicon import read_tsv, read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.tokens import words

REGION = "-"
# Feminine, dual and plural endings of a nisba (folded: ة is ه).
_NISBA_ENDINGS = ("", "ه", "ين", "ون", "ان", "تين", "تان", "ات")


@dataclass(frozen=True)
class CountryMention:
    code: str
    kind: str   # name, adj, people, capital, territory, title
    start: int  # token index in the text it was found in
    end: int
    form: str


def _inflect_nisba(phrase: str) -> list[str]:
    """The nisba's forms; a nisba of two words agrees in definiteness too ("الكوري
    الشمالي": the first word's article is a proclitic, the second's is written)."""
    toks = normalize_for_matching(phrase).split()
    forms = [" ".join(t + ending for t in toks) for ending in _NISBA_ENDINGS]
    if len(toks) > 1:
        forms += [" ".join([toks[0] + ending] + ["ال" + t + ending for t in toks[1:]]) for ending in _NISBA_ENDINGS]
    return forms


def _build_index() -> tuple[PhraseIndex, dict[str, tuple[str, ...]]]:
    context = read_yaml("country_context.yaml")
    ambiguous = {normalize_for_matching(k): tuple(v) for k, v in context["ambiguous_forms"].items()}
    index: PhraseIndex[tuple[str, str]] = PhraseIndex()
    # Names from CLDR / iso-codes (generated, see scripts/build_country_names.py), then the
    # hand file's nisbas, capitals, territories, titles and short forms.
    for code, kind, forms in read_tsv("countries_cldr.tsv") + read_tsv("countries.tsv"):
        for form in forms.split("|"):
            variants = _inflect_nisba(form) if kind == "adj" else [form]
            for v in variants:
                index.add(v, (code, kind))
    for form in ambiguous:
        index.add(form, ("?", "capital"))
    # Currency phrases consume their words so that "دولار أمريكي" is money, not the USA.
    for _code, forms in read_tsv("currencies.tsv"):
        for form in forms.split("|"):
            if len(form.split()) > 1:
                index.add(form, (REGION, "currency"))
    return index, ambiguous


_INDEX, _AMBIGUOUS = _build_index()
_BLOCKERS = frozenset(normalize_for_matching(w) for w in read_yaml("country_context.yaml")["blocking_previous_words"])
_SIDES = read_yaml("country_context.yaml")
_SIDE_NOUNS = frozenset(normalize_for_matching(w) for w in _SIDES["side_nouns"])
_SIDE_FORMS = frozenset(normalize_for_matching(w) for w in _SIDES["side_forms"])
_CURRENCY_WORDS = frozenset(
    normalize_for_matching(f) for _c, forms in read_tsv("currencies.tsv") for f in forms.split("|") if " " not in f
)


def find_country_mentions(tokens: list[str]) -> list[CountryMention]:
    """Country references in folded `tokens`, in text order (regions and orgs left out).

    Ambiguous forms come back with code "?"; `resolve_ambiguous` settles them per article.
    """
    out = []
    for m in _INDEX.scan(tokens):
        code, kind = m.value
        if code == REGION:
            continue
        prev = tokens[m.start - 1] if m.start else ""
        if prev in _BLOCKERS:
            continue
        if kind == "adj" and (prev in _CURRENCY_WORDS or _is_side(prev, m.form)):
            continue
        out.append(CountryMention(code, kind, m.start, m.end, m.form))
    return out


def _is_side(prev: str, form: str) -> bool:
    return form in _SIDE_FORMS and any(v in _SIDE_NOUNS for v in proclitic_variants(prev))


def is_nisba_token(tok: str) -> bool:
    """Whether the token alone is a country's nisba ("الفرنسية", "والإسرائيلية")."""
    m = _INDEX.match_at([tok], 0)
    return m is not None and m.value[1] == "adj"


def org_positions(tokens: list[str]) -> list[int]:
    """Token indexes where an organisation is named ("الاتحاد الأوروبي", "الأمم المتحدة")."""
    return [m.start for m in _INDEX.scan(tokens) if m.value == (REGION, "org")]


def mentions_in_text(text: str) -> list[CountryMention]:
    return find_country_mentions(words(normalize_for_matching(text)))


def resolve_ambiguous(mention: CountryMention, evidenced: set[str]) -> str | None:
    """The code of an ambiguous form given the codes the article evidences otherwise."""
    if mention.code != "?":
        return mention.code
    for code in _AMBIGUOUS.get(mention.form, ()):
        if code in evidenced:
            return code
    return None


def extract_countries(mentions: Iterable[CountryMention], *, sports: bool = False) -> list[str]:
    """Sorted distinct codes; in sports news a city is usually a club, so capitals do not count."""
    mentions = [m for m in mentions if not (sports and m.kind == "capital")]
    evidenced = {m.code for m in mentions if m.code != "?"}
    codes = {resolve_ambiguous(m, evidenced) for m in mentions}
    codes.discard(None)
    return sorted(codes)

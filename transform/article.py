"""One article in, one TransformResult out: paragraphs, repeats, and what they report."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from akhbar.models import ArticleInput, Paragraph, Person, TransformResult
from akhbar.transform.agreements import extract_agreements
from akhbar.transform.budget import Budget, BudgetExceeded, check, size_problem, time_budget
from akhbar.transform.amounts import extract_amounts, may_hold_amount
from akhbar.transform.countries import extract_countries, find_country_mentions
from akhbar.transform.dates import parse_published, resolve_date
from akhbar.transform.datelines import dateline_end
from akhbar.transform.dedup import mark_article
from akhbar.transform.event_parties import ArticleContext, ReadSentence, names_a_place, names_other_side
from akhbar.transform.events import read_events
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.leaders import (alias_at, alias_codes, alias_holders, alias_is_someone_else, country_of_person,
                                      leader_alias)
from akhbar.transform.lexicon import TOKEN_CACHE, read_yaml
from akhbar.transform.normalize import clean_display_text, normalize_for_matching
from akhbar.transform.paragraphs import split_paragraphs
from akhbar.transform.persons import NOT_NAMES, merge_persons, persons_in_sentence
from akhbar.transform.sentences import make_sentence, split_sentences

_SPORTS = read_yaml("article_topics.yaml")["sports"]
_SPORTS_WORDS = frozenset(normalize_for_matching(w) for w in _SPORTS["words"])
TITLE = -1


def article_paragraphs(article: ArticleInput) -> list[str]:
    """The body's paragraphs, or the page's when only HTML came."""
    if article.body and article.body.strip():
        return split_paragraphs(article.body)
    from akhbar.extract.pages import extract_page  # lazy: extract pulls in HTML parsing

    page = extract_page(article.html, article.url)
    return [t for t in (clean_display_text(p) for p in page.paragraphs) if t]


_TOPICS = read_yaml("article_topics.yaml")
# topic → its folded words; a token belongs to at most one topic, the first listed
_TOPIC_WORDS = {name: frozenset(normalize_for_matching(w) for w in _TOPICS[name]["words"])
                for name in ("sports", "crime", "weather", "business")}
_OFFICIAL_WORDS = frozenset(normalize_for_matching(w) for w in _TOPICS["business"]["officials"])


@lru_cache(maxsize=TOKEN_CACHE)
def _topic_of(tok: str) -> str | None:
    variants = proclitic_variants(tok)
    if any(v in _OFFICIAL_WORDS for v in variants):
        return "official"
    return next((name for name, ws in _TOPIC_WORDS.items() if any(v in ws for v in variants)), None)


def _topic_counts(tokens) -> Counter:
    counts = Counter()
    for tok, n in Counter(tokens).items():  # each distinct token looked up once
        topic = _topic_of(tok)
        if topic:
            counts[topic] += n
    return counts


def is_sports(tokens) -> bool:
    return _topic_counts(tokens)["sports"] >= _SPORTS["min_hits"]


def is_not_diplomacy(counts: Counter) -> bool:
    """Crime or business news without an official, or weather: no events, whatever crosses
    borders (a court ruling or a market move that an official acts on may still be news)."""
    return (counts["crime"] >= _TOPICS["crime"]["min_hits"] and counts["official"] == 0) or \
        counts["weather"] >= _TOPICS["weather"]["min_hits"] or \
        (counts["business"] >= _TOPICS["business"]["min_hits"] and counts["official"] == 0)


def transform_article(article: ArticleInput, boilerplate: frozenset[int] = frozenset(),
                      budget: Budget = Budget()) -> TransformResult:
    """`boilerplate`: line keys (transform.boilerplate) of the outlet's learned boilerplate;
    such paragraphs are marked and, like repeats, read for no fact. An article beyond the
    `budget` (size, or time while running) comes back as an error result."""
    has_body = bool(article.body and article.body.strip())
    if not has_body and not (article.html and article.html.strip()):
        return TransformResult(id=article.id, error="article has neither body nor html")
    too_large = size_problem(article.body, article.html, None, budget)
    if too_large:
        return TransformResult(id=article.id, error=too_large)
    try:
        with time_budget(budget.seconds):
            return _transform(article, boilerplate, budget)
    except BudgetExceeded as exc:
        return TransformResult(id=article.id, error=f"{exc} ({budget.seconds:g} s)")


def _transform(article: ArticleInput, boilerplate: frozenset[int], budget: Budget) -> TransformResult:
    texts = article_paragraphs(article)
    too_large = size_problem(None, None, len(texts), budget)
    if too_large:
        return TransformResult(id=article.id, error=too_large)
    paragraphs = [Paragraph(index=i, text=t, duplicate_of=d, is_boilerplate=b)
                  for i, (t, (d, b)) in enumerate(zip(texts, mark_article(texts, boilerplate)))]

    published = parse_published(article.published)
    title = clean_display_text(article.title) if article.title else ""
    sentences = [make_sentence(title, TITLE)] if title else []
    for p in paragraphs:
        if p.duplicate_of is None and not p.is_boilerplate:
            sentences.extend(split_sentences(p.text, p.index))
    reads = []
    for s in sentences:
        check()
        reads.append(ReadSentence(s, find_country_mentions(s.tokens), resolve_date(s.folded, published, s.tokens)))
    _mark_datelines(reads)

    topics = _topic_counts(t for r in reads for t in r.sentence.tokens)
    sports = topics["sports"] >= _SPORTS["min_hits"]
    mentions = [m for r in reads for m in r.mentions]
    countries = extract_countries(mentions, sports=sports)
    # a leader named by the short form headlines use ("بوتين") acts for his country
    aliases = alias_codes(published)
    led = set()
    named_leaders: list[Person] = []  # "بوتين" alone names the holder of his office that day
    if aliases:
        holders = alias_holders(published)
        for r in reads:
            toks, breaks = r.sentence.tokens, r.sentence.breaks
            for j, t in enumerate(toks):
                a = leader_alias(t)
                if a in aliases and not alias_is_someone_else(a, toks[j - 1] if j and not breaks[j] else "", NOT_NAMES):
                    led.add(aliases[a])
                    named_leaders.append(Person(holders[a].name, None, holders[a].country))
    if led - set(countries):
        countries = sorted(set(countries) | led)
    persons = [p if p.country else Person(p.name, p.office, country_of_person(p.name, published))
               for p in merge_persons([p for r in reads for p in persons_in_sentence(r.sentence, r.mentions)]
                                      + named_leaders)]
    amounts, seen_amounts = [], set()
    with_money = {r.sentence.paragraph for r in reads if may_hold_amount(r.sentence.folded)}
    for p in paragraphs:
        check()
        if p.duplicate_of is None and not p.is_boilerplate and p.index in with_money:
            for a in extract_amounts(p.text):
                key = (round(a.value), a.currency)
                if key not in seen_amounts:
                    seen_amounts.add(key)
                    amounts.append(a)
    agreements = extract_agreements([(r.sentence.tokens, r.when) for r in reads], published)
    if sports:
        agreements.count, agreements.sectors = None, []

    events = []
    if not sports and not is_not_diplomacy(topics) and (
            len(countries) >= 2 or len({m.code for m in mentions}) >= 2
            or (countries and any(names_other_side(r.sentence.tokens) for r in reads))):
        ctx = _context(reads, persons, countries, published)
        events = read_events(reads, ctx)
    return TransformResult(
        id=article.id, paragraphs=paragraphs, countries=countries, persons=persons,
        amounts=amounts, agreements=agreements, events=events,
    )


def _mark_datelines(reads: list[ReadSentence]) -> None:
    """A paragraph's first sentence may open with where it was filed (datelines.py)."""
    seen = set()
    for r in reads:
        para = r.sentence.paragraph
        if para >= 0 and para not in seen:
            seen.add(para)
            r.dateline = dateline_end(r.sentence, {i for m in r.mentions for i in range(m.start, m.end)})


def _context(reads: list[ReadSentence], persons: list[Person], countries: list[str], published) -> ArticleContext:
    weight = Counter()
    for r in reads:
        for m in r.mentions:
            # where things happen makes no country a side of the story ("الجانبان")
            if m.code != "?" and m.start >= r.dateline and not names_a_place(r.sentence.tokens, m):
                weight[m.code] += 2 if r.sentence.paragraph == TITLE else 1
    evidenced = set(countries) | set(weight)
    # the leaders in office on the day, by the short names headlines use ("بوتين")
    officials = dict(alias_codes(published))
    for p in persons:
        if p.country:
            parts = normalize_for_matching(p.name).split()
            if len(parts[-1]) > 3:
                officials[parts[-1]] = p.country
    # A headline names the parties by their leaders as often as by country ("السيسي يستقبل الخصاونة").
    for r in reads:
        if r.sentence.paragraph == TITLE:
            for tok in r.sentence.tokens:
                code = alias_at(tok, officials)
                if code:
                    weight[code] += 2
    # A country named once, and not in the headline or lede, is no main party of the article
    # ("الجانبان" would take in a country of the background).
    body = [r for r in reads if r.sentence.paragraph >= 0]
    lede_codes = {m.code for r in reads[:1] + body[:1] for m in r.mentions}
    main = [c for k, (c, w) in enumerate(weight.most_common(2)) if k == 0 or w >= 2 or c in lede_codes]
    lede_date = None
    # the title and the lede's first sentence date the story; a later date in the first
    # paragraph is background ("entered into force on 3 July")
    lede = [r for r in reads if r.sentence.paragraph == TITLE] + body[:1]
    for r in lede:
        if r.when is not None and r.when.kind in ("day", "future"):
            # a lede that announces what is coming tells the news of its publication day
            coming = r.when.kind == "future" or (published and r.when.day and r.when.day > published)
            lede_date = published if coming else r.when.day
            break
    return ArticleContext(published=published, main_parties=main, evidenced=evidenced,
                          official_codes=officials, lede_date=lede_date)

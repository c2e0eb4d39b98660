"""How the loader's duplicate lookup scales with the warehouse.

akhbar.paragraphs is filled with COPY (10k, then 100k, then 1M rows), and
akhbar.paragraph_bands with each row's MinHash band keys as the loader would record them,
in two workloads:
- `corpus` (realistic text): paragraphs of the corpus, each once as written, then again
  with a numbered suffix, so that every row is a distinct paragraph whose fingerprint is
  what the project computes for its text (the numbered variants are near-copies of one
  another: many candidates per band);
- `templated` (the synthetic worst case): ten long corpus paragraphs, ten to an article,
  over and over, so that every band key of every row, and of every probe, is shared by
  thousands of postings; the probes are the same templates with a number of their own (no
  copy passes the near-copy check, which wants no new figure, so every candidate is
  verified, and every candidate article's text is compared for republication).

The filled articles are dated as a news archive is: the corpus's own rate (its median of
articles per publication day), the rows filled first being the newest, so that each larger
size reaches further into the past while the probes' copies stay the recent ones
(republication happens within days); the probes are published the day after the newest.
Foreign-key triggers are skipped for the fill (session_replication_role = replica; the rows
are consistent by construction); indexes are maintained as in a real warehouse, and the
tables are vacuumed and analyzed after each fill, as autovacuum does after bulk inserts on
a real server (PostgreSQL >= 13 vacuums insert-only tables; this machine's server runs
with autovacuum off).

At each size the same probe articles go through:
- the loader's lookup on its own (the dedup engine's mark_boilerplate + match_article over
  the PostgreSQL store: the outlet's line counts, the band-key probe, the candidates' texts
  and the republication share), per paragraph;
- the whole loader (load_articles), per paragraph, in a transaction rolled back so that the
  warehouse keeps its size.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import statistics
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import psycopg2

from akhbar.load import dedup_index, runs
from akhbar.load.writer import load_articles
from akhbar.models import FeedConfig
from akhbar.transform import dedup
from akhbar.transform.textkeys import paragraph_fingerprint, text_key
from akhbar.transform.paragraphs import split_paragraphs
from bench.articles import FEED, staged_articles
from bench.corpus import published, read_articles
from bench.pg import bench_database

PARAGRAPHS_PER_ARTICLE = 10
RUN_ID = "bench__fill"
# The probes' day; the filled articles are dated from the day before it backwards.
PROBE_DAY = date(2018, 7, 1)
TEMPLATES = 10
TEMPLATE_MIN_CHARS = 300
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _pool(path: Path, articles: int) -> list[tuple[str, str]]:
    """(text, text key) of the corpus paragraphs, each once."""
    seen, pool = set(), []
    for article in read_articles(path, articles):
        for text in split_paragraphs(article.get("body")):
            if text not in seen:
                seen.add(text)
                pool.append((text, text_key(text)))
    return pool


def _templates(pool: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The worst case's pool: TEMPLATES long paragraphs of the corpus."""
    return [p for p in pool if len(p[0]) >= TEMPLATE_MIN_CHARS][:TEMPLATES]


def articles_per_day(path: Path) -> int:
    """The corpus's median of articles per publication day."""
    days = Counter(when.date() for when in map(published, read_articles(path)) if when is not None)
    return max(1, int(statistics.median(days.values())))


def _variant(pool: list[tuple[str, str]], i: int) -> tuple[str, str]:
    """Row i's paragraph and its fingerprint: the pool's paragraphs as written first, then
    with " [k]" appended (its text key gains the digits of k, so the print is exact)."""
    text, key = pool[i % len(pool)]
    k = i // len(pool)
    if k == 0:
        return text, hashlib.sha1(key.encode("utf-8")).hexdigest()
    return f"{text} [{k}]", hashlib.sha1(f"{key}{k}".encode("utf-8")).hexdigest()


def _template(pool: list[tuple[str, str]], i: int) -> tuple[str, str]:
    """Row i of the worst case: the pool's paragraph i mod its size, as written."""
    text, key = pool[i % len(pool)]
    return text, hashlib.sha1(key.encode("utf-8")).hexdigest()


def _copy(cur, table: str, columns: str, lines: list[str]) -> None:
    cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO("".join(lines)))


def _day(article: int, per_day: int) -> date:
    """Filled article `article` (from 1)'s day: the newest first, `per_day` a day."""
    return PROBE_DAY - timedelta(days=1 + (article - 1) // per_day)


def fill(conn, pool: list[tuple[str, str]], start: int, stop: int, feed_id: int, per_day: int,
         row=_variant, chunk: int = 50_000) -> None:
    """Rows start..stop-1 of akhbar.paragraphs (`row`(pool, i): text and fingerprint), and
    the articles that hold them."""
    with conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        for lo in range(start, stop, chunk):
            hi = min(stop, lo + chunk)
            first_article = lo // PARAGRAPHS_PER_ARTICLE + 1
            last_article = (hi - 1) // PARAGRAPHS_PER_ARTICLE + 1
            if lo % PARAGRAPHS_PER_ARTICLE:
                first_article += 1  # begun by the previous chunk
            articles = [f"{a}\thttps://fill.invalid/{a}\t{feed_id}\t{RUN_ID}\t{_day(a, per_day)} 06:00:00+00"
                        f"\t{_day(a, per_day)} 06:00:00+00"
                        f"\t{hashlib.sha1(str(a).encode()).hexdigest()}\t{a}\n"
                        for a in range(first_article, last_article + 1)]
            _copy(cur, "akhbar.articles", "article_id, url, feed_id, run_id, published_at, fetched_at,"
                  " body_fingerprint, story_id", articles)
            rows = []
            for i in range(lo, hi):
                text, fp = row(pool, i)
                rows.append(f"{i // PARAGRAPHS_PER_ARTICLE + 1}\t{i % PARAGRAPHS_PER_ARTICLE}"
                            f"\t{text.translate(_COPY_ESCAPES)}\t{fp}\n")
            _copy(cur, "akhbar.paragraphs", "article_id, position, text, fingerprint", rows)
            bands = []
            for i in range(lo, hi):
                article = i // PARAGRAPHS_PER_ARTICLE + 1
                where = f"{_day(article, per_day)}\t{article}\t{i % PARAGRAPHS_PER_ARTICLE}\n"
                bands += [f"{key}\t{where}" for key in set(dedup_index.band_keys_of(row(pool, i)[0]))]
            _copy(cur, "akhbar.paragraph_bands", "band_key, day, article_id, position", bands)
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("SELECT setval('akhbar.articles_article_id_seq', (SELECT max(article_id) FROM akhbar.articles))")
    conn.commit()
    conn.autocommit = True
    with conn.cursor() as cur:
        for table in ("articles", "paragraphs", "paragraph_bands"):
            cur.execute(f"VACUUM ANALYZE akhbar.{table}")
    conn.autocommit = False


def _prints(article) -> list[str]:
    return [paragraph_fingerprint(p["text"]) for p in article.result.get("paragraphs") or []]


def lookup_function():
    """The loader's lookup: what load_articles asks the warehouse before it inserts."""
    def lookup(cur, article) -> None:
        paragraphs = article.result.get("paragraphs") or []
        store = dedup_index.PgStore(cur)
        rec = dedup.article_record("bench", article.published, [p["text"] for p in paragraphs],
                                   [p.get("duplicate_of") for p in paragraphs])
        dedup.mark_boilerplate(store, rec)
        dedup.match_article(store, rec)
    return lookup


def _lookup_seconds(conn, probes) -> float:
    lookup = lookup_function()
    started = time.perf_counter()
    with conn.cursor() as cur:
        for article in probes:
            lookup(cur, article)
    elapsed = time.perf_counter() - started
    conn.rollback()
    return elapsed


def _load_seconds(conn, articles, feed_ids) -> float:
    started = time.perf_counter()
    load_articles(conn, "bench__probe", articles, feed_ids)
    elapsed = time.perf_counter() - started
    conn.rollback()
    return elapsed


def _timed(f, rounds: int) -> tuple[float, float]:
    """(fastest, median) of `rounds` runs after a warm-up. The fastest is the figure: on a
    shared machine other work only ever adds time."""
    f()  # warm the caches and the plan
    times = [f() for _ in range(rounds)]
    return min(times), statistics.median(times)


def _probes(path: Path, probe_articles: int, corpus_size: int) -> list:
    """Half of them with paragraphs the corpus workload's warehouse holds, half new;
    published the day after the newest filled article."""
    hits = staged_articles(path, probe_articles // 2, feed=FEED)
    misses = staged_articles(path, probe_articles - len(hits), skip=min(20_000, corpus_size // 2), feed=FEED)
    when = datetime.combine(PROBE_DAY, datetime.min.time(), timezone.utc) + timedelta(hours=12)
    return [dataclasses.replace(a, published=when) for a in hits + misses]


def _templated_probes(templates: list[tuple[str, str]], n: int, like) -> list:
    """n articles of the templates with numbers of their own, as transformed articles."""
    out = []
    for j in range(n):
        texts = [f"{t} [{10_000_000 + j}]" for t, _ in templates]
        doc = {"paragraphs": [{"index": i, "text": t, "duplicate_of": None} for i, t in enumerate(texts)]}
        out.append(dataclasses.replace(like, url=f"https://bench.invalid/templated/{j}",
                                       body="\n\n".join(texts), result=doc))
    return out


def _measure(conn, probe, paragraphs: int, feed_ids, rounds: int, size: int, fill_s: float) -> dict:
    point = {"paragraphs_in_warehouse": size, "fill_seconds": round(fill_s, 1)}
    fast, median = _timed(lambda: _lookup_seconds(conn, probe), rounds)
    point["lookup_us_per_paragraph"] = round(fast / paragraphs * 1e6, 2)
    point["lookup_us_per_paragraph_median"] = round(median / paragraphs * 1e6, 2)
    fast, median = _timed(lambda: _load_seconds(conn, probe, feed_ids), max(1, rounds // 2))
    point["load_us_per_paragraph"] = round(fast / paragraphs * 1e6, 2)
    point["load_us_per_paragraph_median"] = round(median / paragraphs * 1e6, 2)
    with conn.cursor() as cur:
        cur.execute("SELECT pg_total_relation_size('akhbar.paragraphs'), pg_total_relation_size('akhbar.paragraph_bands')")
        tables = cur.fetchone()
    point["paragraphs_table_mib"] = round(tables[0] / 2**20, 1)
    point["bands_table_mib"] = round(tables[1] / 2**20, 1)
    conn.rollback()
    return point


def _workload(name: str, pool, probe, sizes: list[int], per_day: int, rounds: int, row=_variant) -> list[dict]:
    """The points of one workload, each size filled on top of the last."""
    paragraphs = sum(len(_prints(a)) for a in probe)
    points = []
    with bench_database(f"dedup_{name}") as url:
        conn = psycopg2.connect(url)
        try:
            runs.start(conn, RUN_ID, date(2018, 1, 1), [FeedConfig(FEED, "https://bench.invalid/", "bench")])
            conn.commit()
            feed_ids = runs.feed_ids(conn)
            filled = 0
            for size in sizes:
                started = time.perf_counter()
                fill(conn, pool, filled, size, feed_ids[FEED], per_day, row)
                filled = size
                point = _measure(conn, probe, paragraphs, feed_ids, rounds, size, time.perf_counter() - started)
                points.append(point)
                print(f"  dedup ({name}): {point}", flush=True)
        finally:
            conn.close()
    return points


def run(path: Path, sizes: list[int], probe_articles: int, corpus_size: int, rounds: int = 5,
        workloads: tuple[str, ...] = ("corpus", "templated")) -> dict:
    sizes = sorted(sizes)
    # enough distinct paragraphs that the 10k step holds only paragraphs as written
    pool = _pool(path, max(probe_articles, sizes[0] // 6))
    assert all(_variant(pool, i)[1] == paragraph_fingerprint(_variant(pool, i)[0])
               for i in (0, 1, len(pool), 2 * len(pool) + 3))
    per_day = articles_per_day(path)
    probe = _probes(path, probe_articles, corpus_size)
    templates = _templates(pool)
    out = {"method": "the loader's lookup (dedup engine: mark_boilerplate + match_article on PgStore) per paragraph,"
                     " paragraph_bands filled like paragraphs, articles dated at the corpus's rate, newest first;"
                     " tables vacuumed and analyzed after each fill; fastest of the rounds",
           "articles_per_day": per_day, "window_days": dedup.lookback_days(),
           "probe_articles": len(probe), "probe_paragraphs": sum(len(_prints(a)) for a in probe),
           "measured_key": "lookup_us_per_paragraph"}
    key = out["measured_key"]
    if "corpus" in workloads:
        points = _workload("corpus", pool, probe, sizes, per_day, rounds)
        out.update(points=points, ratio_1m_to_10k=round(points[-1][key] / points[0][key], 3),
                   # beyond a window's worth of articles: where the lookup must stay flat
                   ratio_1m_to_100k=round(points[-1][key] / points[-2][key], 3) if len(points) > 2 else None,
                   load_ratio_largest_to_smallest=round(points[-1]["load_us_per_paragraph"]
                                                        / points[0]["load_us_per_paragraph"], 3))
    if "templated" in workloads:
        # each probe paragraph costs some 20-50 ms of the engine's comparisons: fewer probes
        worst = _templated_probes(templates, max(1, probe_articles // 10), probe[0])
        points = _workload("templated", templates, worst, sizes, per_day, max(3, rounds // 2), _template)
        out["worst_case"] = {"workload": f"{len(templates)} corpus paragraphs of at least {TEMPLATE_MIN_CHARS}"
                                         " characters, ten to an article, repeated; probes: the same with a number",
                             "probe_articles": len(worst), "points": points}
        out["worst_case_ratio_1m_to_10k"] = round(points[-1][key] / points[0][key], 3)
        out["worst_case_ratio_1m_to_100k"] = round(points[-1][key] / points[-2][key], 3) if len(points) > 2 else None
    return out

"""How the loader's duplicate lookup scales with the warehouse.

akhbar.paragraphs is filled with COPY (10k, then 100k, then 1M rows), from paragraphs of
the corpus: each corpus paragraph once as written, then again with a numbered suffix, so
that every row is a distinct paragraph whose fingerprint is what the project computes for
its text, and akhbar.paragraph_bands with each row's MinHash band keys as the loader would
record them (the numbered variants are near-copies of one another: the index's worst case,
many candidates per band). Foreign-key triggers are skipped for the fill (session_replication_role =
replica; the rows are consistent by construction); indexes are maintained as in a real
warehouse, and the table is analyzed after each fill as autovacuum would.

At each size the same probe articles (half of them with paragraphs the warehouse holds,
half new) go through:
- the loader's lookup on its own (the dedup engine's mark_boilerplate + match_article over
  the PostgreSQL store: the outlet's line counts, the band-key probe, the candidates' texts
  and the republication share), per paragraph;
- the whole loader (load_articles), per paragraph, in a transaction rolled back so that the
  warehouse keeps its size.
"""
from __future__ import annotations

import hashlib
import io
import statistics
import time
from datetime import date
from pathlib import Path

import psycopg2

from akhbar.load import dedup_index, runs
from akhbar.load.writer import load_articles
from akhbar.models import FeedConfig
from akhbar.transform import dedup
from akhbar.transform.textkeys import paragraph_fingerprint, text_key
from akhbar.transform.paragraphs import split_paragraphs
from bench.articles import FEED, staged_articles
from bench.corpus import read_articles
from bench.pg import bench_database

PARAGRAPHS_PER_ARTICLE = 10
RUN_ID = "bench__fill"
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


def _variant(pool: list[tuple[str, str]], i: int) -> tuple[str, str]:
    """Row i's paragraph and its fingerprint: the pool's paragraphs as written first, then
    with " [k]" appended (its text key gains the digits of k, so the print is exact)."""
    text, key = pool[i % len(pool)]
    k = i // len(pool)
    if k == 0:
        return text, hashlib.sha1(key.encode("utf-8")).hexdigest()
    return f"{text} [{k}]", hashlib.sha1(f"{key}{k}".encode("utf-8")).hexdigest()


def _copy(cur, table: str, columns: str, lines: list[str]) -> None:
    cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO("".join(lines)))


def fill(conn, pool: list[tuple[str, str]], start: int, stop: int, feed_id: int,
         chunk: int = 50_000) -> None:
    """Rows start..stop-1 of akhbar.paragraphs, and the articles that hold them."""
    with conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        for lo in range(start, stop, chunk):
            hi = min(stop, lo + chunk)
            first_article = lo // PARAGRAPHS_PER_ARTICLE + 1
            last_article = (hi - 1) // PARAGRAPHS_PER_ARTICLE + 1
            if lo % PARAGRAPHS_PER_ARTICLE:
                first_article += 1  # begun by the previous chunk
            articles = [f"{a}\thttps://fill.invalid/{a}\t{feed_id}\t{RUN_ID}\t2018-01-01 00:00:00+00"
                        f"\t{hashlib.sha1(str(a).encode()).hexdigest()}\t{a}\n"
                        for a in range(first_article, last_article + 1)]
            _copy(cur, "akhbar.articles", "article_id, url, feed_id, run_id, fetched_at,"
                  " body_fingerprint, story_id", articles)
            rows = []
            for i in range(lo, hi):
                text, fp = _variant(pool, i)
                rows.append(f"{i // PARAGRAPHS_PER_ARTICLE + 1}\t{i % PARAGRAPHS_PER_ARTICLE}"
                            f"\t{text.translate(_COPY_ESCAPES)}\t{fp}\n")
            _copy(cur, "akhbar.paragraphs", "article_id, position, text, fingerprint", rows)
            bands = [f"{key}\t{i // PARAGRAPHS_PER_ARTICLE + 1}\t{i % PARAGRAPHS_PER_ARTICLE}\n"
                     for i in range(lo, hi) for key in set(dedup_index.band_keys_of(_variant(pool, i)[0]))]
            _copy(cur, "akhbar.paragraph_bands", "band_key, article_id, position", bands)
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("SELECT setval('akhbar.articles_article_id_seq', (SELECT max(article_id) FROM akhbar.articles))")
    conn.commit()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("ANALYZE akhbar.articles")
        cur.execute("ANALYZE akhbar.paragraphs")
        cur.execute("ANALYZE akhbar.paragraph_bands")
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


def run(path: Path, sizes: list[int], probe_articles: int, corpus_size: int, rounds: int = 5) -> dict:
    sizes = sorted(sizes)
    # enough distinct paragraphs that the 10k step holds only paragraphs as written
    pool = _pool(path, max(probe_articles, sizes[0] // 6))
    hits = staged_articles(path, probe_articles // 2, feed=FEED)
    misses = staged_articles(path, probe_articles - len(hits), skip=min(20_000, corpus_size // 2),
                             feed=FEED)
    probe = hits + misses
    probe_prints = [_prints(a) for a in probe]
    paragraphs = sum(len(p) for p in probe_prints)
    assert all(_variant(pool, i)[1] == paragraph_fingerprint(_variant(pool, i)[0])
               for i in (0, 1, len(pool), 2 * len(pool) + 3))
    points = []
    with bench_database("dedup") as url:
        conn = psycopg2.connect(url)
        try:
            with conn.cursor() as cur:
                runs.start(conn, RUN_ID, date(2018, 1, 1), [FeedConfig(FEED, "https://bench.invalid/", "bench")])
            conn.commit()
            feed_ids = runs.feed_ids(conn)
            filled = 0
            for size in sizes:
                started = time.perf_counter()
                fill(conn, pool, filled, size, feed_ids[FEED])
                fill_s = time.perf_counter() - started
                filled = size
                point = {"paragraphs_in_warehouse": size, "fill_seconds": round(fill_s, 1)}
                fast, median = _timed(lambda: _lookup_seconds(conn, probe), rounds)
                point["lookup_us_per_paragraph"] = round(fast / paragraphs * 1e6, 2)
                point["lookup_us_per_paragraph_median"] = round(median / paragraphs * 1e6, 2)
                fast, median = _timed(lambda: _load_seconds(conn, probe, feed_ids), max(1, rounds // 2))
                point["load_us_per_paragraph"] = round(fast / paragraphs * 1e6, 2)
                point["load_us_per_paragraph_median"] = round(median / paragraphs * 1e6, 2)
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_total_relation_size('akhbar.paragraphs')")
                    point["paragraphs_table_mib"] = round(cur.fetchone()[0] / 2**20, 1)
                conn.rollback()
                points.append(point)
                print(f"  dedup: {point}", flush=True)
        finally:
            conn.close()
    key = "lookup_us_per_paragraph"
    first, last = points[0], points[-1]
    return {
        "method": "the loader's lookup (dedup engine: mark_boilerplate + match_article on PgStore) per paragraph,"
                  " paragraph_bands filled like paragraphs; fastest of the rounds",
        "probe_articles": len(probe),
        "probe_paragraphs": paragraphs,
        "points": points,
        "measured_key": key,
        "ratio_1m_to_10k": round(last[key] / first[key], 3),
        "load_ratio_largest_to_smallest": round(last["load_us_per_paragraph"] / first["load_us_per_paragraph"], 3),
    }

"""Smoke test of `make bench --quick`: every stage runs on a small sample (against the real
PostgreSQL, a real loopback web of ten hosts and a real Airflow scheduler) and latest.json holds the
keys runs are compared by. Benchmarks are measurements: no figure is asserted here.

The corpus is made from the project's own sample pages, so the test needs nothing outside
the repository. The end-to-end stage starts a real Airflow (scheduler, DAG processor, API
server) and ten loopback hosts with the pipeline's one-second politeness gap: it takes a few
minutes on two cores, hence the generous timeout (not a measurement)."""
import json
import os
import subprocess
import sys
from email.utils import format_datetime
from datetime import datetime

import pytest

from akhbar.extract.charset import decode_document
from akhbar.extract.pages import extract_page
from tests.conftest import PG_SERVER, ROOT, SAMPLES
from tests.e2e.helpers import manifest

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

REQUIRED = {
    "transform": ["articles_per_s_per_core", "ratio_to_floor"],
    "dedup_lookup": ["ratio_1m_to_10k"],
    "load": ["ratio_to_copy", "speedup_vs_row_inserts"],
    "end_to_end": ["ratio_to_plain_fetch"],
    "memory": ["ratio_full_to_1k"],
}


def _sample_corpus(target):
    """The sample pages as corpus lines: title, RFC 822 date and body, as the corpus has them."""
    lines = []
    for article in manifest():
        raw = (SAMPLES / article["page"]).read_bytes()
        page = extract_page(decode_document(raw, None), article["page"])
        published = format_datetime(datetime.fromisoformat(article["published"]))
        lines.append(json.dumps({"id": article["id"], "title": article["title"], "published": published,
                                 "body": "\n\n".join(page.paragraphs), "summary": page.paragraphs[0]},
                                ensure_ascii=False))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_quick_bench_runs_every_stage_and_writes_the_results(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    articles = _sample_corpus(corpus)
    out = tmp_path / "results"
    env = {**os.environ, "AKHBAR_BENCH_CORPUS": str(corpus), "AKHBAR_BENCH_PG_SERVER": PG_SERVER}
    env.pop("AKHBAR_BENCH_LIMIT", None)
    # the suite switches the crawler's politeness gap off (conftest); the benchmark's web
    # is measured with the pipeline's defaults in force
    for name in ("AKHBAR_MIN_HOST_DELAY", "AKHBAR_MAX_HOST_CONCURRENCY", "AKHBAR_BENCH_E2E_PARALLELISM"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stderr[-3000:]

    results = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    for stage, keys in REQUIRED.items():
        for key in keys:
            value = results[stage][key]
            assert isinstance(value, (int, float)) and value > 0, (stage, key, value)
    assert results["quick"] is True
    assert results["machine"]["cpus"] >= 1
    datetime.fromisoformat(results["when"])

    assert results["transform"]["articles"] == articles
    assert results["transform"]["errors"] == 0
    assert len(results["transform"]["profile"]["top_two"]) == 2
    assert results["memory"]["full"]["articles"] == articles
    assert [p["paragraphs_in_warehouse"] for p in results["dedup_lookup"]["points"]] == [1_000, 3_000, 10_000]
    assert results["load"]["rows_by_table"]["articles"] == articles
    assert results["load"]["rows"] == sum(results["load"]["rows_by_table"].values())

    e2e = results["end_to_end"]
    pages = e2e["feeds"] * e2e["items_per_feed"]
    # the web it resembles: at least ten outlets, each on a loopback address of its own,
    # answering after a latency of about 100 ms (median) with politeness in force
    assert e2e["hosts"] >= 10 and e2e["feeds"] == e2e["hosts"]
    assert e2e["latency_median_ms"] >= 50 and e2e["latency_max_ms"] <= 1000
    assert e2e["politeness"]["min_host_delay_s"] > 0
    assert e2e["urls"] == e2e["feeds"] + pages
    dag = e2e["dag"]
    # run by the real scheduler (LocalExecutor), not dag.test()
    assert "LocalExecutor" in dag["engine"] and dag["parallelism"] >= 4
    assert dag["state"] == "success"
    assert dag["articles_loaded"] == pages, dag
    assert dag["quarantined"] == 0
    assert set(dag["task_states"]["fetch_feed"]) == {"success"}
    assert dag["task_states"]["fetch_feed"]["success"] == e2e["feeds"]
    assert dag["task_states"]["fetch_articles"] == {"success": 1}  # every feed's pages in one task
    for task in ("migrate", "start_run", "fetch_feed", "fetch_articles", "transform", "load",
                 "quality_checks", "summary"):
        assert dag["tasks"][task]["peak_rss_mib"] > 0, task
        assert dag["tasks"][task]["seconds"] > 0, task
    assert e2e["where_the_time_goes"]["fetch_articles_s"] > 0
    assert {t["stage"] for t in results["targets"]} == set(REQUIRED)
    # the table on the terminal names every stage
    for stage in REQUIRED:
        assert stage in done.stdout


def test_archive_windows_and_projection_of_a_cost_growing_with_the_warehouse():
    """bench/archive_bench.py: rates per 10k-article window, and a 10M projection that
    integrates a per-article cost growing linearly with the articles already loaded."""
    from bench.archive_bench import projection, windows

    # 2 ms + 1 µs per article already in the warehouse, CPU the same; a point per 500 articles
    progress, t = [{"t": 0.0, "articles": 0, "main_cpu_s": 0.0, "workers_cpu_s": 0.0, "pg_cpu_s": 0.0}], 0.0
    for n in range(500, 40_001, 500):
        t += 500 * (0.002 + 1e-6 * (n - 250))
        progress.append({"t": t, "articles": n, "main_cpu_s": t / 2, "workers_cpu_s": n * 0.004, "pg_cpu_s": t / 2})
    spans = windows(progress)
    assert [(w["from_article"], w["to_article"]) for w in spans] == [
        (0, 10_000), (10_000, 20_000), (20_000, 30_000), (30_000, 40_000)]
    assert spans[0]["articles_per_s"] > spans[-1]["articles_per_s"]
    assert spans[0]["transform_workers_cpu_s"] == 40.0
    p = projection(spans, target=1_000_000, cpus=2, transform_cpu_ms_per_article=4.0)
    expected_hours = (0.002 * 1e6 + 1e-6 * 1e6 ** 2 / 2) / 3600
    assert abs(p["projected_hours_fitted"] - expected_hours) / expected_hours < 0.02
    assert p["projected_hours_flat_last_window"] < p["projected_hours_fitted"]
    assert abs(p["projected_loader_cpu_hours"] - expected_hours) / expected_hours < 0.02
    assert p["projected_transform_cpu_hours"] == round(4.0e-3 * 1e6 / 3600, 1)
    assert p["projected_hours_on_2_idle_cores_at_best"] == p["projected_loader_cpu_hours"]

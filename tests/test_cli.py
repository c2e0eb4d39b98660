"""The `akhbar` command as a user runs it: a real process, real files, a real database."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLES, query

AKHBAR = [sys.executable, "-m", "akhbar.cli"]


def _run(args, env=None, stdin=None):
    return subprocess.run(AKHBAR + args, cwd=ROOT, env={**os.environ, **(env or {})}, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_transform_answers_every_line_in_order_even_bad_ones(tmp_path):
    seed = (SAMPLES / "seed_pakistan_kyrgyzstan.txt").read_text(encoding="utf-8")
    title, body = seed.split("\n", 1)
    lines = [
        json.dumps({"id": "seed", "title": title, "body": body, "published": "2025-12-05T08:00:00+05:00"},
                   ensure_ascii=False),
        "{not json",
        json.dumps({"id": "empty", "title": "بلا نص"}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = _run(["transform", "--input", str(src), "--output", str(out)])
    assert result.returncode == 0, result.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in rows] == ["seed", None, "empty"]
    assert "error" not in rows[0] or rows[0]["error"] is None
    assert rows[1]["error"] and rows[2]["error"]
    assert {"PAK", "KGZ"} <= set(rows[0]["countries"])
    assert [p["index"] for p in rows[0]["paragraphs"]] == list(range(14))


@pytest.mark.integration
def test_run_over_the_bundled_sample_feeds_by_file_url(fresh_db_url):
    env = {"AKHBAR_WAREHOUSE_URL": fresh_db_url}
    assert _run(["migrate"], env).returncode == 0
    result = _run(["run", "--date", "2025-12-05"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "run cli__2025-12-05" in result.stdout and "success" in result.stdout
    (n,) = query(fresh_db_url, "SELECT count(*) FROM akhbar.articles_v")[0]
    assert n == len(list(SAMPLES.glob("*/pages/*.html")))
    assert query(fresh_db_url, "SELECT count(*) FROM akhbar.quarantine_v") == [(0,)]


@pytest.mark.integration
def test_run_with_a_missing_feeds_file_says_so(fresh_db_url, tmp_path):
    result = _run(["run", "--feeds", str(tmp_path / "nope.yaml")], {"AKHBAR_WAREHOUSE_URL": fresh_db_url})
    assert result.returncode == 2
    assert "cannot read feeds file" in result.stderr


@pytest.mark.integration
def test_two_runs_of_one_date_at_once_keep_their_own_staging(fresh_db_url):
    # Both used the run id cli__D: each cleared the other's staging and they shared one
    # audit row. Each invocation now has a run id of its own.
    env = {**os.environ, "AKHBAR_WAREHOUSE_URL": fresh_db_url}
    assert _run(["migrate"], env).returncode == 0
    procs = [subprocess.Popen(AKHBAR + ["run", "--date", "2025-12-05"], cwd=ROOT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    runs = query(fresh_db_url, "SELECT run_id, status FROM akhbar.runs_v WHERE logical_date = '2025-12-05'")
    assert len({run_id for run_id, _ in runs}) == 2 and {s for _, s in runs} == {"success"}, runs
    pages = len(list(SAMPLES.glob("*/pages/*.html")))
    assert query(fresh_db_url, "SELECT count(*), count(DISTINCT url) FROM akhbar.articles_v") == [(pages, pages)]
    (new,) = query(fresh_db_url, "SELECT sum(articles_new) FROM akhbar.runs_v")[0]
    assert new == pages  # each article loaded once, by one of the two
    assert query(fresh_db_url, "SELECT count(*) FROM akhbar_staging.articles") == [(0,)]
    assert query(fresh_db_url, "SELECT count(*) FROM akhbar.quarantine_v") == [(0,)]

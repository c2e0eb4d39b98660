"""`akhbar import-archive` on a real PostgreSQL: archives load like feeds, once."""
import gzip
import json

import pytest

from akhbar.cli import main as akhbar
from tests.conftest import query
from tests.ingest.test_hostile_web import _story

pytestmark = pytest.mark.integration


def _archive(path, rows):
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def test_an_archive_loads_once_with_its_outlets_and_republications(tmp_path, fresh_db_url, capsys):
    story = "\n\n".join(_story(1))
    archive = _archive(tmp_path / "archive.jsonl.gz", [
        {"id": "w1", "url": "https://wire.test/1", "outlet": "Wire", "title": "زيارة",
         "published": "Sun, 02 Mar 2025 08:00:00 +0300", "body": story},
        {"id": "d1", "url": "https://daily.test/7", "outlet": "Daily", "title": "زيارة رسمية",
         "published": "2025-03-02T12:00:00+00:00", "body": story},
        {"id": "d2", "url": "https://daily.test/8", "outlet": "Daily", "title": "أخرى",
         "published": "2025-03-03T12:00:00+00:00", "body": "\n\n".join(_story(2))},
        {"id": "bad", "url": "https://daily.test/9", "outlet": "Daily", "title": "فارغ", "body": None},
    ])
    args = ["--warehouse", fresh_db_url, "import-archive", "--input", str(archive), "--workers", "1", "--quiet"]
    assert akhbar(args) == 0
    assert "4 articles, 3 new (1 republished)" in capsys.readouterr().out
    assert query(fresh_db_url, "SELECT feed, outlet, url, duplicate_of_url FROM akhbar.articles_v ORDER BY published_at") == [
        ("archive-wire", "Wire", "https://wire.test/1", None),
        ("archive-daily", "Daily", "https://daily.test/7", "https://wire.test/1"),
        ("archive-daily", "Daily", "https://daily.test/8", None)]
    before = query(fresh_db_url, "SELECT count(*) FROM akhbar.paragraphs")
    assert akhbar(args) == 0
    assert "4 articles, 0 new" in capsys.readouterr().out
    assert query(fresh_db_url, "SELECT count(*) FROM akhbar.paragraphs") == before


def test_a_bad_line_is_quarantined_and_the_rest_loads(tmp_path, fresh_db_url, capsys):
    # One line that is not JSON used to abort the whole import; articles the transform
    # refused vanished. Now each such line is quarantined with its reason and evidence.
    good = [json.dumps({"id": f"g{n}", "url": f"https://wire.test/{n}", "outlet": "Wire", "title": "زيارة",
                        "published": "2025-03-02T08:00:00+00:00", "body": "\n\n".join(_story(n))},
                       ensure_ascii=False).encode() for n in range(3)]
    nul_title = json.dumps({"id": "z", "url": "https://wire.test/nul", "outlet": "Wire", "title": "عنوان\u0000",
                            "body": "\n\n".join(_story(5))}).encode()
    lines = [good[0], b'{"id": "broken", "url": "https://wire.test/x", "body": "', good[1],
             b'\xff\xfe not utf-8 \xc3\x28', json.dumps({"id": "empty", "url": "https://wire.test/e"}).encode(),
             nul_title, good[2]]
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    args = ["--warehouse", fresh_db_url, "import-archive", "--input", str(path), "--workers", "1", "--quiet"]
    assert akhbar(args) == 0
    assert "7 articles, 4 new" in capsys.readouterr().out
    assert {u for (u,) in query(fresh_db_url, "SELECT url FROM akhbar.articles_v")} == {
        "https://wire.test/0", "https://wire.test/1", "https://wire.test/2", "https://wire.test/nul"}
    assert query(fresh_db_url, "SELECT title FROM akhbar.articles_v WHERE url = 'https://wire.test/nul'") == [("عنوان",)]
    rows = query(fresh_db_url, "SELECT url, stage, reason, payload_bytes > 0 FROM akhbar.quarantine_v ORDER BY url")
    assert [(url.rsplit("/", 1)[-1], stage, ok) for url, stage, _, ok in rows] == [
        ("archive.jsonl#line=2", "import", True), ("archive.jsonl#line=4", "import", True), ("e", "transform", True)]
    reasons = [reason for _, _, reason, _ in rows]
    assert "not JSON" in reasons[0] and "not UTF-8" in reasons[1] and "neither body nor html" in reasons[2]


def test_the_batch_log_says_after_each_batch_what_is_committed(tmp_path, fresh_db_url, capsys):
    # bench/archive_bench.py times the import by these lines, one per committed batch
    from bench.archive_bench import PROGRESS

    rows = [{"id": f"s{n}", "url": f"https://daily.test/{n}", "outlet": "Daily", "title": "خبر",
             "published": f"2025-03-0{n}T12:00:00+00:00", "body": "\n\n".join(_story(n))} for n in range(1, 6)]
    archive = _archive(tmp_path / "archive.jsonl.gz", rows)
    args = ["--warehouse", fresh_db_url, "import-archive", "--input", str(archive), "--workers", "1",
            "--batch-size", "2", "--quiet", "--batch-log"]
    assert akhbar(args) == 0
    lines = [PROGRESS.search(line).groups() for line in capsys.readouterr().err.splitlines() if PROGRESS.search(line)]
    assert lines == [("2", "2", "0", "0"), ("4", "4", "0", "0"), ("5", "5", "0", "0")]

"""`akhbar import-archive` reads and transforms ahead of its loader only a bounded window.

Transform workers that outran a slow loader used to hold the whole archive's transformed
lines in memory (multiprocessing's imap reads its input ahead without limit).
"""
import json
import multiprocessing
import signal

import pytest

from akhbar.archive import _CHUNK, _lines, read_ahead_default, transformed


class CountingLines:
    """Numbered archive lines that count how many were read."""

    def __init__(self, n: int):
        self.n, self.read = n, 0

    def __iter__(self):
        for k in range(1, self.n + 1):
            self.read += 1
            yield k, json.dumps({"id": f"a{k}", "url": f"https://wire.test/{k}", "outlet": "Wire",
                                 "title": "زيارة", "body": f"زار الوزير القاهرة في اليوم {k}."}).encode()


@pytest.fixture(scope="module")
def pool():
    # workers forked from the test process inherit whatever SIGTERM handler an earlier test
    # installed (Airflow's): they get the default back, and are ended by close and join
    # (their queue's end) rather than by terminate's SIGTERM
    p = multiprocessing.get_context("fork").Pool(2, initializer=signal.signal,
                                                 initargs=(signal.SIGTERM, signal.SIG_DFL))
    try:
        yield p
    finally:
        p.close()
        p.join()


@pytest.mark.parametrize("read_ahead", [1, 7, 120])
def test_a_slow_loader_holds_at_most_the_window_of_transformed_lines(pool, read_ahead):
    source = CountingLines(400)
    results = transformed(iter(source), pool, read_ahead)
    taken = []
    for line in results:
        # however long the loader spends on a line, the archive is read further only when it
        # asks for the next one, and never more than the window ahead of it (imap's feeder
        # thread read the whole archive while the first batch loaded)
        taken.append(line)
        assert source.read - len(taken) <= read_ahead
    assert [line.number for line in taken] == list(range(1, 401))
    assert all(line.doc["id"] == f"a{line.number}" and not line.doc.get("error") for line in taken)


def test_the_window_keeps_the_workers_busy(pool):
    # a loader that has taken nothing yet has the window (in whole chunks) handed out to the workers
    source = CountingLines(400)
    results = transformed(iter(source), pool, 120)
    first = next(results)
    assert first.number == 1 and 120 - _CHUNK < source.read <= 120


def test_the_same_lines_come_back_in_one_process_and_in_the_pool(pool, tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"\n".join(data for _, data in CountingLines(60)) + b"\n\nnot json\n")
    alone = [(line.number, line.doc, line.problem) for line in transformed(_lines(path, None), None, 5)]
    pooled = [(line.number, line.doc, line.problem) for line in transformed(_lines(path, None), pool, 5)]
    assert pooled == alone and len(alone) == 61 and alone[-1][2].startswith("line 62 is not JSON")


def test_the_window_is_a_setting(monkeypatch):
    monkeypatch.setenv("AKHBAR_ARCHIVE_READ_AHEAD", "300")
    assert read_ahead_default() == 300
    monkeypatch.delenv("AKHBAR_ARCHIVE_READ_AHEAD")
    assert read_ahead_default() == 2000

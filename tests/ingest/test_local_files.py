"""file:// feeds (archived feeds the operator lists) read their own folder and nothing else.

The check used to compare the still percent-encoded path, so "%2e%2e/" left the folder,
symlinks and FIFOs were followed, and an undecodable local file's bytes were stored in the
quarantine table.
"""
import os
import threading
from datetime import date
from pathlib import Path

import pytest

from akhbar.extract.errors import BlockedAddress
from akhbar.extract.http import fetch
from akhbar.extract.settings import FetchSettings
from akhbar.models import FeedConfig
from akhbar.runner import run_pipeline
from tests.conftest import query
from tests.faultserver import payloads
from tests.ingest.test_hostile_web import _page

pytestmark = pytest.mark.integration


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "secret.html").write_text(payloads.article_page("سر", ["نص سري لا يخرج من هذا الملف أبدا."] * 3
                                                               + [_page(9)]), encoding="utf-8")
    pages = tmp_path / "feeds" / "pages"
    pages.mkdir(parents=True)
    (pages / "good.html").write_text(_page(1), encoding="utf-8")
    (pages / "link.html").symlink_to(tmp_path / "secret.html")
    items = [("خبر", "pages/good.html"), ("هروب", "pages/%2e%2e/%2e%2e/secret.html"),
             ("رابط رمزي", "pages/link.html")]
    (tmp_path / "feeds" / "feed.xml").write_bytes(payloads.rss(items))
    (tmp_path / "feeds" / "garbled.xml").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    return tmp_path / "feeds"


def test_a_local_feed_reads_its_folder_only(tmp_path, warehouse_url):
    folder = _folder(tmp_path)
    feeds = [FeedConfig("archive", (folder / "feed.xml").as_uri(), "Archive"),
             FeedConfig("garbled", (folder / "garbled.xml").as_uri(), "Archive")]
    run_pipeline(warehouse_url, feeds, date(2025, 3, 2))
    assert [u.rsplit("/", 1)[-1] for (u,) in query(warehouse_url, "SELECT url FROM akhbar.articles_v")] == ["good.html"]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.paragraphs_v WHERE text LIKE '%%سري%%'") == [(0,)]
    rows = {u.rsplit("/", 1)[-1]: (stage, reason, size) for u, stage, reason, size in query(
        warehouse_url, "SELECT url, stage, reason, payload_bytes FROM akhbar.quarantine_v")}
    assert "outside the feed's folder" in rows["secret.html"][1]
    assert "outside the feed's folder" in rows["link.html"][1]
    # the garbled local file is reported, its bytes are not copied into the warehouse
    assert rows["garbled.xml"][0] == "feed" and rows["garbled.xml"][2] is None


def test_a_fifo_is_refused_without_blocking(tmp_path):
    # open() of a FIFO waits for a writer: the feed's task would hang for ever
    fifo = tmp_path / "pages" / "fifo.html"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            fetch(fifo.as_uri(), FetchSettings(), allow_file=True, file_root=tmp_path)
        except BlockedAddress as exc:
            outcome.append(str(exc))
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the thread before failing
        with open(fifo, "wb"):
            pass
    assert outcome and "not a regular file" in outcome[0]

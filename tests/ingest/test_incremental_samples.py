"""The bundled sample feeds over HTTP, twice: the second run costs one 304 per feed."""
import hashlib
import mimetypes
from datetime import date

import pytest
import yaml

from akhbar.config import load_feeds
from akhbar.runner import run_pipeline
from tests.conftest import ROOT, query
from tests.faultserver import FaultServer

pytestmark = pytest.mark.integration

SAMPLES = ROOT / "config" / "samples"


@pytest.fixture
def samples_with_validators():
    """Every sample file served with an ETag, as a real news site's CDN would."""
    with FaultServer() as server:
        for path in SAMPLES.rglob("*"):
            if path.is_file():
                body = path.read_bytes()
                server.route("/" + path.relative_to(SAMPLES).as_posix(), body,
                             content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                             charset=None, etag='"%s"' % hashlib.sha1(body).hexdigest()[:16])
        yield server


def test_second_run_over_unchanged_sample_feeds_refetches_nothing(samples_with_validators, warehouse_url, tmp_path):
    server = samples_with_validators
    doc = yaml.safe_load((ROOT / "config" / "feeds.sample.yaml").read_text(encoding="utf-8"))
    for feed in doc["feeds"]:
        feed["url"] = server.url("/" + feed["url"].removeprefix("samples/"))
        feed["allow_private_network"] = True
    (tmp_path / "feeds.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    feeds = load_feeds(tmp_path / "feeds.yaml")

    first = run_pipeline(warehouse_url, feeds, date(2025, 3, 2))
    first_requests, first_bytes = server.count(), server.bytes_sent()
    server.reset_log()
    second = run_pipeline(warehouse_url, feeds, date(2025, 3, 3))

    print(f"\nsample feeds over HTTP: first run {first_requests} requests, {first_bytes} bytes;"
          f" second run {server.count()} requests, {server.bytes_sent()} bytes")
    assert first.summary["articles_new"] > 0
    assert sorted(r.path for r in server.requests()) == sorted(
        "/" + f["url"].removeprefix("samples/") for f in yaml.safe_load(
            (ROOT / "config" / "feeds.sample.yaml").read_text(encoding="utf-8"))["feeds"])
    assert {r.status for r in server.requests()} == {304}
    assert server.bytes_sent() == 0
    assert second.summary["articles_new"] == 0 and second.summary["status"] == "success"
    assert query(warehouse_url, "SELECT sum(bytes) FROM akhbar.run_feeds WHERE run_id = %s",
                 (second.run_id,)) == [(0,)]

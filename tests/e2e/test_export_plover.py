"""`akhbar export-plover` over a warehouse loaded by a real pipeline run of the sample feeds."""
import json
from datetime import date

import pytest

from akhbar.cli import main
from akhbar.config import load_feeds
from akhbar.transform.plover import QUAD_CODES
from akhbar.load.migrate import prepare_warehouse
from akhbar.runner import run_pipeline
from tests.conftest import new_database, query, sample_feeds_over_http, serve_samples
from tests.e2e.helpers import manifest, page_url

pytestmark = pytest.mark.integration

PLOVER_FIELDS = {"event_id", "event_date", "event", "mode", "quad_code", "actor", "recipient",
                 "event_loc", "event_text", "url", "outlet"}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    with new_database() as url, serve_samples() as base:
        prepare_warehouse(url)
        feeds = load_feeds(sample_feeds_over_http(base, tmp_path_factory.mktemp("feeds") / "feeds.yaml"))
        run_pipeline(url, feeds, date(2025, 12, 5))
        yield url, base


def _export(url, tmp_path, since):
    out = tmp_path / "plover.jsonl"
    assert main(["--warehouse", url, "export-plover", "--since", since, "--output", str(out)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_one_plover_record_per_event(loaded, tmp_path):
    url, _ = loaded
    records = _export(url, tmp_path, "2000-01-01")
    (events,) = query(url, "SELECT count(*) FROM akhbar.events_v")[0]
    assert events > 0 and len(records) == events
    assert len({r["event_id"] for r in records}) == events
    for r in records:
        assert PLOVER_FIELDS <= set(r)
        assert r["quad_code"] == QUAD_CODES[r["event"]]
        assert all(len(e["code"]) == 3 for e in r["actor"] + r["recipient"])
        assert r["event_text"] and r["url"].startswith("http") and r["outlet"]


def test_seed_visit_exported_with_provenance(loaded, tmp_path):
    url, base = loaded
    seed = next(a for a in manifest() if a["page"].endswith("pk-kg-talks.html"))
    records = _export(url, tmp_path, "2025-12-01")
    visit = [r for r in records if r["url"] == page_url(base, seed) and r["event"] == "CONSULT"
             and r["mode"] == "visit"]
    assert visit, records
    assert visit[0]["event_date"] == "2025-12-04"
    assert [a["code"] for a in visit[0]["actor"]] == ["KGZ"]
    assert [a["code"] for a in visit[0]["recipient"]] == ["PAK"]


def test_since_leaves_out_earlier_events(loaded, tmp_path):
    url, _ = loaded
    everything = _export(url, tmp_path, "2000-01-01")
    later = _export(url, tmp_path, "2025-12-05")
    assert len(later) < len(everything)
    assert all(r["event_date"] >= "2025-12-05" for r in later)


def test_warehouse_quad_codes_follow_the_manual(loaded):
    url, _ = loaded
    table = dict(query(url, "SELECT category, quad_code FROM akhbar.plover_categories"))
    assert table == QUAD_CODES
    rows = query(url, "SELECT e.category, e.quad_code, v.quad_code FROM akhbar.events e"
                      " JOIN akhbar.events_v v USING (event_id)")
    assert rows and all(stored == shown == QUAD_CODES[cat] for cat, stored, shown in rows)

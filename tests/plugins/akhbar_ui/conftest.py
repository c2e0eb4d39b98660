"""A warehouse loaded by a real pipeline run of the sample feeds (plus one broken feed),
shared by the UI plugin's tests: they only read it."""
from __future__ import annotations

import sys
from datetime import date

import pytest

from tests.conftest import ROOT, new_database, sample_feeds_over_http, serve_samples

# The plugin package lives in plugins/, which Airflow puts on sys.path; so do the tests.
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

BROKEN = {"name": "broken-missing", "url": "{base}/gone/feed.xml", "outlet": "Nowhere",
          "allow_private_network": True}
#: Two daily runs, so that the broken feed has failed two days in a row.
DAYS = [date(2025, 12, 4), date(2025, 12, 5)]


@pytest.fixture(scope="session")
def samples_warehouse(tmp_path_factory):
    """(warehouse URL, base URL of the sample server) after two runs over the samples."""
    from akhbar.config import load_feeds
    from akhbar.load.migrate import prepare_warehouse
    from akhbar.runner import run_pipeline

    with new_database() as url, serve_samples() as base:
        prepare_warehouse(url)
        broken = [{**BROKEN, "url": BROKEN["url"].format(base=base)}]
        feeds = load_feeds(sample_feeds_over_http(base, tmp_path_factory.mktemp("feeds") / "feeds.yaml", broken))
        for day in DAYS:
            run_pipeline(url, feeds, day)
        yield url, base


@pytest.fixture(scope="session")
def ui_client(samples_warehouse):
    """The plugin's app on the samples warehouse, without Airflow's login (tested apart)."""
    from fastapi.testclient import TestClient

    from akhbar_ui.app import create_app

    app = create_app(samples_warehouse[0], require_login=False)
    with TestClient(app) as client:
        yield client
    app.state.warehouse.close()

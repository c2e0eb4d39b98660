"""`pip install .` into a fresh virtual environment, as a user would: the package is
complete apart from camel-tools, which says in one line how to add it; with it added, the
installed `akhbar` runs the bundled sample feeds into a real PostgreSQL. A warehouse that
cannot be reached is one line, not a traceback. (~1 min: pip builds and installs.)"""
import os
import subprocess
import sys
import venv

import pytest

from tests.conftest import ROOT, query

pytestmark = pytest.mark.integration


def _sh(args, **kw):
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("AKHBAR_WAREHOUSE_URL", None)
    return subprocess.run(args, capture_output=True, text=True, timeout=600, env=env, cwd=kw.pop("cwd", "/"), **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    home = tmp_path_factory.mktemp("fresh-venv")
    venv.create(home, with_pip=True)
    pip = [str(home / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    result = _sh(pip + ["--constraint", str(ROOT / "constraints.txt"), str(ROOT)])
    assert result.returncode == 0, result.stderr[-3000:]
    return home


def test_a_plain_install_is_lean_and_says_in_one_line_what_is_missing(installed):
    freeze = _sh([str(installed / "bin" / "python"), "-m", "pip", "freeze"]).stdout.lower()
    for heavy in ("torch", "transformers", "apache-airflow", "defusedxml", "providers-postgres"):
        assert heavy not in freeze, heavy
    result = _sh([str(installed / "bin" / "akhbar"), "--help"])
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "akhbar: camel-tools is not installed; install it without its heavy dependencies:"
        " pip install --no-deps camel-tools==1.6.0  (README: Install)"]


def test_with_camel_tools_added_the_installed_akhbar_runs_the_samples(installed, fresh_db_url):
    pip = [str(installed / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps"]
    assert _sh(pip + ["camel-tools==1.6.0"]).returncode == 0
    akhbar = str(installed / "bin" / "akhbar")
    feeds = ROOT / "config" / "feeds.sample.yaml"
    result = _sh([akhbar, "--warehouse", fresh_db_url, "run", "--feeds", str(feeds), "--date", "2025-12-05"],
                 cwd=str(installed))
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(fresh_db_url, "SELECT status FROM akhbar.runs_v") == [("success",)]
    assert query(fresh_db_url, "SELECT count(*) > 0 FROM akhbar.events_v") == [(True,)]


def test_an_unreachable_warehouse_is_one_clear_line(installed):
    akhbar = str(installed / "bin" / "akhbar")
    _sh([str(installed / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "camel-tools==1.6.0"])
    feeds = str(ROOT / "config" / "feeds.sample.yaml")
    for command in (["migrate"], ["run", "--feeds", feeds, "--date", "2025-12-05"]):
        result = _sh([akhbar, "--warehouse", "postgresql://akhbar:secret@127.0.0.1:1/akhbar", *command])
        assert result.returncode == 3, result.stderr
        assert result.stderr.splitlines()[-1] == (
            "akhbar: cannot reach the warehouse at postgresql://akhbar:***@127.0.0.1:1/akhbar: Connection refused")
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

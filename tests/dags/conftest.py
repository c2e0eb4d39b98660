"""An isolated Airflow home for DAG tests: its own config and SQLite metadata database."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# One home per test session, so that every session starts from an empty metadata database.
_HOME = Path(os.environ.get("AKHBAR_TEST_AIRFLOW_HOME", f"/tmp/akhbar-test-airflow-{os.getpid()}"))

# Airflow reads its configuration when first imported: set it before any test imports it.
os.environ["AIRFLOW_HOME"] = str(_HOME)
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "False"
os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{_HOME}/airflow.db"
os.environ["AKHBAR_TASK_RETRIES"] = "0"
# dag.test() in Airflow 3.3 cannot finish a successful run of a DAG with a DeadlineAlert
# (dags/arabic_news_daily.py); the alert's settings are checked by parsing the file with it.
os.environ["AKHBAR_LATE_AFTER_HOURS"] = "off"
_HOME.mkdir(parents=True, exist_ok=True)
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))


import shutil
import subprocess

import pytest


@pytest.fixture(scope="session")
def airflow_db():
    """Airflow's metadata database, migrated once per session (in a child process, before
    this process opens it)."""
    result = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=os.environ.copy(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    yield
    shutil.rmtree(_HOME, ignore_errors=True)

"""An isolated Airflow home for DAG tests: its own config and SQLite metadata database."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_HOME = Path(os.environ.get("AKHBAR_TEST_AIRFLOW_HOME", "/tmp/akhbar-test-airflow-home"))

# Airflow reads its configuration when first imported: set it before any test imports it.
os.environ.setdefault("AIRFLOW_HOME", str(_HOME))
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "False"
os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{_HOME}/airflow.db")
os.environ["AKHBAR_TASK_RETRIES"] = "0"
_HOME.mkdir(parents=True, exist_ok=True)
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

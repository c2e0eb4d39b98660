"""Print the state of one DAG run (for scripts waiting on a run)."""
import sys

from airflow.models.dagrun import DagRun
from airflow.utils.session import create_session

with create_session() as session:
    run = session.query(DagRun).filter_by(dag_id=sys.argv[1], run_id=sys.argv[2]).one_or_none()
    print(run.state if run else "queued")

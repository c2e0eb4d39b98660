# Sourced by run-local.sh and stop-local.sh: where the local Airflow and warehouse live.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.akhbar"
export AIRFLOW_HOME="$STATE/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
# A laptop-sized Airflow: standalone would otherwise start dozens of worker processes.
export AIRFLOW__CORE__PARALLELISM=4
export AIRFLOW__API__WORKERS=1
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=30
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="admin:admin"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$STATE/passwords.json"
export AKHBAR_FEEDS="${AKHBAR_FEEDS:-$ROOT/config/feeds.sample.yaml}"
export PATH="$ROOT/.venv/bin:$PATH"

# True when the process runs. `kill -0` is not enough: where PID 1 does not reap orphans
# (containers), a finished process lingers as a zombie and would look alive.
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$stat" ] && [[ "$stat" != Z* ]]
}

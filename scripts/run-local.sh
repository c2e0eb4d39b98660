#!/usr/bin/env bash
# `make run`: a local Airflow (scheduler, DAG processor, API server with the UI on :8080,
# triggerer) over the sample feeds, with the warehouse on the local PostgreSQL or, when
# none answers, an embedded one under .akhbar/pg. `make stop` ends it.
set -euo pipefail
source "$(dirname "$0")/local-env.sh"
cd "$ROOT"
mkdir -p "$STATE" "$AIRFLOW_HOME"

if [ -f "$STATE/airflow.pid" ] && alive "$(cat "$STATE/airflow.pid")"; then
  echo "Airflow is already running (pid $(cat "$STATE/airflow.pid")); 'make stop' first to restart it."
  exit 1
fi

export AKHBAR_WAREHOUSE_URL="${AKHBAR_WAREHOUSE_URL:-$(python scripts/ensure_postgres.py --db akhbar)}"
AIRFLOW_DB_URL="$(python scripts/ensure_postgres.py --db akhbar_airflow)"
python -c "import sys; from akhbar.load.db import ensure_database; ensure_database(sys.argv[1])" "$AIRFLOW_DB_URL"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW_DB_URL/postgresql:/postgresql+psycopg2:}"
# The session signing secrets must survive restarts so that a logged-in browser stays in.
[ -f "$STATE/secret" ] || python -c "import secrets; print(secrets.token_urlsafe(32))" > "$STATE/secret"
export AIRFLOW__API__SECRET_KEY="$(cat "$STATE/secret")"
export AIRFLOW__API_AUTH__JWT_SECRET="$(cat "$STATE/secret")"
[ -f "$STATE/passwords.json" ] || python -c "import json, secrets; print(json.dumps({'admin': secrets.token_urlsafe(12)}))" > "$STATE/passwords.json"
declare -p AKHBAR_WAREHOUSE_URL AIRFLOW__DATABASE__SQL_ALCHEMY_CONN \
  AIRFLOW__API__SECRET_KEY AIRFLOW__API_AUTH__JWT_SECRET | sed 's/^declare -x /export /' > "$STATE/env"

echo "warehouse: $AKHBAR_WAREHOUSE_URL"
akhbar migrate
airflow db migrate > "$STATE/db-migrate.log" 2>&1 || { tail -20 "$STATE/db-migrate.log"; exit 1; }
# The tasks find the warehouse through this connection, read at each run: created once in
# Airflow's metadata DB (not an AIRFLOW_CONN_ variable), so an edit in the UI is what counts.
airflow connections get akhbar_warehouse > /dev/null 2>&1 \
  || airflow connections add akhbar_warehouse --conn-uri "$AKHBAR_WAREHOUSE_URL" > /dev/null
# Page fetches at once across every worker (the fetch_articles tasks take a slot each).
airflow pools set akhbar_page_fetches "${AKHBAR_PAGE_FETCH_SLOTS:-4}" "akhbar: page fetches at once" > /dev/null

# Its own process group, so that `make stop` can send SIGINT to every component at once.
set -m
nohup airflow standalone > "$STATE/airflow.log" 2>&1 &
echo $! > "$STATE/airflow.pid"
set +m

echo -n "waiting for the API server on :8080 "
for _ in $(seq 1 120); do
  curl -fs http://127.0.0.1:8080/api/v2/monitor/health > /dev/null 2>&1 && break
  alive "$(cat "$STATE/airflow.pid")" || { echo; tail -30 "$STATE/airflow.log"; exit 1; }
  echo -n "."; sleep 2
done
echo
echo -n "waiting for the DAG to be parsed "
for _ in $(seq 1 90); do
  airflow dags details arabic_news_daily > /dev/null 2>&1 && break
  echo -n "."; sleep 2
done
echo
airflow dags unpause arabic_news_daily > /dev/null
run_id="make_run__$(date -u +%Y%m%dT%H%M%S)"
airflow dags trigger arabic_news_daily --run-id "$run_id" > /dev/null
echo -n "run $run_id "
state=queued
for _ in $(seq 1 300); do
  state=$(python scripts/dag_run_state.py arabic_news_daily "$run_id" 2>/dev/null || echo queued)
  case "$state" in success|failed) break ;; esac
  echo -n "."; sleep 2
done
echo " $state"

cat <<MSG

akhbar is running.
  Airflow UI:  http://127.0.0.1:8080/dags/arabic_news_daily   (user: admin, password: $(python -c "import json; print(json.load(open('$STATE/passwords.json'))['admin'])"))
  Pages:       http://127.0.0.1:8080/plugin/akhbar-events   (Airflow's Browse menu: Diplomatic events, Dyad timeline, Feed health)
               http://127.0.0.1:8080/akhbar/overview, /akhbar/dyad?a=PAK&b=KGZ, /akhbar/feeds   (the same pages on their own)
  Warehouse:   $AKHBAR_WAREHOUSE_URL
  Logs:        $STATE/airflow.log
  Try:         psql "$AKHBAR_WAREHOUSE_URL" -c "SELECT category, actors, recipients, event_date, url FROM akhbar.events_v ORDER BY event_date DESC LIMIT 10"
  Stop:        make stop
MSG
[ "$state" = success ]

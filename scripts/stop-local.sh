#!/usr/bin/env bash
# `make stop`: SIGINT to the whole standalone process group (SIGTERM would orphan its
# components), then the embedded PostgreSQL if `make run` started one.
set -uo pipefail
source "$(dirname "$0")/local-env.sh"
cd "$ROOT"
if [ -f "$STATE/airflow.pid" ]; then
  pid=$(cat "$STATE/airflow.pid")
  if alive "$pid"; then
    kill -INT -- "-$pid" 2>/dev/null || kill -INT "$pid"
    for _ in $(seq 1 90); do alive "$pid" || break; sleep 1; done
    if alive "$pid"; then
      kill -KILL -- "-$pid" 2>/dev/null
      echo "Airflow did not stop within 90 s of SIGINT; killed."
    else
      echo "Airflow stopped."
    fi
  fi
  rm -f "$STATE/airflow.pid"
fi
if [ -f "$STATE/pg/PG_VERSION" ] && [ -x .venv/bin/python ]; then
  .venv/bin/python scripts/ensure_postgres.py --state "$STATE" --stop && echo "embedded PostgreSQL stopped."
fi
exit 0

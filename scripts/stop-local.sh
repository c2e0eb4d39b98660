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
    for _ in $(seq 1 20); do alive "$pid" || break; sleep 1; done
    if alive "$pid"; then
      # Seen with Airflow 3.3: the scheduler waits forever for idle LocalExecutor workers
      # after SIGINT. The components have shut down by now; end the rest of the group.
      kill -TERM -- "-$pid" 2>/dev/null
      sleep 5
      kill -KILL -- "-$pid" 2>/dev/null
      echo "Airflow stopped (its scheduler did not exit within 20 s of SIGINT; the rest of its process group was ended)."
    else
      echo "Airflow stopped."
    fi
    # LocalExecutor workers left by a scheduler that was ended keep the group's id
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/airflow.pid"
fi
if [ -f "$STATE/pg/PG_VERSION" ] && [ -x .venv/bin/python ]; then
  .venv/bin/python scripts/ensure_postgres.py --state "$STATE" --stop && echo "embedded PostgreSQL stopped."
fi
exit 0

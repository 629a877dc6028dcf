#!/usr/bin/env bash
# Starts everything on this machine: installs, prepares PostgreSQL, starts Kafka, the five
# subgraphs (which run their migrations) and the gateway, loads a little demo data, and prints
# the URLs and a demo token. Safe to run again: what is already running is left alone.
# Stop it all with: npm run stop
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/env.sh
run="$root/.run"; mkdir -p "$run/logs" "$run/pids"

bash infra/install.sh
bash infra/postgres/setup.sh
bash infra/kafka/kafka.sh start

tsx="$root/node_modules/.bin/tsx"
start_process() { # name entrypoint port
  local name=$1 entry=$2 port=$3 pidfile="$run/pids/$1.pid"
  if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$name: already running (pid $(cat "$pidfile"))"
  else
    setsid nohup "$tsx" "$entry" >"$run/logs/$name.log" 2>&1 &
    echo $! >"$pidfile"
    echo "$name: starting on port $port (log: .run/logs/$name.log)"
  fi
}
wait_ready() { # name port
  for _ in $(seq 1 90); do
    curl -fsS "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && { echo "$1: ready"; return 0; }
    kill -0 "$(cat "$run/pids/$1.pid")" 2>/dev/null || { echo "$1 exited; its log:" >&2; tail -20 "$run/logs/$1.log" >&2; return 1; }
    sleep 1
  done
  echo "$1: not ready after 90 s; see .run/logs/$1.log" >&2; return 1
}

start_process directory services/directory/src/main.ts "$DIRECTORY_PORT"
start_process referral services/referral/src/main.ts "$REFERRAL_PORT"
start_process placement services/placement/src/main.ts "$PLACEMENT_PORT"
start_process safeguarding-audit services/safeguarding-audit/src/main.ts "$SAFEGUARDING_AUDIT_PORT"
start_process outcomes services/outcomes/src/main.ts "$OUTCOMES_PORT"
wait_ready directory "$DIRECTORY_PORT"
wait_ready referral "$REFERRAL_PORT"
wait_ready placement "$PLACEMENT_PORT"
wait_ready safeguarding-audit "$SAFEGUARDING_AUDIT_PORT"
wait_ready outcomes "$OUTCOMES_PORT"
start_process gateway gateway/src/main.ts "$GATEWAY_PORT"
wait_ready gateway "$GATEWAY_PORT"

"$tsx" infra/demo/seed.ts

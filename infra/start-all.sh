#!/usr/bin/env bash
# Starts everything on this machine: installs, prepares PostgreSQL, starts Kafka, the five
# subgraphs (which run their migrations) and the gateway, loads the small demo (infra/demo), and prints
# the URLs and a demo token. Safe to run again: what is already running is left alone.
# Stop it all with: npm run stop
#
# Each process runs as plain `node` on the JavaScript infra/build.mjs compiles into dist/ (no
# transpiler at run time; tsx stays for development and tests), with no wrapper process, in a
# session of its own:
# .run/pids/<name>.pid holds the server's own pid, which is also its process group, so stop-all
# can signal the group and leave no orphan. A start counts only when the process that answers
# on the port reports that pid in /healthz; a port held by anything else fails the start.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source infra/env.sh
run="$root/.run"; mkdir -p "$run/logs" "$run/pids"

bash infra/install.sh
bash infra/postgres/setup.sh
bash infra/kafka/kafka.sh start
# Compiled afresh on every start (a second or so), so dist/ is never older than the sources.
node infra/build.mjs

fail() { echo "start-all: $*" >&2; exit 1; }
alive() { [[ -f "$run/pids/$1.pid" ]] && kill -0 "$(cat "$run/pids/$1.pid")" 2>/dev/null; }
# The pid reported by whatever answers /healthz on the port, if anything does.
answering_pid() { curl -fsS --max-time 2 "http://127.0.0.1:$1/healthz" 2>/dev/null | sed -nE 's/.*"pid":([0-9]+).*/\1/p' || true; }
# The process listening on the port (whoever it is), from the kernel's socket table.
listener() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true; }
describe() { echo "pid $1: $(ps -o args= -p "$1" 2>/dev/null | cut -c1-120), in $(readlink "/proc/$1/cwd" 2>/dev/null || echo '?')"; }

start_process() { # name entrypoint port VAR [node options] (entrypoint: the compiled dist/….js)
  local name=$1 entry=$2 port=$3 pidfile="$run/pids/$1.pid" log="$run/logs/$1.log" holder
  local -a node_options=(${5:-})
  if alive "$name"; then
    [[ "$(answering_pid "$port")" == "$(cat "$pidfile")" || -z "$(listener "$port")" ]] ||
      fail "$name: our process (pid $(cat "$pidfile")) is running, but port $port is answered by $(describe "$(listener "$port")")"
    echo "$name: already running (pid $(cat "$pidfile"))"; return 0
  fi
  holder=$(listener "$port"); [[ -n "$holder" ]] || holder=$(answering_pid "$port")
  if [[ -n "$holder" ]]; then
    fail "$name: port $port is already taken by $(describe "$holder").
  Not starting a second $name that would die on EADDRINUSE while that one answers.
  Stop it (npm run stop in the checkout that started it; here: bash infra/stop-all.sh), or set ${4}_PORT."
  fi
  # Appended, never truncated: the log of a crash survives the next start.
  echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) start-all: starting $name ===" >>"$log"
  setsid node ${node_options[@]+"${node_options[@]}"} "$entry" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "$name: starting on port $port, pid $! (log: .run/logs/$name.log)"
}

wait_ready() { # name port
  local name=$1 port=$2 pid answered
  pid=$(cat "$run/pids/$name.pid")
  for _ in $(seq 1 90); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) exited; the end of its log:" >&2; tail -20 "$run/logs/$name.log" >&2
      rm -f "$run/pids/$name.pid"; exit 1
    fi
    answered=$(answering_pid "$port")
    if [[ -n "$answered" && "$answered" != "$pid" ]]; then
      fail "$name: port $port is answered by pid $answered, not by the $name we started (pid $pid)"
    fi
    if [[ -n "$answered" ]] && curl -fsS --max-time 5 "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
      echo "$name: ready (pid $pid)"; return 0
    fi
    sleep 1
  done
  fail "$name: not ready after 90 s; see .run/logs/$name.log"
}

# Ready means usable; a service whose Kafka is still connecting says "degraded" and catches up by
# itself. Wait a while for every one to be fully connected, so that the demo data flows at once.
wait_connected() { # name:port...
  local pending=("$@") still
  for _ in $(seq 1 60); do
    still=()
    for np in "${pending[@]}"; do
      curl -fsS --max-time 5 "http://127.0.0.1:${np#*:}/readyz" 2>/dev/null | grep -q '"status":"ready"' || still+=("$np")
    done
    [[ ${#still[@]} -eq 0 ]] && return 0
    pending=("${still[@]}"); sleep 1
  done
  for np in "${pending[@]}"; do
    echo "WARNING: ${np%%:*} is still degraded (it works, and catches up once Kafka answers): $(curl -sS "http://127.0.0.1:${np#*:}/readyz")" >&2
  done
}

start_process directory dist/services/directory/src/main.js "$DIRECTORY_PORT" DIRECTORY
start_process referral dist/services/referral/src/main.js "$REFERRAL_PORT" REFERRAL
# A heap cap: MIS pushes of 10,000 marks leave garbage V8 would otherwise collect lazily (peak RSS
# 310-340 MB over 1,000,000 marks uncapped; ~190 MB with a 192 MB old space). A larger young
# generation (32 MB semi-spaces) lets a push's short-lived objects die young: ~8% less CPU in the
# service for ~30 MB more RSS. Measured with npm run bench:attendance, which runs the service with
# the same options; the same in docker-compose.yml.
start_process placement dist/services/placement/src/main.js "$PLACEMENT_PORT" PLACEMENT "--max-old-space-size=192 --max-semi-space-size=32"
start_process safeguarding-audit dist/services/safeguarding-audit/src/main.js "$SAFEGUARDING_AUDIT_PORT" SAFEGUARDING_AUDIT
start_process outcomes dist/services/outcomes/src/main.js "$OUTCOMES_PORT" OUTCOMES
wait_ready directory "$DIRECTORY_PORT"
wait_ready referral "$REFERRAL_PORT"
wait_ready placement "$PLACEMENT_PORT"
wait_ready safeguarding-audit "$SAFEGUARDING_AUDIT_PORT"
wait_ready outcomes "$OUTCOMES_PORT"
start_process gateway dist/gateway/src/main.js "$GATEWAY_PORT" GATEWAY
wait_ready gateway "$GATEWAY_PORT"
wait_connected "directory:$DIRECTORY_PORT" "referral:$REFERRAL_PORT" "placement:$PLACEMENT_PORT" \
  "safeguarding-audit:$SAFEGUARDING_AUDIT_PORT" "outcomes:$OUTCOMES_PORT"

node --import tsx infra/demo/seed.ts

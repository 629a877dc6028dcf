#!/usr/bin/env bash
# Stops what start-all.sh started (the gateway, the subgraphs and Kafka). PostgreSQL is the
# machine's own service and keeps running.
#
# Each process was started in a session of its own, so its pid is also its process group: the
# whole group is signalled (TERM, then KILL after 10 s), which also reaches anything left behind
# by a process killed on its own (kill -9 of the recorded pid leaves no orphan either way).
# Only groups with a member working in this checkout are touched.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/infra/env.sh"

# The members of a process group that run in this checkout.
ours() { local p; for p in $(pgrep -g "$1" 2>/dev/null); do [[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" == "$root" ]] && echo "$p"; done; }

stop_group() { # name pgid
  local name=$1 group=$2
  [[ -n "$(ours "$group")" ]] || return 1
  kill -TERM -- "-$group" 2>/dev/null
  for _ in $(seq 1 20); do [[ -n "$(ours "$group")" ]] || break; sleep 0.5; done
  if [[ -n "$(ours "$group")" ]]; then kill -KILL -- "-$group" 2>/dev/null; echo "$name: killed (did not stop within 10 s)"
  else echo "$name: stopped"; fi
}

for pidfile in "$root"/.run/pids/*.pid; do
  [[ -f "$pidfile" ]] || continue
  name=$(basename "$pidfile" .pid)
  stop_group "$name" "$(cat "$pidfile")" || echo "$name: not running"
  rm -f "$pidfile"
done

# Anything of this checkout still listening on our ports (started by hand, or by an older
# start-all whose pid file named a wrapper): its group goes too.
for port in "$GATEWAY_PORT" "$DIRECTORY_PORT" "$REFERRAL_PORT" "$PLACEMENT_PORT" "$SAFEGUARDING_PORT" "$OUTCOMES_PORT"; do
  pid=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [[ -n "$pid" && "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$root" ]] || continue
  stop_group "orphan on port $port (pid $pid)" "$(ps -o pgid= -p "$pid" | tr -d ' ')"
done

bash "$root/infra/kafka/kafka.sh" stop

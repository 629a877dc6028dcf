#!/usr/bin/env bash
# Stops what start-all.sh started (the gateway, the subgraphs and Kafka). PostgreSQL is the
# machine's own service and keeps running.
#
# Each process was started in a session of its own, so its pid is also its process group: the
# whole group is signalled (TERM, then KILL after 15 s), which also reaches anything left behind
# by a process killed on its own. Only groups with a member working in this checkout are touched.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/infra/env.sh"

# The members of a process group that run in this checkout.
ours() { local p; for p in $(pgrep -g "$1" 2>/dev/null); do [[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" == "$root" ]] && echo "$p"; done; }

names=(); groups=()
for pidfile in "$root"/.run/pids/*.pid; do
  [[ -f "$pidfile" ]] || continue
  name=$(basename "$pidfile" .pid); group=$(cat "$pidfile"); rm -f "$pidfile"
  if [[ -n "$(ours "$group")" ]]; then names+=("$name"); groups+=("$group"); else echo "$name: not running"; fi
done
# Anything of this checkout still listening on our ports (started by hand, or by an older
# start-all whose pid file named a wrapper): its group goes too.
for port in "$GATEWAY_PORT" "$DIRECTORY_PORT" "$REFERRAL_PORT" "$PLACEMENT_PORT" "$SAFEGUARDING_AUDIT_PORT" "$OUTCOMES_PORT"; do
  pid=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [[ -n "$pid" && "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$root" ]] || continue
  group=$(ps -o pgid= -p "$pid" | tr -d ' ')
  [[ " ${groups[*]} " == *" $group "* ]] || { names+=("orphan on port $port (pid $pid)"); groups+=("$group"); }
done

# All at once, so that the services stop in parallel.
for group in "${groups[@]}"; do kill -TERM -- "-$group" 2>/dev/null; done
for _ in $(seq 1 30); do
  left=0; for group in "${groups[@]}"; do [[ -n "$(ours "$group")" ]] && left=1; done
  [[ $left == 0 ]] && break; sleep 0.5
done
for i in "${!groups[@]}"; do
  if [[ -n "$(ours "${groups[$i]}")" ]]; then
    kill -KILL -- "-${groups[$i]}" 2>/dev/null; echo "${names[$i]}: killed (did not stop within 15 s)"
  else
    echo "${names[$i]}: stopped"
  fi
done

bash "$root/infra/kafka/kafka.sh" stop

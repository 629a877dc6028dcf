#!/usr/bin/env bash
# Runs Apache Kafka (KRaft, one node) from its Maven Central jars with the machine's JDK.
#   infra/kafka/kafka.sh start    resolve jars if needed, format storage once, start, wait until it answers
#   infra/kafka/kafka.sh stop     stop it and wait until it is gone
#   infra/kafka/kafka.sh status   exit 0 and say so if the broker answers
#   infra/kafka/kafka.sh reset    stop and delete its data
# A broker already answering on KAFKA_BROKERS that this checkout did not start (another clone's,
# docker compose's) is used only when KAFKA_BROKERS was set by the caller, never silently: with
# stack.env's default address, start refuses and says whose broker it is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../env.sh"
data="${KAFKA_DATA_DIR:-$here/data}"
lib="$here/target/lib"
pidfile="$data/kafka.pid"
brokers="${KAFKA_BROKERS%%,*}"
host="${brokers%%:*}"; port="${brokers##*:}"
cport="${KAFKA_CONTROLLER_PORT:-9093}"

answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && java -cp "$lib/*" -Dlog4j2.level=error \
  org.apache.kafka.tools.TopicCommand --bootstrap-server "$brokers" --list >/dev/null 2>&1; }
running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

ensure_jars() {
  if [[ ! -f "$lib/.complete" ]]; then
    echo "kafka: resolving broker jars with Maven (first run only)"
    (cd "$here" && mvn -q -B package)
    touch "$lib/.complete"
  fi
}

start() {
  ensure_jars
  mkdir -p "$data/logs"
  if running; then echo "kafka: already running (pid $(cat "$pidfile"))"; wait_ready; return; fi
  if answers; then use_other_broker; return; fi
  local cfg="$data/server.properties"
  cp "$here/server.properties" "$cfg"
  cat >>"$cfg" <<CFG
log.dirs=$data/kraft
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$cport
advertised.listeners=PLAINTEXT://$host:$port
controller.quorum.voters=1@$host:$cport
CFG
  if [[ ! -f "$data/kraft/meta.properties" ]]; then
    local id; id=$(java -cp "$lib/*" kafka.tools.StorageTool random-uuid)
    java -cp "$lib/*" -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$data/logs" \
      kafka.tools.StorageTool format -t "$id" -c "$cfg" >/dev/null
  fi
  echo "kafka: starting on $host:$port"
  setsid nohup java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$data/logs" \
    -cp "$lib/*" kafka.Kafka "$cfg" >"$data/logs/stdout.log" 2>&1 &
  echo $! >"$pidfile"
  wait_ready
}

# The process listening on the broker port, and the data directory its command line names.
listener_pid() { ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
broker_config_of() { tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep 'server.properties$' | tail -1; }

use_other_broker() {
  local pid cfg owner
  pid=$(listener_pid || true)
  cfg=$([[ -n "$pid" ]] && broker_config_of "$pid" || true)
  if [[ -n "$cfg" && "$(cd "$(dirname "$cfg")" 2>/dev/null && pwd)" == "$(cd "$data" && pwd)" ]]; then
    # Ours, though its pid file was lost: adopt it so that stop works.
    echo "$pid" >"$pidfile"; echo "kafka: already running (pid $pid, this checkout's, data $data)"; return 0
  fi
  owner="pid ${pid:-unknown}${cfg:+, data ${cfg%/server.properties}}"
  if [[ " ${AP_DEFAULTED_SETTINGS:-} " != *" KAFKA_BROKERS "* ]]; then
    echo "kafka: WARNING: using a broker this checkout did not start, on $brokers ($owner), because KAFKA_BROKERS was set" >&2
    return 0
  fi
  cat >&2 <<MSG
kafka: a broker this checkout did not start already answers on $brokers ($owner).
  Refusing to use it silently: its topics, offsets and lifetime belong to whoever started it.
  Stop it (npm run stop in its checkout), or use it deliberately with KAFKA_BROKERS=$brokers,
  or run this checkout's own on other ports, e.g.
  KAFKA_BROKERS=127.0.0.1:29092 KAFKA_CONTROLLER_PORT=29093 KAFKA_DATA_DIR=/tmp/kafka-mine
MSG
  return 1
}

wait_ready() {
  for _ in $(seq 1 120); do
    if answers; then echo "kafka: ready on $brokers"; return 0; fi
    if ! running; then echo "kafka: the broker exited; last lines of its log:" >&2; tail -30 "$data/logs/server.log" "$data/logs/stdout.log" >&2 || true; return 1; fi
    sleep 1
  done
  echo "kafka: not ready after 120 s" >&2; return 1
}

stop() {
  if running; then
    local pid; pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "kafka: stopped"
  else
    echo "kafka: not running"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "kafka: up on $brokers"; else echo "kafka: down"; exit 1; fi ;;
  reset) stop; rm -rf "$data" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Runs Apache Kafka (KRaft, one node) from its Maven Central jars with the machine's JDK.
#   infra/kafka/kafka.sh start    resolve jars if needed, format storage once, start, wait until it answers
#   infra/kafka/kafka.sh stop     stop it and wait until it is gone
#   infra/kafka/kafka.sh status   exit 0 and say so if the broker answers
#   infra/kafka/kafka.sh reset    stop and delete its data
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
  # Another broker (another checkout's, or docker compose's) already serves this address: use it.
  if answers; then echo "kafka: a broker already answers on $brokers; using it"; return; fi
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

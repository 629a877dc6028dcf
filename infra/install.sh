#!/usr/bin/env bash
# Installs what the project needs on a machine of this kind: Node packages from the lockfile and
# the Kafka broker's jars from Maven Central. Quick when both are already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -n "${CI:-}" || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "install: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ ! -f infra/kafka/target/lib/.complete ]]; then
  echo "install: resolving Kafka broker jars with Maven"
  (cd infra/kafka && mvn -q -B package) && touch infra/kafka/target/lib/.complete
fi

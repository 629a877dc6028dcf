#!/usr/bin/env bash
# The whole test suite, from a clean clone: installs, prepares PostgreSQL and Kafka, checks
# types and composition, runs every project's tests (unit, integration on the real database
# and broker, end to end through the gateway), and ends with one line: "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0
results="$root/.run/test-results"

bash infra/install.sh || exit 1
# Containers (testcontainers) where a Docker engine answers, else the local services; says which.
infra_kind=$(node_modules/.bin/tsx libs/testing/src/cli/infrastructure.ts) || exit 1
if [[ $infra_kind == local ]]; then
  bash infra/postgres/setup.sh || exit 1
  # Stops the broker at the end only if it was this run that started it.
  if bash infra/kafka/kafka.sh status >/dev/null 2>&1; then started_kafka=no; else started_kafka=yes; fi
  bash infra/kafka/kafka.sh start || exit 1
  [[ $started_kafka == yes ]] && trap 'bash infra/kafka/kafka.sh stop' EXIT
fi

echo "typecheck: tsc --noEmit over the workspace"
node_modules/.bin/tsc -p tsconfig.json --noEmit || { echo "0 passed, 1 failed"; echo "typecheck failed" >&2; exit 1; }

rm -rf "$results"
export AP_TEST_RESULTS_DIR="$results"
# Two at a time on two cores; every project's tests, never from cache.
node_modules/.bin/nx run-many -t test --parallel=2 --skip-nx-cache --outputStyle=stream
status=$?

# The fault drills (private brokers stopped and restarted, consumers killed, subgraphs stopped,
# hostile input): slow, so after the ordinary tests; their counts join the closing line.
echo "fault drills: npm run test:faults"
npm run -s test:faults || status=1

node -e '
  const fs = require("fs"), path = require("path"), dir = process.argv[1];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const f of files) { const r = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")); for (const k in sum) sum[k] += r[k]; }
  console.log(`\nprojects with results: ${files.length}`);
  console.log(`${sum.passed} passed, ${sum.failed} failed` + (sum.skipped ? `, ${sum.skipped} skipped` : ""));
' "$results"
exit $status

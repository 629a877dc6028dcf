#!/usr/bin/env bash
# Installs what the project needs on a machine of this kind: Node packages from the lockfile and
# the Kafka broker's jars from Maven Central. Quick when both are already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -n "${CI:-}" || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "install: npm ci"
  # npm 11 refuses a lockfile that lacks other platforms' optional binaries (@swc/core-darwin-*,
  # @nx/nx-win32-* ...), which a registry that does not serve them cannot record; npm 10's ci
  # installs the same pinned tree from the same lockfile, skipping them as optional.
  if ! npm ci --no-audit --no-fund --loglevel=error 2>"$root/.npm-ci.err"; then
    if grep -q "Missing: .* from lock file" "$root/.npm-ci.err"; then
      echo "install: npm $(npm --version) wants every platform's optional binaries in the lockfile; using npm 10's ci"
      npx -y npm@10.9.2 ci --no-audit --no-fund --loglevel=error
    else
      cat "$root/.npm-ci.err" >&2; exit 1
    fi
  fi
  rm -f "$root/.npm-ci.err"
fi
if [[ ! -f infra/kafka/target/lib/.complete ]]; then
  echo "install: resolving Kafka broker jars with Maven"
  (cd infra/kafka && mvn -q -B package) && touch infra/kafka/target/lib/.complete
fi

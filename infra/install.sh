#!/usr/bin/env bash
# Installs what the project needs on a machine of this kind: Node packages from the lockfile, the
# Kafka broker's jars from Maven Central, and Debian's Chromium for the GraphiQL browser test.
# Quick when all are already there.
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
# Chromium for gateway/test/e2e/graphiql.browser.test.ts (driven by playwright-core, which downloads
# no browser of its own). CI runs as root with no stdin: apt-get, non-interactive.
if [[ -z "${CHROMIUM_PATH:-}" && ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "install: Chromium (Debian's chromium package) for the GraphiQL browser test"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq chromium; } </dev/null >"$root/.apt-chromium.log" 2>&1; then
      echo "install: apt-get could not install chromium (see .apt-chromium.log); the GraphiQL browser test will fail until it is there" >&2
    else
      rm -f "$root/.apt-chromium.log"
    fi
  else
    echo "install: Chromium is missing and this is not a root shell with apt-get: install Debian's chromium package (sudo apt-get install chromium) or set CHROMIUM_PATH; the GraphiQL browser test fails without it" >&2
  fi
fi

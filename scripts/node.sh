#!/bin/sh
# Runs a script on the project's own Node LTS (the `node` package in node_modules), installing the project's
# dependencies first when they are missing or older than package-lock.json. Lets `npm test` and
# `npm run demo` work on a fresh clone, whatever Node the machine has.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stamp=node_modules/.package-lock.json
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
# npm links the bins of dependencies, not the package's own: this makes `npx wg-siem` work in a checkout.
[ -e node_modules/.bin/wg-siem ] || ln -s ../../bin/wg-siem node_modules/.bin/wg-siem
exec node_modules/.bin/node "$@"

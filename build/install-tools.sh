#!/usr/bin/env bash
# Installs the analysis tools the tests run, each in a folder of its own under .tools/ (gitignored), from the
# manifests and lockfiles in build/tools/. Electronegativity lives apart from the app's node_modules because
# it needs TypeScript's JavaScript API (TypeScript 5.9 here, whatever the app itself uses).
# Idempotent: a folder whose lockfile matches is left alone. .ci/run calls this before `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

for manifest in build/tools/*/package.json; do
  src=$(dirname "$manifest")
  dest=.tools/$(basename "$src")
  if [ -d "$dest/node_modules" ] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
    echo "install-tools: $dest is up to date"
    continue
  fi
  echo "install-tools: installing $dest"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund)
done

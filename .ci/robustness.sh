#!/usr/bin/env bash
# Every IBKR spec in ../shared/ibkr-openapi must import and generate with no
# per-version code, and the facade (crates/ibkr-client) must not notice:
# for each spec, in a scratch copy of the workspace holding the vendored
# specs of this checkout plus that one spec imported over its variant,
#   1. `xtask import` and `xtask generate` (their facade-impact warnings,
#      one per facade operation the spec lacks, are printed),
#   2. the facade and its examples build (`--all-features --examples`),
#   3. the facade's own tests pass (`--all-features`; they build the
#      generated mocks of both variants too); IBKR_ROBUSTNESS_SPEC names the
#      spec, and the few tests that check facts of the project's own
#      vendored specs skip, saying so),
#   4. `xtask api-guard`: the facade's public API is the committed snapshot.
# The vendored specs and generated code of this checkout are never touched.
# Prints one summary line per spec and exits 1 if any step failed.
# ROBUSTNESS_CODEGEN_ONLY=1 runs step 1 only (a quick check of the xtask);
# ROBUSTNESS_ONLY=<text> tries only the specs whose file name contains it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared/ibkr-openapi"
if [ ! -d "$shared" ]; then
  echo "robustness: skipped, $shared is absent (the upstream specs are not part of the repo)"
  exit 0
fi
cargo build --quiet --release -p xtask --manifest-path "$root/Cargo.toml"
target="${CARGO_TARGET_DIR:-$root/target}"
xtask="$target/release/xtask"
export CARGO_TARGET_DIR="$target/robustness"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
ws="$scratch/ws"
log="$scratch/step.log"
mkdir -p "$ws"
# Modification times are kept, so that cargo rebuilds only what a spec changes.
(cd "$root" && git ls-files -z | xargs -0 cp -p --parents -t "$ws")

# Puts the vendored specs and generated code of this checkout back into the
# scratch copy, so that each spec is tried on its own. With fresh
# modification times: a restored file keeping its old time would look older
# than the previous spec's build, and cargo would reuse that build.
reset_scratch() {
  (cd "$root" && git ls-files -z openapi 'crates/*/src/generated/*' |
    xargs -0 cp --parents -t "$ws")
}

# step NAME COMMAND...: runs COMMAND in the scratch copy; on failure prints
# its last 40 lines of output and records NAME as the failed step.
step() {
  local name=$1
  shift
  if (cd "$ws" && "$@") >"$log" 2>&1; then
    return 0
  fi
  tail -n 40 "$log"
  failed_step=$name
  return 1
}

failed=0
summary=()
for spec in "$shared"/web/*.json "$shared"/gateway/*.json; do
  variant=$(basename "$(dirname "$spec")")
  name=$(basename "$spec")
  # ROBUSTNESS_ONLY=<substring>: only the specs whose file name contains it.
  case "$name" in *"${ROBUSTNESS_ONLY:-}"*) ;; *) continue ;; esac
  echo "== $variant $name"
  reset_scratch
  failed_step=""
  warnings=0
  if step import "$xtask" import "$variant" "$spec"; then
    # The facade-impact warnings of the import (generate repeats them).
    grep '^warning: ' "$log" || true
    warnings=$(grep -c '^warning: facade operation' "$log" || true)
  fi
  [ -z "$failed_step" ] && step generate "$xtask" generate || true
  if [ -n "${ROBUSTNESS_CODEGEN_ONLY:-}" ]; then
    if [ -z "$failed_step" ]; then
      line="ok      $variant $name: imported and generated ($warnings facade warnings; builds skipped)"
    else
      line="FAILED  $variant $name: $failed_step failed"
      failed=1
    fi
    echo "   $line"
    summary+=("$line")
    continue
  fi
  [ -z "$failed_step" ] &&
    step "facade build" cargo build --quiet -p ibkr-client --all-features --examples || true
  [ -z "$failed_step" ] &&
    step "facade tests" env IBKR_ROBUSTNESS_SPEC="$name" cargo test --quiet -p ibkr-client --all-features || true
  [ -z "$failed_step" ] && step api-guard "$xtask" api-guard || true
  if [ -z "$failed_step" ]; then
    line="ok      $variant $name: imported, generated, facade and examples built, facade tests pass, public API unchanged ($warnings facade warnings)"
  else
    line="FAILED  $variant $name: $failed_step failed ($warnings facade warnings)"
    failed=1
  fi
  echo "   $line"
  echo "   disk: $(du -sh "$CARGO_TARGET_DIR" | cut -f1) in $CARGO_TARGET_DIR, $(df -h "$ws" | awk 'NR==2 {print $4}') free"
  summary+=("$line")
done
echo "== robustness summary"
printf '   %s\n' "${summary[@]}"
exit $failed

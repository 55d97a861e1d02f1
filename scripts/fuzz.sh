#!/usr/bin/env bash
# Coverage-guided fuzzing of what a user can hand the calculator (tests/fuzz): estate files
# (`estate`), share links (`share_link`), exports (`export`), and the quick evaluation against the
# full one (`evaluate`), and the reading of an additive CAL's base that asks less against the
# default (`readings`). Not part of CI: a run is a search, not a check, and libFuzzer needs
# `cargo fuzz` with rustc's -Z flags (RUSTC_BOOTSTRAP on the stable toolchain). What the runs
# found and how to replay an input: docs/benchmarks.md, "Fuzzing".
#
#   bash scripts/fuzz.sh estate|share_link|export|evaluate|readings [SECONDS]   # default 600 s
#
# The corpus starts from the example estates (estate, share_link, evaluate, readings) or the
# sample exports (export) and grows in tests/fuzz/corpus/TARGET; an input that breaks a promise is
# kept in tests/fuzz/artifacts/TARGET and replayed with `cargo fuzz run --fuzz-dir tests/fuzz TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh estate|share_link|export|evaluate|readings [SECONDS]}
seconds=${2:-600}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
corpus=tests/fuzz/corpus/$target
if [ ! -d "$corpus" ]; then
  mkdir -p "$corpus"
  case $target in
    export)
      cp www/samples/* "$corpus"/
      # The JSON and JSON Lines fixtures, behind the byte the target reads its chunk size from.
      for f in tests/fixtures/graph-*.json tests/fixtures/*.jsonl; do
        { printf 'A'; cat "$f"; } > "$corpus/$(basename "$f")"
      done
      ;;
    *) cp examples/estates/*.json tests/fixtures/*.json "$corpus"/ ;;
  esac
fi
# No sanitizer: safe Rust, and a panic is what is looked for. 20 s per input: an estate that
# takes longer at the quick effort is a finding too (the page evaluates it on every keystroke);
# `evaluate` and `readings` also run the full effort, which may spend its whole budget (seconds),
# so 120 s.
timeout=20
case $target in evaluate | readings) timeout=120 ;; esac
# The estate keys and values of the examples, as a dictionary, for the JSON targets.
dict=()
[ "$target" = export ] || dict=(-dict=tests/fuzz/estate.dict)
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir tests/fuzz --sanitizer none --release "$target" "$corpus" -- \
  -max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1 "${dict[@]}"

#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every check; stops at the first failure.
#   formatting, clippy (native and wasm32), native tests (engine + CLI), wasm tests in headless
#   Chromium, the release web build, then the end-to-end suite against that build.
# Usage: scripts/test.sh            (CI runs it through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

started=$SECONDS
step() { printf '\n== test: %s  (%ds)\n' "$*" $((SECONDS - started)); }

scripts/setup.sh

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy (native)"
cargo clippy --all-targets -- -D warnings

step "cargo clippy (wasm32)"
# Every target except the benches: criterion is a native-only dev-dependency.
cargo clippy --lib --bins --tests --examples --target wasm32-unknown-unknown -- -D warnings
# The two web modules on their own (the app; the engine with the JavaScript API and the import).
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features app -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features js-api -- -D warnings

step "cargo test (native)"
# CI draws the property tests' random cases from one fixed seed, so a red run points at the change
# under test (session 41: a random draw failed a CI run of a commit that had not touched the
# optimiser). Elsewhere each run draws new cases; a failing case is saved in
# tests/engine/*.proptest-regressions and, once committed, replayed by every run, CI included.
if [ "${CI:-}" = true ]; then
    export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261205}"
    echo "property tests: PROPTEST_RNG_SEED=$PROPTEST_RNG_SEED"
fi
cargo test

step "cargo test (wasm32, headless Chromium)"
cargo test --target wasm32-unknown-unknown

step "trunk build --release"
trunk build --release

step "end-to-end (node --test tests/e2e/) after $((SECONDS - started))s"
node --test tests/e2e/

#!/usr/bin/env bash
# Compares the optimiser with HiGHS on the large benchmark instance (docs/benchmarks.md,
# "Optimiser"): writes the instance's vertex-cover LP relaxation, solves it with HiGHS (through
# highspy, installed with pip only if missing), prints both times and optima, and fails unless the
# optima are equal. The ratio target is >= 50x.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import highspy, numpy' 2>/dev/null; then
    python3 -m pip install --quiet highspy
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lp="$work/large-vc.txt"

cargo run --quiet --profile bench --example gen_large -- "$lp" | tee "$work/rust.txt"
python3 scripts/highs_lp.py "$lp" 2>/dev/null | grep '^highs_' | tee "$work/highs.txt"

rust_opt="$(awk '/^rust_optimum_minor/ {print $2}' "$work/rust.txt")"
rust_s="$(awk '/^rust_seconds_median/ {print $2}' "$work/rust.txt")"
highs_obj="$(awk '/^highs_objective/ {print $2}' "$work/highs.txt")"
highs_s="$(awk '/^highs_solve_seconds/ {print $2}' "$work/highs.txt")"

python3 - "$rust_opt" "$rust_s" "$highs_obj" "$highs_s" <<'PY'
import sys
rust_opt, rust_s, highs_obj, highs_s = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
same = round(highs_obj) == rust_opt and abs(highs_obj - rust_opt) < 0.5
print(f"optimum: rust {rust_opt}, highs {highs_obj:.1f} -> {'equal' if same else 'DIFFERENT'}")
print(f"speed-up: {highs_s / rust_s:.1f}x (highs {highs_s:.3f} s / rust {rust_s:.3f} s)")
sys.exit(0 if same else 1)
PY

#!/usr/bin/env bash
# The engine's floor: builds examples/engine_floor.rs (the evaluation alone, estate JSON in,
# report JSON out) as the app's module is built (release profile, wasm-bindgen, wasm-opt -Oz)
# and prints its size raw and gzip -9. No first visit that computes its result in the browser
# can transfer less than this (docs/benchmarks.md, "The engine's floor").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cargo build -q --release --example engine_floor --target wasm32-unknown-unknown --no-default-features
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target web --out-dir "$out" "$target_dir/wasm32-unknown-unknown/release/examples/engine_floor.wasm"
wasm-opt -Oz "$out/engine_floor_bg.wasm" -o "$out/opt.wasm"
echo "engine floor: $(stat -c %s "$out/opt.wasm") B raw, $(gzip -9c "$out/opt.wasm" | wc -c) B gzip -9 (wasm); glue $(gzip -9c "$out/engine_floor.js" | wc -c) B gzip -9"

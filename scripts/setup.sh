#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already there:
#   Debian chromium + chromium-driver (and node/npm if absent), the wasm32 target, rustfmt/clippy,
#   trunk 0.21, wasm-bindgen-cli at exactly the Cargo.lock version, the npm tools (wasm-opt from
#   binaryen, playwright-core, axe-core, papaparse), and the crates (`cargo fetch`, so that the
#   offline trunk build finds them). Nothing is downloaded from outside crates.io, npm and Debian.
# Used by scripts/dev.sh and scripts/test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

say() { printf '\n== setup: %s\n' "$*"; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_missing=()
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || apt_missing+=(chromium-driver)
command -v node >/dev/null 2>&1 || apt_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
# A C toolchain: cargo install and some crates' build scripts need a linker and cc.
command -v cc >/dev/null 2>&1 || apt_missing+=(build-essential pkg-config)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  sudo_if_needed apt-get update
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${apt_missing[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "rustup component add $component"
    rustup component add "$component"
  fi
done

# trunk 0.22 needs a newer rustc than we pin; 0.21.x is what Trunk.toml asks for.
if ! (command -v trunk >/dev/null 2>&1 && trunk --version | grep -q '^trunk 0\.21\.'); then
  say "cargo install trunk ~0.21 (about 20 minutes on 2 cores)"
  cargo install trunk --version '~0.21' --locked
fi

# trunk (offline) and wasm-bindgen-test-runner must match the wasm-bindgen crate exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "setup: no wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
if ! (command -v wasm-bindgen >/dev/null 2>&1 && [ "$(wasm-bindgen --version)" = "wasm-bindgen $bindgen_version" ]); then
  say "cargo install wasm-bindgen-cli $bindgen_version (about 7 minutes)"
  # No --locked: its lock file pins a webpki-roots release the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# npm ci wipes node_modules; only run it when package-lock.json changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-lock 2>/dev/null || true)" != "$lock_sum" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.installed-lock
fi

say "cargo fetch"
cargo fetch --quiet

# Sourced by the scripts: puts cargo's and npm's tools on PATH (trunk uses the `wasm-opt` it finds
# there, from npm's binaryen) and points wasm-bindgen-test at Debian's chromedriver.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$repo_root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Set explicitly: a geckodriver on PATH would otherwise win.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# wasm-bindgen-test-runner gives a test binary 20 s by default; the component tests run the
# whole engine in a debug build and take longer than that on a 2-core machine: the 170 of
# tests/web.rs take about 63 s (6 Dec 2026; 327 s while every test's app stayed mounted in the
# page), and this leaves a slow machine ample room. No test may hold the page for long without
# yielding: ChromeDriver waits 30 s for the page to answer the runner, then the run fails
# ("Timed out receiving message from renderer", a CI failure of 6 Dec 2026).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-900}"

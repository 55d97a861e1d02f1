#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds and serves the web app at http://127.0.0.1:8080/
# (the sample estate loads on first visit). Extra arguments go to `trunk serve`,
# e.g. `scripts/dev.sh --release` for the optimised build, `--port 9000`.
# The CSP forbids trunk's inline autoreload script: reload the page after a rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
scripts/setup.sh
exec trunk serve "$@"

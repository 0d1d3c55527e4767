#!/usr/bin/env bash
# Set up TwinProof and run it on its bundled sample shoot.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh ""
exec .venv/bin/twinproof analyze resources/sample/look01_real.jpg resources/sample/look01_twin.jpg "$@"

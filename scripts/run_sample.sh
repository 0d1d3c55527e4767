#!/usr/bin/env bash
# Set up TwinProof and run it on its bundled sample shoot (resources/sample: real public-domain
# photographs and twins made from them by documented manipulations).
# With a display, the app opens on the sample shoot. Without one (a server, CI, ssh), every
# sample pair is analysed on the command line and the app's window is rendered offscreen to
# out/sample-window.png, so the product can still be seen.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh ""
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
    exec .venv/bin/twinproof --sample "$@"
fi
echo "No display found: analysing the sample shoot on the command line." >&2
for real in resources/sample/look*_real.jpg; do
    twin=${real/_real/_twin}
    echo "== $(basename "${real%_real.jpg}")"
    # analyze exits 0 whatever the verdict (several sample twins are made to fail); anything
    # else is bad input or a crash, which must not pass unnoticed.
    .venv/bin/twinproof analyze "$real" "$twin" || { echo "twinproof analyze failed on $real" >&2; exit 1; }
done
mkdir -p out
QT_QPA_PLATFORM=offscreen .venv/bin/twinproof --sample --screenshot out/sample-window.png 2> >(grep -v propagateSizeHints >&2)
echo "The app's main window on the first sample pair: out/sample-window.png" >&2

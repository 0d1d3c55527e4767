#!/usr/bin/env bash
# Set up a development environment from a fresh clone: system libraries (Debian/Ubuntu,
# apt-get, as root or with sudo), a virtualenv in .venv and TwinProof installed editable.
# Idempotent and quick when everything is already there. Usage: scripts/setup.sh [EXTRAS]
# (EXTRAS defaults to "test"; "" installs the app alone).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=${1-test}

# Qt needs these shared libraries even offscreen; the tests need exiftool, exiv2 and darktable
# (darktable-cli: three independent readers of the XMP sidecars and annotated copies), qpdf and
# poppler-utils (PDF read-back), xvfb (real-window screenshots), fonts for the PDF (DejaVu; Noto
# Color Emoji, the sheet's fallback for emoji in names), strace (the no-network test watches
# native code too), python3-venv (Debian splits venv off).
APT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
              libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
              libimage-exiftool-perl exiv2 darktable qpdf poppler-utils xvfb xauth fonts-dejavu-core strace
              fonts-noto-color-emoji
              python3-venv)
if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        SUDO=(); [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
        echo "setup: installing ${missing[*]}" >&2
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip >&2
fi
spec="."
[ -n "$EXTRAS" ] && spec=".[${EXTRAS}]"
.venv/bin/python -m pip install -q -c constraints.txt -e "$spec" 2> >(grep -v "^WARNING: Location" >&2)

#!/usr/bin/env bash
# macOS: build dist/TwinProof.app (build.spec's BUNDLE) and wrap it in a drag-to-install .dmg.
#
#   packaging/macos/make_dmg.sh            -> dist/TwinProof-VERSION-macos-ARCH.dmg
#
# Signing (optional, needs a "Developer ID Application" certificate in the keychain):
#   TWINPROOF_CODESIGN_IDENTITY="Developer ID Application: ... (TEAMID)"  signs the .app at
#   build time (PyInstaller codesigns every binary); TWINPROOF_NOTARY_PROFILE=<keychain profile
#   made by `xcrun notarytool store-credentials`> also notarises and staples the .dmg.
# Without them the app is ad-hoc signed: it runs on the build Mac, and elsewhere only after
# right-click > Open (Gatekeeper). Run on macOS only; CI: .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = "Darwin" ] || { echo "make_dmg.sh: run this on macOS" >&2; exit 2; }
PY=${PYTHON:-.venv/bin/python}
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop/twinproof/__init__.py)
ARCH=$(uname -m)

"$PY" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller build.spec
APP=dist/TwinProof.app
[ -x "$APP/Contents/MacOS/twinproof-gui" ] || { echo "make_dmg.sh: $APP was not built" >&2; exit 1; }

# Quick proof the frozen app works before it is packed.
"$APP/Contents/MacOS/twinproof" --version
"$APP/Contents/MacOS/twinproof" landmarks "$APP/Contents/Resources/resources/sample/look01_real.jpg" >/dev/null

stage=build/dmg
rm -rf "$stage" && mkdir -p "$stage"
cp -R "$APP" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/TwinProof-${VERSION}-macos-${ARCH}.dmg"
rm -f "$dmg"
hdiutil create -volname "TwinProof ${VERSION}" -srcfolder "$stage" -ov -format UDZO "$dmg"

if [ -n "${TWINPROOF_CODESIGN_IDENTITY:-}" ]; then
    codesign --sign "$TWINPROOF_CODESIGN_IDENTITY" --timestamp "$dmg"
    if [ -n "${TWINPROOF_NOTARY_PROFILE:-}" ]; then
        xcrun notarytool submit "$dmg" --keychain-profile "$TWINPROOF_NOTARY_PROFILE" --wait
        xcrun stapler staple "$dmg"
    fi
fi
echo "make_dmg.sh: $dmg"

#!/usr/bin/env bash
# Build the standalone TwinProof for this machine into dist/:
#   dist/twinproof/                               the frozen onedir bundle (build.spec)
#   dist/twinproof-VERSION-linux-ARCH.tar.gz      that bundle + desktop file + icons, unpack anywhere
#   dist/twinproof_VERSION_ARCH.deb               /opt/twinproof, /usr/bin links, menu entry, icons
#   dist/build-info.txt                           the figures: build time, sizes, biggest items
#
# Usage: scripts/build.sh [--reuse] [--no-deb] [--no-tar]
#   --reuse    keep an existing dist/twinproof (only repackage); default rebuilds it
#   TWINPROOF_BUILD_DEBUG=1 scripts/build.sh   debug bootloader, console GUI, nothing stripped
#   PYTHON=/path/to/python                      the environment to freeze (default .venv)
#   TWINPROOF_DEB_COMPRESS=xz|xz-best|zstd|gzip  .deb compression (default xz -1)
#
# Debian/Ubuntu only for the .deb (dpkg-deb); macOS and Windows builds: docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# The PyInstaller this spec is tested with. Keep in step with pyproject's "build" extra.
PYINSTALLER_PIN="6.22.3"
HOOKS_PIN="2026.9"

REUSE=0; DEB=1; TAR=1
for arg in "$@"; do
    case "$arg" in
        --reuse) REUSE=1 ;;
        --no-deb) DEB=0 ;;
        --no-tar) TAR=0 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

PY=${PYTHON:-.venv/bin/python}
if [ ! -x "$PY" ]; then
    scripts/setup.sh postgres  # the app's dependencies and the PostgreSQL driver, no test extras
fi
# A team database needs psycopg inside the bundle, as the release workflow builds it
# (.github/workflows/release.yml installs ".[postgres]"): an environment without it gets the
# pinned version now, instead of a bundle that silently opens SQLite shoots only.
if ! "$PY" -c "import psycopg, psycopg_binary" >/dev/null 2>&1; then
    echo "build.sh: installing psycopg (PostgreSQL for a team) into $PY's environment" >&2
    "$PY" -m pip install -q -c constraints.txt "psycopg[binary]" >&2
fi
if [ "$("$PY" -m PyInstaller --version 2>/dev/null || true)" != "$PYINSTALLER_PIN" ]; then
    echo "build.sh: installing pyinstaller==$PYINSTALLER_PIN" >&2
    "$PY" -m pip install -q "pyinstaller==$PYINSTALLER_PIN" "pyinstaller-hooks-contrib==$HOOKS_PIN" >&2
fi

VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop/twinproof/__init__.py)
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
UNAME_ARCH=$(uname -m)
BUNDLE=dist/twinproof
mkdir -p dist build

# ---------------------------------------------------------------------------- the bundle
if [ "$REUSE" -eq 0 ] || [ ! -x "$BUNDLE/twinproof" ]; then
    start=$(date +%s)
    "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller build.spec
    BUILD_SECONDS=$(( $(date +%s) - start ))
    echo "build.sh: bundle built in ${BUILD_SECONDS} s" >&2
else
    BUILD_SECONDS="(reused)"
fi
for f in twinproof twinproof-gui _internal/models/manifest.json _internal/resources/policy/default.toml \
         _internal/twinproof/review/migrations/env.py; do
    [ -e "$BUNDLE/$f" ] || { echo "build.sh: the bundle lacks $f" >&2; exit 1; }
done
# The bundle can reach a PostgreSQL server: with the driver missing it would say so.
probe=$("$BUNDLE/twinproof" shoot list --db "postgresql+psycopg://probe@127.0.0.1:1/probe" 2>&1 || true)
case "$probe" in
    *"psycopg is not installed"*) echo "build.sh: the bundle lacks psycopg: $probe" >&2; exit 1 ;;
esac

# --------------------------------------------------------------------- shared stage pieces
install_desktop_files() {  # $1: root of a usr/share tree (…/share)
    local share=$1
    install -D -m 0644 packaging/linux/twinproof.desktop "$share/applications/twinproof.desktop"
    for png in packaging/icons/twinproof-*.png; do
        size=$(basename "$png" .png); size=${size#twinproof-}
        install -D -m 0644 "$png" "$share/icons/hicolor/${size}x${size}/apps/twinproof.png"
    done
    install -D -m 0644 packaging/icons/twinproof.svg "$share/icons/hicolor/scalable/apps/twinproof.svg"
}

# --------------------------------------------------------------------------- the .tar.gz
if [ "$TAR" -eq 1 ]; then
    name="twinproof-${VERSION}-linux-${UNAME_ARCH}"
    stage=build/stage-tar/$name
    rm -rf build/stage-tar && mkdir -p "$stage"
    cp -a "$BUNDLE/." "$stage/"
    install_desktop_files "$stage/share"
    cat > "$stage/INSTALL.txt" <<EOF
TwinProof ${VERSION} for Linux (${UNAME_ARCH}), self-contained.

Run in place:  ./twinproof-gui        (the app)
               ./twinproof --help    (the command line; no sub-command opens the app)

Needs from the system: glibc, libEGL/libGL, libxcb1, libxcb-icccm4, libxcb-keysyms1,
fonts (Debian/Ubuntu: apt install libegl1 libgl1 libxcb1 libxcb-icccm4 libxcb-keysyms1
fonts-dejavu-core). A menu entry and icons are in share/; on Debian/Ubuntu prefer the .deb.
EOF
    tar -C build/stage-tar -czf "dist/${name}.tar.gz" "$name"
    echo "build.sh: dist/${name}.tar.gz" >&2
fi

# ------------------------------------------------------------------------------ the .deb
if [ "$DEB" -eq 1 ]; then
    command -v dpkg-deb >/dev/null || { echo "build.sh: dpkg-deb not found; use --no-deb" >&2; exit 1; }
    root=build/stage-deb
    rm -rf "$root" && mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin"
    cp -a "$BUNDLE" "$root/opt/twinproof"
    # Absolute links, as Debian policy wants between top-level folders; the PyInstaller
    # bootloader follows them (/proc/self/exe) to find _internal/ beside the real executable.
    ln -s /opt/twinproof/twinproof "$root/usr/bin/twinproof"
    ln -s /opt/twinproof/twinproof-gui "$root/usr/bin/twinproof-gui"
    install_desktop_files "$root/usr/share"
    install -D -m 0644 packaging/linux/copyright "$root/usr/share/doc/twinproof/copyright"
    printf 'twinproof (%s) stable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
        "$VERSION" "$VERSION" "TwinProof <release@twinproof.invalid>" "$(date -R)" \
        | gzip -9n > "$root/usr/share/doc/twinproof/changelog.gz"
    chmod 0644 "$root/usr/share/doc/twinproof/changelog.gz"
    # The oldest glibc the bundle can run on: the newest GLIBC_ symbol version it uses.
    glibc=$( { find "$root/opt/twinproof" -type f -name '*.so*' -print0 \
                 | xargs -0 objdump -T 2>/dev/null
               objdump -T "$root/opt/twinproof/twinproof" "$root/opt/twinproof/twinproof-gui"; } \
             | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1 || true)
    size_kb=$(du -sk --apparent-size "$root/opt" "$root/usr" | awk '{s+=$1} END {print s}')
    sed -e "s/@VERSION@/${VERSION}/" -e "s/@ARCH@/${ARCH}/" -e "s/@INSTALLED_SIZE@/${size_kb}/" \
        -e "s/@GLIBC@/${glibc:-2.31}/" packaging/linux/control.in > "$root/DEBIAN/control"
    find "$root" -type d -exec chmod 0755 {} +
    deb="dist/twinproof_${VERSION}_${ARCH}.deb"
    start=$(date +%s)
    # Measured here (2 shared cores): xz -1: 83 s, 188 MB; xz -6: 6.5 min, 166 MB; zstd -9:
    # 10 s, 195 MB; gzip -6: 35 s, 225 MB. xz is Debian's official .deb format (lintian
    # calls zstd malformed, though dpkg >= 1.21.18 reads it), so xz -1 by default;
    # TWINPROOF_DEB_COMPRESS=xz-best for a release, =zstd for quick local iterations.
    case "${TWINPROOF_DEB_COMPRESS:-xz}" in
        xz-best) comp=(-Zxz -z6) ;;
        zstd) comp=(-Zzstd -z9) ;;
        gzip) comp=(-Zgzip -z6) ;;
        *) comp=(-Zxz -z1) ;;
    esac
    dpkg-deb --root-owner-group "${comp[@]}" --build "$root" "$deb" >/dev/null
    echo "build.sh: $deb ($(( $(date +%s) - start )) s to compress)" >&2
fi

# ------------------------------------------------------------------------------ figures
{
    echo "TwinProof ${VERSION} $(date -u +%Y-%m-%dT%H:%MZ) $(uname -sm)"
    echo "pyinstaller ${PYINSTALLER_PIN}, debug=${TWINPROOF_BUILD_DEBUG:-0}"
    echo "bundle build time: ${BUILD_SECONDS} s"
    echo "bundle size (du): $(du -sh "$BUNDLE" | cut -f1)  apparent: $(du -sh --apparent-size "$BUNDLE" | cut -f1)"
    for f in dist/twinproof-"${VERSION}"-*.tar.gz dist/twinproof_"${VERSION}"_*.deb; do
        [ -e "$f" ] && echo "$(basename "$f"): $(du -h "$f" | cut -f1)"
    done
    echo "biggest items in _internal/:"
    # awk stops printing, not reading: `head` closing the pipe early made sort die of SIGPIPE,
    # which pipefail turned into exit 141 for a build that had succeeded.
    du -s --block-size=1M "$BUNDLE"/_internal/* | sort -rn | awk 'NR <= 15 {printf "  %5d MB  %s\n", $1, $2}'
} | tee dist/build-info.txt

#!/usr/bin/env bash
# Smoke test of the *built artefacts*, not of the source tree: the frozen bundle, the .deb
# installed into a scratch root, and the .tar.gz. Builds them first when they are missing.
#
# Usage: scripts/smoke_frozen.sh [--build] [--no-gui] [--no-deb] [--timings]
#   --build     rebuild (scripts/build.sh) even if dist/ has artefacts
#   --no-gui    skip the offscreen GUI start (e.g. while the GUI is being rewritten)
#   --no-deb    skip the .deb and .tar.gz checks
#   --timings   also measure cold starts (bundle files evicted from the page cache first)
# Exit code 0 when every check passed; each failure is one "FAIL ..." line.
#
# Everything runs from an empty temporary folder with HOME redirected and TWINPROOF_DATA_DIR,
# PYTHONPATH and PYTHONHOME unset, so nothing can be found through the source tree or the
# venv: models, resources and migrations must come from inside the bundle.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=0; GUI=1; DEB=1; TIMINGS=0
for arg in "$@"; do
    case "$arg" in
        --build) BUILD=1 ;;
        --no-gui) GUI=0 ;;
        --no-deb) DEB=0 ;;
        --timings) TIMINGS=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "smoke_frozen.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$REPO/desktop/twinproof/__init__.py")
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
BUNDLE=$REPO/dist/twinproof
DEB_FILE=$REPO/dist/twinproof_${VERSION}_${ARCH}.deb
TAR_FILE=$REPO/dist/twinproof-${VERSION}-linux-$(uname -m).tar.gz
# JSON is checked with a plain system Python: the frozen app must not vouch for itself.
PYTHON=${SMOKE_PYTHON:-$(command -v python3 || echo "$REPO/.venv/bin/python")}

need_build=$BUILD
[ -x "$BUNDLE/twinproof" ] || need_build=1
if [ "$DEB" -eq 1 ] && { [ ! -f "$DEB_FILE" ] || [ ! -f "$TAR_FILE" ]; }; then need_build=1; fi
if [ "$need_build" -eq 1 ]; then
    opts=(); [ "$DEB" -eq 1 ] || opts=(--no-deb --no-tar)
    [ "$BUILD" -eq 0 ] && [ -x "$BUNDLE/twinproof" ] && opts+=(--reuse)
    "$REPO/scripts/build.sh" "${opts[@]}" || { echo "FAIL build"; exit 1; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/twinproof-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/cwd"
cd "$WORK/cwd" || exit 1
unset TWINPROOF_DATA_DIR PYTHONPATH PYTHONHOME VIRTUAL_ENV
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config XDG_DATA_HOME=$WORK/home/.local/share \
       XDG_CACHE_HOME=$WORK/home/.cache QT_QPA_PLATFORM=offscreen TWINPROOF_REVIEWER=smoke

FAILS=0
ok()   { echo "ok   $*"; }
bad()  { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
# run NAME TIMEOUT CMD...: stdout to $WORK/NAME.out, stderr to $WORK/NAME.err, returns the code
run()  { local name=$1 limit=$2; shift 2; timeout "$limit" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; }
show() { sed 's/^/     | /' "$WORK/$1.err" | tail -n "${2:-15}"; }

check_verdict_json() {  # $1: file with `analyze --json` output
    "$PYTHON" - "$1" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
assert data["verdict"] in {"pass", "review", "fail"}, data.get("verdict")
assert data["metrics"]["ssim"] is not None and "registration" in data
print(data["verdict"])
EOF
}

check_landmarks_json() {  # $1: file with `landmarks --json` output
    "$PYTHON" - "$1" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
face, body = data["face"] or {}, data["body"] or {}
assert face.get("count", 0) >= 468 and len(face.get("points", [])) == face["count"], data.get("face_reason")
assert body.get("count", 0) == 33, data.get("body_reason")
print(f"face {face['count']} + body {body['count']} points")
EOF
}

# smoke_cli LABEL DIR: the command-line checks against the executables in DIR
smoke_cli() {
    local label=$1 dir=$2 data=$3
    local sample=$data/resources/sample
    if run "$label-version" 30 "$dir/twinproof" --version && grep -q "twinproof $VERSION" "$WORK/$label-version.out"; then
        ok "$label: twinproof --version"
    else bad "$label: twinproof --version"; show "$label-version"; fi

    if run "$label-analyze" 300 "$dir/twinproof" analyze "$sample/look01_real.jpg" "$sample/look01_twin.jpg" --json \
        && verdict=$(check_verdict_json "$WORK/$label-analyze.out" 2>"$WORK/$label-analyze.check"); then
        ok "$label: analyze sample pair -> valid JSON, verdict $verdict"
    else bad "$label: analyze sample pair"; show "$label-analyze"; cat "$WORK/$label-analyze.check" 2>/dev/null; fi

    # every model in the manifest (landmarks alone loads only those it needs)
    if run "$label-models" 120 "$dir/twinproof" models \
        && grep -q "6 of 6 model(s) verified" "$WORK/$label-models.out"; then
        ok "$label: twinproof models -> every model's sha256 matches the manifest"
    else bad "$label: twinproof models"; cat "$WORK/$label-models.out"; show "$label-models"; fi

    if run "$label-landmarks" 300 "$dir/twinproof" landmarks "$sample/look01_real.jpg" --json \
        && n=$(check_landmarks_json "$WORK/$label-landmarks.out" 2>"$WORK/$label-landmarks.check"); then
        ok "$label: landmarks (models verified against manifest) -> $n"
    else bad "$label: landmarks"; show "$label-landmarks"; cat "$WORK/$label-landmarks.check" 2>/dev/null; fi

    local db=$WORK/$label.shoot
    if run "$label-import" 120 "$dir/twinproof" shoot import "$sample" --db "$db" \
        && run "$label-list" 60 "$dir/twinproof" shoot list --db "$db" --json \
        && "$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d" "$WORK/$label-list.out" 2>/dev/null; then
        ok "$label: shoot import + list (Alembic migrations ran from the bundle)"
    else bad "$label: shoot import/list"; show "$label-import"; show "$label-list"; fi

    if run "$label-export" 300 "$dir/twinproof" export --db "$db" --pairs look01 --image-size 600 \
            --pdf "$WORK/$label.pdf" --json "$WORK/$label-export.json" \
        && head -c 5 "$WORK/$label.pdf" | grep -q "%PDF-"; then
        ok "$label: export PDF + JSON ($(du -k "$WORK/$label.pdf" | cut -f1) kB)"
    else bad "$label: export"; show "$label-export"; fi

    # c2pa-python is optional in the build; when bundled, its native library must load there.
    if [ -d "$data/c2pa" ]; then
        status=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['pairs'][0]['provenance']['status'])" \
                 "$WORK/$label-export.json" 2>/dev/null)
        case "$status" in
            absent|present) ok "$label: c2pa reads Content Credentials in the bundle (sample twin: $status)" ;;
            *) bad "$label: c2pa in the bundle: provenance status '${status:-?}'" ;;
        esac
    fi
}

# ------------------------------------------------------------------------------ the bundle
echo "== bundle $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
smoke_cli bundle "$BUNDLE" "$BUNDLE/_internal"

# A model altered after installation must be refused inside the bundle too: hard-link copy of
# the bundle (cheap; a full copy across file systems), then replace one model with a changed copy.
cp -al "$BUNDLE" "$WORK/tampered" 2>/dev/null || { rm -rf "$WORK/tampered"; cp -a "$BUNDLE" "$WORK/tampered"; }
model=$WORK/tampered/_internal/models/face_landmark.onnx
cp "$model" "$model.new" && printf 'x' >> "$model.new" && mv "$model.new" "$model"
run tampered 120 "$WORK/tampered/twinproof" landmarks "$BUNDLE/_internal/resources/sample/look01_real.jpg"
code=$?
if [ "$code" -eq 1 ] && grep -qi "face_landmark" "$WORK/tampered.err"; then
    ok "bundle: an altered model is refused (exit 1: $(tail -1 "$WORK/tampered.err" | cut -c1-90))"
else bad "bundle: altered model not refused (exit $code)"; show tampered; fi
rm -rf "$WORK/tampered"

if [ "$GUI" -eq 1 ]; then
    shot=$WORK/gui.png
    if run gui 240 "$BUNDLE/twinproof-gui" --sample --screenshot "$shot" \
        && [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
        && [ "$(stat -c %s "$shot")" -gt 20000 ]; then
        ok "bundle: GUI offscreen --sample --screenshot -> PNG $(du -k "$shot" | cut -f1) kB, clean exit"
        [ -n "${SMOKE_KEEP_SCREENSHOT:-}" ] && cp "$shot" "$SMOKE_KEEP_SCREENSHOT"
    else bad "bundle: GUI --sample --screenshot (exit code or PNG missing)"; show gui 25; fi
    if grep -Eiq "Traceback|could not load the Qt platform plugin|Cannot load library" "$WORK/gui.err"; then
        bad "bundle: GUI stderr has errors"; show gui 25
    fi
    # What users run: the xcb platform plugin and the X libraries, on a real (virtual) X server.
    if command -v xvfb-run >/dev/null; then
        if run gui-xcb 180 xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
                "$BUNDLE/twinproof-gui" --screenshot "$WORK/gui-xcb.png" \
            && [ -s "$WORK/gui-xcb.png" ] && ! grep -Eiq "Traceback|could not load|Cannot load" "$WORK/gui-xcb.err"; then
            ok "bundle: GUI on an X server (Xvfb, xcb plugin) starts and exits cleanly"
        else bad "bundle: GUI under Xvfb (xcb)"; show gui-xcb 25; fi
    fi
fi

# ------------------------------------------------------------------------------ the .deb
if [ "$DEB" -eq 1 ]; then
    echo "== $(basename "$DEB_FILE") ($(du -h "$DEB_FILE" | cut -f1))"
    info=$(dpkg-deb -I "$DEB_FILE")
    for field in "Package: twinproof" "Version: $VERSION" "Architecture: $ARCH" \
                 "libxcb-icccm4" "libxcb-keysyms1" "fonts-dejavu-core" "Installed-Size:"; do
        grep -q "$field" <<<"$info" || bad "deb: control lacks '$field'"
    done
    grep -q "Package: twinproof" <<<"$info" && ok "deb: dpkg-deb -I control fields and Depends"
    contents=$(dpkg-deb -c "$DEB_FILE")
    missing=0
    for path in ./opt/twinproof/twinproof ./opt/twinproof/twinproof-gui \
                ./opt/twinproof/_internal/models/manifest.json ./opt/twinproof/_internal/models/pose_landmark_full.onnx \
                ./opt/twinproof/_internal/resources/policy/default.toml \
                ./opt/twinproof/_internal/resources/sample/look01_real.jpg \
                ./opt/twinproof/_internal/twinproof/review/migrations/env.py \
                ./usr/bin/twinproof ./usr/bin/twinproof-gui \
                ./usr/share/applications/twinproof.desktop \
                ./usr/share/icons/hicolor/256x256/apps/twinproof.png \
                ./usr/share/icons/hicolor/scalable/apps/twinproof.svg \
                ./usr/share/doc/twinproof/copyright ./usr/share/doc/twinproof/changelog.gz; do
        grep -q " $path\( \|$\)" <<<"$contents" || { bad "deb: lacks $path"; missing=1; }
    done
    [ "$missing" -eq 0 ] && ok "deb: dpkg-deb -c lists the bundle, /usr/bin links, desktop entry, icons, doc"
    grep -q "\./usr/bin/twinproof -> /opt/twinproof/twinproof$" <<<"$contents" \
        && grep -q "\./usr/bin/twinproof-gui -> /opt/twinproof/twinproof-gui$" <<<"$contents" \
        && ok "deb: /usr/bin/twinproof{,-gui} link into /opt/twinproof" || bad "deb: /usr/bin links"
    if grep -q "root/root" <<<"$contents" && ! grep -qv "root/root" <<<"$contents"; then
        ok "deb: every file owned by root"; else bad "deb: files not owned by root"; fi

    root=$WORK/root
    mkdir -p "$root" && dpkg -x "$DEB_FILE" "$root" || bad "deb: dpkg -x"
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$root/usr/share/applications/twinproof.desktop" \
            && ok "deb: desktop entry validates" || bad "deb: desktop-file-validate"
    fi
    # /usr/bin's links are absolute (Debian policy), so in a scratch root they point at the real
    # /opt. Recreate them pointing into the scratch root: running through a symbolic link, as
    # users do, is what must work (the bootloader finds _internal/ via /proc/self/exe).
    mkdir -p "$WORK/usrbin"
    for exe in twinproof twinproof-gui; do
        [ "$(readlink "$root/usr/bin/$exe")" = "/opt/twinproof/$exe" ] || bad "deb: /usr/bin/$exe target"
        ln -s "$root/opt/twinproof/$exe" "$WORK/usrbin/$exe"
    done
    smoke_cli deb "$WORK/usrbin" "$root/opt/twinproof/_internal"
    if [ "$GUI" -eq 1 ]; then
        if run deb-gui 240 "$WORK/usrbin/twinproof" --sample --screenshot "$WORK/deb-gui.png" \
            && [ -s "$WORK/deb-gui.png" ]; then
            ok "deb: GUI from the scratch root (twinproof --sample --screenshot)"
        else bad "deb: GUI from the scratch root"; show deb-gui 25; fi
    fi
    rm -rf "$root"

    echo "== $(basename "$TAR_FILE") ($(du -h "$TAR_FILE" | cut -f1))"
    mkdir -p "$WORK/tar" && tar -C "$WORK/tar" -xzf "$TAR_FILE" || bad "tar: extract"
    top=$WORK/tar/twinproof-${VERSION}-linux-$(uname -m)
    if [ -x "$top/twinproof" ] && [ -f "$top/share/applications/twinproof.desktop" ] \
        && run tar-version 30 "$top/twinproof" --version \
        && run tar-landmarks 300 "$top/twinproof" landmarks "$top/_internal/resources/sample/look01_twin.jpg"; then
        ok "tar.gz: unpacks and runs in place (--version, landmarks)"
    else bad "tar.gz: unpack and run"; show tar-version; show tar-landmarks; fi
    rm -rf "$WORK/tar"
fi

# ------------------------------------------------------------------------------ timings
if [ "$TIMINGS" -eq 1 ]; then
    # Evict only the bundle's own files from the page cache (no global drop_caches on a shared
    # machine): the next start reads them from disk, as the first start after install does.
    evict() { find "$BUNDLE" -type f -print0 | "$PYTHON" -c '
import os, sys
for p in sys.stdin.buffer.read().split(b"\0"):
    if p:
        fd = os.open(p, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)'; }
    seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); awk "BEGIN { printf \"%.2f\", $t1 - $t0 }"; }
    sample=$BUNDLE/_internal/resources/sample
    evict; c1=$(seconds "$BUNDLE/twinproof" --version); w1=$(seconds "$BUNDLE/twinproof" --version)
    evict; c2=$(seconds "$BUNDLE/twinproof" analyze "$sample/look01_real.jpg" "$sample/look01_twin.jpg" --json)
    w2=$(seconds "$BUNDLE/twinproof" analyze "$sample/look01_real.jpg" "$sample/look01_twin.jpg" --json)
    echo "time CLI --version: cold ${c1}s, warm ${w1}s"
    echo "time CLI analyze sample pair (start + analysis + exit): cold ${c2}s, warm ${w2}s"
    if [ "$GUI" -eq 1 ]; then
        # Start screen: the app screenshots 0.5 s after the window is shown, then quits.
        evict; c3=$(seconds "$BUNDLE/twinproof-gui" --screenshot "$WORK/t.png")
        w3=$(seconds "$BUNDLE/twinproof-gui" --screenshot "$WORK/t.png")
        evict; c4=$(seconds "$BUNDLE/twinproof-gui" --sample --screenshot "$WORK/t.png")
        echo "time GUI start screen to exit (includes a fixed 0.5 s wait): cold ${c3}s, warm ${w3}s"
        echo "time GUI --sample to first pair analysed and shown, exit: cold ${c4}s"
    fi
fi

echo
if [ "$FAILS" -eq 0 ]; then echo "smoke_frozen: all checks passed"; else echo "smoke_frozen: $FAILS check(s) failed"; fi
[ "$FAILS" -eq 0 ]

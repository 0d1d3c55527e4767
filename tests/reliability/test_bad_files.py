"""Every file in the bad corpus through the real commands: exit 2 with exactly one clear line on
stderr, or exit 0 with what was done to the pixels said in ``colour_handling``.

What each file must give is decided in ``scripts/make_bad_corpus.py`` (``CASES``) and
documented in ``tests/data/bad/README.md``. Most runs call ``twinproof.cli.main`` in-process
(fast: models loaded once); ``test_real_process`` repeats the trickiest through ``python -m
twinproof`` so interpreter-level output (warnings, tracebacks) is caught too.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from tests.reliability.conftest import load_corpus_module, one_line, run_cli
from twinproof.cli import main
from twinproof.core import errors
from twinproof.core.imageio import load_image
from twinproof.core.landmarks.geometry import Pyramid
from twinproof.core.registration import register

CASES = load_corpus_module().CASES
GOOD = "png_named.jpg"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _param(case):
    marks = []
    if case.name == "unreadable.jpg" and AS_ROOT:
        marks.append(pytest.mark.skip(reason="root ignores mode 000: see test_unreadable_as_root"))
    return pytest.param(case, id=case.name, marks=marks)


PARAMS = [_param(c) for c in CASES]


def _check(code, out, err, case, path, handling_side=None):
    assert code == case.exit, f"{case.name}: exit {code}, stderr: {err}"
    if case.exit == 2:
        line = one_line(err)
        assert case.says in line and path.name in line
        assert out == ""
        return None
    assert err == "", f"{case.name}: stray stderr output: {err!r}"
    return out


@pytest.mark.parametrize("case", PARAMS)
def test_analyze_twin(case, bad_dir, capsys):
    path = bad_dir / case.name
    code = main(["analyze", str(bad_dir / GOOD), str(path), "--json"])
    captured = capsys.readouterr()
    out = _check(code, captured.out, captured.err, case, path)
    if out is not None:
        d = json.loads(out)
        assert d["verdict"] in ("pass", "review", "fail")
        if case.says:
            assert any(case.says in h for h in d["twin"]["colour_handling"]), d["twin"]
        for m in d["metrics"].values():  # a measurement is a value or a stated reason
            assert m.get("value", 0) is not None or m.get("reason")


@pytest.mark.parametrize("case", [p for p in PARAMS if p.values[0].exit == 2])
def test_analyze_real(case, bad_dir, capsys):
    path = bad_dir / case.name
    code = main(["analyze", str(path), str(bad_dir / GOOD)])
    captured = capsys.readouterr()
    _check(code, captured.out, captured.err, case, path)


@pytest.mark.parametrize("case", PARAMS)
def test_landmarks(case, bad_dir, capsys):
    path = bad_dir / case.name
    code = main(["landmarks", str(path), "--json"])
    captured = capsys.readouterr()
    out = _check(code, captured.out, captured.err, case, path)
    if out is not None:
        d = json.loads(out)
        assert d["image_size"][0] > 0


@pytest.mark.parametrize("args", [
    ("analyze", GOOD, "bad_ifd.tif"), ("analyze", GOOD, "corrupt_exif.jpg"),
    ("analyze", GOOD, "bomb.png"), ("landmarks", "fifo.jpg"), ("landmarks", "wide_20000x2.png"),
    ("analyze", "symlink_loop.jpg", GOOD), ("analyze", GOOD, "spp65535.tif"),
    ("landmarks", "spp65535.tif"), ("analyze", GOOD, "decompression_bomb.gif"),
    ("landmarks", "gif_extents_bomb.gif"),
], ids=lambda a: "-".join(a))
def test_real_process(args, bad_dir, corpus_module):
    """Through a real interpreter: Pillow's warnings (and, for the TIFF declaring 65535
    samples per pixel, Pillow's log line "More samples per pixel than can be decoded") would
    print here before the fix."""
    bad = args[2] if args[0] == "analyze" and args[2] != GOOD else args[1]
    case = {c.name: c for c in corpus_module.CASES}[bad]
    proc = run_cli(args[0], *(str(bad_dir / a) for a in args[1:]),
                   env={"PYTHONWARNINGS": "default"})
    assert proc.returncode == case.exit, proc.stderr
    if case.exit == 2:
        assert case.says in one_line(proc.stderr)
    else:
        assert proc.stderr == "", proc.stderr


def test_unreadable_as_root(bad_dir, monkeypatch, capsys):
    """Mode 000 does not stop root (CI runs as root), so the permission path is tested by
    making the checks see what a normal user would: ``os.access`` says no, then ``open``
    itself is refused (a file whose permissions change between the check and the read)."""
    path = bad_dir / "unreadable.jpg"
    if not AS_ROOT:
        with pytest.raises(errors.ImageUnreadableError, match="permission denied"):
            load_image(path)
    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
    assert main(["landmarks", str(path)]) == 2
    assert "permission denied" in one_line(capsys.readouterr().err)
    monkeypatch.undo()

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    from twinproof.core import imageio

    monkeypatch.setattr(imageio, "open", refuse, raising=False)  # the loader's own open()
    assert main(["analyze", str(path), str(path)]) == 2
    assert "permission denied" in one_line(capsys.readouterr().err)


def test_fifo_never_blocks(bad_dir):
    """A named pipe stat()s as an empty file; opening it would wait for a writer forever."""
    outcome = []

    def load():
        try:
            load_image(bad_dir / "fifo.jpg")
        except errors.ImageLoadError as exc:
            outcome.append(exc)

    t = threading.Thread(target=load, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "load_image blocked on a FIFO"
    assert isinstance(outcome[0], errors.ImageUnreadableError)
    assert "not a regular file" in str(outcome[0])


@pytest.mark.parametrize("shape", [(1, 1), (2, 20000), (20000, 2), (3, 5000), (40, 4000)])
def test_registration_survives_degenerate_shapes(shape):
    """ORB asserted inside OpenCV on strips thinner than its patch (bug fixed: phase fallback)."""
    rng = np.random.default_rng(1)
    real = rng.integers(0, 255, (*shape, 3), dtype=np.uint8)
    twin = rng.integers(0, 255, (64, 96, 3), dtype=np.uint8)
    for a, b in ((real, twin), (twin, real), (real, real)):
        reg = register(a, b)
        assert np.isfinite(reg.matrix).all() and 0.0 <= reg.confidence <= 1.0


@pytest.mark.parametrize("shape", [(2, 20000), (20000, 2), (1, 1), (1, 5000)])
def test_landmark_pyramid_survives_strips(shape):
    """The landmark working copy shrank a 20000x2 strip to 0 rows (bug fixed)."""
    pyr = Pyramid(np.zeros((*shape, 3), np.uint8))
    assert min(pyr.work.shape[:2]) >= 1


def test_import_and_analyse_a_folder_full_of_bad_files(bad_dir, tmp_path, monkeypatch, capsys):
    """The whole corpus as 'real' files, each with a good twin: the import never aborts; bad
    files are reported one line per pair, good and odd ones are analysed. A file that cannot be
    read (simulated: root reads mode 000) is left unmatched with the reason instead of
    aborting the import (fixed: it used to stop the whole import with exit 2)."""
    import shutil

    from twinproof import review
    from twinproof.review import shoots
    from twinproof.review.pairing import IMAGE_EXTENSIONS

    real, twin = tmp_path / "Séance été" / "real", tmp_path / "Séance été" / "twin look"
    real.mkdir(parents=True)
    twin.mkdir()
    for case in CASES:
        src = bad_dir / case.name
        dst = real / case.name
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        elif src.is_dir():
            dst.mkdir()
        elif case.name == "fifo.jpg":
            os.mkfifo(dst)
        elif src.exists():
            shutil.copyfile(src, dst)
        if case.name != "missing.jpg":
            shutil.copyfile(bad_dir / GOOD, twin / (Path(case.name).stem + ".png"))
    (real / "unreadable.jpg").chmod(0o644)
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if str(path).endswith("unreadable.jpg"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(shoots, "open", refusing_open, raising=False)
    db = tmp_path / "s.twinproof"
    code = main(["shoot", "import", str(real), str(twin), "--db", str(db), "--analyze"])
    out, err = capsys.readouterr()
    assert code == 1, err  # the job ran; some pairs could not be analysed
    assert "Traceback" not in err
    assert "unmatched real: " in out and "unreadable.jpg cannot be read (Permission denied)" in out
    failed = {line.split(":")[1].strip() for line in err.splitlines()}
    imported = tuple(IMAGE_EXTENSIONS)
    refused = {Path(c.name).stem for c in CASES if c.exit == 2 and c.name.endswith(imported)}
    store = review.open_store(db, reviewer="reader")
    try:
        pairs = {p.name: p for p in review.list_pairs(store)}
    finally:
        store.close()
    stems = [Path(c.name).stem for c in CASES]
    for case in CASES:
        stem = Path(case.name).stem
        if stems.count(stem) > 1:  # cmyk.jpg + cmyk.tif: ambiguous, left unmatched by design
            assert stem not in pairs
            continue
        if os.fsencode(stem).decode("utf-8", "replace") != stem:  # a Latin-1 name: unmatched,
            assert stem not in pairs and "its name is not valid UTF-8" in out  # with the reason
            continue
        if case.exit == 0 and case.name.endswith(imported):
            assert pairs[stem].verdict, f"{case.name} should have been analysed"
        elif stem in pairs:  # imported (a regular file) but not analysable: said so
            assert stem in failed and not pairs[stem].verdict
    assert "png_named" not in failed and refused  # sanity


def test_file_names_with_line_breaks_still_give_one_line(tmp_path, capsys):
    """A file (or folder) named ``bad\\nname.jpg`` printed its error over two lines (fixed: control
    characters are escaped in every CLI error line)."""
    bad = tmp_path / "bad\nname\r.jpg"
    bad.write_text("not an image")
    assert main(["analyze", str(bad), str(bad)]) == 2
    line = one_line(capsys.readouterr().err)
    assert "bad\\nname\\r.jpg" in line
    assert main(["shoot", "import", str(tmp_path / "no\nsuch"), "--db", str(tmp_path / "s.twinproof")]) == 2
    assert "no\\nsuch" in one_line(capsys.readouterr().err)


def test_reader_leaving_early_is_not_a_traceback(tmp_path):
    """``twinproof analyze ... --json | head -1`` ended in a BrokenPipeError traceback (fixed)."""
    import subprocess
    import sys

    image = str(Path(__file__).resolve().parents[1] / "data" / "grace_hopper.jpg")
    proc = subprocess.Popen([sys.executable, "-m", "twinproof", "analyze", image, image, "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(1) == b"{"
    proc.stdout.close()  # the reader leaves; the rest of the JSON (~100 KB) cannot be written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""


def test_a_gif_canvas_that_grows_is_refused_only_when_it_grows_into_a_bomb(tmp_path, corpus_module):
    """Pillow grows a GIF's canvas to hold a frame placed beyond it: an 8x8 GIF with a frame at
    (19990, 19990) became 400 MP (4.4 GB through the export, whose limit is 400 MP). Refused from
    the header by every reader, with TwinProof's words; a clumsy encoder's small growth (a 0x0
    or 8x8 screen holding a 100x100 frame) still reads."""
    from twinproof.core.image_header import read_header
    from twinproof.export.images import embeddable

    bomb = tmp_path / "extents.gif"
    bomb.write_bytes(corpus_module._gif_frame((8, 8), (19990, 19990), (8, 8)))
    for reader in (load_image, read_header, lambda p: embeddable(p, 600)):
        with pytest.raises(errors.ImageTooLargeError, match=r"400 MP|reaches past the 8x8 picture"):
            reader(bomb)
    with pytest.raises(errors.ImageTooLargeError, match="reaches past the 8x8 picture the GIF declares"):
        embeddable(bomb, 600)
    import io
    import struct

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(corpus_module._picture(100, 100)).convert("P").save(buf, format="GIF")
    for screen in ((0, 0), (8, 8)):
        small = tmp_path / f"grown_{screen[0]}.gif"
        data = bytearray(buf.getvalue())
        struct.pack_into("<HH", data, 6, *screen)  # the frame stays 100x100
        small.write_bytes(bytes(data))
        assert load_image(small).width == 100


def test_credentials_of_a_fifo_never_block(bad_dir):
    """``analyze`` reads the credentials on a spare core while it loads the pair: a named pipe
    must not leave that thread waiting for a writer, which kept the process from ever exiting."""
    from twinproof.export.provenance import read_provenance

    outcome = []
    t = threading.Thread(target=lambda: outcome.append(read_provenance(bad_dir / "fifo.jpg")), daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "reading the credentials of a named pipe blocked"
    assert outcome[0]["status"] == "error" and "not a regular file" in outcome[0]["detail"]


def test_analyze_of_a_fifo_exits_with_a_spare_core(bad_dir):
    """The whole command, as a process, with the read-ahead helpers on."""
    proc = run_cli("analyze", str(bad_dir / GOOD), str(bad_dir / "fifo.jpg"), env={"TWINPROOF_THREADS": "2"},
                   timeout=60)
    assert proc.returncode == 2, proc.stderr

"""A sidecar that cannot be written (the image's folder is read-only) is a problem naming the
sidecar itself: the message showed the atomic write's temporary file
(``.look.png.xmp.k2j4h1.tmp``), a name the user never sees in the folder and cannot act on."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from twinproof.export.sidecars import write_sidecars
from twinproof.export.xmp import XmpOptions

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` as a user finds a folder they may not write to: mode 555, or for root (whom
    mode bits do not stop) ``chattr +i``, which stops root too."""
    if not AS_ROOT:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root, whom chmod does not stop, and chattr (to make the folder "
                    "immutable) is not installed")
    proc = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if proc.returncode:
        pytest.skip("running as root, whom chmod does not stop, and this file system refuses "
                    f"chattr +i ({proc.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_names_the_sidecar_not_its_temporary_file(items, tmp_path):
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    Image.new("RGB", (8, 8)).save(real / "look.jpg")
    Image.new("RGB", (8, 8)).save(twin / "look.png")
    item = items["look02"]
    item = dataclasses.replace(item, pair=dataclasses.replace(
        item.pair, real_path=str(real / "look.jpg"), twin_path=str(twin / "look.png")))
    with read_only_folder(twin):
        written, problems, _notes = write_sidecars([item], XmpOptions())
        assert sorted(os.listdir(twin)) == ["look.png"]  # nothing left behind, not even a temp file
    assert written == [real / "look.xmp"]  # the other image's sidecar is still written
    (problem,) = problems
    assert problem.startswith("look02: sidecar ") and f"sidecar {twin / 'look.xmp'} not written" in problem, problem
    assert ".tmp" not in problem and "look.xmp." not in problem, problem
    assert problem.endswith(f"you may not write in its folder {twin}"), problem

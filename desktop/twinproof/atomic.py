"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never half.

Every file an export writes is one a user cares about (a sheet sent to a brand, a sidecar
Lightroom reads): the bytes go to a temporary file in the same folder, are flushed to disk
(``fsync``), then renamed over the target with ``os.replace``, which is atomic on one file
system. The folder is synced too on POSIX so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _sync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes | bytearray) -> Path:
    """Write ``data`` to ``path`` atomically, keeping an existing file's permissions."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    mode: int | None = None
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(target.stat().st_mode)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_dir(folder)
    return target


def atomic_write_text(path: str | Path, text: str) -> Path:
    """UTF-8 text, atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))

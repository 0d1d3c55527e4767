"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never half.

Every file an export writes is one a user cares about (a sheet sent to a brand, a sidecar
Lightroom reads): the bytes go to a temporary file in the same folder, are flushed to disk
(``fsync``), then renamed over the target with ``os.replace``, which is atomic on one file
system. The folder is synced too on POSIX so the rename itself survives a power cut.

The temporary file's name is derived from the target's, so a person who finds one left by a
crash knows what it was - but it must fit the file system's limit on one name (255 bytes on
ext4, APFS, NTFS): a 250-byte image name kept its sidecar name (254 bytes) yet lost the
sidecar, because ``.NAME.xxxxxxxx.tmp`` added 14 bytes (``[Errno 36] File name too long``).
:func:`temp_prefix` keeps as much of the name as fits and adds a short hash of the whole;
:func:`fit_name` does the same for any other name TwinProof derives (copies, backups).
This module is the one place TwinProof writes a file atomically; every writer uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: The longest file name (one path component) most file systems take, in bytes.
NAME_MAX = 255
#: What ``mkstemp`` adds after the prefix: 8 random characters and the ``.tmp`` suffix.
_MKSTEMP_TAIL = 8 + len(".tmp")


def name_max(folder: str | Path) -> int:
    """The file system's limit on one name in ``folder`` (bytes; 255 when it cannot say)."""
    try:
        return min(NAME_MAX, int(os.pathconf(folder, "PC_NAME_MAX")))
    except (OSError, ValueError, AttributeError):
        return NAME_MAX


def fit_name(name: str, limit: int = NAME_MAX, *, keep_suffix: str = "") -> str:
    """``name`` when it fits in ``limit`` bytes (UTF-8, as the file system counts), else as
    much of it as fits (cut between characters), ``~`` and 10 hex digits of its SHA-256, then
    ``keep_suffix`` (which ``name`` should end with): distinct long names stay distinct."""
    raw = os.fsencode(name)
    if len(raw) <= limit:
        return name
    tag = "~" + hashlib.sha256(raw).hexdigest()[:10]
    body = raw[: len(raw) - len(os.fsencode(keep_suffix))] if keep_suffix and name.endswith(keep_suffix) else raw
    room = max(0, limit - len(tag.encode()) - len(os.fsencode(keep_suffix)))
    head = body[:room]
    while head and _cuts_a_character(head):
        head = head[:-1]
    return os.fsdecode(head) + tag + keep_suffix


def _cuts_a_character(head: bytes) -> bool:
    """True when ``head`` ends inside a UTF-8 sequence (bytes that are not UTF-8 are left as
    they are: a Latin-1 name is cut anywhere)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return False


def temp_prefix(target: Path) -> str:
    """The prefix of ``target``'s temporary file: ``.NAME.`` while the whole temporary name
    fits the file system's limit, else ``.`` + :func:`fit_name` of NAME + ``.``."""
    folder = target.parent if str(target.parent) else Path(".")
    room = name_max(folder) - _MKSTEMP_TAIL - 2  # the leading and the trailing dot
    return f".{fit_name(target.name, room)}."


def _sync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _existing_mode(target: Path) -> int:
    """The permissions ``target`` has, or what a new file gets (``0o666`` less the umask): a
    temporary file is made ``0600``, which must not leak into what it replaces."""
    with contextlib.suppress(FileNotFoundError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_temp(path: str | Path) -> Iterator[Path]:
    """A temporary file beside ``path`` for a writer that wants a path of its own (a native
    library writing a stream); when the block ends it replaces ``path`` (:func:`atomic_move`),
    and when the block raises it is removed and ``path`` is left as it was."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, temp = tempfile.mkstemp(dir=folder, prefix=temp_prefix(target), suffix=".tmp")
    os.close(fd)
    try:
        yield Path(temp)
        atomic_move(Path(temp), target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes | bytearray) -> Path:
    """Write ``data`` to ``path`` atomically, keeping an existing file's permissions."""
    with atomic_temp(path) as temp:
        temp.write_bytes(data)
    return Path(path)


def atomic_move(finished: Path, target: Path) -> Path:
    """Put a file another writer finished (exiftool's output, numpy's archive) in place of
    ``target``: flushed to disk, given ``target``'s permissions, renamed over it, the folder
    synced. ``finished`` must be on the same file system (made in ``target``'s folder)."""
    mode = _existing_mode(target)
    with open(finished, "rb+") as handle:
        os.fsync(handle.fileno())
    os.chmod(finished, mode)
    os.replace(finished, target)
    _sync_dir(target.parent if str(target.parent) else Path("."))
    return target


def atomic_write_text(path: str | Path, text: str) -> Path:
    """UTF-8 text, atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))

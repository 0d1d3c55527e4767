"""Heat maps of batch-analysed pairs, kept as files beside the record so the app need not
analyse again to show them.

A worker compresses the pair's maps (SSIM and per-pixel ΔE00 at the working size, NaN
outside the overlap) to one ``.npz`` of float16 arrays — the format the app's own cache uses —
and returns the bytes; the client writes them to the maps folder and records where in the
stored result (``result["heat_maps"]``). The file is named after both files' SHA-256, as the
app's cache is, so it always belongs to the content that was measured. Default folder: beside
a SQLite shoot file (``ss27.twinproof.maps/``); for a PostgreSQL record, a folder every
reviewer's machine mounts, given with ``--maps``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

#: The key the stored result carries the maps' location under.
RESULT_KEY = "heat_maps"
FORMAT = "npz (zip deflate), float16, NaN outside the overlap"


def file_name(real_sha: str, twin_sha: str) -> str:
    """The maps file of a pair's content (the app's cache uses the same name)."""
    return f"{real_sha[:20]}-{twin_sha[:20]}.npz"


def encode(maps: dict[str, np.ndarray]) -> bytes:
    """The maps as compressed float16 ``.npz`` bytes (half the size of float32; a heat map
    shows far less than float16's 3 significant digits)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{k: np.asarray(v, dtype=np.float16) for k, v in maps.items()})  # type: ignore[arg-type]
    return buffer.getvalue()


def decode(path: Path) -> dict[str, np.ndarray] | None:
    """The maps in ``path`` as float32, or None when it is missing or unreadable."""
    try:
        with np.load(path) as data:
            return {k: data[k].astype(np.float32) for k in data.files}
    except (OSError, ValueError, KeyError, EOFError):
        return None


def default_folder(database: str) -> Path | None:
    """``<shoot file>.maps`` beside a SQLite record; None for a server (say ``--maps``)."""
    text = str(database)
    if "://" not in text:
        return Path(text).resolve().parent / (Path(text).name + ".maps")
    from sqlalchemy.engine import make_url

    url = make_url(text)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database).resolve()
        return db.parent / (db.name + ".maps")
    return None


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write atomically (a reader never sees half a file); returns the path."""
    from twinproof.atomic import atomic_write_bytes

    folder.mkdir(parents=True, exist_ok=True)
    return atomic_write_bytes(folder / name, data)


def describe(path: Path, size: int, maps: list[str]) -> dict[str, Any]:
    """What the stored result says about its maps file."""
    return {"file": str(path), "bytes": size, "maps": maps, "format": FORMAT}


def stored_maps(result: dict[str, Any] | None, database: str | None = None) -> dict[str, np.ndarray] | None:
    """The maps a batch run kept for this stored result, or None.

    Looks at the recorded file first, then for the same name in ``<database>.maps`` (a shoot
    file moved or copied together with its maps folder).
    """
    info = (result or {}).get(RESULT_KEY)
    if not isinstance(info, dict) or not info.get("file"):
        return None
    recorded = Path(str(info["file"]))
    candidates = [recorded]
    folder = default_folder(database) if database else None
    if folder is not None:
        candidates.append(folder / recorded.name)
    for path in candidates:
        if path.is_file():
            found = decode(path)
            if found is not None:
                return found
    return None

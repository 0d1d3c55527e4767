"""Readings kept per file content and model versions, so a photograph paired with several twins
(one real shot, three candidate twins) is read once per process.

The key is the file's SHA-256 and the landmark/identity models' checksums: an edited file or a
new model version is read again. Small and in memory (readings hold full-size landmarks, not
pixels); a batch worker or the app's analysis thread each keep their own."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
MAX_ENTRIES = 32
_lock = threading.Lock()
_entries: OrderedDict[tuple[str, ...], object] = OrderedDict()
#: Keys being made right now, by any thread: set when made (or failed).
_making: dict[tuple[str, ...], threading.Event] = {}


def file_key(path: str | Path) -> str | None:
    """SHA-256 of a file's content (None when it cannot be read again)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def models_key() -> str:
    from twinproof.core.landmarks import default_registry

    manifest = default_registry().manifest
    return ",".join(f"{name}:{str(spec.get('sha256', ''))[:12]}" for name, spec in sorted(manifest.items())
                    if isinstance(spec, dict))


def cached(key: tuple[str, ...] | None, make: Callable[[], T]) -> T:
    """``make()``, remembered under ``key`` (None: not cacheable, made every time).

    A key another thread is making (the analysis reads a pair's landmarks ahead on a spare core:
    ``core/read_ahead.py``) is waited for, not made twice; if that thread's ``make`` failed, the
    caller makes it itself and meets the error in its own thread."""
    if key is None:
        return make()
    while True:
        with _lock:
            if key in _entries:
                _entries.move_to_end(key)
                return _entries[key]  # type: ignore[return-value]
            making = _making.get(key)
            if making is None:
                making = _making[key] = threading.Event()
                break
        making.wait()
    try:
        value = make()
        with _lock:
            _entries[key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    finally:
        with _lock:
            del _making[key]
        making.set()
    return value


def clear() -> None:
    with _lock:
        _entries.clear()

"""What a real photograph's working image yields, kept for its next twin.

A shoot pairs one real photograph with several twins (a generator's five candidates). The
real's side of a pair's measurements (its image resampled to the working size, its CIELAB,
its neutral pixels) depends on the real alone, so it is made once: kept with the working
image, by the SHA-256 of the file's bytes and the working size, for the last real only
(~70 MB at 2048 px). Everything kept is read-only, so no measurement can change what the next
pair sees (numpy raises if one tries).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

_LOCK = threading.Lock()
#: (key, working image, values derived from it by name)
_KEPT: list[tuple[Hashable, np.ndarray, dict[str, Any]]] = []


def working_image(key: Hashable | None, make: Callable[[], np.ndarray]) -> np.ndarray:
    """The real's working image for ``key`` (None: not kept, e.g. a file not read whole)."""
    if key is None:
        return make()
    with _LOCK:
        if _KEPT and _KEPT[0][0] == key:
            return _KEPT[0][1]
    image = make()
    image.flags.writeable = False
    with _LOCK:
        _KEPT[:] = [(key, image, {})]
    return image


def _values(image: np.ndarray) -> dict[str, Any] | None:
    return _KEPT[0][2] if _KEPT and _KEPT[0][1] is image else None


def kept(image: np.ndarray, name: str) -> Any | None:
    """The value ``name`` made earlier from this very working image, if any."""
    with _LOCK:
        values = _values(image)
        return None if values is None else values.get(name)


def keep(image: np.ndarray, name: str, value: Any) -> None:
    """Keep ``value`` (made from ``image`` alone) with it, when ``image`` is the kept one."""
    with _LOCK:
        values = _values(image)
        if values is None:
            return
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
        values[name] = value


def derived(image: np.ndarray, name: str, make: Callable[[], Any]) -> Any:
    """``kept`` or else ``make()`` (and ``keep`` it)."""
    found = kept(image, name)
    if found is None:
        found = make()
        keep(image, name, found)
    return found


def clear() -> None:
    """Forget the kept real (its next twin reads it again)."""
    with _LOCK:
        _KEPT.clear()

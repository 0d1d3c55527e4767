"""Reference portraits that are not another photograph of the person: the twin itself, the real
photograph again, or one reference twice.

A talent's own range is how her photographs differ from each other; the twin read against a copy
of itself differs from it by nothing, which would narrow her range and pull its centre onto the
twin ("within her own range" by construction), and a photograph counted twice narrows the range
without adding a shot. Such a portrait is not counted, and the result says which and why (the
face's ``yardstick`` and ``method``), so a reviewer can fix the talent's portraits.
"""

from __future__ import annotations

import numpy as np

from twinproof.core.loaded_image import LoadedImage


def same_picture(a: LoadedImage, b: LoadedImage) -> str | None:
    """How ``a`` and ``b`` are one picture ("the same file": the same bytes; "the same pixels": a
    copy saved again without loss), or None."""
    if a.content_hash is not None and a.content_hash == b.content_hash:
        return "the same file"
    if (a.width, a.height) != (b.width, b.height):
        return None
    pa, pb = a.pixels, b.pixels
    return "the same pixels" if pa.dtype == pb.dtype and np.array_equal(pa, pb) else None


def distinct_references(real: LoadedImage, twin: LoadedImage,
                        references: list[LoadedImage]) -> tuple[list[LoadedImage], list[str]]:
    """The references that are other photographs, and for each one left out, why (in words)."""
    kept: list[LoadedImage] = []
    dropped: list[str] = []
    for i, ref in enumerate(references, 1):
        name = f"reference {i} ({ref.path.name})"
        how = same_picture(ref, twin)
        if how is not None:
            dropped.append(f"{name} is the twin itself ({how}): the twin would be judged against itself")
            continue
        how = same_picture(ref, real)
        if how is not None:
            dropped.append(f"{name} is the real photograph again ({how}): counted once")
            continue
        twice = next((j for j, k in enumerate(kept) if same_picture(ref, k) is not None), None)
        if twice is not None:
            dropped.append(f"{name} repeats {kept[twice].path.name}: counted once")
            continue
        kept.append(ref)
    return kept, dropped

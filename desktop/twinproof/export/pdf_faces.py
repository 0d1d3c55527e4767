"""The sheet's identity block: the two faces as the identity model saw them, side by side,
and the likeness in words (twin to its real photograph, and to the linked talent)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from twinproof.core.result import Unmeasured
from twinproof.core.result.measurements import Identity
from twinproof.export.pdf_base import INK, MUTED, STATE_COLOURS, SheetPDF

if TYPE_CHECKING:
    from twinproof.export.pdf_blocks import Block
    from twinproof.export.pdf_pair import PairPage

CHIP_MM = 19.0
GAP = 2.5


def face_chips(item_paths: tuple[str, str], identity: Identity) -> tuple[np.ndarray, np.ndarray] | None:
    """The real's and the twin's 150x150 aligned face chips, cut again from the files with the
    transforms the analysis stored (None when a file cannot be read any more)."""
    from twinproof.core.errors import ImageLoadError
    from twinproof.core.identity.chip import cut_chip
    from twinproof.core.imageio import load_image

    chips = []
    for path, chip in zip(item_paths, (identity.real, identity.twin), strict=True):
        try:
            pixels = load_image(path).pixels
        except ImageLoadError:
            return None
        chips.append(cut_chip(pixels, np.asarray(chip.chip_to_image, dtype=np.float64)))
    return chips[0], chips[1]


def _png(chip: np.ndarray) -> io.BytesIO:
    out = io.BytesIO()
    Image.fromarray(chip).save(out, "PNG")
    out.seek(0)
    return out


def _identity_line(identity: Identity) -> str:
    """The call in words with both lines; a result made before the "cannot tell" band had one
    line (``threshold``) and a warning limit below it."""
    if identity.different_threshold is None:
        same = "the same person" if identity.same_person else "NOT the same person"
        return (f"Twin and real photograph: {same} (identity distance {identity.distance:.2f}; "
                f"same person up to {identity.threshold:g}, warn above {identity.warn_distance:g})")
    call = {"cannot tell": "cannot tell whether it is the same person",
            "not the same person": "NOT the same person"}.get(identity.call or "", "the same person")
    return (f"Twin and real photograph: {call} (identity distance {identity.distance:.2f}; same person "
            f"up to {identity.threshold:g}, another person above {identity.different_threshold:g})")


def faces_block(pdf: SheetPDF, page: PairPage, w: float) -> Block | None:
    result = page.item.analysis_result
    identity = result.metrics.identity if result is not None else None
    if identity is None:
        return None
    if isinstance(identity, Unmeasured):
        lines = [f"Identity not measured: {identity.reason}"]
        chips = None
    else:
        lines = [_identity_line(identity)]
        if isinstance(identity.talent, Unmeasured):
            lines.append(f"Likeness to the talent: {identity.talent.reason}")
        elif identity.talent is not None:
            lines.append(f"Likeness to the talent: {identity.talent.text}")
        chips = page.faces
    text_w = w - 2 * (CHIP_MM + GAP) - 1 if chips is not None else w
    text_h = sum(pdf.lines_needed(text_w, t, 6.8) for t in lines) * 6.8 * 0.45 + 1
    height = 4 + max(CHIP_MM + 3 if chips is not None else 0, text_h)
    worst = max((f.severity for f in result.flags if f.category == "identity"), default=None) if result else None
    colour = STATE_COLOURS.get(str(worst), INK) if worst else INK

    def draw(x: float, y: float) -> None:
        pdf.text_at(x, y, w, "IDENTITY: THE FACES AS THE IDENTITY MODEL SAW THEM", 6.5, True, MUTED)
        y += 4
        tx = x
        if chips is not None:
            for i, (chip, label) in enumerate(zip(chips, ("real", "twin"), strict=True)):
                cx = x + i * (CHIP_MM + GAP)
                pdf.image(_png(chip), cx, y, CHIP_MM, CHIP_MM)
                pdf.text_at(cx, y + CHIP_MM + 0.3, CHIP_MM, label, 5.5, False, MUTED)
            tx = x + 2 * (CHIP_MM + GAP) + 1
        for text in lines:
            y = pdf.para(tx, y, text_w, text, 6.8, colour=colour)

    return height, draw

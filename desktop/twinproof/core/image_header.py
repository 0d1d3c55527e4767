"""What a file is, from its header alone, through the same gate as the loader.

Why: the app's thumbnail and preview readers (Qt) and the export (which embeds plain JPEG and
PNG files unchanged) look at files without decoding them through ``load_image``. They used
``QImageReader`` and ``Image.open`` directly, which accept every format Qt or Pillow knows
(Pillow: PostScript through Ghostscript). Asking here first means they only ever see the
formats TwinProof reads, within the pixel limit and the metadata caps, and every refusal is
the loader's typed one-line error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from twinproof.core import decode_budget, errors, formats, metadata_scan
from twinproof.core.caught_warnings import decoder_warnings
from twinproof.core.imageio import _check_file, _open_pillow, typed_errors
from twinproof.core.pixel_limit import (
    _check_size,
    _raise_pillow_ceiling,
    check_declared_size,
    default_max_pixels,
)


@dataclass(frozen=True)
class ImageHeader:
    """A readable file's format (``formats.identify``), stored size, mode and EXIF orientation."""

    path: Path
    format: str
    width: int
    height: int
    mode: str
    orientation: int = 1


def read_header(path: str | Path, *, max_pixels: int | None = None) -> ImageHeader:
    """The header of ``path``, or the typed ``ImageLoadError`` ``load_image`` would raise for a
    file that is missing, not a format TwinProof reads, too large or with giant metadata."""
    path = Path(path)
    limit = max_pixels if max_pixels and max_pixels > 0 else default_max_pixels()
    size = _check_file(path)
    budget = decode_budget.Budget(path)
    with typed_errors(path, limit), open(path, "rb") as raw, decoder_warnings(keep=False):
        # Pillow's notes on damage: the loader reports them
        head = raw.read(64)
        fmt = formats.identify(head)
        if fmt is None:
            raw.seek(0)
            other = formats.describe_other(raw.read(64))
            raise errors.NotAnImageError(path, f"it is {other}" if other else None)
        decode_budget.check_file_size(path, size, fmt)
        metadata_scan.scan(fmt, raw, size, path, budget)
        if fmt == "HEIF":
            import pi_heif

            heif = pi_heif.open_heif(raw)
            primary = heif[heif.primary_index]
            _check_size(path, primary.size, limit)
            return ImageHeader(path, fmt, primary.size[0], primary.size[1], primary.mode)
        _raise_pillow_ceiling(limit)  # the loader's limit, not Pillow's 179 MP, decides here too
        with _open_pillow(path, fmt, decode_budget.BudgetedFile(raw, budget)) as im:
            check_declared_size(path, head, im.size, limit)
            try:
                orientation = int(im.getexif().get(0x0112, 1) or 1)
            except Exception:  # noqa: BLE001 - a corrupt EXIF block: the loader says so later
                orientation = 1
            return ImageHeader(path, fmt, im.width, im.height, im.mode, orientation)
    raise AssertionError("unreachable")  # typed_errors re-raises

"""Made files for the reliability tests and benchmarks, beside ``make_bad_corpus.py``'s cases:
deterministic mutants of a valid file of every format TwinProof reads (``build_fuzzed``) and a
studio master made from a camera's real pixels (``studio_master``).

    .venv/bin/python scripts/corpus_mutants.py OUT_DIR [PER_FORMAT]

Generated at test time, like the corpus: nothing here is committed but the code.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_bad_corpus import PHONE, _encoded, _picture, _tiff16_bytes


def adobe_rgb_profile() -> bytes:
    """A minimal ICC v2 matrix/TRC profile: Adobe RGB (1998) primaries (D50), gamma 563/256."""
    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + b"\0" * 4 + b"".join(struct.pack(">i", round(v * 65536)) for v in (x, y, z))

    curv = b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", 563) + b"\0\0"
    text = b"Adobe RGB (1998) compatible\0"
    desc = b"desc" + b"\0" * 4 + struct.pack(">I", len(text)) + text + b"\0" * 79
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.6097, 0.3111, 0.0195)), (b"gXYZ", xyz(0.2053, 0.6257, 0.0609)),
            (b"bXYZ", xyz(0.1492, 0.0632, 0.7446)), (b"rTRC", curv), (b"gTRC", curv), (b"bTRC", curv)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, payload in tags:
        body += b"\0" * (-(offset + len(body)) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(payload))
        body += payload
    header = (struct.pack(">I", offset + len(body)) + b"lcms" + struct.pack(">I", 0x02100000)
              + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 28
              + struct.pack(">iii", 63190, 65536, 54061) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + body


def srgb16_to_adobe16(pixels: np.ndarray) -> np.ndarray:
    """uint16 sRGB-encoded pixels as uint16 Adobe RGB (1998), in float64 (no bits lost)."""
    from twinproof.core import icc

    colorants = icc.parse_matrix_trc(adobe_rgb_profile()).colorants
    to_adobe = np.linalg.inv(colorants) @ icc._bradford(icc._D65, icc._D50) @ np.linalg.inv(icc._XYZ_TO_SRGB)
    out = np.empty_like(pixels)
    for y in range(0, pixels.shape[0], 256):
        x = pixels[y: y + 256].astype(np.float64) / 65535.0
        lin = np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)
        adobe = np.clip(lin @ to_adobe.T, 0.0, 1.0) ** (256.0 / 563.0)
        out[y: y + 256] = np.round(adobe * 65535.0).astype(np.uint16)
    return out


def studio_master(path: Path, source: Path = PHONE / "sony_ilce7sm3_10bit.hif") -> np.ndarray:
    """A retoucher's master made from real camera pixels: 16-bit Adobe RGB, LZW with predictor,
    profile embedded (as Photoshop and Lightroom write them). Returns the sRGB pixels it holds."""
    import tifffile

    from twinproof.core.imageio import load_image

    srgb = load_image(source).pixels
    assert srgb.dtype == np.uint16
    profile = adobe_rgb_profile()
    tifffile.imwrite(path, srgb16_to_adobe16(srgb), photometric="rgb", compression="lzw",
                     predictor=True, extratags=[(34675, "B", len(profile), profile, True)])
    return srgb


#: Formats mutated by ``build_fuzzed``, each from a small valid file.
FUZZ_SOURCES = ("jpg", "png", "tif", "lzw16.tif", "png16.png", "webp", "gif", "avif", "heic")


def _fuzz_source(kind: str) -> bytes:
    pic = Image.fromarray(_picture())
    if kind == "lzw16.tif":
        return _tiff16_bytes("lzw")
    if kind == "png16.png":
        import cv2

        _ok, data = cv2.imencode(".png", (_picture().astype(np.uint16) * 257 + 5)[:, :, ::-1])
        return data.tobytes()
    if kind == "heic":
        return (PHONE / "xiaomi_m2012k11ag.heic").read_bytes()
    fmt = {"jpg": "JPEG", "png": "PNG", "tif": "TIFF", "webp": "WEBP", "gif": "GIF", "avif": "AVIF"}[kind]
    params: dict[str, object] = {"exif": _exif_bytes()} if fmt == "JPEG" else {}
    return _encoded(pic, fmt, **params)


def _exif_bytes() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "TwinProof corpus"
    return exif.tobytes()


def _mutate(data: bytes, rng: np.random.Generator) -> bytes:
    """One of: bit flips, byte runs set to extremes, a cut, an insertion, a duplicated run -
    biased to the first 512 bytes, where the headers and metadata lengths are."""
    buf = bytearray(data)
    kind = int(rng.integers(0, 5))
    head = min(len(buf), 512)
    at = int(rng.integers(0, head if rng.random() < 0.7 else len(buf)))
    if kind == 0:
        for _ in range(int(rng.integers(1, 9))):
            i = int(rng.integers(0, head if rng.random() < 0.7 else len(buf)))
            buf[i] ^= 1 << int(rng.integers(0, 8))
    elif kind == 1:
        run = int(rng.integers(1, 5))
        buf[at: at + run] = bytes([int(rng.choice([0, 0xFF, 0x7F, 0x80]))]) * len(buf[at: at + run])
    elif kind == 2:
        del buf[int(rng.integers(8, max(9, len(buf)))):]
    elif kind == 3:
        buf[at:at] = rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8).tobytes()
    else:
        run = bytes(buf[at: at + int(rng.integers(4, 256))])
        buf[at:at] = run * int(rng.integers(1, 8))
    return bytes(buf)


def build_fuzzed(out: Path, per_format: int, seed: int = 18,
                 kinds: tuple[str, ...] = FUZZ_SOURCES) -> list[Path]:
    """``per_format`` deterministic mutants of a valid file of each kind: each must be read
    (exit 0) or refused in one line (exit 2), never crash, hang or spawn a program."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written = []
    for kind in kinds:
        source = _fuzz_source(kind)
        for i in range(per_format):
            path = out / f"fuzz_{i:03d}_{kind.replace('.', '_')}.{kind.rsplit('.', 1)[-1]}"
            path.write_bytes(_mutate(source, rng))
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1])
    files = build_fuzzed(target, int(sys.argv[2]) if len(sys.argv) > 2 else 12)
    print(f"wrote {len(files)} mutants to {target}")

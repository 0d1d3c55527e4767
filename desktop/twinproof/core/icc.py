"""Convert 16-bit RGB pixels from a matrix/TRC ICC profile to sRGB in floating point.

Why: retouchers deliver 16-bit TIFFs in Adobe RGB or ProPhoto RGB, and Pillow's LittleCMS
binding converts 8-bit images only. Every RGB working space in use (sRGB, Adobe RGB, ProPhoto,
Display P3, eciRGB) is a *matrix/TRC* profile: three tone curves and three colorants. For those
the conversion is exact arithmetic, done here in float64 without losing a bit: tone curves to
linear light, colorants to the D50 connection space, Bradford adaptation to D65, the sRGB
matrix, the sRGB curve. It matches LittleCMS (relative colorimetric) on 8-bit data to within
one level (tests/core/test_icc.py). A profile built on lookup tables (mAB/A2B0) is not handled
here: the caller falls back to the 8-bit path and says so.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np


class UnsupportedProfile(ValueError):
    """The profile is not an RGB matrix/TRC profile (or is malformed)."""


_BRADFORD = np.array([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])
_D50 = np.array([0.9642, 1.0, 0.8249])
_D65 = np.array([0.95047, 1.0, 1.08883])
_XYZ_TO_SRGB = np.linalg.inv(np.array([
    [0.4124564, 0.3575761, 0.1804375],
    [0.2126729, 0.7151522, 0.0721750],
    [0.0193339, 0.1191920, 0.9503041],
]))


def _bradford(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    s = _BRADFORD @ src
    d = _BRADFORD @ dst
    return np.linalg.inv(_BRADFORD) @ np.diag(d / s) @ _BRADFORD


@dataclass(frozen=True)
class MatrixTRC:
    """The parts of a matrix/TRC profile needed to reach linear XYZ (D50)."""

    colorants: np.ndarray  # 3x3, columns = r, g, b XYZ (D50)
    curves: tuple[Curve, Curve, Curve]

    def to_srgb(self, rgb: np.ndarray) -> np.ndarray:
        """Float RGB in [0, 1] in this profile → sRGB-encoded float in [0, 1] (clipped)."""
        lin = np.stack([curve(rgb[..., i]) for i, curve in enumerate(self.curves)], axis=-1)
        m = _XYZ_TO_SRGB @ _bradford(_D50, _D65) @ self.colorants
        out = np.clip(lin @ m.T, 0.0, 1.0)
        return np.where(out <= 0.0031308, out * 12.92, 1.055 * np.power(out, 1 / 2.4) - 0.055)


def _tags(data: bytes) -> dict[bytes, bytes]:
    if len(data) < 132 or data[36:40] != b"acsp":
        raise UnsupportedProfile("not an ICC profile")
    if data[16:20] != b"RGB ":
        raise UnsupportedProfile(f"colour space {data[16:20]!r}, not RGB")
    (count,) = struct.unpack(">I", data[128:132])
    tags = {}
    for i in range(min(count, 200)):
        sig, off, size = struct.unpack(">4sII", data[132 + 12 * i: 144 + 12 * i])
        if off + size > len(data):
            raise UnsupportedProfile("tag outside the profile")
        tags[sig] = data[off: off + size]
    return tags


def _xyz(tag: bytes) -> np.ndarray:
    if tag[:4] != b"XYZ " or len(tag) < 20:
        raise UnsupportedProfile("bad XYZ tag")
    return np.array(struct.unpack(">iii", tag[8:20]), dtype=np.float64) / 65536.0


@dataclass(frozen=True)
class Curve:
    """An ICC tone curve: a gamma, a sampled table, or a parametric function (types 0-4)."""

    kind: str
    gamma: float = 1.0
    table: np.ndarray | None = None
    function: int = 0
    params: tuple[float, ...] = ()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.clip(x, 0.0, 1.0)
        if self.kind == "gamma":
            return np.power(x, self.gamma)
        if self.kind == "table":
            assert self.table is not None
            return np.interp(x, np.linspace(0, 1, len(self.table)), self.table)
        return self._parametric(x)

    def _parametric(self, x: np.ndarray) -> np.ndarray:
        p = self.params
        g = p[0]
        if self.function == 0:
            return np.power(x, g)
        a, b = p[1], p[2]
        base = np.power(np.maximum(a * x + b, 0.0), g)
        if self.function == 1:
            return np.where(x >= -b / a, base, 0.0)
        if self.function == 2:
            return np.where(x >= -b / a, base + p[3], p[3])
        if self.function == 3:
            return np.where(x >= p[4], base, p[3] * x)
        return np.where(x >= p[4], base + p[5], p[3] * x + p[6])


def _curve(tag: bytes) -> Curve:
    kind = tag[:4]
    if kind == b"curv":
        (n,) = struct.unpack(">I", tag[8:12])
        if n == 0:
            return Curve("gamma", 1.0)
        if n == 1:
            return Curve("gamma", struct.unpack(">H", tag[12:14])[0] / 256.0)
        table = np.frombuffer(tag[12: 12 + 2 * n], dtype=">u2").astype(np.float64) / 65535.0
        return Curve("table", table=table)
    if kind == b"para":
        (fn,) = struct.unpack(">H", tag[8:10])
        nparams = {0: 1, 1: 3, 2: 4, 3: 5, 4: 7}.get(fn)
        if nparams is None:
            raise UnsupportedProfile(f"parametric curve type {fn}")
        params = tuple(v / 65536.0 for v in struct.unpack(f">{nparams}i", tag[12: 12 + 4 * nparams]))
        return Curve("para", function=fn, params=params)
    raise UnsupportedProfile(f"tone curve of type {kind!r}")


def parse_matrix_trc(data: bytes) -> MatrixTRC:
    """Read a matrix/TRC RGB profile, or raise :class:`UnsupportedProfile`."""
    try:
        tags = _tags(data)
        needed = (b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC")
        if not all(t in tags for t in needed):
            raise UnsupportedProfile("not a matrix/TRC profile (lookup-table based)")
        colorants = np.column_stack([_xyz(tags[t]) for t in needed[:3]])
        curves = (_curve(tags[b"rTRC"]), _curve(tags[b"gTRC"]), _curve(tags[b"bTRC"]))
    except struct.error as exc:
        raise UnsupportedProfile(f"malformed profile ({exc})") from exc
    return MatrixTRC(colorants, curves)


def profile_to_srgb_16bit(pixels: np.ndarray, icc: bytes) -> np.ndarray:
    """uint16 RGB pixels in the profile ``icc`` → uint16 sRGB, converted in float."""
    profile = parse_matrix_trc(icc)
    out = np.empty_like(pixels)
    step = 512  # rows at a time: float64 temporaries of a 24 MP frame would take ~2 GB
    for y in range(0, pixels.shape[0], step):
        part = pixels[y: y + step].astype(np.float64) / 65535.0
        out[y: y + step] = np.round(profile.to_srgb(part) * 65535.0).astype(np.uint16)
    return out


#: sRGB's colorants adapted to D50, as every sRGB profile stores them (IEC 61966-2-1 / ICC).
_SRGB_COLORANTS_D50 = np.array([[0.4361, 0.3851, 0.1431],
                                [0.2225, 0.7169, 0.0606],
                                [0.0139, 0.0971, 0.7141]])


def is_srgb(data: bytes) -> bool:
    """True when a profile *is* sRGB (its colorants and tone curves), whatever its name says.

    Why not the name: "DCI-P3 D65 Gamut with sRGB Transfer" (a phone's Display P3) contains
    "sRGB" and was left unconverted, its wider colours read as sRGB.
    """
    try:
        profile = parse_matrix_trc(data)
    except UnsupportedProfile:
        return False
    if np.abs(profile.colorants - _SRGB_COLORANTS_D50).max() > 0.003:
        return False
    x = np.linspace(0.0, 1.0, 17)
    srgb_linear = np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)
    return all(float(np.abs(curve(x) - srgb_linear).max()) < 0.003 for curve in profile.curves)

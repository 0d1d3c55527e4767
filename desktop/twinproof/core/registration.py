"""Registration: find the similarity transform that lays the twin over the real photograph.

A twin is rarely pixel-aligned with the shoot (another size, a crop, a small shift, scale or
rotation), and a reframing is not a fault, so every measurement is made on the aligned pair.

Method: ORB features on both images at the registration size, cross-checked by Lowe's ratio
test, then a RANSAC similarity (``cv2.estimateAffinePartial2D``: scale, rotation, shift; no
shear) refined by Levenberg-Marquardt on the inliers. ORB is scale- and rotation-invariant, so
images of different sizes, crops and aspect ratios work. When too few features agree (plain
backgrounds, heavy regeneration), phase correlation gives a translation-only fallback, and a
confidence near 0 tells the user to check or nudge the alignment by hand.

Convention: ``matrix`` maps twin pixel coordinates (full resolution) to real pixel coordinates;
``rotation_deg`` is positive clockwise as seen on screen (image y points down).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

REGISTRATION_LONG_SIDE = 1600
MIN_INLIERS = 12
RATIO_TEST = 0.8
SCALE_RANGE = (0.25, 4.0)
#: A twin is never turned further than this against the shoot; a larger angle is a false match.
MAX_ROTATION_DEG = 30.0
#: ORB needs a border of its patch size around every feature; on a thinner image (a 20000x2
#: strip, a 1x1 dot) its own pyramid asserts inside OpenCV, and no feature could be found.
MIN_FEATURE_SIDE = 64
#: Below this many pixels across, phase correlation has nothing to correlate (and OpenCV's peak
#: centroid reads outside a 2-px-high spectrum).
MIN_PHASE_SIDE = 16


@dataclass(frozen=True)
class Registration:
    """A twin→real similarity transform in full-resolution pixels, with how sure we are."""

    matrix: np.ndarray
    confidence: float
    method: str
    inliers: int = 0
    matches: int = 0
    #: Share of the real frame the agreeing features span (convex hull of the inliers): near 1
    #: when the whole picture agrees (one frame), small when only a face does (two shots of one
    #: person can match on the face alone). 0 for the phase-correlation fallback.
    support: float = 0.0
    #: How many of the same matches a perspective transform (homography) explains: far more
    #: than the similarity does means the camera moved (a keystone), not the picture.
    perspective_inliers: int = 0

    @property
    def scale(self) -> float:
        return float(math.hypot(self.matrix[0, 0], self.matrix[1, 0]))

    @property
    def rotation_deg(self) -> float:
        return float(math.degrees(math.atan2(self.matrix[1, 0], self.matrix[0, 0])))

    @property
    def shift_px(self) -> tuple[float, float]:
        return float(self.matrix[0, 2]), float(self.matrix[1, 2])

    def inverse(self) -> np.ndarray:
        """The real→twin matrix (2x3)."""
        return cv2.invertAffineTransform(self.matrix)

    def to_dict(self, overlap: float | None = None) -> dict[str, object]:
        out: dict[str, object] = {
            "scale": round(self.scale, 6),
            "rotation_deg": round(self.rotation_deg, 4),
            "shift_px": [round(v, 2) for v in self.shift_px],
            "confidence": round(self.confidence, 3),
            "method": self.method,
            "inliers": self.inliers,
            "matches": self.matches,
            "matrix": [[round(float(v), 8) for v in row] for row in self.matrix],
        }
        if overlap is not None:
            out["overlap_fraction"] = round(overlap, 4)
        return out

    @classmethod
    def from_parameters(
        cls, scale: float, rotation_deg: float, shift: tuple[float, float], method: str = "manual"
    ) -> Registration:
        """Build a transform from its parts (hand nudging in the app, tests)."""
        r = math.radians(rotation_deg)
        c, s = scale * math.cos(r), scale * math.sin(r)
        m = np.array([[c, -s, shift[0]], [s, c, shift[1]]], dtype=np.float64)
        return cls(m, 1.0, method)


def to_gray_u8(rgb: np.ndarray) -> np.ndarray:
    """8-bit luma for feature detection, from uint8/uint16/float RGB."""
    if rgb.dtype == np.uint16:
        rgb = (rgb >> 8).astype(np.uint8)
    elif rgb.dtype != np.uint8:
        rgb = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)


def resize_long_side(img: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    """Downscale (never up) so the long side is ``long_side``; returns image and factor."""
    h, w = img.shape[:2]
    f = min(1.0, long_side / max(h, w)) if long_side else 1.0
    if f >= 1.0:
        return img, 1.0
    size = (max(1, round(w * f)), max(1, round(h * f)))
    return cv2.resize(img, size, interpolation=cv2.INTER_AREA), f


def _resize_to(img: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    h, w = img.shape[:2]
    f = long_side / max(h, w)
    if abs(f - 1.0) < 1e-9:
        return img, 1.0
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    return cv2.resize(img, (max(1, round(w * f)), max(1, round(h * f))), interpolation=interp), f


#: ORB's feature budget: 5,000 for a pair registered at the registration size (the long side
#: REGISTRATION_LONG_SIDE, every photograph at least that large), as many per square pixel of the
#: long side on a smaller pair, and never fewer than 2,500. A 512 px pair kept 5,000 (~4,900 found),
#: and brute-force matching, quadratic in the count, cost 65-96 ms of its ~0.7 s cold start. Why not
#: fewer: the share of matches that agree decides the mode, and a body liquified in one frame moves
#: many of them (the astronaut's torso slimmed 8 %: 60 % agree with 5,000, 59 % with 2,500, 49 %
#: with 1,000, under the 50 % line). docs/scaling.md, "Issue 27, fourth pass", has the check.
MAX_FEATURES = 5000
MIN_FEATURES = 2500


def feature_budget(gray: np.ndarray) -> int:
    """How many ORB features to keep on ``gray`` (see :data:`MAX_FEATURES`)."""
    share = (max(gray.shape[:2]) / REGISTRATION_LONG_SIDE) ** 2
    return int(min(MAX_FEATURES, max(MIN_FEATURES, round(MAX_FEATURES * share))))


def _features(gray: np.ndarray) -> tuple[Sequence[cv2.KeyPoint], np.ndarray | None]:
    orb = cv2.ORB.create(nfeatures=feature_budget(gray), scaleFactor=1.2, nlevels=8, fastThreshold=10)
    return orb.detectAndCompute(gray, None)


def _match(d_twin: np.ndarray, d_real: np.ndarray) -> list[tuple[int, int]]:
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(d_twin, d_real, k=2)
    good = []
    for cand in pairs:
        if len(cand) == 2 and cand[0].distance < RATIO_TEST * cand[1].distance:
            good.append((cand[0].queryIdx, cand[0].trainIdx))
    return good


#: The real photograph's registration image and ORB features, by the caller's key (its file
#: hash): a real paired with several twins is prepared once. ~2 MB each.
_PREPARED: OrderedDict[tuple[Hashable, int], tuple[np.ndarray, float, Features]] = OrderedDict()
_PREPARED_LOCK = threading.Lock()
Features = tuple[Sequence[cv2.KeyPoint], np.ndarray | None] | None


def _prepared_real(real_rgb: np.ndarray, long_side: int, key: Hashable | None) -> tuple[np.ndarray, float, Features]:
    with _PREPARED_LOCK:
        if key is not None and (key, long_side) in _PREPARED:
            _PREPARED.move_to_end((key, long_side))
            return _PREPARED[(key, long_side)]
    real_g, fr = _resize_to(to_gray_u8(real_rgb), long_side)
    feats = _features(real_g) if min(real_g.shape) >= MIN_FEATURE_SIDE else None
    if key is not None:
        with _PREPARED_LOCK:
            _PREPARED[(key, long_side)] = (real_g, fr, feats)
            while len(_PREPARED) > 4:
                _PREPARED.popitem(last=False)
    return real_g, fr, feats


def register(real_rgb: np.ndarray, twin_rgb: np.ndarray, *, real_key: Hashable | None = None) -> Registration:
    """Estimate the twin→real similarity for full-resolution images (any dtype RGB).
    ``real_key`` (e.g. the real file's hash and decode) keeps the real's features for its next twin."""
    # Both at one long side (the smaller image is upscaled) so ORB finds enough features on
    # a twin delivered at low resolution.
    long_side = min(REGISTRATION_LONG_SIDE, max(*real_rgb.shape[:2], *twin_rgb.shape[:2]))
    real_g, fr, real_feats = _prepared_real(real_rgb, long_side, real_key)
    twin_g, ft = _resize_to(to_gray_u8(twin_rgb), long_side)
    found = _feature_registration(real_g, twin_g, real_feats)
    if found is None:
        found = _phase_registration(real_g, twin_g)
    m_small, confidence, method, inliers, matches, support, perspective = found
    # Back to full resolution: real_full = (1/fr) * M_small * (ft * twin_full)
    m = m_small.astype(np.float64).copy()
    m[:, :2] *= ft / fr
    m[:, 2] /= fr
    return Registration(m, confidence, method, inliers, matches, support, perspective)


Found = tuple[np.ndarray, float, str, int, int, float, int]


def _support(points: np.ndarray, shape: tuple[int, ...]) -> float:
    """Area of the points' convex hull as a share of the frame's."""
    if len(points) < 3:
        return 0.0
    hull = cv2.convexHull(points.astype(np.float32))
    return float(min(1.0, cv2.contourArea(hull) / max(1.0, shape[0] * shape[1])))


def _feature_registration(real_g: np.ndarray, twin_g: np.ndarray, real_feats: Features = None) -> Found | None:
    if min(*real_g.shape, *twin_g.shape) < MIN_FEATURE_SIDE:
        return None
    kr, dr = real_feats if real_feats is not None else _features(real_g)
    kt, dt = _features(twin_g)
    if dr is None or dt is None or len(kr) < MIN_INLIERS or len(kt) < MIN_INLIERS:
        return None
    good = _match(dt, dr)
    if len(good) < MIN_INLIERS:
        return None
    src = np.array([kt[i].pt for i, _ in good], dtype=np.float32)
    dst = np.array([kr[j].pt for _, j in good], dtype=np.float32)
    m, inl = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=2.0, maxIters=5000,
        confidence=0.999, refineIters=20,
    )
    if m is None or inl is None:
        return None
    n_in = int(inl.sum())
    scale = math.hypot(m[0, 0], m[1, 0])
    angle = abs(math.degrees(math.atan2(m[1, 0], m[0, 0])))
    if n_in < MIN_INLIERS or not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1] or angle > MAX_ROTATION_DEG:
        return None
    # Least-squares refit on the inliers only (RANSAC's refine already does LM; this is cheap
    # and guards against its early stop).
    sel = inl.ravel().astype(bool)
    m2, _ = cv2.estimateAffinePartial2D(src[sel], dst[sel], method=cv2.LMEDS)
    if m2 is not None:
        m = m2
    confidence = (n_in / len(good)) ** 0.5 * min(1.0, n_in / 50.0)
    support = _support(dst[sel], real_g.shape)
    _h, h_inl = cv2.findHomography(src, dst, cv2.RANSAC, 2.0, maxIters=2000, confidence=0.995)
    perspective = int(h_inl.sum()) if h_inl is not None else 0
    return m, float(confidence), "ORB features + RANSAC similarity", n_in, len(good), support, perspective


def _even_dft_size(n: int) -> int:
    size = cv2.getOptimalDFTSize(n)
    while size % 2:
        size = cv2.getOptimalDFTSize(size + 1)
    return size


def _phase_registration(real_g: np.ndarray, twin_g: np.ndarray) -> Found:
    """Translation-only fallback: resize the twin to the real frame, then phase correlation.

    OpenCV's ``phaseCorrelate`` with a Hann window (the frames are not periodic, so without it
    their edges dominate the spectrum): sub-pixel by the peak's centroid, within 0.01 px of a
    known shift of a real photograph (tests/core/test_registration.py). It replaced
    scikit-image's ``phase_cross_correlation``, whose import alone (SciPy's FFT and array-API
    layers) cost ~1 s at every start for a fallback most pairs never take.
    """
    h, w = real_g.shape
    th, tw = twin_g.shape
    sx, sy = w / tw, h / th
    s = (sx + sy) / 2
    if min(w, h) < MIN_PHASE_SIDE:  # a strip: no shift can be told apart, say so by confidence 0
        return np.array([[s, 0.0, 0.0], [0.0, s, 0.0]]), 0.0, "phase correlation (translation only)", 0, 0, 0.0, 0
    resized = cv2.resize(twin_g, (w, h), interpolation=cv2.INTER_AREA)
    window = cv2.createHanningWindow((w, h), cv2.CV_32F)
    # OpenCV pads each side to its DFT size and, when that size is odd (27 for 26 or 27 rows),
    # reads the peak half a pixel off: an image against itself "shifted" by 0.5 px. Padded here
    # (zeros, outside the window) to an even DFT size, which it leaves as is.
    ph, pw = _even_dft_size(h), _even_dft_size(w)

    def pad(x: np.ndarray) -> np.ndarray:
        return cv2.copyMakeBorder(x.astype(np.float32), 0, ph - h, 0, pw - w, cv2.BORDER_CONSTANT, value=0)

    (dx, dy), response = cv2.phaseCorrelate(pad(real_g), pad(resized), pad(window))
    # phaseCorrelate gives how far the twin's content lies from the real's; twin -> real undoes it.
    m = np.array([[s, 0.0, -dx], [0.0, s, -dy]], dtype=np.float64)
    # ``response`` is the normalised peak (about 1 for a clean shift, small for noise).
    confidence = float(max(0.0, min(0.3, response * 0.3)))
    return m, confidence, "phase correlation (translation only)", 0, 0, 0.0, 0


def warp_to_real(
    twin_rgb: np.ndarray,
    reg: Registration,
    real_size_full: tuple[int, int],
    factor: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Resample the twin onto the real frame at ``factor`` of the real's full resolution.

    The twin is first shrunk with INTER_AREA to about the target scale (no aliasing), then
    warped with bilinear interpolation by the near-unity remainder. Returns the aligned twin
    (same dtype as input) and the overlap mask (bool, pixels the twin really covers).
    """
    out_w = max(1, round(real_size_full[0] * factor))
    out_h = max(1, round(real_size_full[1] * factor))
    # The real was reduced to exactly out_w x out_h (resize_long_side rounds each side), so
    # its working pixels are real_full * (out_w / W, out_h / H), not * factor: with factor
    # itself, a rounded short side (3264x2447, 1976x4608) stretched the twin by ~1.00025 and
    # an image compared with itself scored SSIM 0.990.
    fx, fy = out_w / real_size_full[0], out_h / real_size_full[1]
    pre = min(1.0, factor * reg.scale)
    src = twin_rgb
    th, tw = twin_rgb.shape[:2]
    # A twin that lands on the working frame pixel for pixel is reduced exactly as the real
    # was (INTER_AREA to the same size), so the warp left is the identity: a twin identical to
    # the real gives identical working pixels, SSIM 1 and ΔE 0.
    lands = abs(tw * pre - out_w) < 1 and abs(th * pre - out_h) < 1
    if lands and (tw, th) != (out_w, out_h):
        size = (out_w, out_h)
    elif pre < 0.999:
        size = (max(1, round(tw * pre)), max(1, round(th * pre)))
    else:
        size = (tw, th)
    if size != (tw, th):
        src = cv2.resize(twin_rgb, size, interpolation=cv2.INTER_AREA)
    pre_x, pre_y = size[0] / tw, size[1] / th
    m = reg.matrix.copy()  # twin_full -> real_full
    m[0] *= fx  # -> real_work
    m[1] *= fy
    m[:, 0] /= pre_x  # twin_pre -> twin_full on x
    m[:, 1] /= pre_y
    flags = cv2.INTER_LINEAR
    aligned = cv2.warpAffine(src, m, (out_w, out_h), flags=flags, borderMode=cv2.BORDER_CONSTANT)
    ones = np.full(src.shape[:2], 255, dtype=np.uint8)
    cover = cv2.warpAffine(ones, m, (out_w, out_h), flags=cv2.INTER_NEAREST, borderValue=0)
    mask = cv2.erode(cover, np.ones((3, 3), np.uint8)) > 0
    return aligned, mask

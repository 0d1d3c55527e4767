"""Per-talent edit directions in the identity descriptor's space, learned at enrolment (issue 23).

The face mesh's jaw reading follows about a quarter of a jaw edit, while one person's jaw varies
up to 11 % between shots: two photographs cannot show a slimmed jaw. The identity network sees the
face's shape as a whole. Warping each of the talent's own portraits with the edit a brand must
catch (``probe_edits``) moves her descriptor along a direction; the twin's offset from the
centre of her portraits, projected on that direction and scaled by how far the probe moved it,
reads as an "edit-equivalent" percent. Her own portraits, each read against the others, give
the spread that reading has without an edit: the yardstick is her own range.

Every descriptor here (her portraits' and the twin's) is the average of the photograph's and its
mirror image's, and each probe is read both ways (+edit and −edit) on the portrait and on its
mirror image: measured on both calibration sets with people left out, this is what lets 2–4
portraits catch a 10 % jaw edit (``benchmarks/newshot_edit_directions.py``, docs/fidelity.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twinproof.core.identity.descriptor import model_version
from twinproof.core.identity.probe_edits import PROBES, probe
from twinproof.core.identity.read import read_identity
from twinproof.core.identity.types import FaceIdentity
from twinproof.core.landmarks.types import FaceLandmarks


@dataclass(frozen=True)
class EditDirection:
    """One edit's direction: ``unit`` (128-d), ``per_percent`` (descriptor projection per 1 % of
    the edit, mean over her portraits), ``own`` (each portrait's edit-equivalent percent read
    against the centre of her other portraits: her range without an edit)."""

    name: str
    unit: np.ndarray
    per_percent: float
    own: tuple[float, ...]

    def spread(self) -> float:
        """Her own σ of a reading against the centre of n portraits, from the leave-one-out
        readings (each against n − 1 others, variance σ²(1 + 1/(n − 1)))."""
        n = len(self.own) + 0.0
        rms = float(np.sqrt(np.mean(np.square(self.own))))
        return rms / float(np.sqrt(1 + 1 / max(n - 1, 1)))


@dataclass(frozen=True)
class TalentDirections:
    centroid: np.ndarray
    directions: dict[str, EditDirection]
    portraits: int
    model: str

    def read(self, descriptor: np.ndarray) -> dict[str, float]:
        """The twin's edit-equivalent percent of each edit, read jointly (least squares on the
        three edits' shifts), so an eye edit is not read as a jaw edit where their directions
        share a part."""
        return joint(np.asarray(descriptor, np.float64) - self.centroid, self.directions)

    def project(self, descriptor: np.ndarray) -> dict[str, float]:
        """Each direction alone (the plain projection; kept for the benchmark's comparison)."""
        offset = np.asarray(descriptor, np.float64) - self.centroid
        return {name: float(offset @ d.unit) / d.per_percent for name, d in self.directions.items()}


def joint(offset: np.ndarray, directions: dict[str, EditDirection]) -> dict[str, float]:
    names = list(directions)
    shifts = np.stack([directions[n].unit * directions[n].per_percent for n in names], axis=1)
    amounts, *_ = np.linalg.lstsq(shifts, offset, rcond=None)
    return {n: float(a) for n, a in zip(names, amounts, strict=True)}


def _descriptor(pixels: np.ndarray, face: FaceLandmarks | None, min_face_px: float) -> np.ndarray | None:
    found = read_identity(pixels, face, min_face_px=min_face_px)
    return np.asarray(found.descriptor, np.float64) if isinstance(found, FaceIdentity) else None


def _probe_face(pixels: np.ndarray, face: FaceLandmarks) -> FaceLandmarks:
    """The warped portrait's face, found again (an eye edit moves the chip's anchor points as it
    moves a twin's); the portrait's own mesh when it is not found."""
    from twinproof.core.landmarks import detect_landmarks

    found = detect_landmarks(pixels).face
    return found if found is not None else face


def _mirror(pixels: np.ndarray) -> tuple[np.ndarray, FaceLandmarks] | None:
    """The photograph mirrored left to right and its face found again (the mesh's points are
    not symmetric by index, so they are not flipped but read)."""
    from twinproof.core.landmarks import detect_landmarks

    flipped = np.ascontiguousarray(pixels[:, ::-1])
    face = detect_landmarks(flipped).face
    return None if face is None else (flipped, face)


def mirrored_descriptor(pixels: np.ndarray, face: FaceLandmarks | None, min_face_px: float = 60.0,
                        mirror: tuple[np.ndarray, FaceLandmarks] | None = None) -> np.ndarray | None:
    """Her descriptor averaged with her mirror image's. A face turned or lit from one side reads
    a little slimmer or wider along the jaw direction; the mirror image carries the opposite
    half of that, so the average keeps the face's shape and loses the side (measured: the
    unedited twins' jaw spread falls, and a slimmed jaw is caught in 69 % instead of 46 % of
    2-portrait cases, docs/fidelity.md). The photograph's own descriptor when the mirror image's
    face is not found."""
    own = _descriptor(pixels, face, min_face_px)
    if own is None:
        return None
    mirror = mirror if mirror is not None else _mirror(pixels)
    other = _descriptor(*mirror, min_face_px) if mirror is not None else None
    return own if other is None else (own + other) / 2


@dataclass(frozen=True)
class PortraitProbe:
    """One portrait read for enrolment: its mirror-averaged descriptor and, per edit, the shift
    of its descriptor per +1 % of that edit."""

    descriptor: np.ndarray
    shifts: dict[str, np.ndarray]


def _slope(pixels: np.ndarray, face: FaceLandmarks, name: str, min_face_px: float) -> np.ndarray | None:
    """The descriptor's shift per +1 % of edit ``name`` at this face: the symmetric difference of
    the edit and its opposite (a one-sided probe carries the descriptor's curvature as well, and
    read a 10 % jaw edit as 87 % of one)."""
    size = PROBES[name]
    ends = []
    for pct in (size, -size):
        warped = probe(pixels, face.points, name, pct)
        ends.append(_descriptor(warped, _probe_face(warped, face), min_face_px))
    if ends[0] is None or ends[1] is None:
        return None
    return (ends[0] - ends[1]) / (2 * size)


#: The edits whose direction the twin's own probe shifts join (``combine``): those that change the
#: face's outline. With the twin's eye shift as well, eye-edited twins raised a jaw flag 19 times
#: in 2380 configurations instead of 12 (benchmarks/newshot_edit_directions.py).
TWIN_JOINS: tuple[str, ...] = ("jaw_width", "face_width")


def probe_portrait(pixels: np.ndarray, face: FaceLandmarks, min_face_px: float = 60.0,
                   names: tuple[str, ...] = tuple(PROBES)) -> PortraitProbe | None:
    """Read one portrait for enrolment (probes on it and on its mirror image), or None when its
    face cannot be identified or a probed face is lost. ``names``: the probes to read (a twin
    needs only :data:`TWIN_JOINS`)."""
    mirror = _mirror(pixels)
    descriptor = mirrored_descriptor(pixels, face, min_face_px, mirror)
    if descriptor is None:
        return None
    views = [(pixels, face)] + ([mirror] if mirror is not None else [])
    shifts: dict[str, np.ndarray] = {}
    for name in names:
        found = [s for s in (_slope(p, f, name, min_face_px) for p, f in views) if s is not None]
        if not found:
            return None
        shifts[name] = np.mean(found, axis=0)
    return PortraitProbe(descriptor, shifts)


def combine(probes: list[PortraitProbe], model: str = "", twin: PortraitProbe | None = None) -> TalentDirections | str:
    """Her directions from her portraits' probes, or why they cannot be learned.

    ``twin``: the twin read the same way. Its probe shifts join hers in the mean of the jaw's and
    the face width's directions (:data:`TWIN_JOINS`; analysis by synthesis: the twin is warped
    too, so the direction is also known where the twin's face is); the centre and the talent's own range
    stay hers alone. Measured with 2 portraits, where 2 probes leave a direction poorly known: a
    10 % jaw edit caught in 90 % of cases instead of 71 %, with as many false flags in all (unedited
    fails and eye edits read as a jaw: 24 against 22 in 4760 configurations); with 5 or more
    portraits, 88 % against 87 % (benchmarks/newshot_edit_directions.py)."""
    if len(probes) < 2:
        return (f"{len(probes)} portrait{'s' if len(probes) != 1 else ''} with a face large enough to identify: "
                "at least 2 are needed to know the talent's own range")
    stack = np.stack([p.descriptor for p in probes])
    units: dict[str, tuple[np.ndarray, float]] = {}
    for name in PROBES:
        joins = [twin] if twin is not None and name in TWIN_JOINS and name in twin.shifts else []
        mean = np.mean(np.stack([p.shifts[name] for p in [*probes, *joins]]), axis=0)
        norm = max(float(np.linalg.norm(mean)), 1e-12)
        units[name] = mean / norm, norm
    bare = {name: EditDirection(name, unit, per, ()) for name, (unit, per) in units.items()}
    own = [joint(stack[i] - np.delete(stack, i, axis=0).mean(axis=0), bare) for i in range(len(stack))]
    directions = {name: EditDirection(name, unit, per, tuple(o[name] for o in own))
                  for name, (unit, per) in units.items()}
    return TalentDirections(stack.mean(axis=0), directions, len(probes), model or model_version())


def learn(portraits: list[tuple[np.ndarray, FaceLandmarks]], min_face_px: float = 60.0) -> TalentDirections | str:
    """Learn her edit directions from her portraits (pixels and the face found in them), or say
    why they cannot be learned."""
    probes = [p for p in (probe_portrait(pixels, face, min_face_px) for pixels, face in portraits) if p is not None]
    return combine(probes)

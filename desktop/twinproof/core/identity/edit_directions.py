"""Per-talent edit directions in the identity descriptor's space, learned at enrolment (issue 23).

The face mesh's jaw reading follows about a quarter of a jaw edit, while one person's jaw varies
up to 11 % between shots: two photographs cannot show a slimmed jaw. The identity network sees the
face's shape as a whole. Warping each of the talent's own portraits with the edit a brand must
catch (``probe_edits``) moves her descriptor along a direction; the twin's offset from the
centre of her portraits, projected on that direction and scaled by how far the probe moved it,
reads as an "edit-equivalent" percent. Her own portraits, each read against the others, give
the spread that reading has without an edit: the yardstick is her own range.
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


def learn(portraits: list[tuple[np.ndarray, FaceLandmarks]], min_face_px: float = 60.0) -> TalentDirections | str:
    """Learn her edit directions from her portraits (pixels and the face found in them), or say
    why they cannot be learned."""
    base: list[np.ndarray] = []
    moved: dict[str, list[np.ndarray]] = {name: [] for name in PROBES}
    model = ""
    for pixels, face in portraits:
        d0 = _descriptor(pixels, face, min_face_px)
        if d0 is None:
            continue
        deltas: dict[str, np.ndarray] = {}
        for name in PROBES:
            warped = probe(pixels, face.points, name)
            d1 = _descriptor(warped, _probe_face(warped, face), min_face_px)
            if d1 is None:
                break
            deltas[name] = d1 - d0
        if len(deltas) != len(PROBES):
            continue
        base.append(d0)
        for name, delta in deltas.items():
            moved[name].append(delta)
        model = model or model_version()
    if len(base) < 2:
        return (f"{len(base)} portrait{'s' if len(base) != 1 else ''} with a face large enough to identify: "
                "at least 2 are needed to know her own range")
    stack = np.stack(base)
    units: dict[str, tuple[np.ndarray, float]] = {}
    for name, shifts in moved.items():
        mean = np.mean(np.stack(shifts), axis=0)
        unit = mean / max(float(np.linalg.norm(mean)), 1e-12)
        units[name] = unit, float(np.mean([d @ unit for d in shifts])) / PROBES[name]
    bare = {name: EditDirection(name, unit, per, ()) for name, (unit, per) in units.items()}
    own = [joint(stack[i] - np.delete(stack, i, axis=0).mean(axis=0), bare) for i in range(len(stack))]
    directions = {name: EditDirection(name, unit, per, tuple(o[name] for o in own))
                  for name, (unit, per) in units.items()}
    return TalentDirections(stack.mean(axis=0), directions, len(base), model)

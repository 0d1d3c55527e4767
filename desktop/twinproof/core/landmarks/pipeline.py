"""Landmarks for one image: find the main subject's face and body, measure both.

The order of work is chosen for the two kinds of fashion photograph:
- head-and-shoulders portraits: the detectors find the face on the whole frame at once;
- full-length shots, where the face may be 3-5 % of the frame: the full-range detector usually
  finds it; when it does not, it runs again on overlapping tiles. Every candidate is confirmed
  by the short-range detector at full resolution (which drops false faces and sharpens boxes).
  When there is still no face, the body model (on the whole frame) locates the head and the
  short-range detector looks there, turned upright.
With several people the main subject is the face with the largest size, weighted towards the
centre, and the body crop is seeded from that face so both measurements describe one person
(which also suits portraits: the body model often misses a chest-up figure on the whole frame).

Nothing here raises for an image without a person: ``face``/``body`` are None with a reason.
Only a broken model installation (:class:`~twinproof.core.landmarks.registry.ModelError`) or
a malformed array (ValueError) raise.
"""

from __future__ import annotations

import math
import time

import numpy as np

from twinproof.core.landmarks import facedetect
from twinproof.core.landmarks.body import crop_from_face, measure_body
from twinproof.core.landmarks.face import measure_face
from twinproof.core.landmarks.facedetect import FaceDetection
from twinproof.core.landmarks.geometry import Crop, Pyramid, angle_of
from twinproof.core.landmarks.registry import ModelRegistry, default_registry
from twinproof.core.landmarks.topology import POSE_HEAD
from twinproof.core.landmarks.types import BodyLandmarks, LandmarkResult

#: Body head points below this visibility are not used to look for a missed face.
HEAD_VISIBILITY = 0.5
#: At most this many detections (best first) are confirmed; beyond that (a crowd) the rest
#: are counted on the detector's word.
MAX_CONFIRMED = 8
#: A detection is confirmed when the short-range detector, run on a square three times the
#: face's size around it, finds it again with at least this score.
CONFIRM_SCORE = 0.7


def main_face(faces: list[FaceDetection], width: int, height: int) -> FaceDetection:
    """The largest face, preferring the centre: size x (1 - half the normalised distance
    from the image centre), so a face twice as large wins unless it sits in a corner."""
    diag = math.hypot(width, height) / 2

    def weight(det: FaceDetection) -> float:
        cx, cy = det.center
        off = math.hypot(cx - (width - 1) / 2, cy - (height - 1) / 2) / diag
        return max(det.width, det.height) * (1.0 - 0.5 * min(1.0, off))

    return max(faces, key=weight)


def _head_of(body: BodyLandmarks) -> tuple[np.ndarray, float] | None:
    """Centre and a generous square side around the body's visible head points."""
    idx = [i for i in POSE_HEAD if body.visibility[i] >= HEAD_VISIBILITY]
    if len(idx) < 3:
        return None
    pts = body.points[idx, :2]
    span = float(max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1])))
    shoulders = float(np.hypot(*(body.points[11, :2] - body.points[12, :2])))
    side = max(3.0 * span, 1.2 * shoulders, 16.0)
    return pts.mean(axis=0), side


def _face_from_body(
    pyr: Pyramid, body: BodyLandmarks, registry: ModelRegistry
) -> FaceDetection | None:
    """Look for a face in the head region the body model found (full resolution)."""
    head = _head_of(body)
    if head is None:
        return None
    centre, side = head
    # turn the head upright for the detector (BlazeFace misses faces past ~90 degrees)
    eyes_seen = min(body.visibility[5], body.visibility[2]) >= HEAD_VISIBILITY
    a, b = (body.points[5], body.points[2]) if eyes_seen else (body.points[12], body.points[11])
    crop = Crop((float(centre[0]), float(centre[1])), side, angle_of(a, b))
    found = facedetect.detect_in(pyr, crop, registry, "short") or facedetect.detect_in(
        pyr, crop, registry, "full"
    )
    if not found:
        return None
    best = max(found, key=lambda d: d.score)
    return FaceDetection(best.box, best.keypoints, best.score, "body")


def _confirmed(
    pyr: Pyramid, faces: list[FaceDetection], reg: ModelRegistry
) -> list[FaceDetection]:
    """Re-detect each face at the short-range detector's favourite scale (the face filling a
    third of the input, cut from full resolution): true faces come back with a high score and
    a sharper box, which replaces the first one; false ones (a badge, a print on the clothes,
    seen at a few pixels on a tile) do not. The face mesh's own presence score cannot do this:
    it rates almost anything face-sized as a face."""
    kept: list[FaceDetection] = []
    for k, det in enumerate(faces):
        if k >= MAX_CONFIRMED:
            kept.append(det)
            continue
        area = Crop(det.center, 3.0 * max(det.width, det.height))
        again = [d for d in facedetect.detect_in(pyr, area, reg, "short")
                 if d.score >= CONFIRM_SCORE and d.contains(*det.center)]
        if again:
            best = max(again, key=lambda d: d.score)
            kept.append(FaceDetection(best.box, best.keypoints, best.score, det.detector))
    return facedetect.merge(kept)


def _same_person(face: FaceDetection, body: BodyLandmarks) -> bool:
    nose = body.points[0]
    return face.contains(float(nose[0]), float(nose[1]), margin=0.5)


def detect_landmarks(
    image: np.ndarray,
    *,
    registry: ModelRegistry | None = None,
    iris: bool = True,
    body: bool = True,
    mask: bool = True,
) -> LandmarkResult:
    """Face mesh (+ iris) and body landmarks of the main subject of ``image``.

    ``image``: HxWx3 (or gray / RGBA) uint8, uint16 or float32 in [0, 1], RGB order. Points come
    back in full-image pixel coordinates. ``registry`` defaults to the shipped models.
    """
    reg = registry or default_registry()
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    pyr = Pyramid(image)
    times["prepare"] = (time.perf_counter() - t0) * 1000

    t = time.perf_counter()
    faces = _confirmed(pyr, facedetect.detect_faces(pyr, reg), reg)
    times["face_detection"] = (time.perf_counter() - t) * 1000
    chosen = main_face(faces, pyr.width, pyr.height) if faces else None

    person: BodyLandmarks | None = None
    body_reason: str | None = "body landmarks not requested"
    if body:
        t = time.perf_counter()
        # Seeding from the main face measures the same person and suits portraits, where a
        # whole-frame pass often misses a body cut off at the chest; the whole frame is the
        # fallback (and the start when no face was found).
        seed = crop_from_face(chosen) if chosen is not None else None
        person, body_reason = measure_body(pyr, reg, seed, mask=mask)
        if person is None and seed is not None and chosen is not None:
            person, whole_reason = measure_body(pyr, reg, None, mask=mask)
            if person is not None and not _same_person(chosen, person):
                person, whole_reason = None, "the whole frame shows another person's body"
            body_reason = f"{body_reason}; {whole_reason}" if person is None else None
        if chosen is None and person is not None:
            chosen = _face_from_body(pyr, person, reg)
            if chosen is not None:
                faces = [chosen]
        times["body"] = (time.perf_counter() - t) * 1000

    face, face_reason = None, None
    if chosen is None:
        face_reason = "no face found" + (
            " (the body was found but its head shows no detectable face)" if person else ""
        )
    else:
        t = time.perf_counter()
        face, face_reason = measure_face(pyr, chosen, reg, iris=iris)
        times["face"] = (time.perf_counter() - t) * 1000

    unmatched_body = person is not None and not any(_same_person(f, person) for f in faces)
    times["total"] = (time.perf_counter() - t0) * 1000
    return LandmarkResult(
        image_size=(pyr.width, pyr.height),
        face=face,
        body=person,
        faces_found=len(faces),
        people_found=len(faces) + int(unmatched_body),
        face_reason=face_reason,
        body_reason=body_reason if person is None else None,
        timings_ms=times,
    )

"""A reference portrait's skin colour: what the shoot audit's skin-tone groups are read from.

The audit compares drift across the cast's skin tones ("lightened more for the darker third").
Each talent's tone is best read from her reference portraits — the likeness she consented to,
chosen for it — rather than from the shoot's real photographs, whose light the shoot chose.
This is the core's own per-image reading (``core.reading.read``: landmarks, the image's white
balance, the median CIELAB of the face's skin), run once when the portrait is added and kept with
the reference (a second or so per portrait: too slow to repeat for a cast at every audit).
"""

from __future__ import annotations

from pathlib import Path

from twinproof.core.identity.types import FaceIdentity, Unmeasured
from twinproof.core.policy import Policy, load_policy


def read_reference(path: str | Path,
                   policy: Policy | None = None) -> tuple[FaceIdentity | Unmeasured, dict[str, object]]:
    """A reference portrait read for enrolment: its face as an identity descriptor and, when it
    has one, its skin colour (:func:`portrait_skin`; empty otherwise). ImageLoadError for a file
    TwinProof cannot read. The face is found once: the landmark reading is kept by file content
    and decode (``core.reading.read.landmarks_of``), so the skin reading of the same decode reuses it."""
    from twinproof.core.identity.portrait import portrait_identity
    from twinproof.core.imageio import load_image
    from twinproof.core.reading.read import landmarks_of

    image = load_image(path)
    found = portrait_identity(image.pixels, landmarks_of(image))
    if not isinstance(found, FaceIdentity):
        return found, {}
    return found, portrait_skin(path, policy)


def portrait_skin(path: str | Path, policy: Policy | None = None) -> dict[str, object]:
    """``{"skin_lab": [L*, a*, b*]}`` of the portrait's face skin (after its own white balance),
    or ``{"skin_reason": why}`` when it has none (no face, a greyscale photograph)."""
    from twinproof.core.analysis import load_long_side
    from twinproof.core.errors import TwinProofError
    from twinproof.core.imageio import load_image
    from twinproof.core.reading.crop import as_float
    from twinproof.core.reading.parts import SkinSample
    from twinproof.core.reading.read import landmarks_of, read_image
    from twinproof.core.registration import resize_long_side

    policy = policy or load_policy()
    try:
        image = load_image(path, long_side=load_long_side(policy))
    except TwinProofError as exc:
        return {"skin_reason": str(exc)}
    small, factor = resize_long_side(image.pixels, int(policy.get("analysis", "working_long_side")))
    reading = read_image(image, as_float(small), factor, policy.number("identity", "min_face_px"), landmarks_of(image))
    skin = reading.skin
    if not isinstance(skin, SkinSample):
        return {"skin_reason": str(skin)}
    if skin.no_colour:
        return {"skin_reason": skin.no_colour}
    return {"skin_lab": [round(float(v), 2) for v in skin.lab]}

"""Twin fidelity: face and body drift, skin tone, skin texture and garment colour.

Each measurement is a step ``(AlignedPair, Policy) -> StepResult`` like the image steps, built
on the landmark models (``core.landmarks``) run on both images and on optical-flow tracking of
the real image's landmarks into the registered twin. A measurement that cannot be made (no
face, face too small, no person) is ``null`` with a reason and raises no flag.
"""

from __future__ import annotations

from twinproof.core.analysis import Step


def fidelity_steps() -> list[Step]:
    """The landmark step first, then everything that uses it."""
    from twinproof.core.fidelity.body_metrics import body_step
    from twinproof.core.fidelity.face_metrics import face_step
    from twinproof.core.fidelity.garment import garment_step
    from twinproof.core.fidelity.landmark_step import landmark_step
    from twinproof.core.fidelity.skin import skin_tone_step, texture_step

    return [landmark_step, face_step, body_step, skin_tone_step, texture_step, garment_step]

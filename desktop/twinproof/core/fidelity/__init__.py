"""Twin fidelity: face and body drift, skin tone, skin texture and garment colour.

Each measurement is a step ``(AlignedPair, Policy) -> StepResult`` like the image steps, built
on the landmark models (``core.landmarks``) run on both images and on optical-flow tracking of
the real image's landmarks into the registered twin. A measurement that cannot be made (no
face, face too small, no person) is ``null`` with a reason and raises no flag.
"""

from __future__ import annotations

import functools

from twinproof.core.context import AlignedPair, Step, StepResult
from twinproof.core.policy import Policy


def _without_models(step: Step, name: str) -> Step:
    """A missing or altered model makes this measurement ``null`` with the reason, like the
    landmark step itself does, instead of a ModelError escaping the whole analysis."""
    from twinproof.core.landmarks.registry import ModelError

    @functools.wraps(step)
    def run(pair: AlignedPair, policy: Policy) -> StepResult:
        try:
            return step(pair, policy)
        except ModelError as exc:
            return StepResult().unmeasured(name, f"landmark models unavailable: {exc}")

    return run


def fidelity_steps() -> list[Step]:
    """The landmark step first, then everything that uses it."""
    from twinproof.core.fidelity.body_metrics import body_step
    from twinproof.core.fidelity.face_metrics import face_step
    from twinproof.core.fidelity.garment import garment_step
    from twinproof.core.fidelity.identity_step import identity_step
    from twinproof.core.fidelity.landmark_step import landmark_step
    from twinproof.core.fidelity.skin import skin_tone_step, texture_step

    named = [(identity_step, "identity"), (face_step, "face"), (body_step, "body"), (skin_tone_step, "skin"),
             (texture_step, "texture"), (garment_step, "garment")]
    return [landmark_step, *(_without_models(step, name) for step, name in named)]

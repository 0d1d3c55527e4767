"""Which edits a pair of photographs cannot reveal (issue 23's "without references or a control
frame, the result says which edits these photographs cannot reveal").

The edits the ethics debate is about — larger eyes, a slimmer jaw, lighter skin — each read as a
part of themselves in a new shot (the measurement's *response*, measured on controlled edits of
real same-person pairs: ``benchmarks/calibrate_new_shot.py --edits``); an edit whose expected
reading lies inside this pair's uncertainty, or a measurement that cannot be judged here, is one
these photographs cannot show. With reference portraits her own range along the identity
descriptor is a second reading of the face edits (``benchmarks/newshot_edit_directions.py``:
median response jaw 0.87, eyes 0.91 of the edit); an edit either reading can reveal is no blind
spot. Each sentence says what would reveal it. Said in the result so a pass is never read as
"no edit".
"""

from __future__ import annotations

from twinproof.core.compare.shot_findings import ANOTHER_PERSON, WIDER_THAN_LIMIT
from twinproof.core.compare.uncertainty import UncertaintyModel, load_model
from twinproof.core.policy import load_policy
from twinproof.core.result import Mode, descriptor
from twinproof.core.result.judge import Limits, clears_fail, too_uncertain
from twinproof.core.result.measurements import Uncertainty

WIDER_ENDINGS = tuple(WIDER_THAN_LIMIT.format(which) for which in ("warn", "fail"))
#: Responses of the identity-descriptor readings to their edit (measured, see above).
DIRECTION_RESPONSE = {"eye_width": 0.91, "jaw_width": 0.87}
#: Said the same in every reader (the app, the sheet, the CLI): each reader says where its own way of
#: adding portraits is (the CLI's ``--reference``; the app's Consent panel), not the core.
FACE_HINT = "two or more reference portraits of the talent give a second, more sensitive reading"
SKIN_HINT = "a control frame (the generator's twin of this very real frame) measures it in the same light"

#: The one line for a twin the identity step fails as another person: identity first; no edit is
#: to be revealed on another person's face or skin, so no portrait or control frame would help.
NOT_THE_PERSON_LINE = (f"any edit of the face, body or skin: {ANOTHER_PERSON} (identity first: another person's "
                       "shape and skin say nothing about an edit, so they are not compared)")

#: (measure, size, words, [metric paths, first the pair's own], unit, what would reveal it).
EDITS = (("eye_width", 16.0, "eyes enlarged 16 %", ("face.proportions.eye_width.percent",
                                                     "face.identity_edits.eye_width.percent"), " %", FACE_HINT),
         ("jaw_width", -10.0, "a jaw slimmed 10 %", ("face.proportions.jaw_width.percent",
                                                     "face.identity_edits.jaw_width.percent"), " %", FACE_HINT),
         ("delta_L", 10.0, "skin lightened by ΔL* +10", ("skin.delta_L",), " L*", SKIN_HINT))


def _blind(u: Uncertainty, reads: float, unit: str, path: str, policy: Limits) -> str | None:
    """Why this reading cannot reveal the edit (None: it can)."""
    # A "cannot judge" set after judging (the ± too wide to back an "ok") hid no flag: an edit read
    # far enough beyond the ± still shows, so only the ± decides below.
    if u.cannot_judge and not u.cannot_judge.endswith(WIDER_ENDINGS):
        return u.cannot_judge
    said = f"{reads:+.1f}".replace("-", "−")
    if abs(reads) <= u.plus_minus:
        return f"it would read about {said}{unit}, inside this pair's ±{u.plus_minus:.1f}{unit}"
    desc = descriptor(path)
    predicted = ".identity_edits." not in path  # the model's ± (``judge``'s ``predicted``), not her portraits'
    if predicted and too_uncertain(desc, u.plus_minus, policy, Mode.NEW_SHOT) and \
            not clears_fail(desc, reads, u.plus_minus, policy, Mode.NEW_SHOT):
        return (f"it would read about {said}{unit}, not past the fail limit by more than this pair's "
                f"±{u.plus_minus:.1f}{unit}")
    if u.at_most_warning and path.startswith("skin."):
        return f"at most a warning across two shots ({u.at_most_warning.split(':')[0]})"
    return None


def cannot_reveal(uncertainty: dict[str, Uncertainty], model: UncertaintyModel | None = None,
                  policy: Limits | None = None) -> list[str]:
    """One sentence per edit these photographs cannot reveal, with why and what would (``policy``:
    the limits the pair was judged by; the default policy's when not given). For another person's
    twin, one sentence that says so (``NOT_THE_PERSON_LINE``) and nothing else."""
    if any(u.cannot_judge and ANOTHER_PERSON in u.cannot_judge for u in uncertainty.values()):
        return [NOT_THE_PERSON_LINE]
    response = (model or load_model()).edit_response
    limits = policy if policy is not None else load_policy()
    out = []
    for measure, size, words, paths, unit, hint in EDITS:
        reasons = []
        for path in paths:
            u = uncertainty.get(path)
            if u is None:
                continue
            gain = DIRECTION_RESPONSE[measure] if ".identity_edits." in path else response.get(measure, 1.0)
            reasons.append(_blind(u, gain * size, unit, path, limits))
        if not reasons:
            out.append(f"{words}: not measured in these photographs")
        elif all(r is not None for r in reasons):
            out.append(f"{words}: {reasons[-1]}" + ("" if len(reasons) > 1 else f"; {hint}"))
    return out

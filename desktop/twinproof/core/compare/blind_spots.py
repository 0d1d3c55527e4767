"""Which edits a pair of photographs cannot reveal (issue 23's "without references or a control
frame, the result says which edits these photographs cannot reveal").

The edits the ethics debate is about — larger eyes, a slimmer jaw, lighter skin — each read as a
part of themselves in a new shot (the measurement's *response*, measured on controlled edits of
real same-person pairs: ``benchmarks/calibrate_new_shot.py --edits``); an edit whose expected
reading lies inside this pair's uncertainty, or a measurement that cannot be judged here, is one
these photographs cannot show. Said in the result so a pass is never read as "no edit".
"""

from __future__ import annotations

from twinproof.core.compare.uncertainty import UncertaintyModel, load_model
from twinproof.core.result.measurements import Uncertainty

#: (measure, size, words, metric path): the edits of the calibration, in its units.
EDITS = (("eye_width", 16.0, "eyes enlarged 16 %", "face.proportions.eye_width.percent", " %"),
         ("jaw_width", -10.0, "a jaw slimmed 10 %", "face.proportions.jaw_width.percent", " %"),
         ("delta_L", 10.0, "skin lightened by ΔL* +10", "skin.delta_L", " L*"))


def cannot_reveal(uncertainty: dict[str, Uncertainty], model: UncertaintyModel | None = None) -> list[str]:
    """One sentence per edit these photographs cannot reveal, with why."""
    response = (model or load_model()).edit_response
    out = []
    for measure, size, words, path, unit in EDITS:
        u = uncertainty.get(path)
        if u is None:
            out.append(f"{words}: not measured in these photographs")
            continue
        reads = response.get(measure, 1.0) * size
        if u.cannot_judge:
            out.append(f"{words}: {u.cannot_judge}")
        elif abs(reads) <= u.plus_minus:
            said = f"{reads:+.1f}".replace("-", "−")
            out.append(f"{words}: it would read about {said}{unit}, inside this pair's ±{u.plus_minus:.1f}{unit}")
        elif u.at_most_warning and path.startswith("skin."):
            out.append(f"{words}: at most a warning across two shots ({u.at_most_warning.split(':')[0]})")
    return out

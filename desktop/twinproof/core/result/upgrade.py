"""Results stored by an older TwinProof, brought to the current schema before they are read.

Schema 4 (December 2026) records what each judged value was measured against, where schema 3
left readers to parse it back from words: ``analysis.against`` (real photo, control frame or
another shot), each uncertainty's ``against`` and ``portraits`` (the talent's own range across N
photographs, or other people's spread) and a new-shot face's usable ``references``. A schema 3
result is given them here by the text rule the readers used (``_v3_to_v4``), so old and new
results show the same yardstick. Schema 3 added a new shot's uncertainties; schema 2 results
read as they are.
Schema 1 (until December 2026) differed in five ways: flags named no measurement (readers
guessed by region and closeness of numbers, and got it wrong); face NME was a fraction
(``nme``) while the policy judged percent; the registration carried its own confidence and
overlap (now ``metrics.alignment``, with category ``alignment`` for their flags, which were
``structure``); a grey garment's hue was ``null`` with a separate ``hue_shift_reason``; and the
colour measurement did not say what its regional ΔE was judged over. The v1 flags' values
were already the judged numbers (magnitudes, NME in percent), so only their ``metric`` is
inferred, from category, region and message, as the v1 steps wrote them.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from twinproof.core.result.codec import DecodeError
from twinproof.core.result.descriptors import PROPORTIONS

CURRENT = 4
#: Schema 3's words for the yardsticks schema 4 records (see ``_v3_to_v4``).
CONTROL_MARK = "marked a control frame"
_OWN_RANGE = re.compile(r"own range across (\d+) (?:portraits|photographs)")
_FEW_REFERENCES = re.compile(r"^the real photograph alone: (\d+) usable")
_ENOUGH_REFERENCES = re.compile(r"^the talent's own range across \d+ photographs \(the real one and (\d+) references")


class NewerSchemaError(DecodeError):
    """A result written by a newer TwinProof: said in one line a reviewer can act on, not as a
    decode error (a teammate on the previous release opening a shoot analysed by a newer one)."""

    def __init__(self, schema: int) -> None:
        super().__init__(f"made by a newer TwinProof (schema {schema}): update TwinProof "
                         f"(this one reads schema {CURRENT} and older)")
        self.schema = schema


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` at the current schema (DecodeError for a newer or unknown one)."""
    if not isinstance(data, dict):
        raise DecodeError("$: a stored analysis must be an object")
    schema = data.get("schema", 1)
    if schema == CURRENT:
        return data
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > CURRENT:
        raise NewerSchemaError(schema)
    if isinstance(schema, bool) or schema not in (1, 2, 3):
        raise DecodeError(f"$.schema: {schema!r} is not a schema of a TwinProof analysis")
    d = copy.deepcopy(data)
    if schema == 1:
        d = _v1_to_v2(d)
    if schema in (1, 2):
        d = _v2_to_v3(d)
    return _v3_to_v4(d)


def _v3_to_v4(d: dict[str, Any]) -> dict[str, Any]:
    """Schema 4 records each judged value's yardstick; a schema 3 (or older) result is given it
    by the rule its readers applied to its words: a mode reason starting "marked a control
    frame" is a control frame; an uncertainty whose reasons say "own range across N portraits"
    (or photographs) was her range of N; any other uncertainty, other people's spread; a face
    whose yardstick says "the real photograph alone: N usable" had N usable references."""
    analysis = d.get("analysis")
    if isinstance(analysis, dict):
        reason = str(analysis.get("mode_reason") or "")
        analysis["against"] = ("control" if reason.startswith(CONTROL_MARK) else
                               "real_photo" if analysis.get("mode", "same_frame") == "same_frame" else "another_shot")
    uncertainty = d.get("uncertainty")
    if isinstance(uncertainty, dict):
        for unc in uncertainty.values():
            if not isinstance(unc, dict):
                continue
            why = unc.get("why")
            found = _OWN_RANGE.search(" ".join(str(w) for w in why)) if isinstance(why, list) else None
            unc["against"] = "her_portraits" if found else "other_people"
            if found:
                unc["portraits"] = int(found.group(1))
    face = (d.get("metrics") or {}).get("face") if isinstance(d.get("metrics"), dict) else None
    if isinstance(face, dict) and isinstance(face.get("yardstick"), str):
        said = face["yardstick"]
        found = _FEW_REFERENCES.search(said) or _ENOUGH_REFERENCES.search(said)
        if found:
            face["references"] = int(found.group(1))
    d["schema"] = 4
    return d


def _v2_to_v3(d: dict[str, Any]) -> dict[str, Any]:
    """Schema 3 added each new-shot value's uncertainty (``uncertainty``), a skin hue change and
    the light and camera-distance statements, all optional: a v2 result has none of them, and
    its values were judged without an uncertainty, as it says."""
    d["schema"] = 3
    return d


def _v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    metrics = d.setdefault("metrics", {})
    reg = d.get("registration")
    if isinstance(reg, dict) and "confidence" in reg:
        metrics_alignment = {"confidence": reg.pop("confidence"),
                             "overlap_fraction": reg.pop("overlap_fraction", 1.0),
                             "method": reg.get("method", "")}
        d["metrics"] = {"alignment": metrics_alignment, **metrics}
        metrics = d["metrics"]
    face = metrics.get("face")
    if isinstance(face, dict) and isinstance(face.get("nme"), dict):
        face["nme_percent"] = {k: round(100 * float(v), 4) for k, v in face.pop("nme").items()}
    garment = metrics.get("garment")
    if isinstance(garment, dict) and "hue_shift_deg" in garment and garment["hue_shift_deg"] is None:
        garment["hue_shift_deg"] = {"value": None, "reason": garment.pop("hue_shift_reason", "no hue")}
    colour = metrics.get("colour")
    if isinstance(colour, dict) and "delta_e00_regional" in colour:
        colour.setdefault("judged_over", "scene" if "delta_e00_mean_scene" in colour else "image")
    d["flags"] = [_v1_flag(f) for f in d.get("flags") or [] if isinstance(f, dict)]
    policy = d.get("policy")
    if not isinstance(policy, dict) or not isinstance(policy.get("thresholds"), dict):
        # Results older than schema 1's policy block: read against the default limits, and say so.
        from twinproof.core.policy import load_default_policy

        default = load_default_policy().to_dict()
        name = policy.get("name") if isinstance(policy, dict) else None
        d["policy"] = {**default, "source": f"default thresholds (the stored result named policy {name!r} "
                                            "but kept no thresholds)" if name else "default thresholds "
                                            "(the stored result kept none)"}
    d["schema"] = 2
    return d


def _v1_flag(f: dict[str, Any]) -> dict[str, Any]:
    f = dict(f)
    category, region, message = str(f.get("category")), str(f.get("region")), str(f.get("message", ""))
    if category == "structure" and region in ("registration", "framing"):
        f["category"] = "alignment"
        f["metric"] = "alignment.confidence" if region == "registration" else "alignment.overlap_fraction"
    else:
        f["metric"] = _v1_metric(category, region, message)
    return f


def _v1_metric(category: str, region: str, message: str) -> str:
    if category == "structure":
        return "ssim.value"
    if category == "colour":
        return "colour.cast.magnitude" if region == "white balance" else "colour.delta_e00_regional"
    if category == "face_shape":
        if region == "face":
            return "face.nme_percent.overall" if message.startswith("face shape deviates") \
                else "face.changes.face_length.percent"
        return f"face.changes.{region}.percent"
    if category == "body_shape":
        group = "proportions" if region in PROPORTIONS else "widths"
        return f"body.{group}.{region}.percent"
    if category == "skin_tone":
        return "skin.ita_change" if "ITA" in message else "skin.delta_e00"
    if category == "skin_texture":
        return "texture.ratio"
    if category == "garment_colour":
        return "garment.hue_shift_deg" if "hue" in message else "garment.delta_e00_median_colour"
    return ""

"""Plain words first, the technical term second: what an art director reads.

"skin looks lighter (ITA +7.0°)", "garment colour differs (ΔE00 3.6; under 2 reads as a match)":
the app's evidence panel, its Help → Glossary and the comparison sheet say a measurement the
same way, from here. Nothing is measured or judged here; the words follow the sign and the
measurement a flag names (``core.result`` describes them), so they cannot disagree with it.
Qt-free, so the sheet (``export``) can print the glossary too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: What a ΔE00 figure means, said after it.
DE_SCALE = "under 2 reads as a match"

#: Plain names of the measurements the panel lists, technical term after (by path; the
#: per-feature paths are named by the functions below).
LABELS: dict[str, str] = {
    "alignment.confidence": "How well the twin lines up (share of features)",
    "alignment.overlap_fraction": "How much of the photograph the twin covers",
    "ssim.value": "Same structure (SSIM)",
    "ms_ssim.value": "Same structure, seen from afar (MS-SSIM)",
    "colour.delta_e00_regional": "Colour of the scene (ΔE00 by region)",
    "colour.cast.magnitude": "Colour cast of greys and whites (ΔE*ab)",
    "colour.delta_e00_mean": "Colour, pixel by pixel, average (ΔE00)",
    "colour.delta_e00_p95": "Colour, pixel by pixel, 95 % under (ΔE00)",
    "identity.distance": "Same person? (identity distance)",
    "identity.talent.nearest": "Looks like the talent? (identity distance)",
    "face.nme_percent.overall": "Face shape (mesh NME)",
    "skin.ita_change": "Skin tone (ITA change)",
    "skin.delta_e00": "Skin colour (ΔE00)",
    "skin.delta_L": "Skin lightness (ΔL*)",
    "skin.hue_change": "Skin hue (hue angle change)",
    "texture.ratio": "Skin detail kept (texture ratio)",
    "garment.delta_e00_median_colour": "Garment colour (ΔE00)",
    "garment.hue_shift_deg": "Garment hue (hue angle)",
    "garment.delta_e00_mean": "Garment colour, pixel by pixel (ΔE00)",
}


def label(path: str, technical: str) -> str:
    """A measurement's name in plain words with its technical label after, e.g. "Eyes: size
    change"; unknown paths keep the technical label."""
    if path in LABELS:
        return LABELS[path]
    parts = path.split(".")
    if path.startswith("face.nme_percent."):
        return f"{parts[-1].replace('_', ' ').capitalize()}: shape (mesh NME)"
    if path.startswith("face.changes."):
        return f"{parts[2].replace('_', ' ').capitalize()}: size change"
    if path.startswith("face.proportions."):
        return f"{parts[2].replace('_', ' ').capitalize()} (face to face, new shot)"
    if path.startswith("face.identity_edits."):
        return f"{parts[2].replace('_', ' ').capitalize()} (the talent's own range)"
    if path.startswith("body.widths."):
        return f"{parts[2].capitalize()}: width change"
    if path.startswith("body.proportions."):
        return f"Body: {parts[2].replace('_to_', ' to ').replace('_', ' ')} ratio"
    return technical


def _feature(path: str) -> str:
    return path.split(".")[2].replace("_to_", " to ").replace("_", " ")


def finding(path: str, value: float) -> str | None:
    """What a flagged measurement means, in words that follow its sign ("skin looks lighter"),
    or None for a path that has none."""
    up = value > 0
    if path == "skin.ita_change":
        return "skin looks lighter" if up else "skin looks darker"
    if path == "skin.delta_L":
        return "skin looks lighter" if up else "skin looks darker"
    if path == "skin.hue_change":
        return "skin looks yellower" if up else "skin looks redder"
    if path == "skin.delta_e00":
        return "skin colour differs"
    if path == "texture.ratio":
        return "skin looks smoothed (airbrushed)" if value < 1 else "skin looks rougher"
    if path.startswith("garment."):
        return "garment hue shifted" if "hue" in path else "garment colour differs"
    if path.startswith("colour.cast"):
        return "colour cast: greys and whites tinted"
    if path.startswith("colour."):
        return "colours differ"
    if path.startswith(("identity.talent",)):
        return "may not look like the talent"
    if path.startswith("identity."):
        return "may not look like the same person"
    if path.startswith("face.nme_percent."):
        region = path.split(".")[-1]
        return "face shape changed" if region == "overall" else f"{region.replace('_', ' ')} reshaped"
    if path.startswith(("face.changes.", "face.proportions.", "face.identity_edits.")):
        feature = _feature(path)
        plural = feature.endswith("s")
        grow = "look larger" if plural else "looks larger"
        shrink = "look smaller" if plural else "looks smaller"
        if "width" in feature or feature in ("jaw", "nose"):
            grow, shrink = ("look wider", "look narrower") if plural else ("looks wider", "looks narrower")
        if feature == "face length":
            grow, shrink = "looks longer", "looks shorter"
        # what the mesh measures: the lips' area, the brows' height above the eyes (the core's
        # own words, "lips 8% fuller", "brows 9% higher"; "wider" and "larger" said otherwise)
        if feature == "lips":
            grow, shrink = "look fuller", "look thinner"
        if feature == "brows":
            grow, shrink = "look higher", "look lower"
        return f"{feature} {grow if up else shrink}"
    if path.startswith("body.widths."):
        return f"{_feature(path)} {'wider' if up else 'narrower'}"
    if path.startswith("body.proportions."):
        return f"body proportions changed ({_feature(path)})"
    if path.startswith("ssim.") or path.startswith("ms_ssim."):
        return "structure differs (shapes or detail changed)"
    if path == "alignment.overlap_fraction":
        return "the twin shows only part of the photograph (cropped)"
    if path.startswith("alignment."):
        return "the twin may not line up with the photograph"
    return None


def term(path: str, shown: str) -> str:
    """The technical term and value said after the words: "ITA +7.0°", "ΔE00 3.6; under 2 reads as
    a match"."""
    value = shown.replace("° ITA", "°").strip()
    if path == "skin.ita_change":
        return f"ITA {value}"
    if "delta_e00" in path:
        return f"ΔE00 {value.replace('ΔE00', '').strip()}; {DE_SCALE}"
    if path.startswith("face.nme_percent."):
        return f"mesh NME {value}"
    if path.startswith("identity."):
        return f"identity distance {value}"
    if path == "texture.ratio":
        return f"texture ratio {value}"
    if path.startswith(("face.changes.", "face.proportions.", "face.identity_edits.")):
        return f"size {value}"
    if path.startswith("body.widths."):
        return f"width {value}"
    if path.startswith("ssim."):
        return f"SSIM {value}"
    return value


def with_term(path: str, value: float, shown: str) -> str:
    """"skin looks lighter (ITA +7.0°)": plain words, then the term and the value."""
    words = finding(path, value)
    return f"{words} ({term(path, shown)})" if words else shown


#: The core's reasons for a new shot (``core.mode``) in plain words; the technical reason follows.
_MODE_REASONS = (
    (re.compile(r"^no features of the two pictures agree"),
     "Nothing in the two pictures lines up: it is another photograph"),
    (re.compile(r"perspective transform explains"),
     "The camera moved between the two pictures"),
    (re.compile(r"^only \d+ of \d+ matched features agree"),
     "Too little of the two pictures lines up: it is another photograph"),
    # core.mode's wording since the fallback is verified pixel for pixel before a new shot is called
    (re.compile(r"^the registration found no features in common"),
     "Nothing in the two pictures lines up: it is another photograph"),
    (re.compile(r"^the features that agree \(\d+ of \d+ matched\) span only"),
     "Too little of the two pictures lines up: it is another photograph"),
    (re.compile(r"^registered \(.*\) and verified: the two pictures coincide"),
     "The twin lines up with the photograph, pixel for pixel"),
    (re.compile(r"^the registered faces do not coincide"),
     "The background lines up but the person moved"),
    (re.compile(r"^aligned by hand"), "Aligned by hand by a reviewer"),
    (re.compile(r"^registered:"), "The twin lines up with the photograph"),
)


def mode_reason(reason: str) -> str:
    """Why the pair was compared as it was, plain words first: "The camera moved between the
    two pictures (a perspective transform explains 62 % of …)"."""
    for pattern, words in _MODE_REASONS:
        if pattern.search(reason):
            return f"{words} ({reason})"
    return reason


#: How the twin was laid over the photograph (``core.registration``'s method names).
_METHODS = {
    "ORB features + RANSAC similarity": "matched details (shift, scale and turn)",
    "phase correlation (translation only)": "the whole picture shifted (no scale or turn)",
    "manual": "by hand",
}


def method(name: str) -> str:
    """"matched details (shift, scale and turn) — ORB features + RANSAC similarity"."""
    words = _METHODS.get(name)
    return f"{words} — {name}" if words and words != name else name


@dataclass(frozen=True)
class Entry:
    term: str
    words: str


#: Help → Glossary, and the sheet's glossary: each technical term in a sentence.
GLOSSARY: tuple[Entry, ...] = (
    Entry("Same frame / new shot", "A twin made from the very photograph is laid over it and compared pixel "
          "by pixel (same frame). A twin of another photograph of the person (another pose, another "
          "camera) is compared person to person: face and body proportions, skin, garment (new shot)."),
    Entry("Alignment (registration)", "Laying the twin exactly over the real photograph before comparing "
          "them. 'Phase correlation' finds a shift only; a 'similarity' also finds scale and rotation."),
    Entry("SSIM", "Structural similarity: 1 means the shapes and fine detail are identical; lower means "
          "something was redrawn. Shown as the SSIM heat map (dark = different)."),
    Entry("ΔE00 (CIEDE2000)", "How different two colours look: about 1 is just noticeable side by side, "
          "under 2 reads as a match in retail colour checks, above 5 anyone sees it."),
    Entry("Colour cast (ΔE*ab)", "A shift of greys and whites towards a colour, as a white-balance change "
          "makes: the whole picture warmer, cooler or tinted."),
    Entry("ITA (Individual Typology Angle)", "The dermatology scale of skin tone, in degrees: + means the "
          "twin's skin is lighter than the real person's, − darker. A few degrees is within light and pose."),
    Entry("Skin texture ratio", "Fine skin detail (pores, fine lines) the twin keeps, as a share of the "
          "real photograph's: well below 1 means smoothed or airbrushed skin."),
    Entry("NME (face mesh)", "Normalised mean error: how far the points of the twin's face mesh moved from "
          "the real face's, in % of the distance between the outer eye corners. Reshaped faces score high."),
    Entry("Size change (%)", "How much a feature (eyes, lips, jaw, waist) grew (+) or shrank (−) in the "
          "twin, measured on the real face's or body's own points."),
    Entry("Identity distance", "How far apart two faces are as a face-recognition model sees people: the "
          "same person in two photographs stays below the policy's threshold, different people above it."),
    Entry("± (uncertainty)", "How far the measurement can be trusted under this pair's conditions (face "
          "size, pose, light): a finding smaller than it is not flagged."),
    Entry("Warn / fail limits", "The brand's fidelity policy: beyond the first limit the pair needs a human "
          "look (review), beyond the second it fails."),
    Entry("Landmarks", "Points a model finds on the face (a mesh of 478) and body (a skeleton): the twin's "
          "are drawn against the real ones to show what moved."),
    Entry("Content Credentials (C2PA)", "A signed record, carried inside an image file, of the tool that "
          "generated or edited it. Most twins carry none; a broken signature means the file was changed after."),
    Entry("XMP sidecar / IPTC digital source type", "The file of metadata written beside an exported twin: "
          "it declares the image AI-generated, as publishing platforms read it."),
    Entry("Consent and signed release", "The talent's permission for their digital twin: a contract, a "
          "term, campaigns and channels, with the signed release it rests on. Approval needs one valid today."),
)


def glossary_text() -> str:
    """The glossary as plain text ("Term — sentence" per paragraph), for the sheet or a file."""
    return "\n\n".join(f"{e.term} — {e.words}" for e in GLOSSARY)


_BEYOND = {"max": "above", "min": "below", "abs": "beyond ±"}


def _limit_text(value: float, unit: str) -> str:
    unit = unit.replace("° ITA", "°").replace("×", "")
    return f"{value:g}{unit if unit.startswith('°') or unit == '%' else (' ' + unit if unit else '')}"


def policy_sentences(policy: Any, *, new_shot: bool = False) -> list[str]:
    """The policy's limits as sentences a reader follows without the keys: "Skin tone (ITA
    change): a review beyond ±3°, a fail beyond ±6°." One sentence per set of limits (the face
    features sharing theirs are named together), in the order the evidence lists them."""
    from twinproof.core.result.descriptors import DESCRIPTORS
    from twinproof.core.result.types import Mode

    mode = Mode.NEW_SHOT if new_shot else Mode.SAME_FRAME
    groups: dict[tuple[str, str, str | None], list[Any]] = {}
    for d in DESCRIPTORS:
        lim = d.limits_for(mode)
        if lim is not None:
            groups.setdefault((lim.section, lim.warn, lim.fail), []).append(d)
    out = []
    for (section, warn_key, fail_key), descs in groups.items():
        first, lim = descs[0], descs[0].limits_for(mode)
        assert lim is not None
        if len(descs) > 1 and all(d.path.count(".") >= 3 for d in descs):  # features sharing limits
            names = ", ".join(_feature(d.path) for d in descs)
            name = f"{first.group}: {'size' if 'changes' in first.path else 'change'} of {names}"
        elif len(descs) > 1:
            name = " · ".join(label(d.path, d.label) for d in descs)
        else:
            name = label(first.path, first.label)
        beyond = _BEYOND[str(lim.direction)]
        parts = []
        for severity, key in (("a review", warn_key), ("a fail", fail_key)):
            value = policy.limit(section, key) if key else None
            if value is not None:
                parts.append(f"{severity} {beyond}{'' if beyond.endswith('±') else ' '}"
                             f"{_limit_text(float(value), first.unit)}")
        if parts:
            out.append(f"{name}: {', '.join(parts)}.")
    return out

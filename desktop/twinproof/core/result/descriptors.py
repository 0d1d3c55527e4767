"""What each measurement is, said once: its path, label, unit, sign, how the policy judges it
and a sentence for people. The app's evidence panel, the sheet's table, the CSV columns, the
CLI summary and the flags themselves are all built from these, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from twinproof.core.result.types import Category, Direction, Mode

FACE_CHANGES = ("eyes", "irises", "lips", "jaw", "nose", "face_length", "brows")
#: Face proportions a new shot can compare (pose-normalised, little moved by expression).
SHOT_PROPORTIONS = ("eye_width", "irises", "nose_width", "jaw_width", "face_width")
FACE_REGIONS = ("eyes", "brows", "nose", "lips", "jaw")
PROPORTIONS = ("shoulder_to_hip", "torso_to_leg", "arm_to_torso", "shoulder_to_head")
WIDTHS = ("chest", "waist", "hips", "thighs")


@dataclass(frozen=True)
class Limits:
    """The policy keys that judge a measurement, and which way it breaks them."""

    section: str
    warn: str
    fail: str | None
    direction: Direction


@dataclass(frozen=True)
class Descriptor:
    path: str  # dotted, under ``metrics``
    label: str
    group: str
    unit: str  # "" for a plain number
    explanation: str
    category: Category | None = None
    limits: Limits | None = None
    digits: int = 2
    #: What a + value means, for signed measurements.
    sign: str = ""
    #: Shown in the sheet's compact table even when nothing flags it.
    brief: bool = False
    #: How a new shot's value is judged (another frame: other limits, or none).
    shot_limits: Limits | None = None

    def limits_for(self, mode: Mode) -> Limits | None:
        return self.shot_limits if mode is Mode.NEW_SHOT else self.limits

    @property
    def measurement(self) -> str:
        """The top-level measurement it belongs to (``face`` for ``face.changes.eyes.percent``)."""
        return self.path.split(".", 1)[0]


def _limits(section: str, warn: str, fail: str | None, direction: Direction) -> Limits:
    return Limits(section, warn, fail, direction)


NME = ("Face-mesh NME: the mean distance between matching points of the two face meshes after "
       "removing position, size and tilt, in % of the distance between the outer eye corners.")
CHANGE = ("How much this feature's size changed in the twin, in % of the real one, measured on "
          "the real face's points found in the twin.")
BODY = ("How much this proportion of the body changed in the twin, in % (ratios of lengths, so "
        "the image scale does not matter).")
WIDTH = "How much the body's silhouette width changed at this height, in %."
DE = "CIEDE2000 colour difference: about 1 is just noticeable side by side; retail QC treats ≲2 as a match."

IDENTITY_LIMITS = Limits("identity", "threshold", "different_threshold", Direction.MAX)
SHOT_FACE = ("How much this proportion of the face, measured on each photograph's own face mesh in 3D "
             "(so a turned head does not change it), differs in the twin, in %.")
_shot_face = tuple(
    Descriptor(f"face.proportions.{n}.percent", f"{n.replace('_', ' ').capitalize()} (new shot)", "Face", "%",
               SHOT_FACE, Category.FACE_SHAPE, None, 1, "+ larger in the twin", brief=True,
               shot_limits=Limits("new_shot", f"{n}_warn_percent", f"{n}_fail_percent", Direction.ABS))
    for n in SHOT_PROPORTIONS)
IDENTITY_EDITS = ("jaw_width", "face_width", "eye_width")
IDENTITY_EDIT = ("The twin's face read in the identity model's space along the direction this talent's own portraits "
                 "moved when warped with this edit (learned at enrolment): an edit-equivalent %, against the "
                 "spread of the talent's own portraits read the same way.")
_identity_edits = tuple(
    Descriptor(f"face.identity_edits.{n}.percent", f"{n.replace('_', ' ').capitalize()} (the talent's own range)",
               "Face",
               "%", IDENTITY_EDIT, Category.FACE_SHAPE, None, 1, "+ larger in the twin", brief=True,
               shot_limits=Limits("new_shot", f"{n}_warn_percent", f"{n}_fail_percent", Direction.ABS))
    for n in IDENTITY_EDITS)
_face_changes = tuple(
    Descriptor(f"face.changes.{n}.percent", f"{n.replace('_', ' ').capitalize()} change", "Face", "%", CHANGE,
               Category.FACE_SHAPE, _limits("face", "change_warn_percent", "change_fail_percent", Direction.ABS),
               1, "+ larger in the twin", brief=False)
    for n in FACE_CHANGES)
_nme_regions = tuple(
    Descriptor(f"face.nme_percent.{n}", f"NME {n}", "Face", "%", NME, digits=2) for n in FACE_REGIONS)
_proportions = tuple(
    Descriptor(f"body.proportions.{n}.percent", n.replace("_to_", " ÷ ").replace("_", " ").capitalize(), "Body",
               "%", BODY, Category.BODY_SHAPE,
               _limits("body", "change_warn_percent", "change_fail_percent", Direction.ABS), 1, "+ larger ratio",
               shot_limits=Limits("new_shot", "body_change_warn_percent", "body_change_fail_percent", Direction.ABS))
    for n in PROPORTIONS)
_widths = tuple(
    Descriptor(f"body.widths.{n}.percent", f"{n.capitalize()} width", "Body", "%", WIDTH, Category.BODY_SHAPE,
               _limits("body", "change_warn_percent", "change_fail_percent", Direction.ABS), 1, "+ wider")
    for n in WIDTHS)

DESCRIPTORS: tuple[Descriptor, ...] = (
    Descriptor("alignment.confidence", "Alignment confidence", "Alignment", "",
               "Share of matched features that agree with the twin→real transform (0–1); low means "
               "the pixel comparisons below may compare different things.",
               Category.ALIGNMENT, _limits("registration", "min_confidence", None, Direction.MIN), 2, brief=True),
    Descriptor("alignment.overlap_fraction", "Twin covers real frame", "Alignment", "",
               "Share of the real photograph the aligned twin covers (1 = all of it).",
               Category.ALIGNMENT, _limits("registration", "min_overlap_warn", None, Direction.MIN), 2, brief=True),
    Descriptor("ssim.value", "SSIM (structure)", "Structure", "",
               "Structural similarity of the aligned images (1 = identical structure), Wang et al. 2004.",
               Category.STRUCTURE, _limits("structure", "ssim_warn", "ssim_fail", Direction.MIN), 3, brief=True),
    Descriptor("ms_ssim.value", "MS-SSIM", "Structure", "",
               "SSIM over five scales, closer to how structure is seen at a distance (informational).", digits=3),
    Descriptor("colour.delta_e00_regional", "ΔE00 regional", "Colour", "ΔE00",
               "Colour difference of the images blurred to regions, over the scene around the person "
               "(skin and garment are judged apart). " + DE,
               Category.COLOUR, _limits("colour", "delta_e00_regional_warn", "delta_e00_regional_fail",
                                        Direction.MAX), brief=True),
    Descriptor("colour.cast.magnitude", "Colour cast", "Colour", "ΔE*ab",
               "White-balance shift of neutral (grey/white) areas, √(Δa*² + Δb*²).",
               Category.COLOUR, _limits("colour", "cast_warn", "cast_fail", Direction.MAX), brief=True),
    Descriptor("colour.delta_e00_mean", "ΔE00 per-pixel mean", "Colour", "ΔE00",
               "Mean per-pixel colour difference; also rises when edges move, so it is informational. " + DE),
    Descriptor("colour.delta_e00_p95", "ΔE00 95th percentile", "Colour", "ΔE00",
               "The per-pixel colour difference that 95 % of pixels stay under (informational)."),
    Descriptor("identity.distance", "Identity distance", "Identity", "",
               "How far the twin's face is from the real photograph's as a face recognition model sees "
               "people (dlib's ResNet descriptor): at or below the first line the same person, above the "
               "second not the same person, and between them the two photographs cannot tell (relatives, "
               "decades apart); the lines are chosen for the policy's stated error rates.",
               Category.IDENTITY, IDENTITY_LIMITS, 3, brief=True, shot_limits=IDENTITY_LIMITS),
    Descriptor("identity.talent.nearest", "Likeness to the talent", "Identity", "",
               "Distance from the twin's face to the nearest reference portrait of the talent the pair is "
               "linked to: a twin linked to the wrong person, or drifting into someone else, is far from all.",
               Category.IDENTITY, IDENTITY_LIMITS, 3, brief=True, shot_limits=IDENTITY_LIMITS),
    *_shot_face,
    *_identity_edits,
    Descriptor("face.nme_percent.overall", "Face shape NME", "Face", "%", NME, Category.FACE_SHAPE,
               _limits("face", "nme_warn_percent", "nme_fail_percent", Direction.MAX), 2, brief=True),
    *_face_changes,
    *_nme_regions,
    *_proportions,
    *_widths,
    Descriptor("skin.ita_change", "Skin tone change", "Skin", "° ITA",
               "Change of the Individual Typology Angle of the face's skin, the dermatology scale of "
               "skin tone; + is lighter skin in the twin, − darker.",
               Category.SKIN_TONE, _limits("skin", "ita_change_warn_deg", "ita_change_fail_deg", Direction.ABS),
               1, "+ lighter in the twin", brief=True,
               shot_limits=Limits("new_shot", "ita_change_warn_deg", "ita_change_fail_deg", Direction.ABS)),
    Descriptor("skin.delta_e00", "Skin colour ΔE00", "Skin", "ΔE00",
               "Colour difference of the median skin colours after removing any global cast. " + DE,
               Category.SKIN_TONE, _limits("skin", "delta_e00_warn", "delta_e00_fail", Direction.MAX), brief=True,
               shot_limits=Limits("new_shot", "skin_delta_e00_warn", "skin_delta_e00_fail", Direction.MAX)),
    Descriptor("skin.delta_L", "Skin lightness ΔL*", "Skin", "L*",
               "Lightness change of the median skin colour (+ lighter in the twin). Informational in the same "
               "frame; judged in a new shot, with the uncertainty of the two photographs' light.",
               Category.SKIN_TONE, None, 1, "+ lighter in the twin",
               shot_limits=Limits("new_shot", "skin_delta_L_warn", "skin_delta_L_fail", Direction.ABS)),
    Descriptor("skin.hue_change", "Skin hue change", "Skin", "°",
               "Change of the skin's hue angle in a*b* (+ yellower, − redder), judged in a new shot with the "
               "uncertainty of the two photographs' light.",
               Category.SKIN_TONE, None, 1, "+ yellower in the twin",
               shot_limits=Limits("new_shot", "skin_hue_change_warn_deg", "skin_hue_change_fail_deg",
                                  Direction.ABS)),
    Descriptor("texture.ratio", "Skin texture", "Skin", "×",
               "Fine skin detail (pores, fine lines) of the twin as a share of the real's: well below 1 "
               "means smoothed or airbrushed skin.",
               Category.SKIN_TEXTURE, _limits("texture", "ratio_warn", "ratio_fail", Direction.MIN), brief=True,
               shot_limits=Limits("new_shot", "texture_ratio_warn", "texture_ratio_fail", Direction.MIN)),
    Descriptor("garment.delta_e00_median_colour", "Garment colour ΔE00", "Garment", "ΔE00",
               "Colour difference of the garment's median colours after removing any global cast: is the "
               "product still its real colour? " + DE,
               Category.GARMENT_COLOUR, _limits("garment", "delta_e00_warn", "delta_e00_fail", Direction.MAX),
               brief=True, shot_limits=Limits("new_shot", "garment_delta_e00_warn", None, Direction.MAX)),
    Descriptor("garment.hue_shift_deg", "Garment hue shift", "Garment", "°",
               "Chroma-weighted shift of the garment's hue angle; a recolour shows here first.",
               Category.GARMENT_COLOUR, _limits("garment", "hue_shift_warn_deg", "hue_shift_fail_deg",
                                                Direction.ABS), 1, "+ counter-clockwise in a*b*", brief=True,
               shot_limits=Limits("new_shot", "garment_hue_shift_warn_deg", None, Direction.ABS)),
    Descriptor("garment.delta_e00_mean", "Garment ΔE00 per-pixel mean", "Garment", "ΔE00",
               "Mean per-pixel colour difference over the garment (rises when folds move; informational)."),
)

BY_PATH: dict[str, Descriptor] = {d.path: d for d in DESCRIPTORS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(d.group for d in DESCRIPTORS))


def descriptor(path: str) -> Descriptor:
    """The descriptor of a path (KeyError names it: a flag must judge a described measurement)."""
    try:
        return BY_PATH[path]
    except KeyError:
        raise KeyError(f"no measurement is described at {path!r}") from None

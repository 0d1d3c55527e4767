"""Each measurement of a pair as a typed record: what the JSON's ``metrics`` holds.

Field names are the JSON keys (readers find values by dotted path, e.g.
``face.changes.eyes.percent``; ``descriptors.py`` says what each one means and how it is
judged). Signed changes are in percent, + meaning larger/longer/wider in the twin. Any
measurement, or any part of one, may be ``Unmeasured`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twinproof.core.result.codec import OMIT
from twinproof.core.result.types import Against, Unmeasured


@dataclass(frozen=True)
class Change:
    """A named, signed change of a size or ratio, in % of the real one, with its words."""

    percent: float
    text: str


@dataclass(frozen=True)
class Uncertainty:
    """How far the same person's two photographs could differ in a measurement under the
    conditions this pair was read in: ``plus_minus`` (its unit) at ``confidence``, predicted by a
    model fitted on real same-person photographs (docs/fidelity.md, "New shots"). ``why``: the
    conditions that widen it. ``cannot_judge``: set when the uncertainty alone is wider than the
    fail limit, so these photographs cannot say (the value is shown, never a verdict).
    ``at_most_warning``: set when a finding is capped at a warning (two different lights).
    ``against`` (schema 4): what the value was judged against, set by whoever made the ±:
    the spread of other people's photographs (the model), or the talent's own range across
    ``portraits`` photographs of her."""

    plus_minus: float
    confidence: float
    why: list[str]
    cannot_judge: str | None = field(default=None, metadata=OMIT)
    at_most_warning: str | None = field(default=None, metadata=OMIT)
    #: What was taken out of the value before it was judged (perspective), in its unit.
    bias_removed: float | None = field(default=None, metadata=OMIT)
    against: Against = Against.OTHER_PEOPLE
    #: ``her_portraits``: how many photographs of her the range spans.
    portraits: int | None = field(default=None, metadata=OMIT)


@dataclass(frozen=True)
class Alignment:
    """How far the registration can be trusted, and how much of the real frame the twin covers."""

    confidence: float
    overlap_fraction: float
    method: str


@dataclass(frozen=True)
class Ssim:
    value: float
    variant: str
    working_size: tuple[int, int]


@dataclass(frozen=True)
class MsSsim:
    value: float
    scales: int
    weights: list[float]


@dataclass(frozen=True)
class ColourCast:
    """Mean Lab shift (twin − real) over the real image's neutral pixels."""

    delta_L: float
    delta_a: float
    delta_b: float
    magnitude: float
    neutral_fraction: float
    method: str


@dataclass(frozen=True)
class Colour:
    delta_e00_mean: float
    delta_e00_p95: float
    cast: ColourCast
    space: str
    #: The one the policy judges: ΔE00 of the region-blurred images over ``judged_over``.
    delta_e00_regional: float
    judged_over: str
    regional_sigma_px: float
    delta_e00_mean_scene: float | None = field(default=None, metadata=OMIT)


@dataclass(frozen=True)
class LandmarkSide:
    faces_found: int
    people_found: int
    face_points: list[list[float]] | None
    face_reason: str | None
    body_points: list[list[float]] | None
    body_visibility: list[float] | None
    body_reason: str | None


@dataclass(frozen=True)
class Landmarks:
    coordinates: str
    real: LandmarkSide
    twin: LandmarkSide
    milliseconds: dict[str, float]
    models: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Face:
    iod_px: float
    #: Mesh NME after a similarity fit, in % of the outer-eye-corner distance: overall and per region.
    nme_percent: dict[str, float]
    changes: dict[str, Change | Unmeasured]
    method: str
    tracking_error_iod: float
    #: Where each real mesh point is in the twin (real-image pixels), for overlays.
    twin_points: list[list[float]]


@dataclass(frozen=True)
class Body:
    proportions: dict[str, Change | Unmeasured]
    widths: dict[str, Change | Unmeasured]
    levels_y_px: dict[str, float]
    method: str
    tracking_error_shoulder_width: float
    twin_points: list[list[float]]


@dataclass(frozen=True)
class Skin:
    pixels: int
    real_lab: list[float]
    twin_lab: list[float]
    twin_lab_uncorrected: list[float]
    delta_e00: float
    delta_L: float
    ita_real: float
    ita_twin: float
    ita_change: float | Unmeasured
    ita_class_real: str
    ita_class_twin: str
    cast_correction: str
    #: New shots: the skin's hue angle change in a*b* (+ towards yellow), and whether the two
    #: photographs' light differs (then a skin change is at most a warning).
    hue_change: float | None = field(default=None, metadata=OMIT)
    light: str | None = field(default=None, metadata=OMIT)


@dataclass(frozen=True)
class Texture:
    ratio: float
    sigma_crop_px: float
    sigma_source_px: float
    pixels: int


@dataclass(frozen=True)
class Garment:
    fraction_of_frame: float
    delta_e00_median_colour: float
    delta_e00_mean: float
    delta_e00_p95: float
    delta_e00_mean_uncorrected: float
    hue_shift_deg: float | Unmeasured
    real_lab_median: list[float]
    twin_lab_median: list[float]
    cast_correction: str




@dataclass(frozen=True)
class FaceProportions:
    """A new shot's face: proportions of each photograph's own mesh in 3D, compared."""

    iod_px_real: float
    iod_px_twin: float
    yaw_real_deg: float
    yaw_twin_deg: float
    proportions: dict[str, Change | Unmeasured]
    method: str
    #: Whether the two photographs' camera distances differ, and what was done about it.
    camera_distance: str | None = field(default=None, metadata=OMIT)
    #: What the proportions were judged against when reference portraits were given.
    yardstick: str | None = field(default=None, metadata=OMIT)
    #: The twin read along her own edit directions in the identity descriptor's space (issue 23).
    identity_edits: dict[str, Change | Unmeasured] | None = field(default=None, metadata=OMIT)
    #: Schema 4: how many of the talent's reference portraits were usable (None: none were given).
    references: int | None = field(default=None, metadata=OMIT)


@dataclass(frozen=True)
class BodyProportions:
    """A new shot's body: ratios of each photograph's own 3D pose, compared."""

    proportions: dict[str, Change | Unmeasured]
    method: str


@dataclass(frozen=True)
class GarmentColours:
    """A new shot's garment: each photograph's own garment region after its own white balance."""

    fraction_real: float
    fraction_twin: float
    delta_e00_median_colour: float
    hue_shift_deg: float | Unmeasured
    real_lab_median: list[float]
    twin_lab_median: list[float]
    white_balance: str


@dataclass(frozen=True)
class Chip:
    """How one face was read for identity: its size, turn, and where its 150x150 chip sits
    (``chip_to_image``: chip pixel → image pixel, 2x3), so the app and the sheet can cut the
    same aligned chip to show the two faces side by side."""

    face_size_px: float
    yaw_deg: float
    chip_to_image: list[list[float]]


@dataclass(frozen=True)
class TalentLikeness:
    """The twin against the reference portraits of the talent it is linked to."""

    name: str
    references: int
    nearest: float
    median: float
    #: Distances among the talent's own references (min, max): how much she varies across shots.
    own_spread: tuple[float, float] | None
    same_person: bool
    text: str


@dataclass(frozen=True)
class Identity:
    """Is the twin still the person? Euclidean distance of the two faces' 128-d descriptors."""

    distance: float
    #: At or below ``threshold`` (the line chosen for the policy's false-match rate).
    same_person: bool
    threshold: float
    #: Where the warning starts: the same line since policy 2026.12-2 (between it and
    #: ``different_threshold`` the analysis cannot tell); older results kept a separate one.
    warn_distance: float
    model: str
    real: Chip
    twin: Chip
    talent: TalentLikeness | Unmeasured | None = field(default=None, metadata=OMIT)
    #: Above it, not the same person (the line chosen for the policy's false-non-match rate);
    #: absent from results made before it existed, whose ``threshold`` was that line.
    different_threshold: float | None = field(default=None, metadata=OMIT)
    #: "same person", "cannot tell" or "not the same person", in those words.
    call: str | None = field(default=None, metadata=OMIT)


@dataclass(frozen=True)
class Metrics:
    """Every measurement of a pair, in the order readers show them."""

    alignment: Alignment | Unmeasured | None = field(default=None, metadata=OMIT)
    ssim: Ssim | Unmeasured | None = field(default=None, metadata=OMIT)
    ms_ssim: MsSsim | Unmeasured | None = field(default=None, metadata=OMIT)
    colour: Colour | Unmeasured | None = field(default=None, metadata=OMIT)
    landmarks: Landmarks | Unmeasured | None = field(default=None, metadata=OMIT)
    identity: Identity | Unmeasured | None = field(default=None, metadata=OMIT)
    face: Face | FaceProportions | Unmeasured | None = field(default=None, metadata=OMIT)
    body: Body | BodyProportions | Unmeasured | None = field(default=None, metadata=OMIT)
    skin: Skin | Unmeasured | None = field(default=None, metadata=OMIT)
    texture: Texture | Unmeasured | None = field(default=None, metadata=OMIT)
    garment: Garment | GarmentColours | Unmeasured | None = field(default=None, metadata=OMIT)

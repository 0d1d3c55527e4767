"""Plain words first, the technical term second: the words follow the measurement's sign and
cover every judged measurement the core describes."""

from __future__ import annotations

import pytest

from twinproof.core import plain_words as pw
from twinproof.core.result import DESCRIPTORS
from twinproof.core.result.descriptors import BY_PATH
from twinproof.core.result.rows import value_text


@pytest.mark.parametrize(("path", "value", "words"), [
    ("skin.ita_change", 7.0, "skin looks lighter (ITA +7.0°)"),
    ("skin.ita_change", -6.5, "skin looks darker (ITA −6.5°)"),
    ("garment.delta_e00_median_colour", 3.6, "garment colour differs (ΔE00 3.60; under 2 reads as a match)"),
    ("texture.ratio", 0.42, "skin looks smoothed (airbrushed) (texture ratio 0.42)"),
    ("face.changes.eyes.percent", 10.9, "eyes look larger (size +10.9 %)"),
    ("face.changes.jaw.percent", -8.0, "jaw looks narrower (size −8.0 %)"),
    ("body.widths.waist.percent", -9.0, "waist narrower (width −9.0 %)"),
    ("identity.distance", 0.71, "may not look like the same person (identity distance 0.710)"),
])
def test_findings_follow_the_sign_and_keep_the_term(path, value, words):
    assert pw.with_term(path, value, value_text(BY_PATH[path], value)) == words


def test_every_judged_measurement_has_words_and_a_plain_label():
    for d in DESCRIPTORS:
        if d.category is None:
            continue
        assert pw.finding(d.path, 1.0) and pw.finding(d.path, -1.0), d.path
        assert pw.label(d.path, d.label) != d.label or d.label[0].isupper(), d.path


def test_the_new_shot_reasons_of_the_core_read_in_words_first():
    reasons = {
        "no features of the two pictures agree (ORB features + RANSAC similarity): another shot":
            "Nothing in the two pictures lines up",
        "a perspective transform explains 80% of the matched features, a similarity 30%: the camera moved":
            "The camera moved between the two pictures",
        "only 12 of 340 matched features agree, and only over 8% of the frame: another shot":
            "Too little of the two pictures lines up",
        "the registered faces do not coincide (off by 0.40 of the eye distance)":
            "The background lines up but the person moved",
        # core.mode's wording once its fallback is verified pixel for pixel (issue 22)
        "the registration found no features in common (fell back to phase correlation (translation only)), and "
        "laid over each other by that alignment the two pictures differ (correlation 0.266, residual 30.1% at "
        "128×96 px): another shot, compared person to person": "Nothing in the two pictures lines up",
        "the features that agree (106 of 490 matched) span only 8% of the frame, and laid over each other by that "
        "alignment the two pictures differ (correlation 0.380, residual 28.6% at 109×128 px): another shot, "
        "compared person to person": "Too little of the two pictures lines up",
        "registered (phase correlation (translation only)) and verified: the two pictures coincide pixel for pixel "
        "(correlation 1.000, residual 0.0% at 40×100 px)": "The twin lines up with the photograph, pixel for pixel",
    }
    for technical, words in reasons.items():
        said = pw.mode_reason(technical)
        assert said.startswith(words) and said.endswith(f"({technical})")
    assert pw.mode_reason("something new") == "something new"  # never a guess


def test_the_glossary_names_every_term_the_panels_use():
    text = pw.glossary_text()
    for term in ("SSIM", "ΔE00", "ITA", "NME", "Identity distance", "C2PA", "Same frame / new shot", "±"):
        assert term in text


def test_the_policy_reads_as_sentences_with_its_own_numbers():
    from twinproof.core.policy import load_policy

    policy = load_policy()
    said = pw.policy_sentences(policy)
    assert "Skin tone (ITA change): a review beyond ±3°, a fail beyond ±6°." in said
    assert "Same structure (SSIM): a review below 0.7, a fail below 0.5." in said
    assert any(s.startswith("Face: size of eyes, irises, lips") for s in said)
    assert not any("_" in s for s in said)  # no raw key reaches the reader
    shot = pw.policy_sentences(policy, new_shot=True)
    ita = policy.limit("new_shot", "ita_change_warn_deg")
    assert f"Skin tone (ITA change): a review beyond ±{ita:g}°" in " ".join(shot)


def test_face_changes_say_what_was_measured():
    """The lips are measured by their area and the brows by their height above the eyes: "lips
    look wider" and "brows look larger" beside the core's own "lips 8% fuller", "brows 9% higher"
    said something the measurement does not (sample look03)."""
    from twinproof.core.fidelity.face_metrics import SIZES

    for name, (_size, _points, grow, shrink) in SIZES.items():
        path = f"face.changes.{name}.percent"
        assert pw.finding(path, 5.0).endswith(grow), (path, pw.finding(path, 5.0), grow)
        assert pw.finding(path, -5.0).endswith(shrink), (path, pw.finding(path, -5.0), shrink)

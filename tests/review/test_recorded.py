"""The one record of an analysis: stored results of every schema read back into the same type,
a newer TwinProof's result refused in one line, credentials read from real C2PA files typed
without loss, and what the record stores read back equal to what was stored."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from tests.review.conftest import FAIL_RESULT, RESULTS, stored_result
from twinproof import review
from twinproof.core.result import SCHEMA_VERSION, DecodeError, Verdict
from twinproof.core.result.upgrade import CURRENT, NewerSchemaError

SHARED_C2PA = Path(os.environ.get("TWINPROOF_SHARED") or Path(__file__).resolve().parents[2].parent / "shared"
                   ) / "c2pa"


@pytest.mark.parametrize("name", ["v1_look02", "v1_look03", "v1_look05"])
def test_a_stored_schema_1_result_reads_as_the_current_type(name):
    data = json.loads((RESULTS / f"{name}.json").read_text())
    assert data["schema"] == 1
    recorded = review.RecordedAnalysis.from_json(data)
    assert recorded.result.schema == SCHEMA_VERSION
    assert recorded.verdict == data["verdict"] == "fail"
    # every v1 flag now names the measurement it judged (v1 flags named none)
    assert [f.metric for f in recorded.result.flags] and all(f.metric for f in recorded.result.flags)
    assert recorded.provenance is None and recorded.heat_maps is None
    again = review.RecordedAnalysis.from_json(recorded.to_json())
    assert again == recorded


@pytest.mark.parametrize("name,verdict,metrics", [
    ("v2_look01", Verdict.PASS, []),
    ("v2_look04", Verdict.FAIL, ["skin.ita_change", "texture.ratio"]),
])
def test_a_stored_schema_2_result_reads_back_unchanged(name, verdict, metrics):
    data = json.loads((RESULTS / f"{name}.json").read_text())
    assert data["schema"] == 2
    recorded = review.RecordedAnalysis.from_json(data)
    assert recorded.result.verdict is verdict
    assert [f.metric for f in recorded.result.flags] == metrics
    assert review.RecordedAnalysis.from_json(recorded.to_json()) == recorded
    if SCHEMA_VERSION == 2:  # read as written, not a key lost (a newer schema upgrades it instead)
        assert recorded.to_json() == data


def test_a_result_from_a_newer_twinproof_says_update_in_one_line():
    data = {**stored_result("v2_look01").to_json(), "schema": CURRENT + 1}
    with pytest.raises(NewerSchemaError) as caught:
        review.RecordedAnalysis.from_json(data)
    text = str(caught.value)
    assert text.startswith(f"made by a newer TwinProof (schema {CURRENT + 1}): update TwinProof")
    assert "\n" not in text and isinstance(caught.value, DecodeError)
    for odd in ("2b", None, True, 0):
        with pytest.raises(DecodeError, match="is not a schema") as other:
            review.RecordedAnalysis.from_json({**data, "schema": odd})
        assert not isinstance(other.value, NewerSchemaError)


def test_a_stored_record_from_a_newer_twinproof_is_refused_by_recorded(store, pairs):
    pair = pairs["look01"]
    rec = review.store_analysis(store, pair.id, FAIL_RESULT)
    newer = replace(rec, result={**rec.result, "schema": CURRENT + 1})
    with pytest.raises(NewerSchemaError, match="update TwinProof"):
        newer.recorded()


@pytest.mark.skipif(not (SHARED_C2PA / "C.jpg").is_file(), reason=f"the real C2PA files are not in {SHARED_C2PA}")
@pytest.mark.parametrize("name", ["C.jpg", "CA.jpg", "E-sig-CA.jpg", "XCA.jpg", "no_manifest.jpg"])
def test_credentials_of_real_files_are_typed_without_loss(name):
    from twinproof.export.provenance import read_credentials

    read = read_credentials(SHARED_C2PA / name)
    typed = review.Credentials.from_json(read)
    assert typed.to_json() == {k: v for k, v in read.items() if v is not None}
    assert typed.status == ("absent" if name == "no_manifest.jpg" else "present")


def test_what_is_stored_reads_back_as_stored(store, pairs, tmp_path):
    pair = pairs["look02"]
    kept = review.HeatMaps(str(tmp_path / "maps.npz"), 1234, ["delta_e", "ssim"], "npz")
    credentials = review.Credentials(status="present", validation_state="Valid",
                                     validation="signature valid", issues=["x: y"])
    recorded = replace(FAIL_RESULT, hashes=review.FileHashes(pair.real_sha256, pair.twin_sha256),
                       provenance=credentials, heat_maps=kept)
    rec = review.store_analysis(store, pair.id, recorded)
    assert review.latest_analysis(store, pair.id).recorded() == recorded
    assert rec.result["provenance"] == {"status": "present", "validation_state": "Valid",
                                        "validation": "signature valid", "issues": ["x: y"]}
    assert rec.result["heat_maps"]["file"] == kept.file

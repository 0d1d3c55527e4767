"""Signed exports: the sheet (PDF) and the annotated copies carry TwinProof's own C2PA
manifest, signed offline with a studio certificate made here (a throwaway CA and an ES256
leaf), and c2pa-python reads each back valid, with the AI disclosure, the review decision, its
reviewer and time, and the delivered twin - and its own credentials - as an ingredient."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.export.c2pa_sign import tamper, throwaway_chain
from tests.export.pdftools import needs_poppler, page_text
from tests.export.states import build_states
from twinproof import review
from twinproof.cli import main
from twinproof.export.provenance import available, read_credentials
from twinproof.export.signing import REVIEW_LABEL, StudioSigner

pytestmark = [pytest.mark.slow, needs_poppler,
              pytest.mark.skipif(not available(), reason="c2pa-python not installed")]
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signed")
    shoot = build_states(folder / "shoot")
    chain, key = throwaway_chain()
    (folder / "studio-chain.pem").write_bytes(chain)
    (folder / "studio.key").write_bytes(key)
    out = folder / "out"
    (out / "copies").mkdir(parents=True)
    code = main(["export", "--db", str(shoot.db), "--pdf", str(out / "sheet.pdf"), "--copies",
                 str(out / "copies"), "--no-maps", "--sign-cert", str(folder / "studio-chain.pem"),
                 "--sign-key", str(folder / "studio.key")])
    assert code == 0
    return shoot, folder, out


def manifest(path):
    import c2pa

    with c2pa.Reader(str(path)) as reader:
        store = json.loads(reader.json())
        state = reader.get_validation_state()
    return state, store, store["manifests"][store["active_manifest"]]


def assertion(active, label):
    return next(a["data"] for a in active["assertions"] if a["label"].startswith(label))


def test_copies_are_signed_and_say_what_the_review_decided(signed):
    shoot, _folder, out = signed
    store = review.open_store(shoot.db)
    try:
        decisions = {n: review.decision_history(store, i)[-1] if review.decision_history(store, i) else None
                     for n, i in shoot.ids.items()}
    finally:
        store.close()
    ingredient_failures = {}
    for name in ("look01", "look02", "look03", "look04"):
        copy = out / "copies" / f"{name}-twin.jpg"
        state, store_json, active = manifest(copy)
        assert state == "Valid", (name, store_json.get("validation_status"))
        codes = {s["code"] for s in store_json.get("validation_status") or []}
        assert codes <= {"signingCredential.untrusted"}, (name, codes)  # our test CA is on no trust list
        assert "TwinProof" in json.dumps(active["claim_generator_info"])
        opened = assertion(active, "c2pa.actions")["actions"][0]
        assert opened["action"] == "c2pa.opened" and opened["digitalSourceType"] == DST + "trainedAlgorithmicMedia"
        (said,) = assertion(active, REVIEW_LABEL)["reviews"]
        d = decisions[name]
        assert said["pair"] == name and said["decision"] == (d.state if d else "unreviewed")
        assert said["reviewer"] == (d.reviewer if d else None)
        assert said["decided_at"] == (d.created_at.isoformat() if d else None)
        assert said["cleared_for_use"] is (name == "look01")
        (twin,) = active["ingredients"]
        assert twin["title"] == f"{name}.jpg" and twin["relationship"] == "parentOf"
        results = (twin.get("validation_results") or {}).get("activeManifest", {})
        ingredient_failures[name] = {f["code"] for f in results.get("failure", [])}
        if name in ("look01", "look02"):  # the generator's own manifest, kept inside as it was
            assert twin.get("active_manifest"), name
    assert said is not None
    assert "assertion.dataHash.mismatch" in ingredient_failures["look02"]  # the tampered twin stays invalid
    assert "assertion.dataHash.mismatch" not in ingredient_failures["look01"]
    assert "manifest.inaccessible" in ingredient_failures["look03"]  # remote: not fetched
    suspended = assertion(manifest(out / "copies" / "look03-twin.jpg")[2], REVIEW_LABEL)["reviews"][0]
    assert suspended["decision"] == "suspended" and "consent B-2026-07" in suspended["clearance"]
    rejected = assertion(manifest(out / "copies" / "look02-twin.jpg")[2], REVIEW_LABEL)["reviews"][0]
    assert rejected["reason_text"] == "garment hem redrawn" and rejected["comment"] == "see the jacket"


def test_the_sheet_is_signed_with_every_twin_as_an_ingredient(signed):
    _shoot, _folder, out = signed
    state, store_json, active = manifest(out / "sheet.pdf")
    assert state == "Valid"
    assert {s["code"] for s in store_json.get("validation_status") or []} <= {"signingCredential.untrusted"}
    actions = assertion(active, "c2pa.actions")["actions"]
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"] == DST + "compositeWithTrainedAlgorithmicMedia"
    assert [a["action"] for a in actions[1:]] == ["c2pa.placed"] * 4
    assert [i["title"] for i in active["ingredients"]] == ["look01.jpg", "look02.jpg", "look03.jpg", "look04.jpg"]
    assert {i["relationship"] for i in active["ingredients"]} == {"componentOf"}
    reviews = assertion(active, REVIEW_LABEL)["reviews"]
    assert [r["decision"] for r in reviews] == ["approved", "rejected", "suspended", "unreviewed"]
    # still the same sheet for every PDF reader
    assert "look03" in page_text(out / "sheet.pdf", 6) and "SUSPENDED" in page_text(out / "sheet.pdf", 6)
    assert read_credentials(out / "sheet.pdf")["validation"] == "signature valid; signer not on a trust list"


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="apt-get install libimage-exiftool-perl")
def test_a_signed_copy_keeps_its_xmp_and_a_changed_one_reads_invalid(signed, tmp_path):
    _shoot, _folder, out = signed
    copy = out / "copies" / "look01-twin.jpg"
    (read,) = json.loads(subprocess.run(["exiftool", "-j", "-XMP:all", str(copy)], capture_output=True,
                                        text=True, check=True).stdout)
    assert read["Decision"] == "approved" and read["TwinContentCredentials"] == "valid"
    changed = tmp_path / "changed.jpg"
    shutil.copy(copy, changed)
    tamper(changed)
    found = read_credentials(changed)
    assert found["status"] == "present" and found["validation"].startswith("invalid")


def test_a_wrong_or_half_given_certificate_refuses_the_export(signed, tmp_path, capsys, monkeypatch):
    shoot, folder, _out = signed
    pdf = tmp_path / "s.pdf"
    assert main(["export", "--db", str(shoot.db), "--pdf", str(pdf), "--no-maps",
                 "--sign-cert", str(folder / "studio-chain.pem")]) == 2
    assert "give both --sign-cert and --sign-key" in capsys.readouterr().err
    assert main(["export", "--db", str(shoot.db), "--pdf", str(pdf), "--no-maps",
                 "--sign-cert", str(folder / "studio-chain.pem"), "--sign-key", str(tmp_path / "none.key")]) == 2
    assert "cannot be read" in capsys.readouterr().err and not pdf.exists()
    monkeypatch.setenv("TWINPROOF_SIGN_CERT", str(folder / "studio-chain.pem"))
    monkeypatch.setenv("TWINPROOF_SIGN_KEY", str(folder / "studio.key"))
    assert StudioSigner.from_env() == StudioSigner(folder / "studio-chain.pem", folder / "studio.key")
    assert main(["export", "--db", str(shoot.db), "--pdf", str(pdf), "--no-maps", "--pairs", "look01"]) == 0
    assert read_credentials(pdf)["status"] == "present"  # the studio's environment signs by default
    assert main(["export", "--db", str(shoot.db), "--pdf", str(pdf), "--no-maps", "--pairs", "look01",
                 "--no-sign"]) == 0
    assert read_credentials(pdf) == {"status": "absent"}

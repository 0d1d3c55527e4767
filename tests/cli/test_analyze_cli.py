"""The ``twinproof analyze`` contract other tools and tests depend on, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.photos import astronaut, jpeg_roundtrip, linear_gains, save
from twinproof.cli import main
from twinproof.core.result import Category, descriptor
from twinproof.core.result.judge import judged


def _run(*args):
    return subprocess.run([sys.executable, "-m", "twinproof", *args], capture_output=True,
                          text=True, timeout=120)


def test_json_contract(tmp_path):
    real = save(astronaut(), tmp_path / "real.png")
    twin = save(jpeg_roundtrip(linear_gains(astronaut(), (1.15, 1.0, 0.8)), 90), tmp_path / "t.jpg")
    proc = _run("analyze", str(real), str(twin), "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    for side in ("real", "twin"):
        assert {"path", "width", "height", "colour_handling"} <= d[side].keys()
    assert {"scale", "rotation_deg", "shift_px", "matrix", "method"} <= d["registration"].keys()
    assert {"confidence", "overlap_fraction"} <= d["metrics"]["alignment"].keys()
    assert len(d["registration"]["shift_px"]) == 2
    assert {"ssim", "ms_ssim", "colour"} <= d["metrics"].keys()
    assert {"delta_e00_mean", "delta_e00_p95", "cast"} <= d["metrics"]["colour"].keys()
    assert d["verdict"] in ("pass", "review", "fail")
    assert d["flags"]
    for f in d["flags"]:
        assert set(f) - {"box"} == {"category", "region", "severity", "metric", "value", "threshold", "message"}
        assert f["category"] in set(Category) and f["severity"] in ("warn", "fail")
        # the flag names the measurement it judges, and carries that number as judged
        node = d["metrics"]
        for part in f["metric"].split("."):
            node = node[part]
        assert f["value"] == pytest.approx(judged(descriptor(f["metric"]), node))


def test_human_summary(tmp_path, capsys):
    real = save(astronaut(), tmp_path / "real.png")
    assert main(["analyze", str(real), str(real)]) == 0
    out = capsys.readouterr().out
    assert "verdict: PASS" in out and "SSIM (structure)" in out and "warn <0.7" in out


@pytest.mark.parametrize("kind", ["missing", "empty", "text", "truncated"])
def test_bad_input_exits_2_with_one_clear_line(tmp_path, kind):
    real = save(astronaut(), tmp_path / "real.jpg")
    bad = tmp_path / "bad.jpg"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "text":
        bad.write_text("not an image")
    elif kind == "truncated":
        bad.write_bytes(real.read_bytes()[:3000])
    proc = _run("analyze", str(real), str(bad))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert str(bad) in lines[0]


def test_bad_policy_exits_2(tmp_path):
    real = save(astronaut(), tmp_path / "real.png")
    pol = tmp_path / "p.toml"
    pol.write_text("[colour]\nnope = 1\n")
    proc = _run("analyze", str(real), str(real), "--policy", str(pol))
    assert proc.returncode == 2 and "unknown setting" in proc.stderr


def test_policy_and_working_size_options(tmp_path, capsys):
    real = save(astronaut(), tmp_path / "real.png")
    pol = tmp_path / "p.toml"
    pol.write_text('[policy]\nname = "Strict"\nversion = "9"\n')
    assert main(["analyze", str(real), str(real), "--json", "--policy", str(pol),
                 "--working-size", "256"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["policy"]["name"] == "Strict"
    assert d["analysis"]["working_size"] == [256, 256]


def test_max_megapixels_option(tmp_path, capsys):
    real = save(astronaut(), tmp_path / "real.png")
    twin = save(astronaut(), tmp_path / "twin.png")
    assert main(["analyze", str(real), str(twin), "--max-megapixels", "0.1"]) == 2
    err = capsys.readouterr().err
    assert "limit is 0 MP" in err or "the limit is" in err
    assert main(["analyze", str(real), str(twin), "--max-megapixels", "1"]) == 0
    for bad in ("0", "-3", "lots"):
        with pytest.raises(SystemExit) as stop:
            main(["analyze", str(real), str(twin), "--max-megapixels", bad])
        assert stop.value.code == 2
    assert "megapixels" in capsys.readouterr().err


SHARED_C2PA = __import__("pathlib").Path(__file__).resolve().parents[2].parent / "shared" / "c2pa"


@pytest.mark.skipif(not (SHARED_C2PA / "C.jpg").is_file(), reason=f"the real C2PA files are not in {SHARED_C2PA}")
def test_json_says_each_files_content_credentials(tmp_path, capsys):
    """valid / invalid / remote not fetched / none, with the declared source type, read offline:
    the real signed and tampered files of c2pa-rs's fixtures, and a remote one signed here."""
    import shutil

    from tests.export.c2pa_sign import sign_remote

    remote = tmp_path / "look.jpg"
    shutil.copy(SHARED_C2PA / "no_manifest.jpg", remote)
    sign_remote(remote)
    seen = {}
    for name, twin in (("valid", SHARED_C2PA / "C.jpg"), ("invalid", SHARED_C2PA / "XCA.jpg"),
                       ("remote", remote), ("none", SHARED_C2PA / "no_manifest.jpg")):
        assert main(["analyze", str(SHARED_C2PA / "no_manifest.jpg"), str(twin), "--json"]) == 0
        seen[name] = json.loads(capsys.readouterr().out)["content_credentials"]
    assert seen["valid"]["twin"]["state"] == "valid"
    assert seen["valid"]["twin"]["validation"] == "signature valid; signer not on a trust list"
    assert seen["valid"]["twin"]["declared_source_type"] == "algorithmicMedia"
    assert seen["valid"]["twin"]["digital_source_type"] == "algorithmicMedia"  # a valid declaration is used
    assert seen["invalid"]["twin"]["state"] == "invalid"
    assert seen["invalid"]["twin"]["validation"] == "invalid: the image changed after it was signed"
    assert seen["invalid"]["twin"]["digital_source_type"] == "trainedAlgorithmicMedia"
    assert seen["remote"]["twin"]["state"] == "remote not fetched"
    assert seen["remote"]["twin"]["url"].startswith("https://cai-manifests.adobe.com/")
    assert seen["none"]["twin"]["state"] == "none" and seen["none"]["real"]["state"] == "none"
    assert main(["analyze", str(SHARED_C2PA / "no_manifest.jpg"), str(SHARED_C2PA / "C.jpg")]) == 0
    assert "credentials twin: valid; signature valid; signer not on a trust list; algorithmicMedia" in \
        capsys.readouterr().out


@pytest.mark.skipif(not (Path(__file__).resolve().parents[2].parent / "shared" / "faces-more" / "ramiz" / "s1"
                         / "7.jpg").is_file(), reason="../shared/faces-more is absent (one man's distance shot "
                                                      "and selfie)")
def test_a_blind_spot_names_the_cli_option_that_lifts_it():
    """The result's words name no option (the app shows them too); the summary adds the CLI's."""
    s1 = Path(__file__).resolve().parents[2].parent / "shared" / "faces-more" / "ramiz" / "s1"
    proc = _run("analyze", str(s1 / "1.jpg"), str(s1 / "7.jpg"))
    assert proc.returncode == 0, proc.stderr
    jaw = [line for line in proc.stdout.splitlines() if line.startswith("cannot reveal  a jaw slimmed")]
    assert len(jaw) == 1 and jaw[0].endswith("more sensitive reading (`--reference`)"), proc.stdout
    proc = _run("analyze", str(s1 / "1.jpg"), str(s1 / "7.jpg"), "--json")
    said = json.loads(proc.stdout)["cannot_reveal"]
    assert said and not any("--reference" in line for line in said), said


@pytest.mark.skipif(__import__("shutil").which("exiftool") is None, reason="apt-get install libimage-exiftool-perl")
def test_the_twin_files_own_xmp_is_said(tmp_path, capsys):
    """A real photograph tagged by exiftool as a generator tags its output: ``analyze`` names the
    generator the twin's XMP gives (text and JSON), unsigned, beside its Content Credentials;
    an untagged twin says nothing of XMP."""
    import shutil

    real = save(astronaut(), tmp_path / "real.png")
    twin = save(jpeg_roundtrip(astronaut(), 92), tmp_path / "twin.jpg")
    plain = shutil.copy(twin, tmp_path / "plain.jpg")
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-XMP-xmp:CreatorTool=Adobe Firefly Image 3",
                    "-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/"
                    "trainedAlgorithmicMedia", str(twin)], check=True, timeout=60)
    main(["analyze", str(real), str(twin), "--json"])
    xmp = json.loads(capsys.readouterr().out)["twin_xmp"]
    assert xmp["found"] == "embedded" and xmp["creator_tool"] == "Adobe Firefly Image 3"
    assert xmp["said"] == ["The twin file's XMP (unsigned) names the generator Adobe Firefly Image 3 "
                           "and declares trainedAlgorithmicMedia."]
    main(["analyze", str(real), str(twin)])
    said = capsys.readouterr().out
    assert "xmp twin: The twin file's XMP (unsigned) names the generator Adobe Firefly Image 3" in said
    main(["analyze", str(real), str(plain)])
    assert "xmp twin" not in capsys.readouterr().out

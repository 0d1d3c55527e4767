"""``twinproof landmarks``: JSON on stdout, an overlay file, one-line errors with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from twinproof.cli import main

HOPPER = Path(__file__).resolve().parents[2] / "data" / "grace_hopper.jpg"


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["landmarks", str(HOPPER), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["faces_found"] == 1 and d["people_found"] == 1
    assert len(d["face"]["points"]) == 468 and len(d["face"]["iris"]["right_iris"]) == 5
    assert len(d["body"]["landmarks"]) == 33
    assert {"visibility", "presence", "name"} <= d["body"]["landmarks"][0].keys()


def test_overlay_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "overlay.png"
    assert main(["landmarks", str(HOPPER), "--overlay", str(out)]) == 0
    text = capsys.readouterr().out
    assert "face: 468 points" in text and "faces 1" in text
    drawn = np.asarray(Image.open(out))
    assert drawn.shape == (600, 512, 3)
    assert np.abs(drawn.astype(int) - np.asarray(Image.open(HOPPER)).astype(int)).max() > 100


def test_no_person_is_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((200, 300, 3), 128, np.uint8)).save(blank)
    assert main(["landmarks", str(blank), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["face"] is None and d["face_reason"] and d["body"] is None and d["body_reason"]


@pytest.mark.parametrize(
    "argv",
    [["landmarks", "/no/such/photo.jpg"],
     ["landmarks", str(HOPPER), "--overlay", "/no/such/dir/out.png"],
     ["landmarks", str(HOPPER), "--threads", "0"]],
)
def test_bad_input_exits_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("twinproof: error:") and "\n" not in err and "Traceback" not in err


def test_not_an_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.jpg"
    bogus.write_text("not a picture", encoding="utf-8")
    assert main(["landmarks", str(bogus)]) == 2
    assert "notes.jpg" in capsys.readouterr().err

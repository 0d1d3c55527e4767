"""In the shoot audit a real photograph shared by several twins is one photograph: a talent's skin
tone is the median over her photographs, not over her pairs (a photograph with three twins weighed
three times, and decided her skin-tone group), and the words count photographs, saying how many
twins they are the real of. Drift counts stay per twin. Real stored results (tests/data/results),
on real SQLite and PostgreSQL, through the CLI as a user runs it."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.review.conftest import RESULTS
from tests.review.test_cli import run
from twinproof import review
from twinproof.review.drift_source import audit_shoot, read_shoot

#: The real photograph's skin L* in each stored result used (read back below, not assumed).
DARK, LIGHTEST, LIGHT, MIDDLE, DARKER = ("v3_newshot_references", "v1_look03", "v3_newshot_jaw", "v3_control",
                                         "v1_look02")
#: (talent, the real photograph's file, the stored result of its analysis): Ana's photograph x has
#: three twins, one of them paired with a copy of x from another folder (the same content).
PAIRS = [("Ana", "real/x.jpg", DARK), ("Ana", "real/x.jpg", DARK), ("Ana", "copy/x.jpg", DARK),
         ("Ana", "real/y.jpg", LIGHTEST), ("Ana", "real/z.jpg", LIGHT),
         ("Bea", "real/b.jpg", MIDDLE), ("Cy", "real/c.jpg", DARKER)]


def _lightness(name: str) -> float:
    return float(json.loads((RESULTS / f"{name}.json").read_text())["metrics"]["skin"]["real_lab"][0])


@pytest.fixture
def shoot(store, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "copy").mkdir()
    for name in ("x", "y", "z", "b", "c"):
        (tmp_path / "real" / f"{name}.jpg").write_bytes(f"real photograph {name}".encode())
    shutil.copyfile(tmp_path / "real" / "x.jpg", tmp_path / "copy" / "x.jpg")
    made = review.create_shoot(store, "SS27")
    for talent in ("Ana", "Bea", "Cy"):
        review.add_talent(store, talent)
    for i, (talent, real, result) in enumerate(PAIRS):
        twin = tmp_path / "twin" / f"t{i}.jpg"
        twin.parent.mkdir(exist_ok=True)
        twin.write_bytes(b"twin %d" % i)
        pair = review.make_pair(store, made.id, str(tmp_path / real), str(twin), f"look{i:02d}")
        review.link_talent(store, [pair.id], talent)
        stored = review.RecordedAnalysis.from_json(json.loads((RESULTS / f"{result}.json").read_text()))
        review.store_analysis(store, pair.id, stored)
    return made


def test_a_talents_skin_tone_counts_each_of_her_photographs_once(store, shoot):
    dark, lightest, light, middle, darker = (_lightness(n) for n in (DARK, LIGHTEST, LIGHT, MIDDLE, DARKER))
    assert darker > dark and lightest > light > middle > darker  # the known answers below rest on this
    found = read_shoot(store, "SS27")
    assert len(found.facts) == 7 and found.real_photographs == 5  # x in two folders is one photograph
    _, audit = audit_shoot(store, "SS27", by="skin-tone")
    # her photographs x, y, z: the median is z's (per pair it was x's, three times over: the darkest)
    assert audit.skin_lightness == {"Ana": pytest.approx(light), "Bea": pytest.approx(middle),
                                    "Cy": pytest.approx(darker)}
    assert audit.groups is not None
    assert audit.origins["skin_tone"] == {
        "Ana": "the talent's real photos in this shoot (3 photographs, the real of 5 twins)",
        "Bea": "the talent's real photos in this shoot (1 photograph)",
        "Cy": "the talent's real photos in this shoot (1 photograph)"}
    # per twin Ana was the darkest of the three (x's reading, three times); per photograph the lightest
    members = {name: sorted({p.pair for d in drifts for p in d.points}) for name, drifts in audit.groups.groups.items()}
    assert members["lighter third"] == ["look00", "look01", "look02", "look03", "look04"]
    assert members["darker third"] == ["look06"]


def test_the_cli_says_how_many_real_photographs_the_twins_are_of(capsys, store, db_url, shoot):
    code, out, _ = run(capsys, "shoot", "audit", "--shoot", "SS27", "--by", "skin-tone", "--json", "--db", db_url)
    assert code == 0, out
    data = json.loads(out)
    assert data["coverage"]["analysed"] == 7 and data["coverage"]["real_photographs"] == 5
    assert data["origins"]["skin_tone"]["Ana"] == (
        "the talent's real photos in this shoot (3 photographs, the real of 5 twins)")
    assert data["talent_skin_lightness"]["Ana"] == pytest.approx(_lightness(LIGHT), abs=0.01)
    code, out, _ = run(capsys, "shoot", "audit", "--shoot", "SS27", "--db", db_url)
    assert code == 0, out
    assert out.splitlines()[0].startswith("Shoot audit of SS27: 7 analysed pair(s) of 7, twins of 5 real "
                                          "photograph(s)")

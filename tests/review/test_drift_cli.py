"""``twinproof shoot audit`` on stored results: the reader, the words, the JSON, the coverage.

The results are real ones (the sample shoot's analyses as TwinProof 1 stored them, read
through the schema upgrade like every stored result)."""

from __future__ import annotations

import json

from tests.conftest import DATA
from tests.review.test_cli import run
from twinproof import review


def _stored(store, tmp_path, names):
    shoot = review.create_shoot(store, "SS27")
    pairs = []
    for i, name in enumerate(names):
        real, twin = tmp_path / f"r{i}.jpg", tmp_path / f"t{i}.jpg"
        real.write_bytes(b"real %d" % i)
        twin.write_bytes(b"twin %d" % i)
        pair = review.make_pair(store, shoot.id, str(real), str(twin), f"look{i:02d}")
        review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(
            json.loads((DATA / "results" / f"{name}.json").read_text())))
        pairs.append(pair)
    return pairs


def test_too_few_pairs_say_so_in_words_and_json(capsys, store, db_url, tmp_path):
    _stored(store, tmp_path, ["v1_look02", "v1_look03", "v1_look05"])
    code, out, err = run(capsys, "shoot", "audit", "--db", db_url, "--shoot", "SS27")
    assert code == 0 and err == ""
    assert "Shoot audit of SS27: 3 analysed pair(s) of 3." in out
    assert "Too few pairs to audit: 3 with a person measured; the audit needs 8 per measurement." in out
    assert "Jaw width: not audited — 3 pair(s) measured: the audit needs 8." in out
    code, out, _ = run(capsys, "shoot", "audit", "--db", db_url, "--json")
    data = json.loads(out)
    jaw = next(m for m in data["measurements"] if m["metric"] == "face.proportions.jaw_width.percent")
    assert jaw["n"] == 3 and jaw["tested"] is False and jaw["systematic"] is False
    assert sorted(p["value"] for p in jaw["pairs"]) == [0.0, 0.01, 0.28]  # face.changes.jaw of the three
    assert all(p["control"] for p in jaw["pairs"])  # same-frame twins weigh as controls
    assert data["coverage"] == {"active_pairs": 3, "analysed": 3, "real_photographs": 3, "not_analysed": 0,
                                "out_of_date": 0, "unreadable": []}


def test_an_unknown_shoot_is_one_line(capsys, store, db_url, tmp_path):
    _stored(store, tmp_path, ["v1_look02"])
    code, _, err = run(capsys, "shoot", "audit", "--db", db_url, "--shoot", "nope")
    assert code == 2 and "no shoot 'nope'" in err and err.count("\n") == 1


def test_groups_in_words_and_json(capsys, store, db_url, tmp_path):
    pairs = _stored(store, tmp_path, ["v1_look02", "v1_look03", "v1_look05"])
    review.add_talent(store, "Ana Silva")
    review.link_talent(store, [p.id for p in pairs], "Ana Silva")
    code, out, _ = run(capsys, "shoot", "audit", "--db", db_url, "--by", "talent")
    assert code == 0 and "No talent groups to compare: each side needs 5 pairs." in out
    code, out, _ = run(capsys, "shoot", "audit", "--db", db_url, "--by", "generator", "--json")
    data = json.loads(out)
    assert data["groups"]["by"] == "generator" and data["groups"]["groups"] == []
    assert data["groups"]["note"] == "pairs whose generator is unknown are left out of the groups"
    code, _, err = run(capsys, "shoot", "audit", "--db", db_url, "--by", "colour")
    assert code == 2 and "invalid choice" in err


def test_a_bad_policy_is_one_line(capsys, store, db_url, tmp_path):
    _stored(store, tmp_path, ["v1_look02"])
    bad = tmp_path / "brand.toml"
    bad.write_text("[audit]\nerror_rate = 2.0\n")
    for policy, message in ((tmp_path / "missing.toml", "policy file not found"),
                            (bad, "[audit] error_rate must be between 0 and 1")):
        code, _, err = run(capsys, "shoot", "audit", "--db", db_url, "--policy", str(policy))
        assert code == 2 and message in err and err.count("\n") == 1

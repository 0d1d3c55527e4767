"""The review sub-commands: exit codes (0 ok, 1 refused by a rule, 2 bad input) and one
clear stderr line, in-process through ``twinproof.cli.main`` and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.photos import astronaut, jpeg_roundtrip, linear_gains, save
from tests.review.conftest import FAIL_RESULT, write_files
from twinproof import review
from twinproof.cli import COMMAND_MODULES, main
from twinproof.core.xmp_origin import XmpOrigin


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse refusing an option
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(capsys, db_url):
    def call(*argv):
        return run(capsys, *argv[:2], *argv[2:], "--db", db_url, "--reviewer", "carol")
    return call


def test_commands_are_registered():
    assert {"twinproof.cli.shoot", "twinproof.cli.decide",
            "twinproof.cli.talent"} <= set(COMMAND_MODULES)


def test_import_list_decide_talent_flow(cli, shoot_dirs, db_url, tmp_path):
    real, twin = shoot_dirs
    code, out, _ = cli("shoot", "import", str(real), str(twin), "--campaign", "SS27")
    assert code == 0 and "2 new" in out and "look03.tif" in out
    code, out, _ = cli("shoot", "list", "--json")
    listed = json.loads(out)
    assert [(p["name"], p["decision"], p["verdict"]) for p in listed] == [
        ("look01", "unreviewed", None), ("look02", "unreviewed", None)]

    code, _, err = cli("decide", "look01", "reject")
    assert code == 1 and err.count("\n") == 1 and "needs at least one reason" in err
    code, out, _ = cli("decide", "look01", "reject", "--reason", "face_altered,artefact")
    assert code == 0 and "rejected (face_altered, artefact) by carol" in out
    code, _, err = cli("decide", "look02", "approve")
    assert code == 1 and "linked to no talent" in err

    assert cli("talent", "add", "Ana Silva", "--agency", "Elite")[0] == 0
    assert cli("talent", "add", "Ana Silva")[0] == 2
    code, _, err = cli("talent", "consent", "Ana Silva", "--contract", "C-9", "--from", "2020-01-01",
                       "--until", "2099-12-31", "--campaign", "SS27")
    assert code == 2 and "attach the signed release (--release FILE), or say why there is none" in err
    assert cli("talent", "consent", "Ana Silva", "--contract", "C-9", "--from", "2020-01-01",
               "--until", "2099-12-31", "--campaign", "SS27", "--no-release-reason", "  paper\toriginal ")[0] == 0
    reader = review.open_store(db_url)
    try:
        (event,) = [e for e in review.audit_rows(reader) if e.event == "consent"]
    finally:
        reader.close()
    assert event.summary.endswith("; no signed release: paper original")
    assert cli("talent", "link", "Ana Silva", "look02")[0] == 0
    code, out, _ = cli("talent", "list", "--json")
    assert json.loads(out)[0]["consents"][0]["contract"] == "C-9"

    store = review.open_store(db_url)
    try:
        review.store_analysis(store, review.find_pair(store, "look02").id, FAIL_RESULT)
    finally:
        store.close()
    code, _, err = cli("decide", "look02", "approve")
    assert code == 1 and "--override" in err
    assert cli("shoot", "control", "look02")[0] == 0  # the analysis no longer holds: no override helps
    code, _, err = cli("decide", "look02", "approve", "--override", "checked on set")
    assert code == 1 and err.count("\n") == 1 and err == (
        "twinproof decide: refused: cannot approve 'look02': its analysis is stale (marked a control frame since "
        "it was analysed): analyse the pair again, then approve (`twinproof shoot analyze` with the same --db "
        "measures it again)\n")
    assert cli("shoot", "control", "look02", "--off")[0] == 0
    code, out, _ = cli("decide", "look02", "approve", "--override", "checked on set")
    assert code == 0 and "approved" in out
    code, out, _ = cli("shoot", "list")
    assert "fail" in out and "approved" in out and "Ana Silva" in out

    out_csv = tmp_path / "audit.csv"
    code, out, _ = cli("shoot", "history", "--out", str(out_csv))
    assert code == 0 and "override" in out_csv.read_text()
    # The trail's old spelling still writes it, and says where it went.
    old_csv = tmp_path / "old.csv"
    code, out, err = cli("shoot", "audit", "--out", str(old_csv))
    assert code == 0 and "override" in old_csv.read_text()
    assert "`twinproof shoot history`" in err and err.count("\n") == 1


def test_bad_input_exits_2_with_one_line(cli, capsys, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    assert cli("shoot", "import", str(real), str(twin))[0] == 0
    for argv, message in [
        (("decide", "nope", "approve"), "no active pair"),
        (("decide", "look01", "reject", "--reason", "ugly"), "reasons are"),
        (("shoot", "import", str(tmp_path / "missing"), str(twin)), "is not a folder"),
        (("talent", "consent", "Nobody", "--contract", "x", "--from", "2026-01-01",
          "--until", "2026-02-01", "--no-release-reason", "paper"), "no talent"),
        (("talent", "consent", "Nobody", "--contract", "x", "--from", "2026-02-01",
          "--until", "2026-01-01", "--no-release-reason", "paper"), "before it starts"),
        (("shoot", "pair", str(real / "look03.tif"), str(twin / "look04.png"), "--shoot",
          "nope"), "no shoot"),
    ]:
        code, _, err = cli(*argv)
        assert code == 2 and message in err and err.count("\n") == 1, (argv, err)
    code, _, err = cli("talent", "consent", "X", "--contract", "x", "--from", "soon",
                       "--until", "2026-01-01")
    assert code == 2 and "not a date" in err
    code, _, err = run(capsys, "shoot", "list", "--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x")
    assert code == 2 and "cannot use database" in err and "secret" not in err


def test_pair_unpair_and_check(cli, shoot_dirs):
    real, twin = shoot_dirs
    cli("shoot", "import", str(real), str(twin), "--name", "ss27")
    code, out, _ = cli("shoot", "pair", str(real / "look03.tif"), str(twin / "look04.png"),
                       "--shoot", "ss27")
    assert code == 0 and "paired look03" in out
    assert cli("shoot", "unpair", "look03")[0] == 0
    (twin / "look01.png").write_bytes(b"new")
    code, out, _ = cli("shoot", "check")
    assert code == 0 and "look01: twin changed" in out
    (real / "look02.jpg").unlink()
    code, out, _ = cli("shoot", "check")
    assert code == 1 and "look02: real missing" in out


def test_import_with_analyze_stores_the_core_result(cli, tmp_path, db_url):
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir(), twin.mkdir()
    save(astronaut(), real / "look01.png")
    save(jpeg_roundtrip(linear_gains(astronaut(), (1.15, 1.0, 0.8)), 90), twin / "look01.jpg")
    write_files(real, "broken.jpg")
    write_files(twin, "broken.png")
    code, _, err = cli("shoot", "import", str(real), str(twin), "--analyze")
    assert code == 1 and "broken: analysis failed" in err  # one bad pair, the rest stored
    store = review.open_store(db_url)
    try:
        analysis = review.latest_analysis(store, review.find_pair(store, "look01").id)
        assert analysis is not None and analysis.verdict in ("pass", "review", "fail")
        assert analysis.result["policy"]["version"] == analysis.policy_version
        assert {"real", "twin", "registration", "metrics", "flags"} <= analysis.result.keys()
        # the same record the app and `shoot analyze` store: credentials, hashes, heat maps
        pair = review.find_pair(store, "look01")
        recorded = analysis.recorded()
        # a plain JPEG: no Content Credentials, no XMP (read since schema 4)
        assert recorded.provenance == review.Credentials(status="absent", xmp=XmpOrigin(found="none"))
        assert recorded.hashes == review.FileHashes(pair.real_sha256, pair.twin_sha256)
        if "://" in db_url:  # a server has no folder beside it: no maps kept, none named
            assert recorded.heat_maps is None
        else:
            assert recorded.heat_maps is not None and sorted(recorded.heat_maps.maps) == ["delta_e", "ssim"]
            assert Path(recorded.heat_maps.file).parent == Path(db_url).parent / (Path(db_url).name + ".maps")
            assert Path(recorded.heat_maps.file).stat().st_size == recorded.heat_maps.bytes
    finally:
        store.close()


def test_real_process_refusal_is_one_line_without_traceback(tmp_path, shoot_dirs):
    db = tmp_path / "s.twinproof"

    def twinproof(*argv):
        return subprocess.run([sys.executable, "-m", "twinproof", *argv, "--db", str(db)],
                              capture_output=True, text=True, timeout=60)

    assert twinproof("shoot", "import", *map(str, shoot_dirs)).returncode == 0
    proc = twinproof("decide", "look01", "approve")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("twinproof decide: refused: cannot approve 'look01'")


def test_several_twins_of_one_real_frame_are_listed_apart(cli, tmp_path):
    sample = Path(__file__).resolve().parents[2] / "resources" / "sample"
    shoot = tmp_path / "aw26"
    shoot.mkdir()
    (shoot / "look01.jpg").write_bytes((sample / "look01_real.jpg").read_bytes())
    for n, name in enumerate(["look01_twin.jpg", "look01_twin2.jpg", "look01_twin-b.jpg",
                              "by hand.jpg"], start=1):
        (shoot / name).write_bytes((sample / f"look0{n}_twin.jpg").read_bytes())
    code, out, _ = cli("shoot", "import", str(shoot))
    assert code == 0 and "3 new" in out and "unmatched twin" not in out
    code, out, _ = cli("shoot", "pair", str(shoot / "look01.jpg"), str(shoot / "by hand.jpg"),
                       "--shoot", "aw26", "--name", "look01 variant 4")
    assert code == 0 and "paired look01 variant 4" in out
    code, out, _ = cli("shoot", "list", "--json")
    listed = json.loads(out)
    assert sorted(p["name"] for p in listed) == ["look01", "look01 variant 4", "look01_twin-b",
                                                 "look01_twin2"]
    assert {p["real"] for p in listed} == {str(shoot / "look01.jpg")}
    code, out, _ = cli("shoot", "list")
    assert all(out.count(f"  {name:<24} ") == 1 for name in ("look01", "look01_twin2", "look01_twin-b"))
    code, _, err = cli("shoot", "pair", str(shoot / "look01.jpg"), str(shoot / "look01_twin2.jpg"),
                       "--shoot", "aw26")
    assert code == 2 and "already the twin of pair 'look01_twin2'" in err

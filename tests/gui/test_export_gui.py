"""File → Export runs the real export on the save thread: a PDF read back with poppler, data
files, sidecars next to the images; Cancel stops it with nothing half-written."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.gui.conftest import open_plan, wait_idle
from twinproof.gui import exporting


@pytest.fixture(autouse=True)
def errors(monkeypatch):
    """Error boxes are recorded instead of shown (a modal box would block the test)."""
    seen: list[str] = []
    monkeypatch.setattr(exporting.dialogs, "show_error", lambda _p, title, text: seen.append(f"{title}: {text}"))
    return seen


def _open(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    return window.session


def test_export_writes_sheet_data_audit_and_sidecars(window, qtbot, shoot_dirs, tmp_path, monkeypatch, errors):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    offered = []

    def answer(_w, choice):
        offered.append(choice)
        return exporting.ExportChoice(out, xmp=True, scope="All pairs")

    monkeypatch.setattr(exporting, "ask_export", answer)
    shown = []
    monkeypatch.setattr(exporting, "ask_show_folder", lambda _w, message: shown.append(message) or True)
    opened = []
    monkeypatch.setattr(exporting, "open_folder", lambda folder, _parent=None: opened.append(folder))
    from twinproof.export import sheet

    reanalysed: list[str] = []
    recompute = sheet._maps
    monkeypatch.setattr(sheet, "_maps", lambda page, cancel: reanalysed.append(page.item.pair.name)
                        or recompute(page, cancel))
    window.qactions["file.export"].trigger()
    stem = exporting._stem(session.shoot.name)
    pdf = out / f"{stem}-sheets.pdf"
    qtbot.waitUntil(lambda: bool(errors) and window.pools.saves.activeThreadCount() == 0, timeout=120_000)
    # The shoot's one unreadable twin (look03) is named, and the rest is exported all the same.
    assert len(errors) == 1 and "finished with problems" in errors[0] and "look03" in errors[0]
    assert pdf.exists()
    for suffix in ("pairs.csv", "pairs.json", "audit.csv"):
        assert (out / f"{stem}-{suffix}").stat().st_size > 0
    _real_dir, twin_dir = shoot_dirs
    assert (twin_dir / "look01.xmp").exists() or (twin_dir / "look01.jpg.xmp").exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "AI-generated digital twin" in text and "look02" in text
    assert "Exported" in window.statusBar().currentMessage()
    # first offered: a folder beside the shoot's real and twin folders, not the app's data folder
    assert offered[0].folder == shoot_dirs[0].parent / "TwinProof export"
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert opened == [out] and "to " + str(out) in shown[0]  # and "Show in folder" shows it
    # the heat maps come from what the app already computed, not from a second analysis
    assert reanalysed == []


def test_cancelled_export_leaves_no_partial_file(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    _open(window, qtbot, shoot_dirs, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(exporting, "ask_export",
                        lambda _w, _f: exporting.ExportChoice(out, data=False, audit=False))
    monkeypatch.setattr(exporting, "ask_show_folder", lambda *_a: False)
    job = exporting.export_shoot(window)
    assert job is not None
    job.cancel.set()
    qtbot.waitUntil(lambda: window.pools.saves.activeThreadCount() == 0, timeout=120_000)
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage() or any(out.iterdir()),
                    timeout=10_000)
    assert not [p for p in out.iterdir() if p.suffix != ".pdf" or p.stat().st_size == 0]


@pytest.mark.parametrize("scope", exporting.SCOPES)
def test_choice_becomes_the_export_request(tmp_path, scope):
    req = exporting.ExportChoice(tmp_path, xmp=True, scope=scope, paper="letter", landscape=True).request(
        "ss27", 3, 7)
    assert req.pdf == tmp_path / "ss27-sheets.pdf" and req.xmp and req.shoot_id == 3
    assert req.sheet.paper == "letter" and req.sheet.landscape
    assert req.decided_only is (scope == "Decided pairs only")
    assert req.pairs == ([7] if scope == "This pair only" else None)


def test_export_into_a_missing_folder_creates_it_and_a_bad_one_keeps_the_choices(
        window, qtbot, shoot_dirs, tmp_path, monkeypatch, errors):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    wanted = exporting.ExportChoice(blocker / "sheets", sheet=False, audit=False, scope="This pair only",
                                    paper="letter")
    fixed = tmp_path / "new" / "deeper" / "export"
    offered = []

    def answer(_w, choice):
        offered.append(choice)
        # first the folder that cannot be made; then, offered the same choices, a new folder
        return wanted if len(offered) == 1 else exporting.ExportChoice(
            fixed, choice.sheet, choice.data, choice.audit, choice.xmp, choice.scope, choice.paper)

    monkeypatch.setattr(exporting, "ask_export", answer)
    monkeypatch.setattr(exporting, "ask_show_folder", lambda *_a: False)
    window.qactions["file.export"].trigger()
    assert len(offered) == 2 and offered[1] == wanted  # reopened with everything as chosen
    assert errors and "cannot be created" in errors[0] and "choices are kept" in errors[0]
    stem = exporting._stem(session.shoot.name)
    qtbot.waitUntil(lambda: (fixed / f"{stem}-pairs.json").exists(), timeout=60_000)
    qtbot.waitUntil(lambda: window.pools.saves.activeThreadCount() == 0, timeout=60_000)
    assert fixed.is_dir() and not (fixed / f"{stem}-sheets.pdf").exists()
    assert window.last_export.scope == "This pair only" and window.last_export.paper == "letter"


def test_the_sample_exports_to_documents_not_into_the_app(window, qtbot, monkeypatch):
    from twinproof.gui.exporting import default_folder

    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        window.open_sample()
    folder = default_folder(window.session)
    assert folder.parent.name == "TwinProof" and "Documents" in str(folder)
    wait_idle(window, qtbot)

"""The app lists a talent's reference portraits and removes one (the CLI's ``talent reference
list|remove``), where the talent is edited: file name, when added and by whom, a file problem if
any (seen on a worker, recorded and audited); removing asks first, naming the pairs whose analysis
it sends back, and those pairs are stale by the review layer's rule at once (a real analysis of
the sample shoot's look01)."""

from __future__ import annotations

import shutil

from tests.conftest import DATA
from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.gui import dialogs, portraitlist
from twinproof.hashing import file_sha256
from twinproof.review import staleness


def _portraits(store, folder, *names):
    """Copies of a real portrait, each made distinct, kept as hers (a stand-in descriptor: the
    review layer never reads faces)."""
    folder.mkdir(exist_ok=True)
    refs = []
    for i, name in enumerate(names):
        path = folder / name
        shutil.copyfile(DATA / "grace_hopper.jpg", path)
        with path.open("ab") as f:
            f.write(bytes([i]))  # after the JPEG's end: the same picture, another file
        refs.append(review.add_reference(store, "Grace Hopper", path, file_sha256(path), [0.1 + i] * 128, "m"))
    return refs


def _dialog(window, qtbot) -> portraitlist.PortraitsDialog:
    panel = window.talent
    panel.select("Grace Hopper")
    assert panel.portraits_button.isEnabled()
    panel.manage_portraits()
    dialog = panel.portraits_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.seen is not None, timeout=30_000)
    return dialog


def _rows(dialog) -> list[str]:
    return [dialog.listing.item(r).text() for r in range(dialog.listing.count())]


def test_her_portraits_are_listed_with_their_file_problems(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(f"{title}: {text}"))
    store = window.session.store
    review.add_talent(store, "Grace Hopper")
    kept, gone, edited = _portraits(store, tmp_path / "portraits", "navy.jpg", "gone.jpg", "retouched.jpg")
    window.session.workspace.poll()
    (tmp_path / "portraits" / "gone.jpg").unlink()
    (tmp_path / "portraits" / "retouched.jpg").write_bytes(b"retouched by the agency")
    dialog = _dialog(window, qtbot)
    rows = _rows(dialog)
    assert [r.splitlines()[0] for r in rows] == ["navy.jpg", "gone.jpg", "retouched.jpg"]
    assert all(r.splitlines()[1].startswith("added ") and " by tester" in r.splitlines()[1] for r in rows)
    assert len(rows[0].splitlines()) == 2  # as enrolled: no problem line
    assert rows[1].splitlines()[2] == "⚠ file missing: left out of the talent's own range"
    assert rows[2].splitlines()[2] == "⚠ file changed since it was added: left out of the talent's own range"
    assert "2 with a file problem" in dialog.summary.text()
    # seen small on the worker: the readable one has its picture, the others a blank of its size
    icons = [dialog.listing.item(r).icon().pixmap(portraitlist.THUMB).toImage() for r in range(3)]
    assert icons[0].pixelColor(24, 30).alpha() == 255 and icons[1].pixelColor(24, 30).alpha() == 0
    # her own range counts the portraits whose files hold: one of three
    panel = window.talent
    qtbot.waitUntil(lambda: panel.enrolment.text().startswith("1 reference portrait: add 1 more"))
    assert "(2 more left out: a file problem, see Portraits…)" in panel.enrolment.text()
    # what was seen is on record (audited), as check_files would have recorded it
    assert {r.id: r.file_problem for r in review.list_references(store, "Grace Hopper")} == {
        kept.id: None, gone.id: "missing", edited.id: "edited"}
    assert sum(r.event == "reference" and r.detail.get("file_problem") is not None
               for r in review.audit_rows(store)) == 2
    assert errors == []
    dialog.close()


def test_removing_a_portrait_asks_first_and_sends_her_analyses_back(window, qtbot, shoot_dirs, tmp_path,
                                                                    monkeypatch):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    session = window.session
    store = session.store
    pid = next(i for i in session.order if session.pairs[i].record.name == "look01")
    review.add_talent(store, "Grace Hopper")
    review.link_talent(store, [pid], "Grace Hopper")
    first, second = _portraits(store, tmp_path / "portraits", "navy.jpg", "uniform.jpg")
    session.workspace.poll()
    window.qactions["analysis.all"].trigger()  # measured against both portraits
    qtbot.waitUntil(lambda: review.get_pair(store, pid).up_to_date and session.pairs[pid].analysed, timeout=90_000)
    wait_idle(window, qtbot)
    window.analysis.auto_analyse = False  # see it stale before it is measured again
    asked: list[tuple[str, str, list[str]]] = []
    answer = [False]

    def confirm(_parent, name, ref, stale):
        asked.append((name, ref.path, stale))
        return answer[0]

    monkeypatch.setattr(portraitlist, "confirm_remove", confirm)
    dialog = _dialog(window, qtbot)
    dialog.listing.setCurrentRow(0)
    dialog.remove_button.click()  # "Keep it": nothing changes
    assert asked == [("Grace Hopper", first.path, ["look01"])]
    assert len(review.list_references(store, "Grace Hopper")) == 2 and review.get_pair(store, pid).stale is None
    answer[0] = True
    dialog.remove_button.click()
    assert [r.id for r in review.list_references(store, "Grace Hopper")] == [second.id]
    assert [r.splitlines()[0] for r in _rows(dialog)] == ["uniform.jpg"]
    # the review layer's rule: the analysis that read it no longer holds, and the window shows it
    assert review.get_pair(store, pid).stale == staleness.PORTRAITS
    assert session.pairs[pid].record.stale == staleness.PORTRAITS
    removal = [r for r in review.audit_rows(store) if r.event == "reference"][-1]
    assert removal.summary == "reference portrait navy.jpg removed from Grace Hopper"
    assert removal.reviewer == "tester"
    # the one left was not measured by anything current: removing it sends nothing back
    dialog.listing.setCurrentRow(0)
    dialog.remove_button.click()
    assert asked[-1] == ("Grace Hopper", second.path, [])
    assert review.list_references(store, "Grace Hopper") == [] and dialog.listing.count() == 0
    assert "no reference portraits in use" in dialog.summary.text()
    dialog.close()


def test_the_confirmation_names_the_pairs_and_enter_keeps_the_portrait(qtbot):
    from datetime import UTC, datetime

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    ref = review.ReferenceRecord(1, 1, "/portraits/navy.jpg", "0" * 64, [0.1], "m", {}, datetime.now(UTC),
                                 "tester", False)
    seen: list[tuple[str, str]] = []

    def look_and_press_enter() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append((box.text(), box.defaultButton().text()))
        box.defaultButton().click()

    QTimer.singleShot(200, look_and_press_enter)
    assert portraitlist.confirm_remove(None, "Grace Hopper", ref, ["look02", "look04"]) is False
    text, default = seen[0]
    assert default == "Keep it"  # Enter never removes
    assert "Remove navy.jpg from Grace Hopper's reference portraits?" in text
    assert "2 pair(s) were measured against it: look02, look04." in text and "cannot be approved" in text

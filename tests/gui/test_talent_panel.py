"""The Talent & consent panel: from no consent to an approval without leaving the app, and a
window that fits a 1280 × 720 laptop screen with every panel open."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.gui import dialogs, talentforms, talentlink


def _open(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None, timeout=10_000)
    return window.session


def test_record_consent_in_the_panel_then_approve(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    pid = session.order[0]  # look01: a faithful twin (pass)
    session.set_current(pid)
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(f"{title}: {text}"))
    panel = window.talent
    window.dock_talent.raise_()
    # the shoot's campaign, then a person, then their consent for it
    monkeypatch.setattr(talentforms, "ask_campaign", lambda _p, _c: "SS27")
    panel.set_campaign()
    assert session.shoot.campaign == "SS27" and "SS27" in panel.campaign.full_text()
    monkeypatch.setattr(talentforms, "ask_person", lambda *_a: ("Grace Hopper", "US Navy"))
    panel.add_person()
    assert panel.selected_person().name == "Grace Hopper"
    assert "no consent" in panel.people.currentItem().text()
    today = date.today()
    release = tmp_path / "grace-hopper-release.pdf"
    release.write_bytes(b"%PDF-1.4\n% signed twin release, Grace Hopper\n")
    stat = release.stat()
    form = talentforms.ConsentForm("C-2026-014", today - timedelta(days=2), today + timedelta(days=60),
                                   ["SS27"], ["web"], release)
    monkeypatch.setattr(talentforms, "ask_consent", lambda *_a: form)
    panel.record_consent()
    assert not errors
    (grace,) = review.list_talent(session.store)
    (consent,) = grace.consents
    assert (consent.contract_ref, consent.campaigns, consent.channels) == ("C-2026-014", ["SS27"], ["web"])
    # the signed release is attached by path and hash; the file itself is not touched
    assert consent.release_path == str(release.resolve())
    assert consent.release_sha256 == hashlib.sha256(release.read_bytes()).hexdigest()
    assert release.stat().st_mtime_ns == stat.st_mtime_ns and release.stat().st_size == stat.st_size
    assert f"release: {release.name}" in panel.consents.item(0).text()
    assert consent.release_sha256 in panel.consents.item(0).toolTip()
    assert panel.consents.item(0).text().startswith("C-2026-014 — valid\n")
    assert "campaigns: SS27 · channels: web" in panel.consents.item(0).text()
    assert f"valid until {today + timedelta(days=60)}" in panel.people.currentItem().text()
    assert "covers 0 of the 0 pair(s)" in panel.coverage_title.text()
    # link the pair (the dialog is answered), approve: the consent now lets it through
    monkeypatch.setattr(talentlink, "ask_link", lambda *_a, **_k: talentlink.LinkChoice("Grace Hopper"))
    monkeypatch.setattr(talentlink, "ask_open_gate", lambda *_a: True)
    window.qactions["pair.talent"].trigger()
    assert "covers 1 of the 1 pair(s)" in panel.coverage_title.text()
    assert panel.coverage.item(0).text() == f"look01 ({session.shoot.name}) — covered"
    # analysed before she was linked, but she has no portraits: nothing it measured changed
    assert session.pairs[pid].record.stale is None and session.pairs[pid].analysed
    window.qactions["decide.approve"].trigger()
    assert not errors
    assert review.decision_history(session.store, pid)[-1].state == "approved"
    events = [r.event for r in review.audit_rows(session.store)]
    assert events.count("consent") == 1 and events.count("talent") >= 2
    # revoke it (kept on record): the next approval is refused and says why
    monkeypatch.setattr(talentforms, "ask_revoke", lambda *_a: "the talent withdrew it")
    panel.revoke()
    assert panel.consents.item(0).text().startswith("C-2026-014 — revoked")
    assert "not covered" in panel.coverage.item(0).text()
    # the approval that rested on it is suspended, and the pair list and the bar say so
    assert session.pairs[pid].record.state == "suspended"
    assert window.bar.state.full_text().startswith("Suspended · not cleared for use")
    assert "consent C-2026-014 of Grace Hopper revoked" in window.bar.state.full_text()
    assert window.statusBar().currentMessage().startswith("1 approval(s) suspended by revoking C-2026-014")
    shown = window.pairs.view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "suspended · not cleared for use" in shown
    window.qactions["decide.clear"].trigger()
    window.qactions["decide.approve"].trigger()
    assert errors and "Consent missing" in errors[-1] and "revoked" in errors[-1]
    assert review.list_talent(session.store)[0].consents[0].revoked


def test_the_window_fits_a_1280_by_720_screen(window, qtbot, shoot_dirs, tmp_path):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    window.analysis.analyse_all()  # the progress widgets are in the status bar too
    window._batch(0, 3)
    window._analysis_progress(session.order[0], 0.4, "face and body landmarks (ONNX models)")
    assert window.minimumSizeHint().width() <= 1280
    assert window.minimumSizeHint().height() <= 720
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280 and window.height() == 720)
    assert window.dock_pairs.isVisible() and window.dock_metrics.isVisible()
    assert window.bar.isVisible() and window.bar.width() <= window.compare.width()
    # the audit trail in its narrow dock: every "What" wraps whole, none is cut to "…"
    window.dock_audit.raise_()
    window.audit.only_pair.setChecked(False)
    qtbot.waitUntil(lambda: window.audit.table.rowCount() > 0)
    table = window.audit.table
    width = table.columnWidth(3) - 8
    for row in range(table.rowCount()):
        text = table.item(row, 3).text()
        needed = table.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
        assert table.rowHeight(row) >= needed.height(), text
    # and "What" lies inside the dock: its wrapped lines ran past the right edge at 1280 × 720
    # ("verdict reviev", "talent Angelina J ha"), behind a horizontal scroll bar
    qtbot.waitUntil(lambda: table.horizontalHeader().length() <= table.viewport().width(), timeout=3000)
    assert table.horizontalScrollBar().maximum() == 0
    assert window.compare.left.width() > 250  # the images keep room of their own


def test_the_consent_form_says_what_is_wrong_and_keeps_what_was_typed(qtbot, tmp_path):
    from PySide6.QtCore import QDate

    dialog = talentforms.ConsentDialog("Grace Hopper", "SS27", releases=True)
    qtbot.addWidget(dialog)
    dialog.campaigns.setText("SS27; FW26")
    dialog.channels.setText("web, print,")
    dialog._accept()
    assert "contract" in dialog.problem.text() and dialog.result() == 0
    dialog.contract.setText("C-7")
    dialog.expires.setDate(QDate(2020, 1, 1))
    dialog._accept()
    assert "ends before it starts" in dialog.problem.text()
    dialog.expires.setDate(QDate(2099, 1, 1))
    dialog._accept()  # a signed release, or a stated reason why there is none
    assert "Attach the signed release, or say why there is none" in dialog.problem.text()
    dialog.why_none.setText("  signed on paper,  scan to follow ")
    dialog._accept()
    assert dialog.result() == 1 and dialog.form().no_release_reason == "signed on paper, scan to follow"
    dialog.setResult(0)
    dialog.release.setText(str(tmp_path / "missing.pdf"))
    dialog._accept()
    assert "not a readable file" in dialog.problem.text()
    release = tmp_path / "release.pdf"
    release.write_bytes(b"%PDF-1.4 signed")
    dialog.release.setText(str(release))
    dialog._accept()
    assert dialog.result() == 1
    form = dialog.form()
    assert (form.contract_ref, form.campaigns, form.channels) == ("C-7", ["SS27", "FW26"], ["web", "print"])
    assert form.expires_on == date(2099, 1, 1) and form.release == release
    assert form.no_release_reason == ""  # a release given: no reason recorded


def test_unticked_reason_boxes_are_visible_on_the_dark_theme(qtbot):
    """The Reject dialog's empty boxes were near-black on dark grey: their outline must stand out."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    from twinproof.gui import theme
    from twinproof.gui.dialogs import ReasonsDialog
    from twinproof.review import Reason

    app = QApplication.instance()
    theme.apply(app)
    dialog = ReasonsDialog("Reject", "look03", [Reason.FACE_ALTERED])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.boxes[Reason.BODY_ALTERED]
    assert not box.isChecked()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    brightest = max(QColor(image.pixel(x, y)).lightness() for x in range(rect.left(), rect.right() + 1)
                    for y in range(rect.top(), rect.bottom() + 1))
    background = QColor(image.pixel(box.width() - 2, 1)).lightness()
    assert brightest - background >= 80


def test_a_reference_portrait_is_read_for_its_face_and_kept_as_a_descriptor(
        window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    from PySide6.QtGui import QColor, QImage

    from tests.conftest import DATA
    from twinproof.gui import portraits

    session = _open(window, qtbot, shoot_dirs, tmp_path)
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(f"{title}: {text}"))
    review.add_talent(session.store, "Grace Hopper")
    session.workspace.poll()
    panel = window.talent
    assert panel.portrait.text() == "no portrait"
    # enrolment says what no portraits cannot show (the words are core.enrolment's)
    assert panel.enrolment.text().startswith("0 reference portraits: add 2 more for the talent's own range")
    assert "a jaw slimmed 10 %" in panel.enrolment.toolTip()
    # a picture with no face is refused in one line, and nothing is stored
    blank = tmp_path / "wall.png"
    wall = QImage(300, 400, QImage.Format.Format_RGB32)
    wall.fill(QColor(200, 190, 180))
    wall.save(str(blank))
    monkeypatch.setattr(portraits, "ask_portrait_files", lambda *_a: [blank])
    panel.add_portrait()
    qtbot.waitUntil(lambda: bool(errors), timeout=60_000)
    assert errors[0].startswith("Portrait not added: wall.png")
    assert review.list_references(session.store, "Grace Hopper") == []
    # her Navy portrait: the face read on a worker, its descriptor kept, the picture shown
    monkeypatch.setattr(portraits, "ask_portrait_files", lambda *_a: [DATA / "grace_hopper.jpg"])
    panel.add_portrait()
    qtbot.waitUntil(lambda: bool(review.list_references(session.store, "Grace Hopper")), timeout=60_000)
    (ref,) = review.list_references(session.store, "Grace Hopper")
    assert ref.sha256 == review.hash_file(DATA / "grace_hopper.jpg") and len(ref.descriptor) == 128
    assert ref.created_by == "tester" and len(errors) == 1
    qtbot.waitUntil(lambda: not panel.portrait.pixmap().isNull())
    assert any(r.event == "reference" for r in review.audit_rows(session.store))
    qtbot.waitUntil(lambda: panel.enrolment.text().startswith("1 reference portrait: add 1 more"))

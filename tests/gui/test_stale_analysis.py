"""The app treats an analysis as stale when the pair was marked a control frame since, or the
linked talent's portraits changed (issue 23): it says why, and measures the pair on screen
again (a real analysis of the sample's look01)."""

from __future__ import annotations

from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.core.analysis import CONTROL_REASON
from twinproof.review import staleness


def test_marked_a_control_frame_since_it_was_analysed_is_said_and_measured_again(window, qtbot, shoot_dirs,
                                                                                 tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    session = window.session
    pid = next(i for i in session.order if session.pairs[i].record.name == "look01")
    session.set_current(pid)
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)
    before = session.pairs[pid].typed
    assert before is not None and before.analysis.mode_reason != CONTROL_REASON
    # another reviewer (or `twinproof shoot control`) marks it: the app follows the record
    window.analysis.auto_analyse = False  # first see what it says, then let it measure again
    review.set_control(session.store, pid, True, session.pairs[pid].record.version)
    session.workspace.poll()
    state = session.pairs[pid]
    assert state.record.stale == staleness.MARKED and not state.analysed
    assert window.metrics.verdict.text().endswith(f"({staleness.MARKED}: re-analysing)")
    from PySide6.QtCore import Qt

    from twinproof.gui.pairlist import ID_ROLE
    proxy = window.pairs.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(ID_ROLE) == pid)
    assert f"analysis stale: {staleness.MARKED}" in proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    # and on the row itself, under "stale" (it said nothing more there)
    from twinproof.gui.pairlist import detail_text
    assert detail_text(state) == staleness.MARKED
    window.analysis.auto_analyse = True
    session.workspace.refresh_pair(pid)  # the record read again while on screen: measured again
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)
    after = session.pairs[pid].typed
    assert after is not None and after.analysis.mode_reason == CONTROL_REASON
    assert "re-analysing" not in window.metrics.verdict.text()


def test_pair_menu_marks_a_control_frame_and_the_pair_is_measured_again(window, qtbot, shoot_dirs, tmp_path):
    from twinproof.gui.actionids import ActionId

    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    session = window.session
    pid = next(i for i in session.order if session.pairs[i].record.name == "look02")
    session.set_current(pid)
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)
    window.qactions[ActionId.PAIR_CONTROL].trigger()
    assert session.pairs[pid].record.control
    assert [r.summary for r in review.audit_rows(session.store) if r.event == "control"] == [
        "look02: marked a control frame"]
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)  # on screen: measured again
    assert session.pairs[pid].typed.analysis.mode_reason == CONTROL_REASON
    window.qactions[ActionId.PAIR_CONTROL].trigger()  # and the mark taken off
    assert not session.pairs[pid].record.control
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)
    assert session.pairs[pid].typed.analysis.mode_reason != CONTROL_REASON

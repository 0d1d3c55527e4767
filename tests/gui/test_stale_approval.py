"""Approving a twin whose analysis went stale behind the window (another reviewer added a
reference portrait of her) is refused with the reason and what to do, nothing is recorded, and the pair on
screen is measured again; approving then works (a real analysis of the sample's look01)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.gui import dialogs
from twinproof.hashing import file_sha256
from twinproof.review import staleness


def test_approving_an_analysis_that_went_stale_behind_the_window_says_why(window, qtbot, shoot_dirs, tmp_path,
                                                                          monkeypatch):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    session = window.session
    pid = next(i for i in session.order if session.pairs[i].record.name == "look01")
    store = session.store
    review.add_talent(store, "Grace Hopper")
    today = date.today()
    review.add_consent(store, "Grace Hopper", contract_ref="C-1", starts_on=today - timedelta(days=1),
                       expires_on=today + timedelta(days=30), no_release_reason="paper original")
    review.link_talent(store, [pid], "Grace Hopper")
    session.refresh(pid)
    session.set_current(pid)
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)  # measured for her
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(f"{title}: {text}"))
    window.analysis.auto_analyse = False  # first the refusal, then the measuring again
    portrait = real / "look01.jpg"  # not polled yet: the window's view is old
    review.add_reference(store, "Grace Hopper", portrait, file_sha256(portrait), [0.1] * 128, "m")
    window.qactions["decide.approve"].trigger()
    assert errors == [
        "Analysis out of date — cannot approve: cannot approve 'look01': its analysis is stale (the talent's "
        "reference portraits changed since it was analysed): analyse the pair again, then approve\n\nThe pair "
        "is measured again while it is on screen (or Pair → Analyse the shoot, Ctrl+R); approve once the new "
        "analysis is shown."]
    assert review.get_pair(store, pid).state == "unreviewed"
    assert session.pairs[pid].record.stale == staleness.PORTRAITS  # the window read the record again
    # the refused attempt is on the record, in the audit dock in words (migration 0010)
    window.dock_audit.show()
    window.audit.refresh()
    events = [window.audit.table.item(r, 2).text() for r in range(window.audit.table.rowCount())]
    assert "refused (stale)" in events and not any("_" in e for e in events), events
    window.analysis.auto_analyse = True
    window.qactions["analysis.all"].trigger()
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)
    window.qactions["decide.approve"].trigger()
    assert len(errors) == 1 and review.get_pair(store, pid).state == "approved"

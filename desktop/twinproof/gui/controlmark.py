"""Pair → Control frame: mark the pair the generator's twin of this very real frame, or take
the mark off (issue 23), as ``twinproof shoot control`` does.

A control is measured as a same frame, so its stored analysis no longer holds once the mark
changes (``review.staleness``): the record says so, the Evidence panel says why beside the
verdict, and the pair on screen is measured again on a worker (``navigation``). The mark goes
through the review layer, which versions and audits it (on PostgreSQL, its rule function).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twinproof import review
from twinproof.gui import dialogs

if TYPE_CHECKING:
    from twinproof.gui.mainwindow import MainWindow


def toggle_control(window: MainWindow) -> None:
    session = window.session
    state = session.current if session is not None else None
    if session is None or state is None or not window.ensure_reviewer():
        return
    mark, store, record = not state.record.control, session.store, state.record
    try:
        session.workspace.write(lambda: review.set_control(store, record.id, mark, record.version),
                                pair_id=record.id)
    except review.ReviewError as exc:
        dialogs.show_error(window, "Control frame not changed", str(exc))
        return
    said = "marked a control frame (measured as a same frame)" if mark else "no longer a control frame"
    window.statusBar().showMessage(f"{record.name}: {said}; analysed again", 10_000)

"""Who made the twin on screen, as the reviewer names it (``review.set_generator``).

The shoot audit groups twins by generator ("are this vendor's twins slimmer?"); the twin's
Content Credentials name it when they survive, and often they do not. The reviewer picks a name
already used in the shoot (so one vendor is not split by a typo) or types a new one; an empty
answer clears it (the credentials, if any, name it again). Set from the Review menu or the pair
list's context menu; a conflict with another reviewer's change is said, nothing overwritten.
The dialog is a module function so tests can answer it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QWidget

from twinproof import review
from twinproof.gui import dialogs

if TYPE_CHECKING:
    from twinproof.gui.mainwindow import MainWindow

CLEAR = "(not named — use the twin's Content Credentials)"


def ask_generator(parent: QWidget | None, pair: str, current: str | None, known: list[str]) -> str | None:
    """The name chosen ("" to clear it), or None when cancelled."""
    options = [current or "", *[k for k in known if k != current], CLEAR]
    label = (f"Who made the twin of {pair} (model or vendor)?\n"
             "The shoot audit groups twins by it (Review → Shoot audit, by generator).")
    text, ok = QInputDialog.getItem(parent, "Generator of the twin", label, options, 0, True)
    if not ok:
        return None
    return "" if text == CLEAR else text.strip()


def known_generators(window: MainWindow) -> list[str]:
    """The names reviewers already gave in this shoot, most used first."""
    session = window.session
    if session is None:
        return []
    counts: dict[str, int] = {}
    for state in session.pairs.values():
        name = state.record.generator
        if name:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def name_generator(window: MainWindow) -> bool:
    """Ask for and record the generator of the pair on screen; True when it changed."""
    session = window.session
    pair = session.current if session else None
    if session is None or pair is None or not window.ensure_reviewer():
        return False
    answer = ask_generator(window, pair.record.name, pair.record.generator, known_generators(window))
    if answer is None or (answer or None) == pair.record.generator:
        return False
    try:
        review.set_generator(session.store, pair.id, answer or None, pair.record.version)
    except review.ConflictError as exc:
        dialogs.show_error(window, "Changed by someone else", str(exc))
        return False
    except review.ReviewError as exc:
        dialogs.show_error(window, "Generator not recorded", str(exc))
        return False
    finally:
        session.refresh(pair.id)
    window.statusBar().showMessage(
        f"{pair.record.name}: generator {'set to ' + answer if answer else 'cleared'}", 5000)
    return True

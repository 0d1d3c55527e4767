"""Keep the window on the screen it opens on, title bar and status bar included.

Why: a new profile opened the window at the screen's full height plus its title bar, so on a
1366 × 768 or 1280 × 720 laptop the status bar (reviewer, progress, Cancel/Resume) was below
the screen until the reviewer maximised; a geometry saved on a larger monitor did the same.
The window's frame (title bar, borders) is only known once a window manager has framed it,
so the fit is made twice: with an allowance before the first show, with the real frame after.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtWidgets import QWidget

#: What a window manager's frame usually takes, until the real one is known.
FRAME_ALLOWANCE = QMargins(2, 34, 2, 2)
#: The size a new profile asks for (it is shrunk to the screen).
PREFERRED = QSize(1500, 920)


def fitted(wanted: QRect, available: QRect, frame: QMargins) -> QRect:
    """The client geometry closest to ``wanted`` whose frame lies inside ``available``."""
    room = available.marginsRemoved(frame)
    width = max(1, min(wanted.width(), room.width()))
    height = max(1, min(wanted.height(), room.height()))
    x = min(max(wanted.x(), room.left()), room.right() + 1 - width)
    y = min(max(wanted.y(), room.top()), room.bottom() + 1 - height)
    return QRect(x, y, width, height)


def frame_of(window: QWidget) -> QMargins:
    """The window's frame as the window manager drew it, or the allowance before that."""
    outer, inner = window.frameGeometry(), window.geometry()
    if not window.isVisible() or outer == inner:
        return FRAME_ALLOWANCE
    return QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                    outer.right() - inner.right(), outer.bottom() - inner.bottom())


def fit(window: QWidget, wanted: QRect | None = None) -> None:
    """Shrink and move ``window`` (or ``wanted``) into its screen's available area."""
    screen = window.screen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    target = fitted(wanted if wanted is not None else window.geometry(), screen.availableGeometry(),
                    frame_of(window))
    if target != window.geometry():
        window.setGeometry(target)


def first_geometry(window: QWidget) -> QRect:
    """Where a window without a saved geometry opens: as large as preferred, centred."""
    screen = window.screen()
    if screen is None:
        return QRect(0, 0, PREFERRED.width(), PREFERRED.height())
    available = screen.availableGeometry()
    size = fitted(QRect(0, 0, PREFERRED.width(), PREFERRED.height()), available, FRAME_ALLOWANCE).size()
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(available.center())
    return fitted(rect, available, FRAME_ALLOWANCE)

"""The workspace's side panels as docks: pairs on the left; evidence, talent & consent,
comments and the audit trail tabbed on the right.

Why tabs and modest minimum widths: the window must fit a 1280 × 720 laptop screen with the
images still the largest thing on it. Each panel can be closed, floated or moved (View menu),
and the right-hand ones share one column instead of each taking its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QTabBar, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

#: Minimum widths (px): enough for the panel's controls; the images take what is left.
PAIRS_MIN = 210
RIGHT_MIN = 290


@dataclass
class Docks:
    pairs: QDockWidget
    right: list[QDockWidget]

    @property
    def all(self) -> list[QDockWidget]:
        return [self.pairs, *self.right]

    def show_workspace(self, window: QMainWindow, on: bool) -> None:
        """Docks show with a shoot; the first right-hand tab (the evidence) comes to the front."""
        for dock in self.all:
            dock.setVisible(on)
        if on:
            for other in self.right[1:]:
                window.tabifyDockWidget(self.right[0], other)
            self.right[0].raise_()
            whole_tab_names(window)


def whole_tab_names(window: QMainWindow) -> None:
    """The dock tabs say their whole name ("Comm…" named nothing): short names, no elision."""
    for bar in window.findChildren(QTabBar):
        bar.setElideMode(Qt.TextElideMode.ElideNone)
        bar.setExpanding(False)


def scrolled(widget: QWidget) -> QScrollArea:
    """The panel in a scroll area: whatever it shows (a long contract name, a consent just
    recorded) can never raise the dock's, hence the window's, minimum size; at worst the panel
    scrolls. Issue 26: recording one consent raised the minimum width from 1180 to 1291 px."""
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or type(widget).__name__}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def dock(window: QMainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea,
         minimum: int) -> QDockWidget:
    d = QDockWidget(title, window)
    d.setObjectName(title)
    d.setWidget(scrolled(widget))
    d.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                  | QDockWidget.DockWidgetFeature.DockWidgetClosable
                  | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, d)
    d.setMinimumWidth(minimum)
    widget.setMinimumWidth(0)
    return d


def build(window: QMainWindow, pairs: QWidget, right: list[tuple[str, QWidget]]) -> Docks:
    left = dock(window, "Pairs", pairs, Qt.DockWidgetArea.LeftDockWidgetArea, PAIRS_MIN)
    docks = [dock(window, title, w, Qt.DockWidgetArea.RightDockWidgetArea, RIGHT_MIN) for title, w in right]
    for other in docks[1:]:
        window.tabifyDockWidget(docks[0], other)
    docks[0].raise_()
    whole_tab_names(window)
    window.resizeDocks([left, docks[0]], [250, 360], Qt.Orientation.Horizontal)
    return Docks(left, docks)

"""The look: a neutral dark palette plus the style sheet in ``resources/style``.

The palette is set as well as the style sheet because dialogs Qt draws itself (file dialogs,
message boxes) read the palette, not the sheet. Every chrome colour is a neutral grey so the
interface never tints how an image's colours are judged.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from twinproof.paths import DataNotFoundError, resource_path

#: Verdict and decision colours, kept muted; the only saturated colours in the chrome.
VERDICT_COLOURS = {
    "pass": "#6fae6f", "review": "#d0a94a", "fail": "#d0605a", None: "#7a7a7a",
}
DECISION_COLOURS = {
    "approved": "#6fae6f", "approved_with_changes": "#8fae6f", "changes_requested": "#d0a94a",
    "rejected": "#d0605a", "unreviewed": "#7a7a7a", "suspended": "#b07cc6",
}


def decision_text(state: str) -> str:
    """A decision state in words for the pair list and the decision bar; a suspended approval
    (its consent was revoked) says the twin may not be used, as every export does."""
    return "suspended · not cleared for use" if state == "suspended" else state.replace("_", " ")


CANVAS_GREY = QColor(59, 59, 59)


def palette() -> QPalette:
    pal = QPalette()
    grey = {
        QPalette.ColorRole.Window: 42, QPalette.ColorRole.Base: 35,
        QPalette.ColorRole.AlternateBase: 39, QPalette.ColorRole.Button: 56,
        QPalette.ColorRole.ToolTipBase: 17, QPalette.ColorRole.Highlight: 92,
        QPalette.ColorRole.Mid: 70, QPalette.ColorRole.Dark: 30, QPalette.ColorRole.Shadow: 20,
    }
    for role, v in grey.items():
        pal.setColor(role, QColor(v, v, v))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.ToolTipText,
                 QPalette.ColorRole.HighlightedText, QPalette.ColorRole.BrightText):
        pal.setColor(role, QColor(222, 222, 222))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor(130, 130, 130))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(120, 120, 120))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(120, 120, 120))
    return pal


def style_sheet() -> str:
    """The style sheet text, or "" when the resources are missing (the palette still applies).
    ``@ICONS@`` becomes the icons folder (Qt resolves a sheet's url() against the working
    folder, not the sheet's)."""
    try:
        text = resource_path("style", "twinproof.qss").read_text(encoding="utf-8")
        icons = resource_path("icons").as_posix()
    except (OSError, DataNotFoundError):
        return ""
    return text.replace("@ICONS@", icons)


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(palette())
    app.setStyleSheet(style_sheet())

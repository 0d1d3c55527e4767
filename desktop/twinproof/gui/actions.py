"""Every command of the app, its keys and its menu, in one registry (Picard's ``@add_action``).

MainWindow builds QActions from ``REGISTRY`` and the menus from each spec's ``menu``; the
shortcuts dialog lists the same specs, so a key can never be bound without being documented.
Handlers are plain functions of the window; the keys follow what culling users' hands know
(Lightroom: P pick, X reject, U unflag, 1-5 stars, Z zoom).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from twinproof.gui.actionids import ActionId
from twinproof.gui.controlmark import toggle_control
from twinproof.gui.viewmodel import Heat, Mode
from twinproof.review import DecisionState

if TYPE_CHECKING:
    from twinproof.gui.mainwindow import MainWindow

Handler = Callable[["MainWindow"], object]
MENUS = ("File", "Edit", "Review", "Pair", "View", "Tools", "Help")


@dataclass(frozen=True)
class Spec:
    id: ActionId
    text: str
    keys: tuple[str, ...]
    menu: str
    handler: Handler
    checkable: bool = False
    tip: str = ""
    short: str = ""


REGISTRY: dict[ActionId, Spec] = {}


def add_action(id: ActionId | str, text: str, keys: tuple[str, ...] = (), menu: str = "View", *,
               checkable: bool = False, tip: str = "", short: str = "") -> Callable[[Handler], Handler]:
    key = ActionId(id)  # an id that is not in the Enum fails here, at import

    def register(fn: Handler) -> Handler:
        REGISTRY[key] = Spec(key, text, keys, menu, fn, checkable, tip or text, short)
        return fn
    return register


def build(window: MainWindow) -> dict[ActionId, QAction]:
    actions: dict[ActionId, QAction] = {}
    for spec in REGISTRY.values():
        action = QAction(spec.text, window)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setCheckable(spec.checkable)
        if spec.short:
            action.setIconText(spec.short)
        keys = ", ".join(spec.keys)
        action.setToolTip(f"{spec.tip} ({keys})" if keys else spec.tip)
        action.triggered.connect(lambda _checked=False, s=spec: s.handler(window))
        window.addAction(action)  # keys work even while the menu bar is hidden
        actions[spec.id] = action
    return actions


def _needs_pair(window: MainWindow) -> bool:
    return window.session is not None and window.session.current is not None


# -- File -----------------------------------------------------------------------------------
add_action("file.import", "Import shoot…", ("Ctrl+I",), "File")(lambda w: w.import_dialog())
add_action("file.open", "Open shoot…", ("Ctrl+O",), "File")(lambda w: w.open_dialog())
add_action("file.open_team", "Open team database…", (), "File")(lambda w: w.open_team_database())
add_action("file.sample", "Open the sample shoot", (), "File")(lambda w: w.open_sample())
add_action("file.close", "Close shoot", ("Ctrl+W",), "File")(lambda w: w.close_shoot())


def _export(window: MainWindow) -> None:
    from twinproof.gui.exporting import export_shoot

    export_shoot(window)


add_action("file.export", "Export sheets, data and sidecars…", ("Ctrl+E",), "File",
           tip="Comparison sheets (PDF), CSV/JSON data, the audit trail and XMP sidecars")(_export)
add_action("file.reviewer", "Reviewer name…", (), "File")(lambda w: w.set_reviewer())


@add_action(ActionId.SHOOT_AUDIT, "Shoot audit: drift across the twins…", (), "Review",
            tip="Is there a systematic pull across this shoot's twins (slimmer, lighter, larger eyes)?")
def _shoot_audit(window: MainWindow) -> None:
    from twinproof.gui.shootaudit import show_shoot_audit

    show_shoot_audit(window)

add_action("file.quit", "Quit", ("Ctrl+Q",), "File")(lambda w: w.close())

# -- Review (decisions) ------------------------------------------------------------------------
def _decide(window: MainWindow, state: DecisionState) -> None:
    window.decider.decide(state)


def _rate(window: MainWindow, stars: int) -> None:
    window.decider.rate(stars)


def _link_talent(window: MainWindow) -> None:
    window.decider.link_talent()


for _id, _text, _key, _state in (
    ("decide.approve", "Approve", "P", DecisionState.APPROVED),
    ("decide.changes", "Request changes…", "C", DecisionState.CHANGES_REQUESTED),
    ("decide.reject", "Reject…", "X", DecisionState.REJECTED),
    ("decide.clear", "Clear decision", "U", DecisionState.UNREVIEWED),
):
    add_action(_id, _text, (_key,), "Review")(partial(_decide, state=_state))
for _n in range(1, 6):
    add_action(f"rate.{_n}", f"Rate {_n} star{'s' if _n > 1 else ''}", (str(_n),), "Review")(
        partial(_rate, stars=_n))
add_action("pair.talent", "Talent…", ("T",), "Review",
           tip="Say who the real person is; shows their consent")(_link_talent)


@add_action(ActionId.PAIR_GENERATOR, "Generator of the twin…", (), "Review",
            tip="Name the model or vendor that made this twin (the shoot audit groups by it)")
def _name_generator(window: MainWindow) -> None:
    from twinproof.gui.generatorfield import name_generator

    name_generator(window)

# -- Pair (navigation, analysis) ----------------------------------------------------------------
add_action("pair.next", "Next pair", ("Right", "J", "Down"), "Pair")(lambda w: w.step(1))
add_action("pair.previous", "Previous pair", ("Left", "K", "Up"), "Pair")(lambda w: w.step(-1))
add_action("pair.first", "First pair", ("Home",), "Pair")(lambda w: w.step(-10**6))
add_action("pair.last", "Last pair", ("End",), "Pair")(lambda w: w.step(10**6))
add_action("analysis.all", "Analyse the shoot", ("Ctrl+R",), "Pair")(lambda w: w.analyse_all())
add_action("analysis.cancel", "Cancel analysis", ("Ctrl+.",), "Pair")(lambda w: w.cancel_analysis())
add_action("pair.align", "Nudge alignment…", ("Shift+A",), "Pair")(lambda w: w.nudge_alignment())
add_action("pair.make", "Make a pair from two files…", (), "Pair")(lambda w: w.make_pair_by_hand())
add_action("pair.break", "Break this pair", (), "Pair")(lambda w: w.break_pair())
add_action("pair.control", "Mark or unmark as a control frame", (), "Pair",
           tip="A control frame: the generator's twin of this very real frame, measured as a same frame; "
               "its changes are the generator's own bias")(lambda w: toggle_control(w))


# -- View ------------------------------------------------------------------------------------
def _mode(window: MainWindow, mode: Mode) -> None:
    model = window.compare.model
    model.set_mode(Mode.TWO_UP if model.mode is mode and mode is not Mode.TWO_UP else mode)


add_action("mode.two_up", "2-up (side by side)", (), "View", checkable=True, short="2-up")(
    lambda w: _mode(w, Mode.TWO_UP))
add_action("mode.swipe", "Swipe / 2-up", ("Space",), "View", checkable=True, short="Swipe")(
    lambda w: w.compare.model.set_mode(Mode.SWIPE if w.compare.model.mode is not Mode.SWIPE else Mode.TWO_UP))
add_action("mode.onion", "Onion skin", ("Shift+O",), "View", checkable=True, short="Onion")(
    lambda w: _mode(w, Mode.ONION))
add_action("mode.blink", "Blink", ("B",), "View", checkable=True)(lambda w: _mode(w, Mode.BLINK))
add_action("mode.difference", "Difference", ("D",), "View", checkable=True, short="Diff")(
    lambda w: _mode(w, Mode.DIFFERENCE))
add_action("view.gain_up", "Difference gain up (× 2)", ("]",), "View")(lambda w: w.gain.step(2))
add_action("view.gain_down", "Difference gain down (÷ 2)", ("[",), "View")(lambda w: w.gain.step(0.5))


def _toggle(window: MainWindow, attr: str) -> None:
    model = window.compare.model
    setattr(model, attr, not getattr(model, attr))
    model.touch()
    window.sync_checks()


def _cycle_heat(window: MainWindow) -> None:
    model = window.compare.model
    order = [Heat.NONE, Heat.SSIM, Heat.DELTA_E]
    model.heat = order[(order.index(model.heat) + 1) % len(order)]
    model.overlays_visible = True
    model.touch()
    window.sync_checks()


def _set_heat(window: MainWindow, heat: Heat) -> None:
    model = window.compare.model
    model.heat = Heat.NONE if model.heat is heat else heat
    model.overlays_visible = True
    model.touch()
    window.sync_checks()


add_action("view.overlays", "Show overlays", ("O",), "View", checkable=True,
           short="Overlays")(
    lambda w: _toggle(w, "overlays_visible"))
add_action("view.heat", "Next heat map (none / SSIM / ΔE)", ("H",), "View")(_cycle_heat)
add_action("view.heat_ssim", "SSIM heat map", (), "View", checkable=True, short="SSIM")(
    lambda w: _set_heat(w, Heat.SSIM))
add_action("view.heat_de", "ΔE heat map", (), "View", checkable=True, short="ΔE")(
    lambda w: _set_heat(w, Heat.DELTA_E))
add_action("view.landmarks", "Landmarks (face mesh, skeleton)", ("L",), "View", checkable=True,
           short="Landmarks")(
    lambda w: _toggle(w, "landmarks"))
add_action("view.aligned", "Aligned (off: as delivered)", ("A",), "View", checkable=True,
           short="Aligned")(
    lambda w: _toggle(w, "aligned"))


def _faces(window: MainWindow) -> None:
    """The faces view on or off. It stays off, saying why, for a pair without both faces."""
    model = window.compare.model
    if model.faces:
        model.set_faces(False)
    elif isinstance(model.shown.faces, str):
        window.statusBar().showMessage(f"No faces view for this pair: {model.shown.faces}", 10000)
    else:
        model.set_faces(True)
    window.sync_checks()


add_action("view.faces", "Faces (both faces aligned: eyes level, same eye distance)", ("Shift+F",), "View",
           checkable=True, short="Faces",
           tip="Crop both faces and align them to one frame, so every compare mode compares the faces "
               "(also across a new shot)")(_faces)


def _freeze(window: MainWindow) -> None:
    window.compare.toggle_reference()
    window.sync_checks()


def _pan(window: MainWindow, dx: int, dy: int) -> None:
    window.compare.model.pan_by(dx * 120, dy * 120)


def _tool(window: MainWindow, tool: str) -> None:
    window.tools.set_tool(tool)
    window.sync_checks()


add_action("view.freeze", "Freeze left pane as reference", ("F",), "View", checkable=True,
           short="Freeze")(_freeze)
add_action("zoom.toggle", "Fit / 100%", ("Z",), "View")(
    lambda w: w.compare.actual_pixels() if w.compare.model.fitted else w.compare.fit())
add_action("zoom.fit", "Fit", ("Ctrl+0",), "View", short="Fit")(lambda w: w.compare.fit())
add_action("zoom.actual", "100%", ("Ctrl+1",), "View")(lambda w: w.compare.actual_pixels())
add_action("zoom.in", "Zoom in", ("=", "+", "Ctrl+="), "View")(lambda w: w.zoom(1.25))
add_action("zoom.out", "Zoom out", ("-", "Ctrl+-"), "View")(lambda w: w.zoom(0.8))
for _id, _text, _key, _dx, _dy in (("pan.left", "Pan left", "Shift+Left", 1, 0),
                                  ("pan.right", "Pan right", "Shift+Right", -1, 0),
                                  ("pan.up", "Pan up", "Shift+Up", 0, 1),
                                  ("pan.down", "Pan down", "Shift+Down", 0, -1)):
    add_action(_id, _text, (_key,), "View")(partial(_pan, dx=_dx, dy=_dy))

# -- Tools and Edit --------------------------------------------------------------------------
for _name, _text, _key, _short in (
        ("select", "Select / move / pan", "V", "Select"), ("zoom", "Zoom to region", "Shift+Z", "Zoom box"),
        ("rectangle", "Rectangle", "R", "Rect"), ("ellipse", "Ellipse", "E", "Ellipse"),
        ("arrow", "Arrow", "W", "Arrow"), ("freehand", "Freehand", "G", "Draw"),
        ("pin", "Pin with comment", "I", "Pin")):
    add_action(f"tool.{_name}", _text, (_key,), "Tools", checkable=True, short=_short)(
        partial(_tool, tool=_name))
add_action("edit.delete", "Delete selected mark", ("Delete", "Backspace"), "Edit")(
    lambda w: w.tools.delete_selected() and None)
add_action("help.shortcuts", "Keyboard shortcuts", ("F1", "?"), "Help")(lambda w: w.show_shortcuts())


def _glossary(window: MainWindow) -> None:
    from twinproof.gui.glossary import show_glossary

    show_glossary(window)


add_action("help.glossary", "Glossary (what SSIM, ΔE00, ITA… mean)", (), "Help",
           tip="Every technical term of the evidence and the sheet, in a sentence")(_glossary)


def checked_state(window: MainWindow) -> dict[str, bool]:
    """What each checkable action should show (menus follow the model)."""
    m = window.compare.model
    return {
        "view.overlays": m.overlays_visible, "view.heat_ssim": m.heat is Heat.SSIM,
        "view.heat_de": m.heat is Heat.DELTA_E, "view.landmarks": m.landmarks,
        # aligned as shown: a new shot (nothing to align) or the faces view is never "aligned"
        "view.aligned": m.aligned and m.shown.registration is not None and m.face_frame is None,
        "view.freeze": m.reference is not None,
        "view.faces": m.face_frame is not None,
        "mode.two_up": m.mode is Mode.TWO_UP, "mode.swipe": m.mode is Mode.SWIPE,
        "mode.onion": m.mode is Mode.ONION, "mode.blink": m.mode is Mode.BLINK,
        "mode.difference": m.mode is Mode.DIFFERENCE,
        **{f"tool.{t}": window.tools.tool == t for t in
           ("select", "zoom", "rectangle", "ellipse", "arrow", "freehand", "pin")},
    }


def enabled_state(window: MainWindow) -> dict[str, bool]:
    """Commands that mean nothing for the pair on screen: a new shot has no heat maps and
    nothing to align; the faces view replaces the alignment."""
    m = window.compare.model
    no_maps = m.shown.new_shot
    return {"view.heat_ssim": not no_maps, "view.heat_de": not no_maps, "view.heat": not no_maps,
            "view.aligned": not m.shown.new_shot and m.face_frame is None}


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu, command, keys) for the shortcuts dialog and docs/gui.md."""
    extra = [("Edit", "Undo", "Ctrl+Z"), ("Edit", "Redo", "Ctrl+Shift+Z"),
             ("View", "Zoom (mouse)", "wheel / pinch; trackpad scroll pans; drag pans")]
    rows = [(s.menu, s.text, ", ".join(s.keys)) for s in REGISTRY.values()]
    return sorted(rows + extra, key=lambda r: MENUS.index(r[0]))

"""One pair's page: the pair side by side, the maps, then the evidence column.

Layout: the two images take the most room (what an art director looks at first); the maps
sit under them; the right column (landscape) or lower right (portrait) flows the decision,
consent, provenance, metrics, flags, crops and the numbered notes as blocks. A block that
does not fit moves to a continuation page with the same header and disclosure, so a long
comment thread costs a page, never the layout.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinproof.core.heat_scale import SCALES
from twinproof.core.landmarks.topology import FACE_OUTLINE_EDGES
from twinproof.core.policy import Policy
from twinproof.core.result import Mode
from twinproof.export import evidence
from twinproof.export.images import Embeddable, heat_png, legend_png
from twinproof.export.pdf_base import MUTED, PANEL, SheetPDF
from twinproof.export.pdf_blocks import info_blocks
from twinproof.export.pdf_draw import (
    draw_annotations,
    draw_real,
    draw_twin,
    fit_view,
    frame,
)
from twinproof.export.provenance import twin_disclosure
from twinproof.export.records import DECISION_WORDS, PairExport

Block = tuple[float, Callable[[float, float], None]]  # (height, draw(x, y)) at a fixed width


@dataclass
class PairPage:
    item: PairExport
    real: Embeddable
    twin: Embeddable
    matrix: np.ndarray
    policy: Policy
    policy_note: str = ""
    maps: dict[str, np.ndarray] | None = None
    provenance: dict[str, Any] | None = None
    crops: list[evidence.Region] = field(default_factory=list)
    #: The real's and the twin's aligned face chips (identity), when the analysis has them.
    faces: tuple[np.ndarray, np.ndarray] | None = None


def disclosure(name: str | None) -> str:
    return f"Right: {twin_disclosure(name)}"


def header(pdf: SheetPDF, page: PairPage, continued: bool = False) -> float:
    item = page.item
    x, y, w = pdf.l_margin, pdf.t_margin, pdf.epw
    shoot = item.shoot
    where = " · ".join(s for s in (shoot.name if shoot else "", f"campaign {shoot.campaign}"
                                   if shoot and shoot.campaign else "") if s)
    pdf.text_at(x, y, w * 0.6, "TWINPROOF · DIGITAL TWIN COMPARISON SHEET", 7, True, MUTED)
    pdf.text_at(x + w * 0.4, y, w * 0.6, where, 7, False, MUTED, "R")
    name = item.pair.name + (" (continued)" if continued else "")
    pdf.text_at(x, y + 4.5, w * 0.55, name, 15, True)
    pdf.font(15, True)
    bx = x + min(pdf.get_string_width(pdf.clean(name)), w * 0.55) + 4
    bx += pdf.badge(bx, y + 5.4, DECISION_WORDS.get(item.state, item.state).upper(), item.state) + 2
    pdf.badge(bx, y + 5.4, f"VERDICT {item.verdict.upper()}", item.verdict)
    pdf.rule(x, y + 13, w)
    return y + 16


def _images(pdf: SheetPDF, page: PairPage, x: float, y: float, w: float, h: float) -> None:
    gap, cap = 4.0, 4.2
    pw = (w - gap) / 2
    size = (page.real.width, page.real.height)
    name = page.item.talent_name or "the model"
    titles = ("REAL PHOTOGRAPH · digital capture", f"AI-GENERATED DIGITAL TWIN of {name}")
    shot = new_shot(page)
    for i in range(2):
        px = x + i * (pw + gap)
        pdf.text_at(px, y, pw, titles[i], 7, True, (215, 0, 21) if i else MUTED)
        box = (px, y + cap, pw, h - 2 * cap - 1)
        if i == 1 and shot:  # another shot: the twin as delivered, in its own frame
            view = fit_view(box, (page.twin.width, page.twin.height))
            draw_real(pdf, view, page.twin)
        else:
            view = fit_view(box, size)
            if i == 0:
                draw_real(pdf, view, page.real)
            else:
                draw_twin(pdf, view, page.twin, page.matrix)
            draw_annotations(pdf, view, page.item.annotations)
        frame(pdf, view)
        img = page.real if i == 0 else page.twin
        path = page.item.pair.real_path if i == 0 else page.item.pair.twin_path
        note = f"{path.rsplit('/', 1)[-1]} · {img.width}×{img.height} px"
        note += ("" if not i else " · as delivered (a new shot)" if shot
                 else " · aligned to the real frame" if page.item.analysis_result is not None
                 else " · not analysed: stretched over the real frame, not aligned")
        note += "" if img.original else f" · {img.note}"
        pdf.text_at(px, view.clip[1] + view.clip[3] + 1, pw, note, 6.5, False, MUTED)


def new_shot(page: PairPage) -> bool:
    """The pair was compared person to person: nothing of the twin lies in the real's frame."""
    result = page.item.analysis_result
    return result is not None and result.mode is Mode.NEW_SHOT


def _map_panel(pdf: SheetPDF, page: PairPage, box: tuple[float, float, float, float],
               kind: str) -> None:
    x, y, w, h = box
    titles = {"ssim": "Structure: 1 − SSIM", "delta_e": "Colour: ΔE00",
              "landmarks": "Landmarks: real ● twin ●"}
    pdf.text_at(x, y, w, titles[kind], 6.5, True, MUTED)
    size = (page.real.width, page.real.height)
    view = fit_view((x, y + 3.5, w, h - 8), size)
    vx, vy, vw, vh = view.clip
    maps = page.maps or {}
    shot = new_shot(page)
    if page.item.analysis_result is None:  # never analysed (or unreadable): say that, nothing else
        pdf.set_fill_color(*PANEL)
        pdf.rect(vx, vy, vw, vh, style="F")
        pdf.para(vx + 2, vy + vh / 2 - 3, vw - 4, "not analysed" if page.item.analysis is None
                 else "the stored analysis cannot be read", 6.5, colour=MUTED)
        return
    if shot and kind != "landmarks":
        pdf.set_fill_color(*PANEL)
        pdf.rect(vx, vy, vw, vh, style="F")
        pdf.para(vx + 2, vy + vh / 2 - 4, vw - 4, "not applicable: a new shot is compared person to person, "
                 "not pixel to pixel", 6.5, colour=MUTED)
        return
    if kind == "landmarks":
        draw_real(pdf, view, page.real)
        with pdf.local_context(fill_opacity=0.55):
            pdf.set_fill_color(255, 255, 255)
            pdf.rect(vx, vy, vw, vh, style="F")
        # the face as outlines (its 468 points as dots would bury the change), the body as dots
        real_face, twin_face = evidence.face_meshes(page.item.analysis_result)
        real_pts, twin_pts = evidence.body_points(page.item.analysis_result)
        if shot:  # the twin's points are in its own frame: the real's alone here
            twin_face, twin_pts = [], []
        if not real_pts and not twin_pts and not real_face:
            pdf.text_at(vx, vy + vh + 1, vw, "not measured in this analysis", 5.5, False, MUTED)
        with pdf.rect_clip(vx, vy, vw, vh):
            # the twin's outline under the real one, wider, so both stay visible where they agree
            for pts, face, rgb, width in ((twin_pts, twin_face, (191, 0, 160), 0.32),
                                          (real_pts, real_face, (36, 138, 61), 0.14)):
                pdf.set_fill_color(*rgb)
                pdf.set_draw_color(*rgb)
                pdf.set_line_width(width)
                for a, b in FACE_OUTLINE_EDGES if face else ():
                    (ax, ay), (bx, by) = face[a], face[b]
                    if all(math.isfinite(v) for v in (ax, ay, bx, by)):
                        pdf.line(*view.page(ax, ay), *view.page(bx, by))
                for px, py in pts:
                    if 0 <= px <= size[0] and 0 <= py <= size[1]:
                        cx, cy = view.page(px, py)
                        pdf.circle(cx, cy, 0.35, style="F")
        frame(pdf, view)
        return
    if kind not in maps:
        pdf.set_fill_color(*PANEL)
        pdf.rect(vx, vy, vw, vh, style="F")
        pdf.para(vx + 2, vy + vh / 2 - 3, vw - 4, "map not computed for this export", 6.5,
                 colour=MUTED)
        return
    scale = SCALES[kind]  # the app's scale: a colour means the same on paper as on screen
    pdf.image(heat_png(kind, maps[kind]), vx, vy, vw, vh)
    frame(pdf, view)
    pdf.image(legend_png(), vx, vy + vh + 1, vw, 1.4)
    pdf.text_at(vx, vy + vh + 2.6, vw / 2, scale.low_words, 5.5, False, MUTED)
    pdf.text_at(vx + vw / 2, vy + vh + 2.6, vw / 2, scale.high_words, 5.5, False, MUTED, "R")


def _maps_row(pdf: SheetPDF, page: PairPage, x: float, y: float, w: float, h: float) -> None:
    gap = 3.0
    pw = (w - 2 * gap) / 3
    for i, kind in enumerate(("ssim", "delta_e", "landmarks")):
        _map_panel(pdf, page, (x + i * (pw + gap), y, pw, h), kind)


def render_pair(pdf: SheetPDF, page: PairPage) -> None:
    """Add the pair's page (and continuation pages if its notes need them)."""
    size = (page.real.width, page.real.height)
    page.crops = evidence.regions(page.item, page.maps, size)
    pdf.add_page()  # the previous page's footer is drawn here, with its own disclosure
    pdf.disclosure = disclosure(page.item.talent_name)
    top = header(pdf, page)
    bottom = pdf.h - 14
    x, w = pdf.l_margin, pdf.epw
    if pdf.w > pdf.h:
        left = w * 0.58
        pane_w = (left - 4) / 2
        img_h = min(bottom - top - 47, pane_w * page.real.height / page.real.width + 10)
        _images(pdf, page, x, top, left, img_h)
        maps_h = min(60.0, bottom - top - img_h - 3)
        _maps_row(pdf, page, x, top + img_h + 3, left, maps_h)
        cols = [(x + left + 6, top, w - left - 6, bottom)]
    else:
        pane_w = (w - 4) / 2  # square or landscape images need less height than portraits
        img_h = min((bottom - top) * 0.42, pane_w * page.real.height / page.real.width + 10)
        _images(pdf, page, x, top, w, img_h)
        maps_h = 40.0
        _maps_row(pdf, page, x, top + img_h + 2, w, maps_h)
        half = (w - 6) / 2
        y0 = top + img_h + maps_h + 5
        cols = [(x, y0, half, bottom), (x + half + 6, y0, half, bottom)]
    _flow(pdf, page, info_blocks(pdf, page, cols[0][2]), cols)


GAPS = (2.5, 1.6, 0.8)  # mm between blocks: the usual, then tighter before a new page


def fits_one_page(heights: list[float], cols: list[tuple[float, float, float, float]], gap: float) -> bool:
    """Whether first fit places every block on this page with ``gap`` between blocks."""
    cursor = [c[1] for c in cols]
    for height in heights:
        spot = next((i for i, c in enumerate(cols) if cursor[i] + height <= c[3]), None)
        if spot is None:
            return False
        cursor[spot] += height + gap
    return True


def _flow(pdf: SheetPDF, page: PairPage, blocks: list[Block],
          cols: list[tuple[float, float, float, float]]) -> None:
    """Each block into the first column of the page with room for it (first fit), else a
    continuation page whose columns run full height. A block taller than a whole column
    goes into an empty one of a continuation page (its text was capped, so it ends there). When tighter
    spacing keeps everything on the page, it is used: a continuation page for one line (the
    "no Content Credentials" note) wasted a sheet."""
    heights = [h for h, _draw in blocks]
    gap = next((g for g in GAPS if fits_one_page(heights, cols, g)), GAPS[0])
    cursor = [c[1] for c in cols]
    continued = False
    for height, draw in blocks:
        spot = next((i for i, c in enumerate(cols) if cursor[i] + height <= c[3]), None)
        if spot is None and continued:
            # only a full-height column may take a block taller than itself: under the first
            # page's pictures a new shot's measurements and their reasons ran into the footer
            spot = next((i for i, c in enumerate(cols) if cursor[i] <= c[1] + 0.01), None)
        if spot is None:
            continued = True
            pdf.add_page()
            top = header(pdf, page, continued=True)
            cw, bottom = cols[0][2], cols[0][3]
            n = max(1, int((pdf.epw + 6) // (cw + 6)))
            cols = [(pdf.l_margin + i * (cw + 6), top, cw, bottom) for i in range(n)]
            cursor = [top] * n
            spot = 0
        draw(cols[spot][0], cursor[spot])
        cursor[spot] += height + gap

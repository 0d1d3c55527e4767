"""The sheet's shoot-audit page: is there a pull across the shoot's twins?

After the cover: the headline in words, then one small plot per audited measurement (each
pair a dot with its uncertainty, the median inside its 95 % interval, zero marked) with its
numbers beside it, then the differences between skin-tone groups. Drawn with fpdf2 from the
same primitives the app draws (``core.drift.plot``), so the two pictures cannot disagree.
"""

from __future__ import annotations

from twinproof.core.drift import AuditSettings, Drift, DriftAudit
from twinproof.core.drift.plot import Dot, Label, Line, Rect, Shape, plot_shapes
from twinproof.core.drift.words import (
    counts,
    drift_sentence,
    headline,
    interval,
    measure_note,
    number,
    p_text,
    summary,
)
from twinproof.export.pdf_base import HAIR, INK, MUTED, STATE_COLOURS, SheetPDF
from twinproof.review.db import ReviewStore

PT_MM = 0.3528
DISCLOSURE = "Shoot audit of AI-generated digital twins of real people, from TwinProof's stored analyses"
METHOD = ("How to read it: each dot is one pair's change (twin against real), with its uncertainty as a bar "
          "(squares: control frames, twins of the very real frame); the band is the 95 % interval of the "
          "weighted median (the line); the dashed line is no change. A drift is called systematic when a "
          "weighted sign test, Holm-corrected across all measurements, stays under the error rate and the "
          "median is at least the policy's smallest effect worth reporting.")


def draw(pdf: SheetPDF, shapes: list[Shape], x: float, y: float) -> None:
    for s in shapes:
        if isinstance(s, Rect):
            pdf.set_fill_color(*s.fill)
            pdf.rect(x + s.x, y + s.y, s.w, s.h, style="F")
        elif isinstance(s, Line):
            pdf.set_draw_color(*s.colour)
            pdf.set_line_width(s.width)
            if s.dashed:
                pdf.set_dash_pattern(dash=0.8, gap=0.6)
            pdf.line(x + s.x0, y + s.y0, x + s.x1, y + s.y1)
            if s.dashed:
                pdf.set_dash_pattern()
        elif isinstance(s, Dot):
            pdf.set_draw_color(*s.colour)
            pdf.set_fill_color(*s.colour)
            pdf.set_line_width(0.2)
            style = "D" if s.hollow else "F"
            if s.square:
                pdf.rect(x + s.x - s.r, y + s.y - s.r, 2 * s.r, 2 * s.r, style=style)
            else:
                pdf.circle(x + s.x, y + s.y, s.r, style=style)
        elif isinstance(s, Label):
            w = 30.0
            left = {"left": x + s.x, "center": x + s.x - w / 2, "right": x + s.x - w}[s.align]
            pdf.text_at(left, y + s.y, w, s.text, s.size, False, s.colour, s.align[0].upper())


def _panel(pdf: SheetPDF, d: Drift, x: float, y: float, w: float, h: float) -> None:
    a, t = d.audited, d.test
    tone = STATE_COLOURS["fail"] if d.systematic else INK
    pdf.text_at(x, y, w * 0.6, a.label, 8.5, True, tone)
    right = "SYSTEMATIC" if d.systematic else f"n = {t.n}"
    pdf.text_at(x + w * 0.6, y, w * 0.4, right, 7.5, d.systematic, tone, "R")
    line = f"{number(t.median, a)} ({interval(t.ci95, a)}) · {counts(d)}"
    pdf.text_at(x, y + 4.2, w, line, 7.2, False, INK)
    pdf.text_at(x, y + 7.6, w, f"smallest drift it could show ±{number(d.smallest_detectable, a, signed=False)}"
                f" · Holm p {p_text(d.p_adjusted)} · uncertainty {d.uncertainty_source}", 6.5, False, MUTED)
    note = measure_note(d)  # the jaw in edit-equivalent % (identity model) is not the mesh's %: say which
    if note:
        pdf.text_at(x, y + 10.6, w, note, 6.5, False, MUTED)
    top = 14.5 if note else 11.5
    draw(pdf, plot_shapes(d, w, h - top - 1.0, PT_MM, 7.0), x, y + top)


def render_audit(pdf: SheetPDF, audit: DriftAudit, shoot: str) -> None:
    """One page (two when many measurements are audited) for a shoot's audit."""
    tested = [d for d in audit.drifts if d.tested]
    ordered = sorted(tested, key=lambda d: (not d.systematic, d.test.p_value))
    per_page = 12
    chunks = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    for n, chunk in enumerate(chunks):
        pdf.next_section = f"Shoot audit: {shoot}" if n == 0 else None
        pdf.add_page()
        pdf.disclosure = DISCLOSURE
        x, y, w = pdf.l_margin, pdf.t_margin, pdf.epw
        pdf.text_at(x, y, w, "SHOOT AUDIT" + (" (continued)" if n else ""), 7, True, MUTED)
        pdf.text_at(x, y + 4, w, f"{shoot}: drift across {audit.pairs} analysed pair(s)", 15, True)
        y += 11
        if n == 0:
            colour = STATE_COLOURS["fail"] if audit.systematic else STATE_COLOURS["pass"]
            y = pdf.para(x, y, w, headline(audit), 9, True, colour, limit=None) + 1.5
            y = pdf.para(x, y, w, METHOD, 6.8, False, MUTED, limit=None) + 2
        cols, gap = 2, 6.0
        pw = (w - gap) / cols
        ph = min(44.0, (pdf.h - 16 - y - (26 if n == len(chunks) - 1 else 0)) / max(1, (len(chunk) + 1) // 2))
        for i, d in enumerate(chunk):
            px, py = x + (i % cols) * (pw + gap), y + (i // cols) * ph
            _panel(pdf, d, px, py, pw, ph - 3)
        y += ((len(chunk) + 1) // 2) * ph
        if n == len(chunks) - 1:
            _footnotes(pdf, audit, x, y, w)


def _footnotes(pdf: SheetPDF, audit: DriftAudit, x: float, y: float, w: float) -> None:
    pdf.set_draw_color(*HAIR)
    pdf.rule(x, y, w)
    found = [drift_sentence(d, audit.settings.error_rate) for d in audit.systematic]  # with its measures
    lines = found + [drift_sentence(d, audit.settings.error_rate) for d in audit.drifts if not d.tested]
    if audit.groups is not None:
        lines = found + summary(audit)[1 + len(audit.drifts):] + lines[len(found):]
    bottom = pdf.h - 14
    y += 1.5
    for text in lines:
        if y > bottom - 3:
            break
        y = pdf.para(x, y, w, text, 7, False, INK, max_lines=3) + 0.6


def shoot_audits(store: ReviewStore, shoot_names: list[str]) -> list[tuple[str, DriftAudit]]:
    """The audit of each shoot on a sheet, across skin-tone groups, by the default policy's
    ``[audit]``; a shoot with too few analysed pairs to audit any measurement gets no page."""
    from twinproof.core.policy import load_default_policy
    from twinproof.review.drift_source import audit_shoot

    settings = AuditSettings.from_policy(load_default_policy())
    out = []
    for name in shoot_names:
        _found, audit = audit_shoot(store, name, by="skin-tone", settings=settings)
        if any(d.tested for d in audit.drifts):
            out.append((name, audit))
    return out

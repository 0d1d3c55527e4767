"""The sheet's shoot-audit page, read back by poppler: the verdict, each measurement's numbers,
the groups; and the plot primitives it draws from."""

from __future__ import annotations

import numpy as np

from tests.core.drift.test_audit import shoot
from tests.export.pdftools import needs_poppler, page_text
from twinproof.core.drift import AuditSettings, audit_drift
from twinproof.core.drift.plot import Dot, Line, Rect, plot_shapes
from twinproof.export.pdf_audit import render_audit
from twinproof.export.pdf_base import SheetPDF

SKIN = {"Ana": "lighter third", "Bo": "middle third", "Cy": "darker third"}


def _audit():
    pulls = {"face.proportions.jaw_width.percent": -3.0, "skin.delta_L": lambda t: 5.0 if t == "Cy" else 0.0}
    return audit_drift(shoot(np.random.default_rng(1), n=120, pulls=pulls, skin=SKIN, stored=True),
                       AuditSettings(), by="skin-tone")


@needs_poppler
def test_the_audit_page_says_what_was_found_with_its_numbers(tmp_path):
    audit = _audit()
    pdf = SheetPDF()
    try:
        render_audit(pdf, audit, "SS27")
        out = tmp_path / "audit.pdf"
        out.write_bytes(pdf.output())
    finally:
        pdf.release()
    text = " ".join(page_text(out).split())
    assert "SHOOT AUDIT" in text and "SS27: drift across 120 analysed pair(s)" in text
    assert "Systematic drift in" in text and "jaw width −" in text
    jaw = next(d for d in audit.drifts if d.metric == "face.proportions.jaw_width.percent")
    assert f"{jaw.test.below} of 120 narrower" in text and "SYSTEMATIC" in text
    assert "lighter for the darker third of the cast than for the lighter third" in text
    assert "Shoot audit of AI-generated digital twins" in text  # the disclosure footer


def test_the_plot_marks_zero_the_interval_the_median_and_every_pair():
    d = next(d for d in _audit().drifts if d.metric == "face.proportions.jaw_width.percent")
    shapes = plot_shapes(d, 90.0, 30.0, pt=0.3528)
    (band,) = [s for s in shapes if isinstance(s, Rect)]
    zero = next(s for s in shapes if isinstance(s, Line) and s.dashed)
    dots = [s for s in shapes if isinstance(s, Dot)]
    assert len(dots) == 120  # MAX_DOTS: every pair shown
    assert band.x + band.w < zero.x0  # the interval lies wholly left of zero (narrower)
    xs = sorted(s.x for s in dots)
    assert xs[0] < band.x < xs[-1]


@needs_poppler
def test_an_exported_sheet_carries_the_audit_page_after_the_cover(tmp_path):
    """Through ``run_export`` on a real record: a shoot with enough analysed pairs gets its
    audit page; ``SheetOptions(audit=False)`` leaves it out."""
    from tests.gui.test_shoot_audit import _record
    from twinproof import review
    from twinproof.export.run import ExportRequest, run_export
    from twinproof.export.sheet import SheetOptions

    store = review.open_store(str(_record(tmp_path)), reviewer="tester")
    try:
        with_page, without = tmp_path / "with.pdf", tmp_path / "without.pdf"
        options = SheetOptions(maps=False, provenance=False)
        run_export(store, ExportRequest(pdf=with_page, pairs=["look00"], sheet=options))
        run_export(store, ExportRequest(pdf=without, pairs=["look00"],
                                        sheet=SheetOptions(maps=False, provenance=False, audit=False)))
    finally:
        store.close()
    page2 = " ".join(page_text(with_page, 2).split())
    assert "SHOOT AUDIT" in page2 and "SS27: drift across 9 analysed pair(s)" in page2
    assert "No systematic change found in 9 pairs" in page2
    assert "SHOOT AUDIT" not in page_text(without)

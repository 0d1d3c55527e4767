"""The comparison-sheet PDF: a cover, then a page (or more) per pair.

Maps are not stored in the review record (they are large), so the sheet takes them from a
``PairAnalysis`` the caller already has (the app keeps the one on screen) or re-runs the
core's structure and colour steps with the *stored* registration, so the heat maps match the
stored numbers and the alignment the reviewer saw (the other steps are not needed for maps).
One pair's maps are held at a time: a 50-pair shoot of 24 MP images costs one analysis of
memory, not fifty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from twinproof.atomic import atomic_write_bytes
from twinproof.core.analysis import CancelToken, PairAnalysis, analyze_images
from twinproof.core.drift import DriftAudit
from twinproof.core.errors import AnalysisCancelled, ImageLoadError
from twinproof.core.imageio import load_image
from twinproof.core.registration import Registration
from twinproof.core.result.measurements import Alignment, Identity
from twinproof.export import evidence, provenance
from twinproof.export.errors import ExportCancelled, ExportError
from twinproof.export.images import embeddable
from twinproof.export.pdf_audit import render_audit
from twinproof.export.pdf_base import SheetPDF
from twinproof.export.pdf_cover import render_cover
from twinproof.export.pdf_faces import face_chips
from twinproof.export.pdf_meta import sheet_meta
from twinproof.export.pdf_pair import PairPage, render_pair
from twinproof.export.provenance import twin_source_type
from twinproof.export.records import PairExport

ProgressFn = Callable[[float, str], None]
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class SheetOptions:
    paper: str = "a4"
    landscape: bool = False
    #: Re-run the analysis for heat maps when no PairAnalysis is given (slower, complete).
    maps: bool = True
    #: Read the twin's C2PA Content Credentials (needs c2pa-python).
    provenance: bool = True
    #: Shrink images to this long side (px) for a mail-sized sheet; None = original files.
    image_long_side: int | None = None
    #: A shoot-audit page after the cover (drift across the shoot's twins; export.pdf_audit).
    audit: bool = True

    def __post_init__(self) -> None:
        if self.paper.lower() not in PAPERS:
            raise ExportError(f"paper must be one of {', '.join(PAPERS)}, not {self.paper!r}")
        if self.image_long_side is not None and self.image_long_side < 256:
            raise ExportError(f"image size must be at least 256 px, not {self.image_long_side}")


def stored_registration(item: PairExport) -> Registration | None:
    """The twin→real transform the stored analysis used (None: never analysed, or a new shot)."""
    typed = item.analysis_result
    g = typed.registration if typed is not None else None
    if g is None:
        return None
    m = np.asarray(g.matrix, dtype=np.float64)
    if m.shape != (2, 3) or not np.isfinite(m).all():
        return None
    alignment = typed.metrics.alignment if typed is not None else None
    confidence = alignment.confidence if isinstance(alignment, Alignment) else 0.0
    return Registration(m, confidence, g.method, g.inliers, g.matches)


def _page(item: PairExport, analysis: PairAnalysis | None, options: SheetOptions) -> PairPage:
    try:
        real = embeddable(item.pair.real_path, options.image_long_side)
        twin = embeddable(item.pair.twin_path, options.image_long_side)
    except ImageLoadError as exc:
        raise ExportError(f"pair {item.pair.name}: {exc}") from exc
    except OSError as exc:
        raise ExportError(f"pair {item.pair.name}: {exc.filename or ''} cannot be read "
                          f"({exc.strerror or exc})") from exc
    result = item.result
    reg = analysis.pair.registration if analysis else stored_registration(item)
    if reg is not None:
        matrix = reg.matrix
    else:  # never analysed: stretch the twin over the real frame, and the sheet says "not analysed"
        matrix = np.array([[real.width / twin.width, 0, 0], [0, real.height / twin.height, 0]])
    policy, note = evidence.policy_of(result)
    prov = provenance.credentials_of(item, options.provenance)
    page = PairPage(item, real, twin, np.asarray(matrix, dtype=np.float64), policy, note,
                    analysis.maps if analysis else None, prov)
    typed = item.analysis_result
    if typed is not None and isinstance(typed.metrics.identity, Identity):
        page.faces = face_chips((item.pair.real_path, item.pair.twin_path), typed.metrics.identity)
    return page


#: Maps already computed for a pair's stored analysis (SSIM, ΔE at the working size), or None.
MapsLookup = Callable[[PairExport], "dict[str, np.ndarray] | None"]


def _maps(page: PairPage, cancel: CancelToken | None) -> dict[str, np.ndarray] | None:
    """The SSIM and ΔE maps, recomputed with the stored registration: only the two steps that
    draw maps run (landmarks and the face/body steps are read from the stored result)."""
    if page.item.analysis is None:
        return None
    from twinproof.core.measure_image import colour_step, structure_step

    reg = stored_registration(page.item)
    try:
        real = load_image(page.item.pair.real_path)
        if cancel is not None and cancel.is_set():
            raise ExportCancelled()
        twin = load_image(page.item.pair.twin_path)
        fresh = analyze_images(real, twin, page.policy, registration=reg, cancel=cancel,
                               steps=[structure_step, colour_step])
    except AnalysisCancelled as exc:
        raise ExportCancelled() from exc
    except ImageLoadError as exc:
        raise ExportError(f"pair {page.item.pair.name}: {exc}") from exc
    return fresh.maps


def write_sheet(
    path: str | Path,
    items: Sequence[PairExport],
    *,
    options: SheetOptions | None = None,
    analyses: Mapping[int, PairAnalysis] | None = None,
    known_maps: MapsLookup | None = None,
    exported_by: str = "",
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    problems: list[str] | None = None,
    audits: Sequence[tuple[str, DriftAudit]] = (),
) -> int:
    """Write the sheet atomically; returns its page count. ``analyses`` maps pair id ->
    a PairAnalysis already computed (its maps are used instead of re-analysing);
    ``known_maps`` finds maps kept elsewhere (the app's cache of what it has shown), and
    returns None when it has none, so only those pairs are re-analysed.

    A pair whose image files cannot be read (moved, deleted, corrupt) is left off the sheet
    and named in ``problems`` when that list is given — one bad file must not cost the rest of
    the shoot its sheet; without the list it is an :class:`ExportError` as before.
    ``audits`` (shoot name, its drift audit) each get an audit page after the cover."""
    opts = options or SheetOptions()
    report = progress or (lambda _f, _m: None)
    if not items:
        raise ExportError("no pairs to put on the sheet (check --pairs / --decided-only)")

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise ExportCancelled()

    given = dict(analyses or {})
    pages = []
    for item in items:
        check()
        try:
            pages.append(_page(item, given.get(item.pair.id), opts))
        except ExportError as exc:
            if problems is None:
                raise
            problems.append(f"left off the sheet: {exc}")
    if not pages:
        raise ExportError("no pair on the sheet could be read: " + "; ".join(problems or []))
    shoots = sorted({i.shoot.name + (f" · campaign {i.shoot.campaign}" if i.shoot.campaign else "")
                     for i in items if i.shoot})
    pdf = SheetPDF(opts.paper, opts.landscape)
    try:
        sheet_meta(shoots, [twin_source_type(p.provenance)[0] for p in pages],
                   exported_by or "TwinProof").apply(pdf)
        policy, note = pages[0].policy, pages[0].policy_note
        pdf.next_section = "Cover: decisions, policy, contact sheet"
        render_cover(pdf, pages, policy, note, exported_by or "TwinProof", "; ".join(shoots))
        for shoot_name, audit in audits:
            render_audit(pdf, audit, shoot_name)
        for n, page in enumerate(pages):
            check()
            report(n / len(pages), f"sheet: {page.item.pair.name}")
            if page.maps is None and opts.maps and known_maps is not None:
                page.maps = known_maps(page.item)
            if page.maps is None and opts.maps:
                try:
                    page.maps = _maps(page, cancel)
                except ExportError as exc:  # a file changed since its page was prepared
                    if problems is None:
                        raise
                    problems.append(f"heat maps missing: {exc}")
            pdf.next_section = f"{page.item.pair.name}: {page.item.state.replace('_', ' ')}"
            render_pair(pdf, page)
            page.maps = None  # one pair's maps in memory at a time
        check()
        report(0.99, "sheet: writing PDF")
        atomic_write_bytes(path, pdf.output())  # a bytearray: no second copy of a 400 MB file
    finally:
        pdf.release()
    report(1.0, "sheet: done")
    return int(pdf.pages_count)

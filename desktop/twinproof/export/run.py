"""One export job: the chosen pairs to any of PDF, CSV, JSON, audit CSV and XMP sidecars.

A plain function with ``progress(fraction, message)`` and ``cancel`` (anything with
``is_set()``, e.g. ``threading.Event``), like ``core.analysis.analyze_pair``, so the app
runs it on its single save/export worker and the CLI calls it directly. Every file written
is recorded in the audit trail (``review.record_export``) right after it is in place; a
cancelled job leaves finished files (audited) and no partial ones (all writes are atomic).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from twinproof import review
from twinproof.core.analysis import CancelToken, PairAnalysis
from twinproof.export import data
from twinproof.export.copies import copy_name, write_copies
from twinproof.export.errors import ExportCancelled, ExportError
from twinproof.export.pdf_audit import shoot_audits
from twinproof.export.provenance import credentials_of
from twinproof.export.records import PairExport, collect, select_pairs
from twinproof.export.sheet import MapsLookup, ProgressFn, SheetOptions, write_sheet
from twinproof.export.sidecars import write_sidecars
from twinproof.export.signing import StudioSigner, sign_copy, sign_sheet
from twinproof.export.xmp import XmpOptions


@dataclass(frozen=True)
class ExportRequest:
    """What to export. Paths left ``None`` are not written; ``pairs`` None means all."""

    pdf: Path | None = None
    csv: Path | None = None
    json: Path | None = None
    audit_csv: Path | None = None
    xmp: bool = False
    #: A folder for annotated copies of the twins with the XMP embedded (Lightroom, Bridge).
    copies: Path | None = None
    copies_real: bool = False
    pairs: Sequence[int | str] | None = None
    shoot_id: int | None = None
    decided_only: bool = False
    sheet: SheetOptions = field(default_factory=SheetOptions)
    xmp_options: XmpOptions = field(default_factory=XmpOptions)
    csv_format: data.CsvFormat = field(default_factory=data.CsvFormat)
    #: Sign the sheet and the annotated copies with the studio's certificate (C2PA; see
    #: docs/signing.md). None: they go out unsigned.
    signer: StudioSigner | None = None

    def outputs(self) -> list[Path]:
        return [p for p in (self.pdf, self.csv, self.json, self.audit_csv) if p is not None]


@dataclass
class ExportResult:
    pairs: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    sidecars: list[Path] = field(default_factory=list)
    #: annotated copies of the images with the XMP embedded
    copies: list[Path] = field(default_factory=list)
    pages: int = 0
    #: what could not be done (the CLI exits 1): skipped or refused sidecars
    problems: list[str] = field(default_factory=list)
    #: what was done differently, in words (e.g. a sidecar renamed to avoid a collision)
    notes: list[str] = field(default_factory=list)


def _check_destination(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {folder} does not exist")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder, not a file name")


def run_export(
    store: review.ReviewStore,
    request: ExportRequest,
    *,
    analyses: Mapping[int, PairAnalysis] | None = None,
    known_maps: MapsLookup | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    on: date | None = None,
) -> ExportResult:
    """Run the export; raises :class:`ExportError` (bad request) or ``ExportCancelled``."""
    if not request.outputs() and not request.xmp and request.copies is None:
        raise ExportError("nothing to export: give --pdf, --csv, --json, --audit-csv, --xmp or --copies")
    for path in request.outputs():
        _check_destination(Path(path))
    if request.copies is not None and not Path(request.copies).is_dir():
        raise ExportError(f"{request.copies}: the folder for annotated copies does not exist")
    # Every file written is an audit event: refuse a record that cannot take one before
    # writing anything (it used to write every file, then fail on the event).
    review.require_writable(store, "every export is recorded in its audit trail")
    report = progress or (lambda _f, _m: None)
    # Load the certificate first: a wrong path must refuse the export, not leave it half signed.
    native_signer = request.signer.native() if request.signer is not None else None

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise ExportCancelled()

    report(0.0, "reading the review record")
    items: list[PairExport] = collect(
        store, select_pairs(store, request.pairs, shoot_id=request.shoot_id),
        decided_only=request.decided_only, on=on,
    )
    if not items:
        raise ExportError("no pairs match: check --pairs, or --decided-only when nothing is decided")
    ids = [i.pair.id for i in items]
    result = ExportResult(pairs=[i.pair.name for i in items])
    # Read once, before any writer: the sheet, the JSON and the XMP must state the same
    # digital source type for a twin (its valid C2PA manifest's, else the default).
    for item in items:
        check()
        credentials_of(item, request.sheet.provenance)

    def done(path: Path, fmt: str) -> None:
        result.files.append(path)
        review.record_export(store, path.resolve(), fmt, ids)

    try:
        if request.pdf is not None:
            check()
            span = 0.85

            def sheet_progress(f: float, message: str) -> None:
                report(0.05 + span * f, message)

            audits = shoot_audits(store, sorted({i.shoot.name for i in items if i.shoot})) \
                if request.sheet.audit else []
            result.pages = write_sheet(request.pdf, items, options=request.sheet, analyses=analyses,
                                       known_maps=known_maps, exported_by=store.reviewer, progress=sheet_progress,
                                       cancel=cancel, problems=result.problems, audits=audits)
            if native_signer is not None:
                report(0.9, "signing the sheet (C2PA)")
                sign_sheet(Path(request.pdf), items, native_signer)
            done(Path(request.pdf), "pdf")
        if request.csv is not None:
            check()
            report(0.9, "CSV")
            data.write_csv(str(request.csv), items, request.csv_format)
            done(Path(request.csv), "csv")
        if request.json is not None:
            check()
            report(0.92, "JSON")
            data.write_json(str(request.json), items, store.reviewer)
            done(Path(request.json), "json")
        if request.audit_csv is not None:
            check()
            report(0.94, "audit trail")
            data.write_audit(str(request.audit_csv), store,
                             None if request.pairs is None and request.shoot_id is None else ids)
            done(Path(request.audit_csv), "audit-csv")
    except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
        where = exc.filename or "the destination"
        raise ExportError(f"{where}: cannot be written ({exc.strerror or exc})") from exc
    if request.xmp:
        def before(n: int, item: PairExport) -> None:
            check()
            report(0.95 + 0.05 * n / len(items), f"XMP: {item.pair.name}")

        written, problems, notes = write_sidecars(items, request.xmp_options, before)
        result.sidecars += written
        result.problems += problems
        result.notes += notes
        if result.sidecars:
            review.record_export(store, f"{len(result.sidecars)} XMP sidecar(s) next to the images",
                                 "xmp", ids)
    if request.copies is not None:
        def before_copy(n: int, item: PairExport) -> None:
            check()
            report(0.97 + 0.03 * n / len(items), f"annotated copy: {item.pair.name}")

        copies = write_copies(items, Path(request.copies), request.xmp_options, real=request.copies_real,
                              before=before_copy)
        if native_signer is not None:
            _sign_copies(copies.written, items, native_signer, result)
        result.copies += copies.written
        result.problems += copies.problems
        result.notes += copies.notes
        if copies.written:
            review.record_export(store, Path(request.copies).resolve(), "annotated-copies", ids)
    report(1.0, "done")
    return result


def _sign_copies(paths: list[Path], items: Sequence[PairExport], signer: object, result: ExportResult) -> None:
    """Sign each annotated copy of a twin (a copy that cannot be signed is a problem, kept)."""
    by_name: dict[str, PairExport] = {}
    for item in items:
        by_name[copy_name(item.pair.name, "twin", Path(item.pair.twin_path).suffix)] = item
        by_name[copy_name(f"{item.pair.name}-{item.pair.id}", "twin", Path(item.pair.twin_path).suffix)] = item
    for path in paths:
        found = by_name.get(path.name)
        if found is None:  # a copy of a real photograph: it states no AI generation to sign
            continue
        try:
            sign_copy(path, found, signer)
        except (ExportError, OSError) as exc:
            result.problems.append(f"{found.pair.name}: annotated copy not signed: {exc}")
        else:
            result.notes.append(f"{path.name}: signed (C2PA) with the studio's certificate; the delivered "
                                "twin and its own credentials are its ingredient")

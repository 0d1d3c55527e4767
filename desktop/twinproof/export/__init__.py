"""Export (headless, never imports Qt): comparison sheets, CSV/JSON data, XMP sidecars.

    from twinproof.export import ExportRequest, run_export
    result = run_export(store, ExportRequest(pdf=Path("ss27.pdf"), xmp=True),
                        progress=on_progress, cancel=stop_event)

``run_export`` is the one job the CLI and the app's export worker call; the writers below it
(``write_sheet``, ``write_csv``/``write_json``, ``write_pair_sidecars``) are public for
callers that need one format. See docs/export.md for the formats.
"""

from twinproof.export.data import SCHEMA, SCHEMA_VERSION, CsvFormat, write_audit, write_csv, write_json
from twinproof.export.errors import ExportCancelled, ExportError
from twinproof.export.provenance import read_credentials
from twinproof.export.records import ConsentStatus, PairExport, collect, select_pairs
from twinproof.export.run import ExportRequest, ExportResult, run_export
from twinproof.export.sheet import SheetOptions, write_sheet
from twinproof.export.xmp import XmpOptions, sidecar_paths, write_pair_sidecars, write_sidecar
from twinproof.export.xmp_io import XmpError

__all__ = [
    "SCHEMA", "SCHEMA_VERSION", "ConsentStatus", "CsvFormat", "ExportCancelled", "ExportError",
    "ExportRequest", "ExportResult", "PairExport", "SheetOptions", "XmpError", "XmpOptions",
    "collect", "read_credentials", "run_export", "select_pairs", "sidecar_paths",
    "write_audit", "write_csv", "write_json", "write_pair_sidecars", "write_sheet",
    "write_sidecar",
]

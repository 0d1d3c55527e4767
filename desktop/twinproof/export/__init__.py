"""Export (headless, never imports Qt): comparison sheets, CSV/JSON data, XMP sidecars.

    from twinproof.export import ExportRequest, run_export
    result = run_export(store, ExportRequest(pdf=Path("ss27.pdf"), xmp=True),
                        progress=on_progress, cancel=stop_event)

``run_export`` is the one job the CLI and the app's export worker call; the writers below it
(``write_sheet``, ``write_csv``/``write_json``, ``write_pair_sidecars``) are public for
callers that need one format. See docs/export.md for the formats.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twinproof.export.data import SCHEMA, SCHEMA_VERSION, CsvFormat, write_audit, write_csv, write_json
    from twinproof.export.errors import ExportCancelled, ExportError
    from twinproof.export.provenance import read_credentials
    from twinproof.export.records import ConsentStatus, PairExport, collect, select_pairs
    from twinproof.export.run import ExportRequest, ExportResult, run_export
    from twinproof.export.sheet import SheetOptions, write_sheet
    from twinproof.export.xmp import XmpOptions, sidecar_paths, write_pair_sidecars, write_sidecar
    from twinproof.export.xmp_io import XmpError

#: Where each public name lives. Loaded on first use (PEP 562): ``twinproof analyze`` reads the
#: C2PA state through ``export.provenance`` and must not pay for SQLAlchemy, fpdf2 and fontTools
#: (0.4-0.8 s of its cold start) that only the writers need.
_WHERE = {
    "SCHEMA": "data", "SCHEMA_VERSION": "data", "CsvFormat": "data", "write_audit": "data", "write_csv": "data",
    "write_json": "data", "ExportCancelled": "errors", "ExportError": "errors", "read_credentials": "provenance",
    "ConsentStatus": "records", "PairExport": "records", "collect": "records", "select_pairs": "records",
    "ExportRequest": "run", "ExportResult": "run", "run_export": "run", "SheetOptions": "sheet",
    "write_sheet": "sheet", "XmpOptions": "xmp", "sidecar_paths": "xmp", "write_pair_sidecars": "xmp",
    "write_sidecar": "xmp", "XmpError": "xmp_io",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'twinproof.export' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"twinproof.export.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "SCHEMA", "SCHEMA_VERSION", "ConsentStatus", "CsvFormat", "ExportCancelled", "ExportError",
    "ExportRequest", "ExportResult", "PairExport", "SheetOptions", "XmpError", "XmpOptions",
    "collect", "read_credentials", "run_export", "select_pairs", "sidecar_paths",
    "write_audit", "write_csv", "write_json", "write_pair_sidecars", "write_sheet",
    "write_sidecar",
]

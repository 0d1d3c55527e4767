"""Data exports: one CSV row per pair for spreadsheets, and JSON with the full analysis.

The JSON carries everything the sheet shows plus the core's whole analysis dict, under a
versioned schema (``SCHEMA``, documented in docs/export.md) so a brand's pipeline can check
what it reads. The CSV is the flat summary a producer filters in a spreadsheet: it is written
with a UTF-8 byte-order mark (Excel otherwise reads "ΔE" as mojibake) and user text that a
spreadsheet would run as a formula (starting with = + - @) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from twinproof import __version__, review
from twinproof.atomic import atomic_write_bytes, atomic_write_text
from twinproof.core.result import BY_PATH, DESCRIPTORS, AnalysisResult, Row, Status, rows
from twinproof.core.result.words import flag_line
from twinproof.export.provenance import credential_state, credentials_of, twin_disclosure, twin_source_type
from twinproof.export.records import PairExport
from twinproof.review.analysis import json_safe
from twinproof.review.geometry import normalised

SCHEMA = "twinproof.export"
SCHEMA_VERSION = 1
#: One column per described measurement (its dotted path under ``metrics``, signed, in the
#: descriptor's unit), and for each judged one its status (ok/warn/fail/not measured).
MEASURE_COLUMNS = tuple(d.path for d in DESCRIPTORS)
STATUS_COLUMNS = tuple(f"{d.path}.status" for d in DESCRIPTORS if d.limits is not None)
#: A new shot's uncertainty (± at the policy's confidence, the value's unit) of each value it judges.
UNCERTAINTY_COLUMNS = tuple(f"{d.path}.uncertainty" for d in DESCRIPTORS if d.shot_limits is not None)
#: What each judged value was measured against ("her 4 portraits", "the real photo (same frame)"...).
YARDSTICK_COLUMNS = tuple(f"{d.path}.yardstick" for d in DESCRIPTORS
                          if d.limits is not None or d.shot_limits is not None)
#: The AI disclosure rides on every row (spreadsheets drop comment lines, filters drop headers):
#: the words of the sheet's footer and the type the JSON and XMP state for that twin.
DISCLOSURE_COLUMNS = ("ai_disclosure", "twin_digital_source_type", "twin_digital_source_type_basis")
CSV_COLUMNS = (
    "pair_id", "pair", "shoot", "campaign", "real_file", "twin_file", *DISCLOSURE_COLUMNS,
    "talent", "consent_valid",
    "verdict", "analysis_current", "analysis_stale", "mode", "registration_scale", "registration_rotation_deg",
    "flag_count", "flags", "decision", "cleared_for_use", "clearance", "rating", "reasons", "reason_text",
    "decision_comment",
    "override_justification", "reviewer", "decided_at", "analysed_at", "policy_version",
    "annotations", "comments", *MEASURE_COLUMNS, *STATUS_COLUMNS, *UNCERTAINTY_COLUMNS, *YARDSTICK_COLUMNS,
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str | None) -> str:
    """User text as a cell a spreadsheet shows literally (never as a formula)."""
    value = text or ""
    return "'" + value if value.startswith(_FORMULA) else value


@dataclass(frozen=True)
class CsvFormat:
    """Field separator and decimal mark. Excel opens a CSV with the separator of the user's
    regional settings: in France, Germany, Italy... (decimal comma) that is ``;``, so a
    comma-separated file lands in one column and ``0.9321`` is read as text or a date.
    ``semicolon`` writes what those Excels expect; ``locale`` picks from this machine's
    numeric locale (``LC_NUMERIC``/``LANG``)."""

    delimiter: str = ","
    decimal: str = "."

    def __post_init__(self) -> None:
        if self.delimiter == self.decimal or self.delimiter not in CSV_DELIMITERS:
            raise ValueError(f"a CSV separator {self.delimiter!r} with decimal mark "
                             f"{self.decimal!r} cannot be read back")

    @classmethod
    def named(cls, name: str) -> CsvFormat:
        if name == "comma":
            return cls(",", ".")
        if name == "semicolon":
            return cls(";", ",")
        if name == "locale":
            return cls(";", ",") if locale_decimal() == "," else cls(",", ".")
        raise ValueError(f"CSV format is one of {', '.join(CSV_FORMATS)}, not {name!r}")


CSV_FORMATS = ("comma", "semicolon", "locale")
CSV_DELIMITERS = (",", ";", "\t")


def locale_decimal() -> str:
    """The decimal mark of the user's numeric locale (read without leaving it changed)."""
    import locale

    saved = locale.setlocale(locale.LC_NUMERIC)
    try:
        locale.setlocale(locale.LC_NUMERIC, "")
        return str(locale.localeconv()["decimal_point"] or ".")
    except locale.Error:  # a LANG naming a locale this system does not have
        return "."
    finally:
        locale.setlocale(locale.LC_NUMERIC, saved)


def _num(value: float | None, digits: int, decimal: str = ".") -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}".replace(".", decimal)


def flag_text(flag: dict[str, Any]) -> str:
    return flag_line(flag)


def _measures(result: AnalysisResult | None, decimal: str = ".") -> list[str]:
    """The measurement and status columns, from the same rows the app and the sheet show."""
    if result is None:
        return [""] * (len(MEASURE_COLUMNS) + len(STATUS_COLUMNS) + len(UNCERTAINTY_COLUMNS) + len(YARDSTICK_COLUMNS))
    found = {r.path: r for r in rows(result)}
    values = [_num(found[p].value, BY_PATH[p].digits + 2, decimal) if p in found else ""
              for p in MEASURE_COLUMNS]
    statuses = [_status(found[c.removesuffix(".status")].status) if c.removesuffix(".status") in found
                else "" for c in STATUS_COLUMNS]
    spreads = [_num(found[p].plus_minus, BY_PATH[p].digits + 2, decimal) if p in found else ""
               for p in (c.removesuffix(".uncertainty") for c in UNCERTAINTY_COLUMNS)]
    return values + statuses + spreads + [_safe(_against(found.get(c.removesuffix(".yardstick"))))
                                          for c in YARDSTICK_COLUMNS]


def _against(row: Row | None) -> str:
    return row.against.short if row is not None and row.against is not None and row.value is not None else ""


def yardsticks(result: AnalysisResult | None) -> dict[str, dict[str, Any]]:
    """Each judged value's yardstick for the JSON: {path: {"kind", "against", "portraits"}}."""
    if result is None:
        return {}
    return {r.path: {"kind": str(r.against.kind), "against": r.against.short, "portraits": r.against.portraits}
            for r in rows(result) if r.against is not None and r.value is not None}


def _status(status: Status) -> str:
    """A status cell: a value with no limits (here: none for this mode) is "not judged"."""
    return "not judged" if status is Status.INFO else str(status)


def disclosure_cells(item: PairExport) -> list[str]:
    """The twin's AI disclosure as the sheet words it, its IPTC digital source type (the one
    its valid C2PA manifest declares, else TwinProof's default: ``twin_source_type``, as in
    the JSON and XMP) and why that type."""
    uri, basis = twin_source_type(credentials_of(item))
    kind = uri.rsplit("/", 1)[-1]
    words = f"{twin_disclosure(item.talent_name)} (IPTC digital source type {kind})"
    return [_safe(words), kind, _safe(basis)]


def csv_row(item: PairExport, fmt: CsvFormat | None = None) -> list[str]:
    typed, d = item.analysis_result, item.decision
    reg = typed.registration if typed is not None else None
    dec = (fmt or CsvFormat()).decimal
    return [
        str(item.pair.id), _safe(item.pair.name), _safe(item.shoot.name if item.shoot else ""),
        _safe(item.shoot.campaign if item.shoot else ""), item.pair.real_path, item.pair.twin_path,
        *disclosure_cells(item), _safe(item.talent_name), "yes" if item.consent.ok else "no", item.verdict,
        "yes" if item.pair.analysis_current else "no", _safe(item.pair.stale), str(typed.mode) if typed else "",
        _num(reg.scale, 5, dec) if reg else "", _num(reg.rotation_deg, 3, dec) if reg else "",
        str(len(item.flags)), _safe(" | ".join(flag_text(f) for f in item.flags)),
        item.state, "yes" if item.cleared else "no", _safe(item.clearance),
        str(item.pair.rating) if item.pair.rating else "",
        ",".join(d.reasons) if d else "", _safe(d.reason_text if d else ""),
        _safe(d.comment if d else ""), _safe(d.override_justification if d else ""),
        _safe(d.reviewer if d else ""), d.created_at.isoformat() if d else "",
        item.analysis.created_at.isoformat() if item.analysis else "",
        typed.policy.version if typed else "",
        str(len(item.annotations)), str(len(item.comments)), *_measures(typed, dec),
    ]


def write_csv(path: str, items: Iterable[PairExport], fmt: CsvFormat | None = None) -> int:
    """The per-pair summary as CSV (atomic); returns the number of pairs written."""
    style = fmt or CsvFormat()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=style.delimiter)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for item in items:
        writer.writerow(csv_row(item, style))
        count += 1
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"))
    return count


def _decision(d: review.DecisionRecord) -> dict[str, Any]:
    return {"state": d.state, "reasons": list(d.reasons), "reason_text": d.reason_text,
            "comment": d.comment, "override_justification": d.override_justification,
            "verdict_at_decision": d.verdict_at_decision, "reviewer": d.reviewer,
            "db_role": d.db_role, "consent_id": d.consent_id, "at": d.created_at.isoformat()}


def pair_json(item: PairExport) -> dict[str, Any]:
    p, a = item.pair, item.analysis
    twin_source, basis = twin_source_type(credentials_of(item))
    return {
        "id": p.id, "name": p.name,
        "shoot": item.shoot.name if item.shoot else None,
        "campaign": item.shoot.campaign if item.shoot else None,
        "real": {"path": p.real_path, "sha256": p.real_sha256,
                 "digital_source_type": "digitalCapture"},
        "twin": {"path": p.twin_path, "sha256": p.twin_sha256,
                 "digital_source_type": twin_source.rsplit("/", 1)[-1],
                 "digital_source_type_basis": basis},
        "talent": item.talent_name,
        "consent": {"valid": item.consent.ok, "text": item.consent.text},
        "state": item.state, "cleared_for_use": item.cleared, "clearance": item.clearance,
        "rating": p.rating or None, "verdict": item.verdict,
        "analysis_current": p.analysis_current, "analysis_stale": p.stale,
        "decision": _decision(item.decision) if item.decision else None,
        "decision_history": [_decision(d) for d in item.decisions],
        "annotations": [{
            "id": n.id, "kind": n.kind, "geometry": n.geometry,
            "geometry_normalised": normalised(n.kind, n.geometry, n.image_width, n.image_height),
            "image_size": [n.image_width, n.image_height], "colour": n.colour, "text": n.text,
            "flag": {"metric": n.flag_metric} if n.flag_metric else
            {"old_link": n.old_flag_link} if n.old_flag_link else None,
            "author": n.author, "created_at": n.created_at.isoformat(),
        } for n in item.annotations],
        "comments": [{"id": c.id, "annotation_id": c.annotation_id, "author": c.author,
                      "text": c.text, "at": c.created_at.isoformat()} for c in item.comments],
        "analysis": None if a is None else {
            "id": a.id, "created_at": a.created_at.isoformat(), "policy_name": a.policy_name,
            "policy_version": a.policy_version, "model_versions": a.model_versions,
            "result": item.result,
            # what each judged value was measured against (issue 23), read from the result
            "yardsticks": yardsticks(item.analysis_result),
        },
        "provenance": item.extra.get("provenance"),
        "content_credentials": credential_state(credentials_of(item)),
    }


def document(items: Sequence[PairExport], exported_by: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "twinproof_version": __version__, "exported_by": exported_by,
        "ai_disclosure": "Each pair's twin is an AI-generated digital twin of a real person "
                         "(IPTC digital source type trainedAlgorithmicMedia, or the type its "
                         "valid C2PA manifest declares: see each twin's digital_source_type).",
        "pairs": [pair_json(i) for i in items],
    }


def write_json(path: str, items: Sequence[PairExport], exported_by: str) -> int:
    """Strict JSON (NaN/inf as null), atomically; returns the number of pairs."""
    doc = json_safe(document(items, exported_by))
    atomic_write_text(path, json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    return len(items)


def write_audit(path: str, store: review.ReviewStore, pair_ids: Sequence[int] | None) -> int:
    """The audit trail as CSV, with the review layer's own writer (all, or these pairs')."""
    rows = review.audit_rows(store)
    if pair_ids is not None:
        wanted = set(pair_ids)
        rows = [r for r in rows if r.pair_id in wanted]
    buffer = io.StringIO(newline="")
    review.write_audit_csv(rows, buffer)
    atomic_write_text(path, buffer.getvalue())
    return len(rows)

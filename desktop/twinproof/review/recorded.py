"""What the record keeps of one analysis: one type, whoever ran it (the app, ``shoot import
--analyze``, ``shoot analyze`` on Dask).

A :class:`RecordedAnalysis` is the core's typed :class:`AnalysisResult`, the twin's Content
Credentials as they were read from the very bytes analysed (:class:`Credentials`), where the
heat maps of that run were kept (:class:`HeatMaps`) and the hashes of both files measured
(:class:`FileHashes`). ``review.store_analysis`` takes nothing else, so the three callers
cannot store three different documents again, and every stored analysis reads back with
:meth:`RecordedAnalysis.from_json` into this same type (an older schema is upgraded by the
core's decoder; a newer one is refused in one line that says to update TwinProof).

On disk the record keeps the layout it always had, so older records and other readers (the
sheet, the drift source, a teammate's older TwinProof) read it unchanged: the result's JSON
with ``provenance`` and ``heat_maps`` beside its own keys. This type lives in the review
layer because ``store_analysis`` takes it and the review layer may import only the core; the
function that fills it (reading credentials needs the export layer) is
``twinproof.batch.recording.analyse_and_record``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from twinproof.core.result import AnalysisResult
from twinproof.core.result.codec import OMIT, DecodeError, decode, encode
from twinproof.core.xmp_origin import XmpOrigin
from twinproof.review.staleness import Basis

#: The keys the record adds beside the core result's own.
PROVENANCE_KEY = "provenance"
HEAT_MAPS_KEY = "heat_maps"


@dataclass(frozen=True)
class Credentials:
    """The twin's Content Credentials (C2PA), as ``export.provenance.read_credentials`` reads
    them offline: ``status`` is present, absent, remote, unavailable or error; the rest is
    there when the status has it (the signed manifest's claims, a remote manifest's URL, a
    failure's words). ``xmp``: what the file's XMP says (``export.provenance.read_provenance``)."""

    status: str
    detail: str | None = field(default=None, metadata=OMIT)
    url: str | None = field(default=None, metadata=OMIT)
    validation_state: str | None = field(default=None, metadata=OMIT)
    validation: str | None = field(default=None, metadata=OMIT)
    generator: str | None = field(default=None, metadata=OMIT)
    software_agents: str | None = field(default=None, metadata=OMIT)
    actions: str | None = field(default=None, metadata=OMIT)
    digital_source_type: str | None = field(default=None, metadata=OMIT)
    declared_source_type: str | None = field(default=None, metadata=OMIT)
    signer: str | None = field(default=None, metadata=OMIT)
    title: str | None = field(default=None, metadata=OMIT)
    issues: list[str] | None = field(default=None, metadata=OMIT)
    #: What the twin file's own XMP says about its origin (schema 4, ``core.xmp_origin``);
    #: None when it was not read (analyses stored before).
    xmp: XmpOrigin | None = field(default=None, metadata=OMIT)

    def to_json(self) -> dict[str, Any]:
        """The dict every export helper (``export.provenance``) reads."""
        return dict(encode(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Credentials:
        return decode(cls, data, "$.provenance")


@dataclass(frozen=True)
class HeatMaps:
    """Where the SSIM and ΔE maps of this analysis were kept (an ``.npz`` named after both
    files' hashes: the batch's maps folder, or the app's cache), which maps, in what format."""

    file: str
    bytes: int
    maps: list[str]
    format: str

    def to_json(self) -> dict[str, Any]:
        return dict(encode(self))


@dataclass(frozen=True)
class FileHashes:
    """SHA-256 of the real photograph and the twin, taken right before they were analysed."""

    real: str
    twin: str


@dataclass(frozen=True)
class RecordedAnalysis:
    """One analysis as the record stores it (see the module docstring)."""

    result: AnalysisResult
    #: None: the hashes the pair already has (import or a re-hash right before).
    hashes: FileHashes | None = None
    provenance: Credentials | None = None
    heat_maps: HeatMaps | None = None
    #: What it was measured against (``review.reference_basis.read_basis`` before it started);
    #: kept in the record's own columns, not in the result. None: what the record holds when
    #: it is stored (a caller that read no references).
    basis: Basis | None = None

    def __post_init__(self) -> None:
        # The credentials live here, typed, once: the core result's own untyped copy (which
        # the decoder fills from the same key) is moved here rather than kept twice.
        legacy = self.result.provenance
        if legacy is not None:
            if self.provenance is None:
                object.__setattr__(self, "provenance", Credentials.from_json(legacy))
            object.__setattr__(self, "result", dataclasses.replace(self.result, provenance=None))

    @property
    def verdict(self) -> str:
        return self.result.verdict.value

    def to_json(self) -> dict[str, Any]:
        """The record's JSON: the result, its credentials and its heat maps' location."""
        data = self.result.to_json()
        if self.provenance is not None:
            data[PROVENANCE_KEY] = self.provenance.to_json()
        if self.heat_maps is not None:
            data[HEAT_MAPS_KEY] = self.heat_maps.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], hashes: FileHashes | None = None) -> RecordedAnalysis:
        """A stored analysis of any schema this TwinProof reads (DecodeError otherwise)."""
        if not isinstance(data, dict):
            raise DecodeError("$: a stored analysis must be an object")
        prov, maps = data.get(PROVENANCE_KEY), data.get(HEAT_MAPS_KEY)
        return cls(AnalysisResult.from_json(data), hashes,
                   Credentials.from_json(prov) if isinstance(prov, dict) else None,
                   decode(HeatMaps, maps, "$.heat_maps") if isinstance(maps, dict) else None)

    @classmethod
    def of(cls, result: AnalysisResult, hashes: tuple[str, str] | None = None,
           provenance: dict[str, Any] | None = None) -> RecordedAnalysis:
        """From what the analysis and ``read_credentials`` hand back."""
        return cls(result, FileHashes(*hashes) if hashes else None,
                   Credentials.from_json(provenance) if provenance is not None else None)

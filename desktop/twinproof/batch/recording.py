"""Analyse a pair and record it: the one way the app, the batch and the command line do it.

Why here, in ``twinproof.batch``: recording an analysis needs the core (the analysis), the
export layer (the twin's Content Credentials, ``export.provenance``) and the review record
(``store_analysis``). In the import-linter layers (gui/cli above batch above export above
review/core) the batch is the lowest layer that may import all three, and the app and the
CLI, above it, may import it. So every caller builds the same :class:`RecordedAnalysis` — the
typed result, typed credentials, the heat maps' location and the hashes of the bytes measured
— and nothing else can be stored.

The work comes in two halves because two callers must split it: :func:`analyse_files` needs no
database (a Dask worker has none; the app runs it on its analysis thread) and :func:`record`
writes it (the batch's client; the app's single save thread, which keeps every write to the
record in one ordered queue). :func:`analyse_and_record` is the two in one, for a caller that
has both at hand (``shoot import --analyze``).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from twinproof.batch import maps as maps_mod
from twinproof.hashing import file_sha256
from twinproof.review.analysis import store_analysis
from twinproof.review.recorded import HeatMaps, RecordedAnalysis

if TYPE_CHECKING:
    from twinproof.core.analysis import CancelToken
    from twinproof.core.identity.likeness import TalentReferences
    from twinproof.core.policy import Policy
    from twinproof.core.registration import Registration
    from twinproof.review.db import ReviewStore
    from twinproof.review.records import AnalysisRecord
    from twinproof.review.staleness import Basis

ProgressFn = Callable[[float, str], None]


@dataclass(frozen=True)
class Analysed:
    """One pair analysed: what the record will keep, and the maps only this run has (float32 at
    the working size, NaN outside the overlap) for the overlays."""

    record: RecordedAnalysis
    maps: dict[str, np.ndarray]

    def with_maps_kept(self, folder: Path) -> Analysed:
        """:func:`keep_maps` for this run's maps."""
        if not self.maps:
            return self
        kept = keep_maps(self.record, folder, maps_mod.encode(self.maps), sorted(self.maps))
        return dataclasses.replace(self, record=kept)


def keep_maps(recorded: RecordedAnalysis, folder: Path, data: bytes, names: list[str]) -> RecordedAnalysis:
    """Write the encoded maps (``batch.maps.encode``) to ``folder`` under both files' hashes,
    atomically, and name that file in the record. OSError when the folder cannot be written
    (the caller goes on without overlays)."""
    if recorded.hashes is None:
        raise ValueError("maps are filed under the hashes of the files measured, which this record lacks")
    path = maps_mod.write(folder, maps_mod.file_name(recorded.hashes.real, recorded.hashes.twin), data)
    return dataclasses.replace(recorded, heat_maps=HeatMaps(**maps_mod.describe(path, len(data), names)))


def analyse_files(real: str | Path, twin: str | Path, policy: Policy | None = None, *,
                  talent: TalentReferences | None = None, registration: Registration | None = None,
                  progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                  control: bool = False, references: Sequence[str | Path] | None = None,
                  basis: Basis | None = None) -> Analysed:
    """Hash both files, analyse them, read what the twin file says of its origin (Content
    Credentials offline, its XMP).

    The hashes are taken first: they name the bytes about to be measured (a file may have been
    edited since import), so the record stamps the analysis with them and the maps are filed
    under them. ``basis`` (``review.read_basis``, which also gives ``talent`` and ``references``)
    is what it is measured against, recorded with it. Raises what ``analyze_pair`` raises
    (``ImageLoadError``, ``AnalysisCancelled``).
    """
    # imported here: the analysis stack (OpenCV, ONNX Runtime) costs ~0.25 s to import, which
    # neither the app's first window nor ``twinproof --help`` should wait for
    from twinproof.core.analysis import analyze_pair

    if progress is not None:
        progress(0.0, "hashing the files")
    hashes = (file_sha256(real), file_sha256(twin))
    analysis = analyze_pair(real, twin, policy, registration=registration, progress=progress,
                            cancel=cancel, talent=talent, control=control, references=references)
    # imported only now (0.8 s the first time, C2PA and its cryptography): a Cancel during the
    # first analysis does not wait for it
    from twinproof.export.provenance import read_provenance

    credentials = read_provenance(twin)
    recorded = dataclasses.replace(RecordedAnalysis.of(analysis.result, hashes, credentials), basis=basis)
    return Analysed(recorded, dict(analysis.maps))


def record(store: ReviewStore, pair_id: int, analysed: Analysed | RecordedAnalysis) -> AnalysisRecord:
    """Store it as the pair's current analysis (audited; edited files are recorded first)."""
    typed = analysed.record if isinstance(analysed, Analysed) else analysed
    return store_analysis(store, pair_id, typed)


def analyse_and_record(store: ReviewStore, pair_id: int, real: str | Path, twin: str | Path,
                       policy: Policy | None = None, *, maps_folder: Path | None = None,
                       **analysis: Any) -> tuple[AnalysisRecord, Analysed]:
    """:func:`analyse_files`, the maps kept in ``maps_folder`` (when given and writable: a full
    disk costs the overlays, not the analysis), then :func:`record`. ``analysis`` takes
    :func:`analyse_files`' keywords (talent, registration, progress, cancel)."""
    analysed = analyse_files(real, twin, policy, **analysis)
    if maps_folder is not None:
        with contextlib.suppress(OSError):
            analysed = analysed.with_maps_kept(maps_folder)
    return record(store, pair_id, analysed), analysed

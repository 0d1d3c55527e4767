"""The review record (headless, never imports Qt).

Shoots, pairs of real and twin images, stored analyses, annotations, decisions with reasons,
talent consent and an append-only audit trail, in SQLAlchemy over a SQLite file (one
reviewer) or PostgreSQL (a team). Every function takes a ``ReviewStore`` and commits its
change before returning; results are frozen dataclasses (``records``) a GUI model can hold.

    store = open_store("shoot.twinproof")          # or "postgresql+psycopg://..."
    result = import_shoot(store, "real/", "twin/")
    decide(store, pair.id, "rejected", reasons=["face_altered"], expected_version=pair.version)

See docs/review.md for the schema and the rules.
"""

from twinproof.review.analysis import (
    FileChange,
    analysis_history,
    check_files,
    latest_analysis,
    store_analysis,
)
from twinproof.review.annotations import (
    KEEP,
    add_annotation,
    add_comment,
    delete_annotation,
    delete_comment,
    get_annotation,
    list_annotations,
    list_comments,
    restore_annotation,
    set_resolved,
    update_annotation,
)
from twinproof.review.audit import (
    AuditEventKind,
    AuditRow,
    audit_rows,
    csv_rows,
    export_audit_csv,
    record_export,
    write_audit_csv,
)
from twinproof.review.commands import Command, Rate, UndoStack
from twinproof.review.db import ReviewStore, default_reviewer, open_store, resolve_url
from twinproof.review.decisions import (
    DecisionState,
    Reason,
    decide,
    decision_history,
    reason_for_flag,
    suggest_reasons,
)
from twinproof.review.errors import (
    AuditImmutableError,
    ConflictError,
    ConsentError,
    NotFoundError,
    OverrideRequiredError,
    PairingError,
    ReasonRequiredError,
    ReviewError,
    RuleError,
    SchemaError,
    StorageError,
)
from twinproof.review.geometry import AnnotationKind, normalised
from twinproof.review.pairing import MatchedPair, PairingResult, Unmatched, pair_folders, pair_single_folder
from twinproof.review.ratings import rate, rating_history
from twinproof.review.records import (
    AnalysisRecord,
    AnnotationRecord,
    CommentRecord,
    ConsentCoverage,
    ConsentRecord,
    DecisionRecord,
    PairRecord,
    RatingRecord,
    ReferenceRecord,
    ShootRecord,
    TalentRecord,
)
from twinproof.review.references import (
    add_reference,
    list_references,
    reference_files,
    remove_reference,
    talent_references,
)
from twinproof.review.shoots import (
    ImportResult,
    break_pair,
    create_shoot,
    find_pair,
    get_pair,
    hash_file,
    import_shoot,
    list_pairs,
    list_shoots,
    make_pair,
    set_campaign,
    set_control,
    unmatched_files,
)
from twinproof.review.talent import (
    add_consent,
    add_talent,
    consent_check,
    consent_check_for,
    consent_coverage,
    get_talent,
    link_talent,
    list_talent,
    revoke_consent,
    update_talent,
)
from twinproof.review.writable import read_only_reason, require_writable

__all__ = [
    "KEEP", "AnalysisRecord", "AnnotationKind", "AnnotationRecord", "AuditEventKind", "AuditImmutableError",
    "AuditRow", "Command", "CommentRecord", "ConflictError", "ConsentCoverage", "ConsentError", "ConsentRecord",
    "DecisionRecord", "DecisionState", "FileChange", "ImportResult", "MatchedPair", "NotFoundError",
    "OverrideRequiredError", "PairRecord", "PairingError", "PairingResult", "Rate", "RatingRecord", "Reason",
    "ReasonRequiredError", "ReferenceRecord", "ReviewError", "ReviewStore", "RuleError", "SchemaError",
    "ShootRecord", "StorageError", "TalentRecord", "UndoStack", "Unmatched", "add_annotation", "add_comment",
    "add_consent", "add_reference", "add_talent", "analysis_history", "audit_rows", "break_pair",
    "check_files", "consent_check", "consent_check_for", "consent_coverage", "create_shoot", "csv_rows",
    "decide", "decision_history",
    "default_reviewer", "delete_annotation", "delete_comment", "export_audit_csv", "find_pair",
    "get_annotation", "get_pair", "get_talent", "hash_file", "import_shoot", "latest_analysis", "link_talent",
    "list_annotations", "list_comments", "list_pairs", "list_references", "list_shoots", "list_talent",
    "make_pair", "normalised", "open_store", "pair_folders", "pair_single_folder", "rate", "rating_history",
    "read_only_reason", "reason_for_flag", "record_export", "reference_files", "remove_reference", "require_writable",
    "resolve_url", "restore_annotation",
    "revoke_consent", "set_campaign", "set_control", "set_resolved", "store_analysis", "suggest_reasons",
    "talent_references",
    "unmatched_files", "update_annotation", "update_talent", "write_audit_csv",
]

"""The audit trail is append-only at every layer, and exports as CSV."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.review.conftest import ON
from twinproof import review
from twinproof.review import models as m


def test_orm_updates_and_deletes_of_history_are_refused(store, pairs):
    review.decide(store, pairs["look01"].id, "rejected", reasons=["artefact"])
    with pytest.raises(review.AuditImmutableError), store.transaction() as session:
        row = session.scalars(select(m.AuditEvent)).first()
        row.summary = "nothing happened"
    with pytest.raises(review.AuditImmutableError), store.transaction() as session:
        session.delete(session.scalars(select(m.Decision)).first())
    assert review.decision_history(store, pairs["look01"].id)[0].state == "rejected"


@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET reviewer = 'mallory'",
    "DELETE FROM audit_events",
    "UPDATE decisions SET state = 'approved'",
    "DELETE FROM decisions",
])
def test_raw_sql_cannot_rewrite_history(store, pairs, sql):
    review.decide(store, pairs["look01"].id, "rejected", reasons=["artefact"])
    before = review.audit_rows(store)
    with pytest.raises(review.AuditImmutableError), store.transaction() as session:
        session.execute(text(sql))
    assert review.audit_rows(store) == before


def test_truncate_is_refused_on_postgresql(store, pairs):
    if store.backend != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL only")
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_events"))


def test_every_event_has_time_reviewer_and_exports_as_csv(store, consented, tmp_path):
    pair = consented["look01"]
    review.add_annotation(store, pair.id, "pin", {"x": 1, "y": 2}, image_size=(10, 10),
                          text='say "cheese", please')
    review.decide(store, pair.id, "approved", on=ON)
    review.record_export(store, tmp_path / "sheet.pdf", "pdf", [pair.id])
    rows = review.audit_rows(store)
    assert [r.event for r in rows] == ["import", "talent", "consent", "talent", "talent",
                                       "annotation", "decision", "export"]
    assert all(r.reviewer == "alice" and r.at.tzinfo is not None for r in rows)
    assert [r.at for r in rows] == sorted(r.at for r in rows)
    out = tmp_path / "audit.csv"
    assert review.export_audit_csv(store, out) == len(rows)
    with open(out, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["id", "at", "reviewer", "event", "shoot_id", "pair_id", "summary",
                        "detail", "db_role"]
    assert len(table) == len(rows) + 1
    # The login that wrote each event (set by the server, not the client); a file has no roles.
    login = store.engine.url.username if store.backend == "postgresql" else None
    assert {r.db_role for r in rows} == {login}
    assert {r[8] for r in table[1:]} == {login or ""}
    annotation = next(r for r in table if r[3] == "annotation")
    assert json.loads(annotation[7])["text"] == 'say "cheese", please'
    assert review.audit_rows(store)[-1].event == "export"  # the export itself is audited
    assert review.csv_rows(rows)[1:] == table[1:]


def test_audit_csv_never_runs_a_formula_and_is_readable_by_others(store, pairs, tmp_path):
    """A reviewer named '=HYPERLINK(...)' or a pair named '+1' stays text in a spreadsheet;
    the file gets the usual permissions (a temp file's 0600 used to leak through)."""
    import os
    import stat

    store.reviewer = '=HYPERLINK("http://evil.example","click")'
    review.decide(store, pairs["look01"].id, "rejected", reasons=["artefact"])
    out = tmp_path / "audit.csv"
    review.export_audit_csv(store, out)
    with open(out, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    decision = next(r for r in table if r[3] == "decision")
    assert decision[2].startswith("'=HYPERLINK")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table[1:] for cell in row[:7])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask

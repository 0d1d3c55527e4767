"""PostgreSQL roles for a team: an owner that migrates, reviewers that can only add records.

Why: the append-only history (decisions, audit trail, ratings) is guarded by triggers, but a
table's owner can ``ALTER TABLE decisions DISABLE TRIGGER ...`` and rewrite it. So the role
that owns the schema (and runs the migrations) is not the one reviewers connect with.
Reviewers belong to a group role (``twinproof_reviewers`` by default) that gets:

- ``USAGE`` on the schema and its sequences (new rows need ids);
- ``SELECT, INSERT`` on every table: every record is a new row;
- ``UPDATE`` only on the columns below, the ones the app itself changes (the cached state,
  rating and files of a pair, an annotation's edits and soft delete, a comment's soft delete,
  a consent's revocation, a shoot's campaign, a reference portrait's removal). Nothing else:
  no ``UPDATE`` on decisions, the audit trail, analyses or ratings, no ``DELETE``,
  ``TRUNCATE``, ``ALTER`` or ``DROP`` anywhere; only ``SELECT`` on ``alembic_version``.

A reviewer role cannot disable a trigger (only a table's owner can), cannot update or delete
a decision, and cannot run migrations: a newer TwinProof asks the owner to upgrade
(``twinproof db upgrade --db OWNER_URL --reviewers twinproof_reviewers``), which also
re-applies these grants, since a migration may add tables and columns.

When the app gains a new ``UPDATE`` of a column, add it to ``REVIEWER_UPDATES``:
``tests/review/test_roles.py`` runs every review function as a reviewer and fails otherwise.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from twinproof.review.errors import ReviewError

DEFAULT_GROUP = "twinproof_reviewers"
#: table -> the columns the app UPDATEs (see the module docstring).
REVIEWER_UPDATES: dict[str, tuple[str, ...]] = {
    "shoots": ("campaign",),
    "pairs": ("real_path", "real_sha256", "twin_path", "twin_sha256", "talent_id", "state",
              "rating", "broken_at", "version"),
    "annotations": ("geometry", "text", "colour", "flag_category", "flag_region", "updated_at",
                    "updated_by", "deleted_at", "resolved_at", "resolved_by", "version"),
    "comments": ("deleted_at",),
    "consents": ("revoked_at",),
    "talent_references": ("removed_at", "removed_by"),
}
#: Tables a reviewer may only read (the migration bookkeeping).
READ_ONLY = ("alembic_version",)


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def grant_statements(conn: Connection, group: str) -> list[str]:
    """The GRANTs for ``group`` on the connection's current schema (existing tables only)."""
    schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
    tables = set(inspect(conn).get_table_names(schema=schema))
    s, g = _quote(conn, schema), _quote(conn, group)
    out = [f"GRANT USAGE ON SCHEMA {s} TO {g}",
           f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {g}",
           f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {s} TO {g}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {g}"]
    for table in sorted(tables & set(READ_ONLY)):
        out.append(f"REVOKE INSERT ON {s}.{_quote(conn, table)} FROM {g}")
    for table, columns in REVIEWER_UPDATES.items():
        if table not in tables:
            continue
        present = {c["name"] for c in inspect(conn).get_columns(table, schema=schema)}
        cols = ", ".join(_quote(conn, c) for c in columns if c in present)
        if cols:
            out.append(f"GRANT UPDATE ({cols}) ON {s}.{_quote(conn, table)} TO {g}")
    return out


def grant_reviewers(engine: Engine, group: str = DEFAULT_GROUP) -> list[str]:
    """Give the reviewer group its privileges on the current schema, as the schema's owner;
    returns the statements run. Idempotent: privileges are reset, then granted."""
    if engine.dialect.name != "postgresql":
        raise ReviewError("reviewer roles are a PostgreSQL feature; a SQLite shoot is one reviewer's file")
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).first()
        if exists is None:
            raise ReviewError(f"there is no role {group!r} on this server: a database administrator "
                              f"creates it (CREATE ROLE {group} NOLOGIN) and makes each reviewer a member")
        statements = grant_statements(conn, group)
        for statement in statements:
            conn.execute(text(statement))
    return statements


def is_schema_owner(conn: Connection) -> bool:
    """Whether the connected role owns the schema's tables (so may migrate them)."""
    owner = conn.execute(text(
        "SELECT pg_get_userbyid(c.relowner) = current_user FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = 'alembic_version'")).scalar()
    if owner is None:  # an empty schema: whoever may create tables in it
        return bool(conn.execute(text("SELECT has_schema_privilege(current_schema(), 'CREATE')")).scalar())
    return bool(owner)

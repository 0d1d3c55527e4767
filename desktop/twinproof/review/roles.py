"""PostgreSQL roles for a team: an owner that migrates, reviewers that can only add records
and make the changes the review rules allow, through the doors that check them.

Why: a reviewer connected with plain SQL (psql, a script, a patched client) must not be able
to do what the app refuses. The role that owns the schema (and runs the migrations) is not the
one reviewers connect with. Reviewers belong to a group role (``twinproof_reviewers`` by
default) that gets:

- ``USAGE`` on the schema and its sequences, ``SELECT`` on every table;
- ``INSERT`` only on the tables in ``REVIEWER_INSERTS`` (new pairs, marks, comments, stars,
  people, reference portraits, audit events - and of those, only the kinds no rule governs:
  a trigger refuses a forged ``decision``, ``consent``, ``analysis``... event);
- ``UPDATE`` only on the columns in ``REVIEWER_UPDATES`` (a pair's stars; an annotation's
  edits; a comment's soft delete; a shoot's campaign; a talent's name; a reference portrait's
  removal);
- ``EXECUTE`` on the rule functions of migration 0003: deciding, recording and revoking a
  consent (which suspends the approvals that rested on it), storing an analysis, changing a
  pair's files, linking a pair to its talent (a relink suspends an approval that rested on the
  former person's consent), unpairing. They run as the owner, check the rules and write the
  audit event, with the login's ``session_user`` as ``db_role``, in the same transaction.

Nothing else: no INSERT or UPDATE on decisions, consents or analyses, no UPDATE of a pair's
files, talent or unpairing, no ``DELETE``, ``TRUNCATE``, ``ALTER`` or ``DROP`` anywhere; a pair's state is not a
column at all (it is its newest decision). A reviewer cannot disable a trigger or replace a
function (only the owner can), and cannot migrate: a newer TwinProof asks the owner to
upgrade (``twinproof db upgrade --db OWNER_URL --reviewers twinproof_reviewers``), which also
re-applies these grants. What the owner can do is stated in docs/review.md.

When the app gains a new ``UPDATE`` of a column, add it to ``REVIEWER_UPDATES``:
``tests/review/test_roles.py`` runs every review function as a reviewer and fails otherwise.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from twinproof.review.errors import ReviewError
from twinproof.review.migrations.basis_0009 import FUNCTIONS as BASIS_FUNCTIONS
from twinproof.review.migrations.consent_0006 import FUNCTIONS as CONSENT_FUNCTIONS
from twinproof.review.migrations.control_0005 import FUNCTIONS as CONTROL_FUNCTIONS
from twinproof.review.migrations.generator_0007 import FUNCTIONS as GENERATOR_FUNCTIONS
from twinproof.review.migrations.rules_0003 import FUNCTIONS as RULES_0003

#: Every rule function a reviewer may call.
RULE_FUNCTIONS = (*RULES_0003, *CONTROL_FUNCTIONS, *CONSENT_FUNCTIONS, *GENERATOR_FUNCTIONS, *BASIS_FUNCTIONS)

DEFAULT_GROUP = "twinproof_reviewers"
#: Tables a reviewer adds rows to directly (decisions, consents, analyses: only through the
#: rule functions).
REVIEWER_INSERTS = ("shoots", "pairs", "annotations", "comments", "ratings", "talents",
                    "talent_references", "audit_events")
#: table -> the columns the app UPDATEs (see the module docstring).
REVIEWER_UPDATES: dict[str, tuple[str, ...]] = {
    "shoots": ("campaign",),
    "pairs": ("rating", "version"),
    "talents": ("name", "agency", "version"),
    "annotations": ("geometry", "text", "colour", "flag_metric", "flag_category", "flag_region", "updated_at",
                    "updated_by", "deleted_at", "resolved_at", "resolved_by", "version"),
    "comments": ("deleted_at",),
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
           f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {g}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {g}",
           f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {s} FROM {g}"]
    for table in REVIEWER_INSERTS:
        if table in tables:
            out.append(f"GRANT INSERT ON {s}.{_quote(conn, table)} TO {g}")
    defined = set(c.replace(" ", "") for c in conn.execute(text(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema()")).scalars())
    for function in RULE_FUNCTIONS:
        if function.replace(" ", "") in defined:  # an older schema (before 0003) has none
            out.append(f"GRANT EXECUTE ON FUNCTION {s}.{function} TO {g}")
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

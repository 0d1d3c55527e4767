"""Annotations link to the flag they answer by its measurement (``flag_metric``, the flag's dotted
``metric``), not by (category, region), which matched several flags (see ``flag_links``).

Existing links are filled from the flags of the pair's newest stored analysis (upgraded to the
current result schema first, so a schema-1 result's flags name their metric too) where exactly
one measurement matches; the others keep their old category and region and no metric.

On PostgreSQL annotations are written by the reviewer role directly (no rule function), with
column privileges: ``twinproof db upgrade --reviewers`` grants UPDATE of the new column
(``roles.REVIEWER_UPDATES``), as it did for 0003's changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def _flags(stored: Any) -> list[dict[str, Any]]:
    from twinproof.core.result.codec import DecodeError
    from twinproof.core.result.upgrade import upgrade

    data = json.loads(stored) if isinstance(stored, str | bytes) else stored
    if not isinstance(data, dict):
        return []
    with contextlib.suppress(DecodeError):  # a damaged or newer result: its flags as they are
        data = upgrade(data)
    return [f for f in data.get("flags") or [] if isinstance(f, dict)]


def upgrade() -> None:
    from twinproof.review.flag_links import linked_metric

    op.add_column("annotations", sa.Column("flag_metric", sa.String(200)))
    bind = op.get_bind()
    linked = bind.execute(sa.text(
        "SELECT id, pair_id, flag_category, flag_region FROM annotations "
        "WHERE flag_category IS NOT NULL ORDER BY pair_id, id")).all()
    flags_of: dict[int, list[dict[str, Any]]] = {}
    for annotation_id, pair_id, category, region in linked:
        if pair_id not in flags_of:
            stored = bind.execute(sa.text(
                "SELECT result FROM analyses WHERE pair_id = :p ORDER BY id DESC LIMIT 1"),
                {"p": pair_id}).scalar()
            flags_of[pair_id] = _flags(stored) if stored is not None else []
        metric = linked_metric(flags_of[pair_id], category, region)
        if metric is not None:
            bind.execute(sa.text("UPDATE annotations SET flag_metric = :m WHERE id = :id"),
                         {"m": metric, "id": annotation_id})


def downgrade() -> None:
    op.drop_column("annotations", "flag_metric")

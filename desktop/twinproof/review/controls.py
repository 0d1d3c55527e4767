"""A talent's control frames beside her new-shot twins, by generator (issue 23): the stored
results of her active pairs, read once, handed to ``core.compare.generator_bias``."""

from __future__ import annotations

from sqlalchemy import func, select

from twinproof.core.compare.generator_bias import GeneratorBias, generator_bias
from twinproof.core.result.codec import DecodeError
from twinproof.core.result.upgrade import upgrade
from twinproof.review import models as m
from twinproof.review.db import ReviewStore
from twinproof.review.talent import load_talent


def talent_bias(store: ReviewStore, talent: int | str) -> tuple[str, list[GeneratorBias]]:
    """The talent's name and, per generator with a control frame of her, its changes and her
    new-shot twins' (newest analysis of each active pair linked to her)."""
    newest = (select(m.Analysis.pair_id, func.max(m.Analysis.id).label("aid"))
              .group_by(m.Analysis.pair_id).subquery())
    with store.transaction() as session:
        row = load_talent(session, talent)
        name = row.name
        found = session.execute(
            select(m.Pair.name, m.Pair.control, m.Analysis.result)
            .join(newest, newest.c.pair_id == m.Pair.id)
            .join(m.Analysis, m.Analysis.id == newest.c.aid)
            .where(m.Pair.talent_id == row.id, m.Pair.broken_at.is_(None))
            .order_by(m.Pair.id)).all()
    pairs = []
    for pair, control, result in found:
        try:
            pairs.append((str(pair), bool(control), upgrade(dict(result))))
        except DecodeError:  # a result from a newer TwinProof: left out, not misread
            continue
    return name, generator_bias(pairs)

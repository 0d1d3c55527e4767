"""Star ratings: a reviewer's 0-5 grade of a twin, as Lightroom and Bridge users give them.

A rating is its own append-only history (``ratings`` rows, the newest cached on the pair),
audited like every change, never a comment read back by a pattern: typing "Rated 3/5" in a
comment is just a comment. 0 clears the stars. A rating is not a decision: rejecting a twin
does not change its stars, and the XMP a rejection writes (Rating -1) comes from the decision.
"""

from __future__ import annotations

from sqlalchemy import select

from twinproof.review import models as m
from twinproof.review.annotations import KEEP
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.errors import ConflictError, ReviewError
from twinproof.review.records import RatingRecord
from twinproof.review.shoots import check_version, load_pair

MAX_STARS = 5


def rate(store: ReviewStore, pair_id: int, stars: int, *, expected_version: int | None = None,
         expected_rating: int | None = KEEP) -> RatingRecord:
    """Give a pair ``stars`` (0-5; 0 clears). ``expected_version`` refuses a stale view;
    ``expected_rating`` (for undo) refuses when the pair's stars are no longer what the
    caller last saw (another reviewer rated it since); KEEP, the default, checks nothing."""
    if isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= MAX_STARS:
        raise ReviewError(f"a rating is 0 to {MAX_STARS} stars (0 clears), got {stars!r}")
    with store.transaction() as session:
        pair = load_pair(session, pair_id)
        check_version(pair, expected_version)
        if expected_rating is not KEEP and pair.rating != expected_rating:
            raise ConflictError(f"pair {pair.name!r} was rated {pair.rating} by another reviewer since; "
                                "nothing was overwritten - reload and try again")
        before = pair.rating
        row = m.Rating(pair_id=pair.id, stars=stars, reviewer=store.reviewer)
        session.add(row)
        pair.rating = stars
        session.flush()
        words = "stars cleared" if stars == 0 else f"rated {stars}/{MAX_STARS}"
        record(session, store.reviewer, AuditEventKind.RATING, f"{pair.name}: {words}",
               pair_id=pair.id, shoot_id=pair.shoot_id, stars=stars, previous=before, rating_id=row.id)
        return RatingRecord.of(row, pair.version)


def rating_history(store: ReviewStore, pair_id: int) -> list[RatingRecord]:
    """Every rating of a pair, oldest first."""
    query = select(m.Rating).where(m.Rating.pair_id == pair_id).order_by(m.Rating.id)
    with store.transaction() as session:
        load_pair(session, pair_id)
        return [RatingRecord.of(r) for r in session.scalars(query)]

"""The talent registry: each real person and the consent they gave for their digital twin.

A consent has a term (start and expiry dates, both inclusive), optional scope lists (the
campaigns and channels it covers; an empty list covers all) and a contract reference.
``consent_problems`` is the single rule the decision layer asks before any approval: it
returns, in words a reviewer can act on, everything that is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from twinproof.review import models as m
from twinproof.review import pg_rules
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.errors import ConflictError, NotFoundError, ReviewError
from twinproof.review.records import ConsentCoverage, ConsentRecord, TalentRecord
from twinproof.review.shoots import check_version, hash_file, load_pair


def load_talent(session: Session, ref: int | str) -> m.Talent:
    if isinstance(ref, int):
        talent = session.get(m.Talent, ref)
    else:
        talent = session.scalars(select(m.Talent).where(m.Talent.name == ref)).first()
    if talent is None:
        raise NotFoundError(f"no talent {ref!r} in the registry; add it first")
    return talent


def add_talent(store: ReviewStore, name: str, agency: str | None = None) -> TalentRecord:
    name = name.strip()
    if not name:
        raise ReviewError("a talent needs a name")
    with store.transaction() as session:
        if session.scalars(select(m.Talent).where(m.Talent.name == name)).first():
            raise ReviewError(f"talent {name!r} is already in the registry")
        talent = m.Talent(name=name, agency=agency)
        session.add(talent)
        session.flush()
        record(session, store.reviewer, AuditEventKind.TALENT, f"talent {name} added",
               talent_id=talent.id, agency=agency)
        return TalentRecord.of(talent)


def add_consent(
    store: ReviewStore,
    talent: int | str,
    *,
    contract_ref: str,
    starts_on: date,
    expires_on: date,
    campaigns: Iterable[str] = (),
    channels: Iterable[str] = (),
    release: str | Path | None = None,
    no_release_reason: str | None = None,
) -> ConsentRecord:
    """Record a signed consent for a talent (by id or name), with the signed release file
    if given: its path and the sha256 of its bytes are stored, the file is never touched.
    Without one, ``no_release_reason`` says why (kept in the audit trail with the consent);
    one or the other is required here, as the app's form requires it, so neither the CLI nor
    a script records a consent that nothing documents (:data:`NO_RELEASE`)."""
    if expires_on < starts_on:
        raise ReviewError(f"consent expires ({expires_on}) before it starts ({starts_on})")
    if not contract_ref.strip():
        raise ReviewError("a consent needs a contract reference")
    release_path, release_sha = _release(release)
    no_release_reason = " ".join((no_release_reason or "").split()) or None  # as the form does
    if release_path is None and no_release_reason is None:
        raise ReviewError(NO_RELEASE)
    with store.transaction() as session:
        row = load_talent(session, talent)
        if pg_rules.on_postgres(session):  # consents are written only by the database's rule
            made = session.get(m.Consent, pg_rules.add_consent(
                session, row.id, contract_ref.strip(), starts_on, expires_on, sorted(set(campaigns)),
                sorted(set(channels)), release_path, release_sha, store.reviewer, no_release_reason))
            assert made is not None
            return ConsentRecord.of(made)
        consent = m.Consent(
            talent_id=row.id, contract_ref=contract_ref.strip(), starts_on=starts_on,
            expires_on=expires_on, campaigns=sorted(set(campaigns)),
            channels=sorted(set(channels)), recorded_by=store.reviewer,
            release_path=release_path, release_sha256=release_sha,
        )
        session.add(consent)
        session.flush()
        why_none = (no_release_reason or "").strip() if release_path is None else ""
        extra: dict[str, Any] = {"no_release_reason": why_none} if why_none else {}
        record(session, store.reviewer, AuditEventKind.CONSENT,
               f"consent {consent.contract_ref} for {row.name}: {starts_on} to {expires_on}"
               + (f"; no signed release: {why_none}" if why_none else ""),
               talent_id=row.id, consent_id=consent.id, campaigns=consent.campaigns,
               channels=consent.channels, release_path=release_path, release_sha256=release_sha,
               **extra)
        return ConsentRecord.of(consent)


#: The app's wording (``gui.talentforms``) for a consent with neither a signed release nor a
#: reason why there is none.
NO_RELEASE = "Attach the signed release, or say why there is none."


def _release(release: str | Path | None) -> tuple[str | None, str | None]:
    """The release file's absolute path and content hash, or a clear refusal."""
    if release is None or str(release).strip() == "":
        return None, None
    path = Path(release).expanduser()
    try:
        if not path.is_file():
            raise ReviewError(f"signed release {path}: not found (or not a file)")
        return str(path.resolve()), hash_file(path)
    except (OSError, RuntimeError) as exc:  # permissions, I/O errors, symlink loops
        raise ReviewError(f"signed release {path}: cannot be read ({exc})") from exc


def revoke_consent(store: ReviewStore, consent_id: int, reason: str | None = None) -> list[int]:
    """A talent withdrew a consent: it stays on record but no longer allows approvals, and
    every approval that rested on it becomes ``suspended`` (a decision the record writes,
    audited): the twin is not cleared for use until approved again under another consent.
    The first revocation stands (revoking again is refused rather than moving its date; the
    database refuses un-revoking too). Returns the ids of the suspended pairs."""
    with store.transaction() as session:
        if pg_rules.on_postgres(session):
            return pg_rules.revoke_consent(session, consent_id, reason, store.reviewer)
        consent = session.get(m.Consent, consent_id)
        if consent is None:
            raise NotFoundError(f"no consent with id {consent_id}")
        if consent.revoked_at is not None:
            raise ReviewError(f"consent {consent.contract_ref} was already revoked on "
                              f"{consent.revoked_at.date()}")
        consent.revoked_at = m.utcnow()
        record(session, store.reviewer, AuditEventKind.CONSENT,
               f"consent {consent.contract_ref} revoked" + (f": {reason}" if reason else ""),
               talent_id=consent.talent_id, consent_id=consent.id, reason=reason)
        return _suspend_approvals(session, store.reviewer, consent, reason)


def _suspend_approvals(session: Session, reviewer: str, consent: m.Consent,
                       reason: str | None) -> list[int]:
    """``twinproof_revoke_consent``'s suspension, on a SQLite file: each pair whose newest
    decision is an approval resting on ``consent`` (or, for approvals older than schema 0003,
    which did not record their consent, on any consent of the pair's talent)."""
    from twinproof.review.shoots import bump_version, latest_analysis_row

    why = (f"consent {consent.contract_ref} of {consent.talent.name} revoked on "
           f"{m.utcnow().date()}" + (f": {reason}" if reason else ""))
    newest = (select(m.Decision.pair_id, func.max(m.Decision.id).label("last"))
              .group_by(m.Decision.pair_id).subquery())
    query = (select(m.Pair, m.Decision).join(newest, newest.c.pair_id == m.Pair.id)
             .join(m.Decision, m.Decision.id == newest.c.last)
             .where(m.Decision.state.in_(("approved", "approved_with_changes")))
             .where(or_(m.Decision.consent_id == consent.id,
                        and_(m.Decision.consent_id.is_(None), m.Pair.talent_id == consent.talent_id)))
             .order_by(m.Pair.id))
    suspended = []
    for pair, approval in session.execute(query).all():
        analysis = latest_analysis_row(session, pair.id)
        row = m.Decision(pair_id=pair.id, state="suspended", reasons=[], reason_text=why,
                         verdict_at_decision=analysis.verdict if analysis else None,
                         analysis_id=analysis.id if analysis else None, reviewer=reviewer,
                         consent_id=consent.id)
        session.add(row)
        session.flush()
        bump_version(session, pair)
        record(session, reviewer, AuditEventKind.SUSPENDED,
               f"{pair.name}: {approval.state.replace('_', ' ')} suspended - {why}",
               pair_id=pair.id, shoot_id=pair.shoot_id, decision_id=row.id,
               suspended_decision_id=approval.id, consent_id=consent.id, reason=reason)
        suspended.append(pair.id)
    return suspended


def _suspend_relinked(session: Session, reviewer: str, pair: m.Pair, before: m.Talent | None,
                      after: m.Talent | None) -> None:
    """``twinproof_link_talent``'s rule on a SQLite file: an approval rested on the consent of
    the person the pair was linked to; linked to someone else, it is suspended."""
    newest = session.scalars(select(m.Decision).where(m.Decision.pair_id == pair.id)
                             .order_by(m.Decision.id.desc()).limit(1)).first()
    if newest is None or newest.state not in ("approved", "approved_with_changes"):
        return
    old = before.name if before else None
    why = (f"the pair was relinked from {old or 'no talent'} to {after.name if after else 'no talent'}: "
           f"the approval rested on {old or 'no one'}'s consent")
    row = m.Decision(pair_id=pair.id, state="suspended", reasons=[], reason_text=why,
                     verdict_at_decision=newest.verdict_at_decision, analysis_id=newest.analysis_id,
                     reviewer=reviewer, consent_id=newest.consent_id)
    session.add(row)
    session.flush()
    record(session, reviewer, AuditEventKind.SUSPENDED,
           f"{pair.name}: {newest.state.replace('_', ' ')} suspended - {why}", pair_id=pair.id,
           shoot_id=pair.shoot_id, decision_id=row.id, suspended_decision_id=newest.id,
           consent_id=newest.consent_id, talent_id=after.id if after else None)


def update_talent(store: ReviewStore, talent_id: int, *, name: str | None = None,
                  agency: str | None = None, expected_version: int | None = None) -> TalentRecord:
    """Correct a person's name or agency (None leaves a field; "" clears the agency); audited
    with the old and new values, refused when someone else edited the person since."""
    with store.transaction() as session:
        row = load_talent(session, talent_id)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(f"talent {row.name!r} was changed by another reviewer; reload")
        before = {"name": row.name, "agency": row.agency}
        if name is not None:
            name = name.strip()
            if not name:
                raise ReviewError("a talent needs a name")
            clash = session.scalars(select(m.Talent).where(m.Talent.name == name,
                                                           m.Talent.id != row.id)).first()
            if clash is not None:
                raise ReviewError(f"talent {name!r} is already in the registry")
            row.name = name
        if agency is not None:
            row.agency = agency.strip() or None
        after = {"name": row.name, "agency": row.agency}
        if after != before:
            session.flush()
            record(session, store.reviewer, AuditEventKind.TALENT,
                   f"talent {before['name']} edited" + (f" (now {row.name})" if row.name != before["name"] else ""),
                   talent_id=row.id, before=before, after=after)
        return TalentRecord.of(row)


def list_talent(store: ReviewStore) -> list[TalentRecord]:
    query = select(m.Talent).options(selectinload(m.Talent.consents)).order_by(m.Talent.name)
    with store.transaction() as session:
        return [TalentRecord.of(t) for t in session.scalars(query)]


def get_talent(store: ReviewStore, ref: int | str) -> TalentRecord:
    with store.transaction() as session:
        return TalentRecord.of(load_talent(session, ref))


def link_talent(
    store: ReviewStore,
    pair_ids: Sequence[int],
    talent: int | str | None,
    expected_versions: Sequence[int | None] | None = None,
) -> None:
    """Say who the real person in these pairs is (None unlinks); one transaction for all."""
    versions = list(expected_versions or [None] * len(pair_ids))
    with store.transaction() as session:
        row = None if talent is None else load_talent(session, talent)
        for pair_id, expected in zip(pair_ids, versions, strict=True):
            if pg_rules.on_postgres(session):  # a link decides which consent an approval needs
                pg_rules.link_talent(session, pair_id, None if row is None else row.id, expected,
                                     store.reviewer)
                continue
            pair = load_pair(session, pair_id)
            check_version(pair, expected)
            before = pair.talent
            pair.talent_id = None if row is None else row.id
            record(session, store.reviewer, AuditEventKind.TALENT,
                   f"{pair.name}: talent {'unlinked' if row is None else row.name}",
                   pair_id=pair.id, shoot_id=pair.shoot_id,
                   talent_id=None if row is None else row.id,
                   previous_talent_id=None if before is None else before.id)
            if (before is None) != (row is None) or (before is not None and row is not None
                                                    and before.id != row.id):
                _suspend_relinked(session, store.reviewer, pair, before, row)


def consent_check(store: ReviewStore, pair_id: int, on: date | None = None,
                  channel: str | None = None) -> list[str]:
    """What would block approving this pair today (or ``on``); empty = consent is valid.

    For a GUI badge or an export cover page: the same rule ``decide`` applies, nothing audited.
    """
    with store.transaction() as session:
        return consent_problems(session, load_pair(session, pair_id), on or date.today(), channel)


def consent_check_for(store: ReviewStore, pair_id: int, talent: int | str,
                      on: date | None = None, channel: str | None = None) -> list[str]:
    """``consent_check`` as if the pair were linked to ``talent``: what a link dialog asks
    before linking, so a reviewer is told when a link would open the pair to approval."""
    with store.transaction() as session:
        pair = load_pair(session, pair_id)
        return talent_problems(load_talent(session, talent), pair.shoot.campaign, on or date.today(),
                               channel)


def consent_problems(
    session: Session, pair: m.Pair, on: date, channel: str | None = None
) -> list[str]:
    """What stops this pair's twin being approved on ``on``; empty when consent is valid."""
    if pair.talent is None:
        return [f"pair {pair.name!r} is linked to no talent: say who the real person is"]
    return talent_problems(pair.talent, pair.shoot.campaign, on, channel)


def talent_problems(talent: m.Talent, campaign: str | None, on: date,
                    channel: str | None = None) -> list[str]:
    """The consent rule for one person and a shoot's campaign (see ``consent_problems``)."""
    consents = [c for c in talent.consents if c.revoked_at is None]
    if not consents:
        revoked = " (all revoked)" if talent.consents else ""
        return [f"talent {talent.name} has no recorded consent{revoked} for a digital twin"]
    problems: list[str] = []
    for c in consents:
        issue = consent_issues(c, campaign, on, channel)
        if not issue:
            return []
        problems.append(f"consent {c.contract_ref} of {talent.name} " + " and ".join(issue))
    return problems


def covering_consent(pair: m.Pair, on: date, channel: str | None = None) -> m.Consent | None:
    """The consent an approval of this pair on ``on`` rests on (the first that covers it)."""
    if pair.talent is None:
        return None
    campaign = pair.shoot.campaign
    return next((c for c in pair.talent.consents
                 if not consent_issues(c, campaign, on, channel)), None)


def consent_issues(c: m.Consent, campaign: str | None, on: date,
                   channel: str | None = None) -> list[str]:
    """Why this one consent does not cover a twin of ``campaign`` on ``on`` (empty: it does)."""
    issue = []
    if c.revoked_at is not None:
        issue.append(f"was revoked on {c.revoked_at.date()}")
    if on < c.starts_on:
        issue.append(f"starts only on {c.starts_on}")
    if on > c.expires_on:
        issue.append(f"expired on {c.expires_on}")
    if c.campaigns and campaign and campaign not in c.campaigns:
        issue.append(f"does not cover campaign {campaign!r} ({', '.join(c.campaigns)})")
    if c.campaigns and not campaign:
        issue.append("covers only named campaigns and the shoot has no campaign set")
    if c.channels and channel and channel not in c.channels:
        issue.append(f"does not cover channel {channel!r} ({', '.join(c.channels)})")
    return issue


def consent_coverage(store: ReviewStore, consent_id: int,
                     on: date | None = None) -> list[ConsentCoverage]:
    """Every active pair of the consent's talent, and whether this consent alone covers it
    today (or ``on``): its term, and the pair's shoot campaign against its campaign list."""
    day = on or date.today()
    with store.transaction() as session:
        consent = session.get(m.Consent, consent_id)
        if consent is None:
            raise NotFoundError(f"no consent with id {consent_id}")
        query = (select(m.Pair).where(m.Pair.talent_id == consent.talent_id,
                                      m.Pair.broken_at.is_(None))
                 .options(selectinload(m.Pair.shoot)).order_by(m.Pair.shoot_id, m.Pair.id))
        out = []
        for pair in session.scalars(query):
            issues = consent_issues(consent, pair.shoot.campaign, day)
            out.append(ConsentCoverage(pair.id, pair.name, pair.shoot.name, pair.shoot.campaign,
                                       not issues, "; ".join(issues)))
        return out

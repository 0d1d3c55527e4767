"""Shoots and pairs: import from folders, pair by hand, file hashes, stored analyses.

Files are identified by their SHA-256 as well as their path: a retouched or re-exported twin
keeps its name, and the hash is how the record notices that its analysis (and any decision
made on it) refers to content that is gone. Hashing reads whole files, so it runs outside
transactions; only the short write of the result holds the database.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twinproof.hashing import file_sha256 as hash_file
from twinproof.review import models as m
from twinproof.review import pg_rules
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.errors import ConflictError, NotFoundError, PairingError
from twinproof.review.pair_rules import pair_conflict
from twinproof.review.pairing import (
    PairingResult,
    Unmatched,
    image_files,
    pair_folders,
    pair_single_folder,
)
from twinproof.review.records import PairRecord, ShootRecord
from twinproof.review.staleness import TalentNow, talents_now


def load_pair(session: Session, pair_id: int) -> m.Pair:
    pair = session.get(m.Pair, pair_id)
    if pair is None:
        raise NotFoundError(f"no pair with id {pair_id}")
    return pair


def check_version(pair: m.Pair, expected_version: int | None) -> None:
    """Refuse to act on a pair the caller saw at an older version (None: no check)."""
    if expected_version is not None and pair.version != expected_version:
        raise ConflictError(
            f"pair {pair.name!r} was changed by another reviewer (now version {pair.version}, "
            f"you had {expected_version}); nothing was overwritten - reload and try again"
        )


def bump_version(session: Session, pair: m.Pair) -> int:
    """A new version of the pair (a decision is a change of it, even one that repeats its
    state: another reviewer who saw the pair before must get the conflict, not add theirs).
    Checked like SQLAlchemy's own ``version_id_col`` update: a row found at another version
    means someone got there first."""
    session.flush()
    done = session.execute(
        update(m.Pair).where(m.Pair.id == pair.id, m.Pair.version == pair.version)
        .values(version=m.Pair.version + 1).execution_options(synchronize_session=False))
    if getattr(done, "rowcount", 1) != 1:
        raise ConflictError(f"pair {pair.name!r} was changed by another reviewer while this was "
                            "being saved; nothing was overwritten - reload and try again")
    session.expire(pair)
    return pair.version


def change_file(session: Session, reviewer: str, pair: m.Pair, side: str, path: str | None,
                digest: str, summary: str) -> None:
    """A pair's real or twin file has new content (or a new path): take it and audit it as
    ``file_changed``, one wording for every way it is found. On PostgreSQL the database does
    it (the reviewer role may not touch a pair's files directly)."""
    if pg_rules.on_postgres(session):
        pg_rules.set_file(session, pair.id, side, path, digest, summary,
                          "re-hashed by the client", reviewer)
        return
    previous = getattr(pair, f"{side}_sha256")
    if path is not None:
        setattr(pair, f"{side}_path", path)
    setattr(pair, f"{side}_sha256", digest)
    record(session, reviewer, AuditEventKind.FILE_CHANGED, f"{pair.name}: {summary}",
           pair_id=pair.id, shoot_id=pair.shoot_id, side=side,
           path=getattr(pair, f"{side}_path"), sha256=digest, previous_sha256=previous)


def latest_analysis_row(session: Session, pair_id: int) -> m.Analysis | None:
    query = select(m.Analysis).where(m.Analysis.pair_id == pair_id).order_by(m.Analysis.id.desc())
    return session.scalars(query.limit(1)).first()


def pair_record(session: Session, pair: m.Pair, talents: dict[int, TalentNow] | None = None) -> PairRecord:
    """The pair's record; ``talents`` (each talent's portraits now, for a list of pairs read at
    once) spares a query per pair."""
    now = talents if talents is not None else talents_now(session, [pair.talent_id])
    return PairRecord.of(pair, latest_analysis_row(session, pair.id), now)


@dataclass(frozen=True)
class ImportResult:
    shoot: ShootRecord
    added: list[PairRecord] = field(default_factory=list)
    changed: list[PairRecord] = field(default_factory=list)
    unchanged: list[PairRecord] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    skipped: list[Unmatched] = field(default_factory=list)


def _shoot(session: Session, name: str, **values: str | None) -> m.Shoot:
    shoot = session.scalars(select(m.Shoot).where(m.Shoot.name == name)).first()
    if shoot is None:
        shoot = m.Shoot(name=name, **values)
        session.add(shoot)
        session.flush()
    return shoot


def create_shoot(store: ReviewStore, name: str, campaign: str | None = None) -> ShootRecord:
    """A shoot with no pairs yet (or the existing one of that name)."""
    with store.transaction() as session:
        known = session.scalars(select(m.Shoot.id).where(m.Shoot.name == name)).first()
        s = _shoot(session, name, campaign=campaign)
        if known is None:
            record(session, store.reviewer, AuditEventKind.IMPORT, f"shoot {name} created",
                   shoot_id=s.id, campaign=campaign)
        return ShootRecord(s.id, s.name, s.campaign, s.real_dir, s.twin_dir, s.created_at)


def list_shoots(store: ReviewStore) -> list[ShootRecord]:
    with store.transaction() as session:
        return [
            ShootRecord(s.id, s.name, s.campaign, s.real_dir, s.twin_dir, s.created_at)
            for s in session.scalars(select(m.Shoot).order_by(m.Shoot.id))
        ]


def _hash_readable(found: PairingResult) -> PairingResult:
    """Move pairs with a file that cannot be read (permissions, vanished, an I/O error) to
    unmatched with the reason, so one bad file does not abort the import of the whole shoot."""
    pairs, unmatched = [], list(found.unmatched)
    for mp in found.pairs:
        bad_name = next((p for p in (mp.real, mp.twin) if not _utf8_name(p)), None)
        if bad_name is not None:  # the record (and every export) is UTF-8: such a name cannot be kept
            why = f"{printable_path(bad_name.name)}: {NOT_UTF8}"
            unmatched += [Unmatched(mp.real, "real", why), Unmatched(mp.twin, "twin", why)]
            continue
        try:
            for path in (mp.real, mp.twin):
                with open(path, "rb") as handle:
                    handle.read(1)
        except OSError as exc:
            why = f"{path.name} cannot be read ({exc.strerror or exc})"
            unmatched += [Unmatched(mp.real, "real", why), Unmatched(mp.twin, "twin", why)]
        else:
            pairs.append(mp)
    return PairingResult(pairs, unmatched, list(found.skipped))


#: What to do about a file name that is not UTF-8 (pairing by hand and import say the same).
NOT_UTF8 = ("its name is not valid UTF-8 (rename the file, e.g. in the file manager or with "
            "`convmv -f latin1 -t utf8 --notest FILE`, then import or pair it again)")


def _utf8_name(path: Path) -> bool:
    """False for a name the OS gave as bytes that are not UTF-8 (``caf\\xe9.jpg`` written on
    a Latin-1 system): Python holds them as surrogates, which no UTF-8 text can store."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_path(path: str | Path) -> str:
    """A path as text that can always be printed or stored: undecodable bytes as ``\\xe9``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def import_shoot(
    store: ReviewStore,
    real_dir: str | Path,
    twin_dir: str | Path | None = None,
    *,
    name: str | None = None,
    campaign: str | None = None,
    talent_id: int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ImportResult:
    """Pair the folders and store the pairs; re-importing updates changed files' hashes.
    ``progress(fraction, stage)`` hears each stage (hashing a shoot of TIFFs takes a while)."""
    report = progress or (lambda _f, _s: None)
    real = Path(real_dir).resolve()
    twin = Path(twin_dir).resolve() if twin_dir is not None else real
    report(0.0, "matching real photographs with their twins")
    found: PairingResult = pair_folders(real, twin) if twin != real else pair_single_folder(real)
    found = _hash_readable(found)
    files = list(dict.fromkeys(p for mp in found.pairs for p in (mp.real, mp.twin)))  # a real frame once
    hashes = {}
    for i, path in enumerate(files):
        report(0.05 + 0.9 * i / max(1, len(files)), f"hashing {path.name} ({i + 1} of {len(files)} files)")
        hashes[path] = hash_file(path)
    report(0.95, "storing the pairs")
    shoot_name = name or (real.name if twin == real else real.parent.name or real.name)
    with store.transaction() as session:
        shoot = _shoot(session, shoot_name, campaign=campaign, real_dir=str(real),
                       twin_dir=str(twin))
        existing = {
            p.name: p
            for p in session.scalars(select(m.Pair).where(m.Pair.shoot_id == shoot.id))
        }
        added, changed, unchanged = [], [], []
        paired = {f for p in existing.values() if p.broken_at is None for f in (p.real_path, p.twin_path)}
        unmatched = [u for u in found.unmatched if str(u.path) not in paired]  # paired by hand
        for mp in found.pairs:
            row = existing.get(mp.name)
            values = dict(real_path=str(mp.real), real_sha256=hashes[mp.real],
                          twin_path=str(mp.twin), twin_sha256=hashes[mp.twin])
            if row is None and (why := pair_conflict(
                    (p for p in existing.values() if p.broken_at is None), str(mp.real), str(mp.twin))):
                unmatched.append(Unmatched(mp.twin, "twin", why))  # e.g. paired by hand before
                continue
            if row is None:
                row = m.Pair(shoot_id=shoot.id, name=mp.name, talent_id=talent_id, **values)
                session.add(row)
                added.append(row)
            elif row.broken_at is None and any(getattr(row, k) != v for k, v in values.items()):
                for side in ("real", "twin"):
                    new_path, digest = values[f"{side}_path"], values[f"{side}_sha256"]
                    if (getattr(row, f"{side}_path"), getattr(row, f"{side}_sha256")) != (new_path, digest):
                        change_file(session, store.reviewer, row, side, new_path, digest,
                                    f"{side} image content changed on re-import")
                changed.append(row)
            else:
                unchanged.append(row)
        session.flush()
        record(session, store.reviewer, AuditEventKind.IMPORT,
               f"imported {len(added)} new, {len(changed)} changed pair(s) into {shoot.name}",
               shoot_id=shoot.id, real_dir=str(real), twin_dir=str(twin),
               added=[p.name for p in added], changed=[p.name for p in changed],
               unmatched=[printable_path(u.path) for u in unmatched],
               skipped=[f"{printable_path(u.path)}: {u.reason}" for u in found.skipped])
        return ImportResult(
            ShootRecord(shoot.id, shoot.name, shoot.campaign, shoot.real_dir, shoot.twin_dir,
                        shoot.created_at),
            [pair_record(session, p) for p in added], [pair_record(session, p) for p in changed],
            [pair_record(session, p) for p in unchanged], unmatched,
            list(found.skipped),
        )


def list_pairs(
    store: ReviewStore, shoot_id: int | None = None, *, include_broken: bool = False
) -> list[PairRecord]:
    query = select(m.Pair).order_by(m.Pair.shoot_id, m.Pair.id)
    if shoot_id is not None:
        query = query.where(m.Pair.shoot_id == shoot_id)
    if not include_broken:
        query = query.where(m.Pair.broken_at.is_(None))
    with store.transaction() as session:
        pairs = list(session.scalars(query))
        now = talents_now(session, (p.talent_id for p in pairs))
        return [pair_record(session, p, now) for p in pairs]


def get_pair(store: ReviewStore, pair_id: int) -> PairRecord:
    with store.transaction() as session:
        return pair_record(session, load_pair(session, pair_id))


def find_pair(store: ReviewStore, ref: str | int) -> PairRecord:
    """A pair by id, or by name when that name is unique among active pairs."""
    if isinstance(ref, int) or str(ref).isdecimal():  # "²" isdigit() but is no id
        return get_pair(store, int(ref))
    matches = [p for p in list_pairs(store) if p.name.casefold() == str(ref).casefold()]
    if len(matches) != 1:
        found = "no" if not matches else f"{len(matches)}"
        raise NotFoundError(f"{found} active pair(s) named {ref!r}; give the pair id instead")
    return matches[0]


def make_pair(store: ReviewStore, shoot_id: int, real_path: str | Path,
              twin_path: str | Path, name: str | None = None) -> PairRecord:
    """Pair two files by hand (e.g. files the naming conventions could not match). A real
    photograph may be in several pairs, one per twin (see :mod:`twinproof.review.pair_rules`)."""
    real, twin = Path(real_path).resolve(), Path(twin_path).resolve()
    if real == twin:
        raise PairingError(f"{real} cannot be paired with itself: choose the real photograph "
                           "and its twin")
    for path in (real, twin):
        if not _utf8_name(path):  # it used to end in a bare codec error naming no file
            raise PairingError(f"{printable_path(path)}: {NOT_UTF8}")
        if not path.is_file():
            raise PairingError(f"{path} is not a file")
    hashes = hash_file(real), hash_file(twin)
    with store.transaction() as session:
        if session.get(m.Shoot, shoot_id) is None:
            raise NotFoundError(f"no shoot with id {shoot_id}")
        active = select(m.Pair).where(m.Pair.shoot_id == shoot_id, m.Pair.broken_at.is_(None)
                                      ).order_by(m.Pair.id)
        if why := pair_conflict(session.scalars(active), str(real), str(twin)):
            raise PairingError(why)
        pair_name = name or real.stem
        taken = {p.name for p in session.scalars(select(m.Pair).where(m.Pair.shoot_id == shoot_id))}
        suffix = 2
        while pair_name in taken:
            pair_name, suffix = f"{name or real.stem} ({suffix})", suffix + 1
        pair = m.Pair(shoot_id=shoot_id, name=pair_name, real_path=str(real), twin_path=str(twin),
                      real_sha256=hashes[0], twin_sha256=hashes[1])
        session.add(pair)
        session.flush()
        record(session, store.reviewer, AuditEventKind.PAIR_MADE, f"{pair_name}: paired by hand",
               pair_id=pair.id, shoot_id=shoot_id, real=str(real), twin=str(twin))
        return pair_record(session, pair)


def break_pair(store: ReviewStore, pair_id: int, expected_version: int | None = None) -> None:
    """Unpair by hand; the pair and its history stay in the record, hidden from listings."""
    with store.transaction() as session:
        if pg_rules.on_postgres(session):  # the reviewer role may not hide a pair by itself
            pg_rules.break_pair(session, pair_id, expected_version, store.reviewer)
            return
        pair = load_pair(session, pair_id)
        check_version(pair, expected_version)
        pair.broken_at = m.utcnow()
        record(session, store.reviewer, AuditEventKind.PAIR_BROKEN, f"{pair.name}: unpaired",
               pair_id=pair.id, shoot_id=pair.shoot_id)


def set_control(store: ReviewStore, pair_id: int, control: bool = True, expected_version: int | None = None) -> int:
    """Mark the pair a control frame (the generator's twin of this very real frame) or unmark
    it; audited; the pair's new version. Its next analysis measures it as a same frame."""
    with store.transaction() as session:
        if pg_rules.on_postgres(session):  # the reviewer role holds no UPDATE on pairs.control
            return pg_rules.set_control(session, pair_id, control, expected_version, store.reviewer)
        return set_pair_attribute(session, store.reviewer, pair_id, expected_version, "control", control,
                                  AuditEventKind.CONTROL,
                                  "marked a control frame" if control else "no longer a control frame")


def set_pair_attribute(session: Session, reviewer: str, pair_id: int, expected_version: int | None,
                       attribute: str, value: object, kind: AuditEventKind, words: str) -> int:
    """Set one reviewer-set attribute of a pair (SQLite; on PostgreSQL a rule function does it):
    version-checked, audited with the value before; the pair's new version."""
    pair = load_pair(session, pair_id)
    check_version(pair, expected_version)
    before = getattr(pair, attribute)
    setattr(pair, attribute, value)
    session.flush()  # the pair's version_id_col: a reviewer who saw it before gets the conflict
    version = pair.version
    record(session, reviewer, kind, f"{pair.name}: {words}", pair_id=pair.id, shoot_id=pair.shoot_id,
           **{attribute: value}, previous=before)
    return version


def unmatched_files(store: ReviewStore, shoot_id: int) -> list[Path]:
    """Image files in the shoot's folders that are in no active pair (to pair by hand)."""
    with store.transaction() as session:
        shoot = session.get(m.Shoot, shoot_id)
        if shoot is None:
            raise NotFoundError(f"no shoot with id {shoot_id}")
        folders = {Path(d) for d in (shoot.real_dir, shoot.twin_dir) if d}
        active = select(m.Pair).where(m.Pair.shoot_id == shoot_id, m.Pair.broken_at.is_(None))
        used = {p for pair in session.scalars(active) for p in (pair.real_path, pair.twin_path)}
    return [f for d in sorted(folders) if d.is_dir() for f in image_files(d) if str(f) not in used]


def set_campaign(store: ReviewStore, shoot_id: int, campaign: str | None) -> None:
    """The campaign a shoot is for: consent scopes are checked against it."""
    with store.transaction() as session:
        shoot = session.get(m.Shoot, shoot_id)
        if shoot is None:
            raise NotFoundError(f"no shoot with id {shoot_id}")
        shoot.campaign = campaign
        record(session, store.reviewer, AuditEventKind.IMPORT,
               f"shoot {shoot.name}: campaign set to {campaign}", shoot_id=shoot.id,
               campaign=campaign)

"""The client side of the rule functions a PostgreSQL team database holds (migration 0003).

On PostgreSQL every write that a rule governs (a decision, a consent and its revocation, an
analysis, a pair's files) is one call to a ``SECURITY DEFINER`` function that checks the rule
and writes the audit event in the same transaction; the reviewer role holds no INSERT or
UPDATE on those tables, so no client - this one, psql, a script - can go around it. On a
SQLite file (one reviewer, no roles) the same rules run in Python in the calling modules;
the tests run both backends against the same expectations.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from twinproof.review import models as m
from twinproof.review.staleness import Basis


def on_postgres(session: Session) -> bool:
    """Whether the session's database enforces the rules itself."""
    return session.get_bind().dialect.name == "postgresql"


def _jsonb(value: Any) -> str:
    return json.dumps(value, default=str)


def decide(session: Session, pair_id: int, state: str, reasons: list[str], reason_text: str | None,
           comment: str | None, override: str | None, expected_version: int | None,
           on: date | None, channel: str | None, reviewer: str) -> dict[str, Any]:
    """``{"decision_id", "pair_version"}``, ``{"blocked": [problems]}`` or ``{"stale": why, "pair":
    name}`` (migration 0010; the block or the refusal is audited in this transaction: commit it,
    then refuse)."""
    result = session.execute(text(
        "SELECT twinproof_decide(:pair, :state, CAST(:reasons AS jsonb), :reason_text, :comment, "
        ":override, :expected, :on, :channel, :reviewer)"), {
            "pair": pair_id, "state": state, "reasons": _jsonb(reasons), "reason_text": reason_text,
            "comment": comment, "override": override, "expected": expected_version, "on": on,
            "channel": channel, "reviewer": reviewer}).scalar_one()
    _forget_pair(session, pair_id)
    return dict(result)


def add_consent(session: Session, talent_id: int, contract_ref: str, starts_on: date,
                expires_on: date, campaigns: list[str], channels: list[str],
                release_path: str | None, release_sha256: str | None, reviewer: str,
                no_release_reason: str | None = None) -> int:
    return int(session.execute(text(
        "SELECT twinproof_add_consent(:talent, :ref, :starts, :expires, CAST(:campaigns AS jsonb), "
        "CAST(:channels AS jsonb), :release_path, :release_sha, :reviewer, CAST(:why AS text))"), {
            "talent": talent_id, "ref": contract_ref, "starts": starts_on, "expires": expires_on,
            "campaigns": _jsonb(campaigns), "channels": _jsonb(channels),
            "release_path": release_path, "release_sha": release_sha256,
            "reviewer": reviewer, "why": no_release_reason}).scalar_one())


def revoke_consent(session: Session, consent_id: int, reason: str | None, reviewer: str) -> list[int]:
    """Revoke; returns the ids of the pairs whose approval was suspended."""
    result = session.execute(text("SELECT twinproof_revoke_consent(:consent, :reason, :reviewer)"),
                             {"consent": consent_id, "reason": reason, "reviewer": reviewer}).scalar_one()
    suspended = [int(i) for i in dict(result)["suspended"]]
    for pair_id in suspended:
        _forget_pair(session, pair_id)
    consent = session.get(m.Consent, consent_id)
    if consent is not None:
        session.expire(consent)
    return suspended


def set_reference_file(session: Session, reference_id: int, problem: str | None, summary: str,
                       reviewer: str) -> bool:
    """A portrait file's state as last seen, audited by the database (False: nothing changed)."""
    return bool(session.execute(text("SELECT twinproof_set_reference_file(:ref, :problem, :summary, :reviewer)"),
                                {"ref": reference_id, "problem": problem, "summary": summary,
                                 "reviewer": reviewer}).scalar_one())


def store_analysis(session: Session, pair_id: int, result: dict[str, Any], policy_name: str | None,
                   policy_version: str | None, model_versions: dict[str, str], reviewer: str,
                   basis: Basis) -> int:
    """Store through the 0009 form, which records what the analysis was measured against."""
    return int(session.execute(text(
        "SELECT twinproof_store_analysis(:pair, CAST(:result AS jsonb), :policy_name, :policy_version, "
        "CAST(:models AS jsonb), :reviewer, CAST(:talent AS integer), CAST(:refs AS jsonb), "
        "CAST(:portraits AS jsonb))"), {
            "pair": pair_id, "result": _jsonb(result), "policy_name": policy_name,
            "policy_version": policy_version, "models": _jsonb(model_versions),
            "reviewer": reviewer, "talent": basis.talent_id, "refs": _jsonb(list(basis.references)),
            "portraits": _jsonb(list(basis.portraits))}).scalar_one())


def set_file(session: Session, pair_id: int, side: str, path: str | None, sha256: str,
             summary: str, why: str, reviewer: str) -> None:
    """A pair's file (one side) now has this path and content hash; audited as file_changed."""
    session.flush()
    session.execute(text("SELECT twinproof_set_files(:pair, :side, :path, :sha, :summary, :why, :reviewer)"),
                    {"pair": pair_id, "side": side, "path": path, "sha": sha256, "summary": summary,
                     "why": why, "reviewer": reviewer})
    _forget_pair(session, pair_id)


def link_talent(session: Session, pair_id: int, talent_id: int | None, expected_version: int | None,
                reviewer: str) -> dict[str, Any]:
    """Link (or unlink) the pair's talent; ``{"pair_version", "suspended"}`` (an approval that
    rested on the former person's consent is suspended by the database)."""
    session.flush()
    done = session.execute(text("SELECT twinproof_link_talent(:pair, :talent, :expected, :reviewer)"),
                           {"pair": pair_id, "talent": talent_id, "expected": expected_version,
                            "reviewer": reviewer}).scalar_one()
    _forget_pair(session, pair_id)
    return dict(done)


def break_pair(session: Session, pair_id: int, expected_version: int | None, reviewer: str) -> None:
    session.execute(text("SELECT twinproof_break_pair(:pair, :expected, :reviewer)"),
                    {"pair": pair_id, "expected": expected_version, "reviewer": reviewer})
    _forget_pair(session, pair_id)


def set_control(session: Session, pair_id: int, control: bool, expected_version: int | None,
                reviewer: str) -> int:
    """Mark or unmark the pair a control frame; the pair's new version."""
    session.flush()
    version = session.execute(text("SELECT twinproof_set_control(:pair, :control, :expected, :reviewer)"),
                              {"pair": pair_id, "control": control, "expected": expected_version,
                               "reviewer": reviewer}).scalar_one()
    _forget_pair(session, pair_id)
    return int(version)


def set_generator(session: Session, pair_id: int, generator: str | None, expected_version: int | None,
                  reviewer: str) -> int:
    """Name (or clear, None) the generator of the pair's twin; the pair's new version."""
    session.flush()
    version = session.execute(text("SELECT twinproof_set_generator(:pair, :generator, :expected, :reviewer)"),
                              {"pair": pair_id, "generator": generator, "expected": expected_version,
                               "reviewer": reviewer}).scalar_one()
    _forget_pair(session, pair_id)
    return int(version)


def _forget_pair(session: Session, pair_id: int) -> None:
    """The function changed the pair's row (version, files) behind the ORM: reload it on use."""
    pair = session.get(m.Pair, pair_id)
    if pair is not None:
        session.expire(pair)

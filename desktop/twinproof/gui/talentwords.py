"""The Consent panel's words: a consent's state today, a person's summary, a consent in three
lines. Plain functions of the review layer's records, so they are read without a widget."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from twinproof.review import ConsentRecord, TalentRecord


def consent_state(c: ConsentRecord, on: date) -> str:
    if c.revoked:
        return "revoked"
    if on < c.starts_on:
        return "not started"
    return "expired" if on > c.expires_on else "valid"


def talent_summary(t: TalentRecord, on: date) -> str:
    states = [consent_state(c, on) for c in t.consents]
    valid = [c for c, s in zip(t.consents, states, strict=True) if s == "valid"]
    if valid:
        return f"valid until {max(c.expires_on for c in valid)}"
    return "no consent" if not states else ", ".join(sorted(set(states)))


def consent_words(c: ConsentRecord, on: date, why_no_release: str = "") -> str:
    """A consent in three lines: contract and state; term and scope; the signed release (or
    why there is none, as recorded)."""
    scope = (f"campaigns: {', '.join(c.campaigns) or 'all'} · channels: {', '.join(c.channels) or 'all'}")
    release = (f"release: {Path(c.release_path).name}" if c.release_path else
               f"no signed release: {why_no_release}" if why_no_release else "release: none attached")
    return f"{c.contract_ref} — {consent_state(c, on)}\n{c.starts_on} to {c.expires_on} · {scope}\n{release}"

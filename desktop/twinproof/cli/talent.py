"""``twinproof talent``: the registry of real people and their consent for digital twins."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from twinproof import review
from twinproof.cli.common import show
from twinproof.cli.shoot import EXIT_OK, add_common, guarded


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


@guarded
def _add(args: argparse.Namespace, store: review.ReviewStore) -> int:
    talent = review.add_talent(store, args.name, args.agency)
    show(f"talent {talent.name} added (id {talent.id})")
    return EXIT_OK


@guarded
def _consent(args: argparse.Namespace, store: review.ReviewStore) -> int:
    if not (args.release or "").strip() and not (args.no_release_reason or "").strip():
        raise review.ReviewError("attach the signed release (--release FILE), or say why there is "
                                 "none (--no-release-reason TEXT)")
    consent = review.add_consent(
        store, args.name, contract_ref=args.contract, starts_on=args.starts,
        expires_on=args.expires, campaigns=args.campaign, channels=args.channel,
        release=args.release, no_release_reason=args.no_release_reason)
    attached = f", release {consent.release_sha256[:12]}… attached" if consent.release_sha256 else ""
    show(f"consent {consent.contract_ref} recorded (id {consent.id}{attached})")
    return EXIT_OK


@guarded
def _revoke(args: argparse.Namespace, store: review.ReviewStore) -> int:
    review.revoke_consent(store, args.consent_id)
    show(f"consent {args.consent_id} revoked")
    return EXIT_OK


@guarded
def _list(args: argparse.Namespace, store: review.ReviewStore) -> int:
    rows = review.list_talent(store)
    if args.json:
        print(json.dumps([
            {"id": t.id, "name": t.name, "agency": t.agency, "consents": [
                {"id": c.id, "contract": c.contract_ref, "starts_on": c.starts_on.isoformat(),
                 "expires_on": c.expires_on.isoformat(), "campaigns": c.campaigns,
                 "channels": c.channels, "revoked": c.revoked, "release_path": c.release_path,
                 "release_sha256": c.release_sha256} for c in t.consents]}
            for t in rows], indent=2))
        return EXIT_OK
    for t in rows:
        show(f"{t.id:>4}  {t.name}" + (f" ({t.agency})" if t.agency else ""))
        for c in t.consents:
            scope = ", ".join(c.campaigns + c.channels) or "all campaigns and channels"
            state = " REVOKED" if c.revoked else ""
            show(f"        consent {c.id}: {c.contract_ref} {c.starts_on}..{c.expires_on} "
                  f"[{scope}]{state}")
    return EXIT_OK


@guarded
def _link(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pairs = [review.find_pair(store, ref) for ref in args.pairs]
    talent = None if args.name == "-" else args.name
    review.link_talent(store, [p.id for p in pairs], talent, [p.version for p in pairs])
    show(f"{len(pairs)} pair(s) linked to {talent or 'no talent'}")
    return EXIT_OK


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("talent", help="talent registry and consent")
    sub = parser.add_subparsers(dest="talent_command", metavar="ACTION", required=True)
    p = sub.add_parser("add", help="add a real person to the registry")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--agency")
    p.set_defaults(func=_add)
    p = sub.add_parser("consent", help="record a signed consent for a talent")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--contract", required=True, help="contract reference")
    p.add_argument("--from", dest="starts", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--until", dest="expires", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--campaign", action="append", default=[], help="repeatable; none = all")
    p.add_argument("--channel", action="append", default=[], help="repeatable; none = all")
    p.add_argument("--release", metavar="FILE",
                   help="the signed release (its path and sha256 are recorded; the file is not altered)")
    p.add_argument("--no-release-reason", metavar="TEXT",
                   help="without --release: why there is no signed release (kept in the audit trail)")
    p.set_defaults(func=_consent)
    p = sub.add_parser("revoke", help="revoke a consent (kept on record)")
    p.add_argument("consent_id", type=int, metavar="CONSENT_ID")
    p.set_defaults(func=_revoke)
    p = sub.add_parser("list", help="talent and their consents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_list)
    p = sub.add_parser("link", help="link pairs to a talent ('-' unlinks)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("pairs", nargs="+", metavar="PAIR", help="pair ids or names")
    p.set_defaults(func=_link)
    for action in sub.choices.values():
        add_common(action)
    from twinproof.cli import references

    references.register(sub)

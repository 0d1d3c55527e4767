"""``twinproof shoot audit``: is there a systematic pull across a shoot's twins?

Reads the stored analyses only (``review.drift_source``) and prints, per person measurement,
the weighted median change with its 95 % interval, how many pairs point each way, whether the
drift is systematic (Holm-corrected weighted sign tests) and the smallest drift the shoot could
have shown; ``--by`` adds the groups and the differences between them; ``--json`` the same as
JSON (documented in the README). The audit trail, which ``shoot audit`` used to print, is
``shoot history``.
"""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any

from twinproof import review
from twinproof.cli.common import dump_json, emit, one_line, show
from twinproof.core.drift import AuditSettings, DriftAudit, audit_json
from twinproof.core.drift.groups import BY
from twinproof.core.drift.words import counts, number, summary
from twinproof.review.drift_source import ShootFacts, audit_shoot

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def _settings(path: str | None) -> AuditSettings:
    from twinproof.core.policy import load_policy

    return AuditSettings.from_policy(load_policy(path))


def _coverage(found: ShootFacts) -> str:
    photos = found.real_photographs
    shared = f", twins of {photos} real photograph(s)" if photos != len(found.facts) else ""
    parts = [f"{len(found.facts)} analysed pair(s) of {found.active_pairs}{shared}"]
    if found.not_analysed:
        parts.append(f"{found.not_analysed} not analysed (run `twinproof shoot analyze`)")
    if found.out_of_date:
        parts.append(f"{found.out_of_date} analysed before their files changed")
    if found.unreadable:
        parts.append(f"{len(found.unreadable)} unreadable")
    return "; ".join(parts)


def table(audit: DriftAudit) -> list[str]:
    head = f"{'MEASUREMENT':<38} {'N':>5}  {'MEDIAN':>9}  {'95 % CI':<22} {'EACH WAY':<26} {'p HOLM':>7}  SMALLEST"
    lines = [head]
    for d in audit.drifts:
        a, t = d.audited, d.test
        if not d.tested:
            lines.append(f"{a.label:<38} {t.n:>5}  {'-':>9}  {d.reason}")
            continue
        ci = f"{number(t.ci95[0], a)} to {number(t.ci95[1], a)}"
        mark = "  SYSTEMATIC" if d.systematic else ""
        lines.append(f"{a.label:<38} {t.n:>5}  {number(t.median, a):>9}  {ci:<22} {counts(d):<26} "
                     f"{d.p_adjusted:>7.3f}  ±{number(d.smallest_detectable, a, signed=False)}{mark}")
    return lines


def run(args: argparse.Namespace, store: review.ReviewStore) -> int:
    from twinproof.core.errors import PolicyError

    try:
        settings = _settings(args.policy)
    except (PolicyError, ValueError) as exc:
        print(f"twinproof shoot: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    found, audit = audit_shoot(store, args.shoot, by=args.by, settings=settings)
    name = ", ".join(found.shoots) if args.shoot or len(found.shoots) == 1 else "every shoot"
    if args.json:
        data: dict[str, Any] = audit_json(audit, name)
        data["coverage"] = {"active_pairs": found.active_pairs, "analysed": len(found.facts),
                            "real_photographs": found.real_photographs,
                            "not_analysed": found.not_analysed, "out_of_date": found.out_of_date,
                            "unreadable": found.unreadable}
        emit(dump_json(data))
        return EXIT_OK
    words = summary(audit)
    out = [f"Shoot audit of {name}: {_coverage(found)}.", words[0], "", *table(audit), ""]
    out += [f"- {line}" for line in words[1:]]
    out += ["", "Each pair weighs by 1/uncertainty (the shoot's empirical spread where the analysis stored none); "
                "weighted sign test per measurement, Holm-corrected across measurements "
                f"(error rate {settings.error_rate:.0%}); smallest drift at {settings.power:.0%} power."]
    show(*out)  # talent and pair names are the user's text: control characters shown escaped
    return EXIT_OK


def history(args: argparse.Namespace, store: review.ReviewStore) -> int:
    if args.out:
        count = review.export_audit_csv(store, args.out)
        show(f"wrote {count} audit event(s) to {args.out}")
    elif sys.stdout.isatty():  # a person reads it: names and comments escaped, as everywhere
        buffer = io.StringIO()
        review.write_audit_csv(review.audit_rows(store), buffer)
        # Split on the CSV's own line ends only: a CR inside a name is shown, not obeyed.
        show(*buffer.getvalue().replace("\r\n", "\n").rstrip("\n").split("\n"))
    else:  # a file or a pipe: the data exactly as recorded
        review.write_audit_csv(review.audit_rows(store), sys.stdout)
    return EXIT_OK


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--shoot", metavar="NAME", help="shoot name or id (default: every shoot)")
    p.add_argument("--by", choices=BY, help="also audit per talent, per generator or across skin-tone groups")
    p.add_argument("--json", action="store_true", help="print the audit as JSON (see the README)")
    p.add_argument("--policy", metavar="FILE", help="policy TOML whose [audit] section to use")
    p.add_argument("--out", metavar="FILE.csv", help=argparse.SUPPRESS)  # the old `shoot audit --out`

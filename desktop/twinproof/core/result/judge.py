"""One rule for judging a measurement against the policy, used by the steps that raise flags
and by every reader that prints limits, so a row and its flag can never disagree.

A value breaks a limit strictly: with ``Direction.MAX`` a value above *fail* fails, above
*warn* warns; ``MIN`` mirrors it; ``ABS`` judges the magnitude of a signed change. Limits are
written one way everywhere, short enough for a table cell: "warn >3 · fail >6", "warn <0.7 ·
fail <0.5", and "warn ±5 · fail ±10" for a signed change (beyond ±5 in either direction).
"""

from __future__ import annotations

from typing import Protocol

from twinproof.core.result.descriptors import BY_PATH, Descriptor, descriptor
from twinproof.core.result.types import Box, Direction, Flag, Severity


class Limits(Protocol):
    """Anything that answers a policy threshold (a loaded Policy, or a result's PolicyInfo)."""

    def limit(self, section: str, key: str) -> float | None: ...


def judged(desc: Descriptor, value: float) -> float:
    """The number the policy compares: the magnitude for a signed change."""
    return abs(value) if desc.limits is not None and desc.limits.direction is Direction.ABS else value


def breach(desc: Descriptor, value: float, policy: Limits) -> tuple[Severity, float] | None:
    """The severity and the limit a value breaks, or None when it is within them."""
    lim = desc.limits
    if lim is None:
        return None
    v = judged(desc, value)
    for severity, key in ((Severity.FAIL, lim.fail), (Severity.WARN, lim.warn)):
        threshold = policy.limit(lim.section, key) if key else None
        if threshold is None:
            continue
        broken = v < threshold if lim.direction is Direction.MIN else v > threshold
        if broken:
            return severity, threshold
    return None


def judge(path: str, value: float, policy: Limits, region: str, message: str,
          box: Box | None = None) -> Flag | None:
    """A flag when the measurement at ``path`` breaks the policy, else None."""
    desc = descriptor(path)
    found = breach(desc, value, policy)
    if found is None:
        return None
    assert desc.category is not None, f"{path} has limits but no category"
    severity, threshold = found
    return Flag(desc.category, region, severity, path, judged(desc, value), threshold, message, box)


_SIGN = {Direction.MIN: "<", Direction.MAX: ">", Direction.ABS: "±"}


def breach_text(flag: Flag) -> str:
    """What a flag broke, written like the limits: "fail ±10"."""
    lim = descriptor(flag.metric).limits if flag.metric in BY_PATH else None
    return f"{flag.severity} {_SIGN[lim.direction] if lim is not None else ''}{flag.threshold:g}"


def limits_text(desc: Descriptor, policy: Limits) -> str:
    """The limits in the one wording every reader uses; "" for an informational value."""
    lim = desc.limits
    if lim is None:
        return ""
    parts = []
    for severity, key in (("warn", lim.warn), ("fail", lim.fail)):
        threshold = policy.limit(lim.section, key) if key else None
        if threshold is not None:
            parts.append(f"{severity} {_SIGN[lim.direction]}{threshold:g}")
    return " · ".join(parts)

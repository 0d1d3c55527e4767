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
from twinproof.core.result.measurements import Uncertainty
from twinproof.core.result.types import Box, Direction, Flag, Mode, Severity


class Limits(Protocol):
    """Anything that answers a policy threshold (a loaded Policy, or a result's PolicyInfo)."""

    def limit(self, section: str, key: str) -> float | None: ...


def judged(desc: Descriptor, value: float, mode: Mode = Mode.SAME_FRAME) -> float:
    """The number the policy compares: the magnitude for a signed change."""
    lim = desc.limits_for(mode) or desc.limits or desc.shot_limits
    return abs(value) if lim is not None and lim.direction is Direction.ABS else value


def breach(desc: Descriptor, value: float, policy: Limits,
           mode: Mode = Mode.SAME_FRAME) -> tuple[Severity, float] | None:
    """The severity and the limit a value breaks, or None when it is within them."""
    lim = desc.limits_for(mode)
    if lim is None:
        return None
    v = judged(desc, value, mode)
    for severity, key in ((Severity.FAIL, lim.fail), (Severity.WARN, lim.warn)):
        threshold = policy.limit(lim.section, key) if key else None
        if threshold is None:
            continue
        broken = v < threshold if lim.direction is Direction.MIN else v > threshold
        if broken:
            return severity, threshold
    return None


def stands_out(desc: Descriptor, value: float, plus_minus: float, mode: Mode = Mode.SAME_FRAME) -> bool:
    """Whether a value lies beyond what the same person's two photographs could show: outside
    ±plus_minus for a signed change, above it for a distance, below 1 − plus_minus for a ratio."""
    lim = desc.limits_for(mode)
    direction = lim.direction if lim is not None else Direction.ABS
    if direction is Direction.MIN:
        return value < 1.0 - plus_minus
    return judged(desc, value, mode) > plus_minus


def too_uncertain(desc: Descriptor, plus_minus: float, policy: Limits, mode: Mode = Mode.SAME_FRAME,
                  capped: bool = False) -> bool:
    """The uncertainty alone is wider than the fail limit: no value could be judged from these
    photographs (for a ratio, 1 − plus_minus falls below the fail limit). ``capped``: the finding
    can be at most a warning (``Uncertainty.at_most_warning``), so the warn limit is the strictest
    verdict it could give, and an "ok" needs the ± inside that."""
    lim = desc.limits_for(mode)
    if lim is None:
        return False
    key = lim.warn if capped and lim.warn else lim.fail
    limit = policy.limit(lim.section, key) if key else None
    if limit is None:
        return False
    return 1.0 - plus_minus < limit if lim.direction is Direction.MIN else plus_minus > limit


def clears(desc: Descriptor, value: float, plus_minus: float, mode: Mode = Mode.SAME_FRAME) -> float:
    """The value at the edge of its ± nearest to "ok": what the change is at least. A signed change
    shrinks by ±plus_minus towards 0 (never past it), a distance by plus_minus; a ratio's ± is
    ``1 − e^(−P)`` of a change modelled as P·ln(ratio) (``shot_findings.uncertain``), so the ratio
    at the edge of its ± is value ÷ (1 − plus_minus)."""
    lim = desc.limits_for(mode)
    direction = lim.direction if lim is not None else Direction.ABS
    if direction is Direction.MIN:
        return value / max(1e-9, 1.0 - plus_minus)
    if direction is Direction.MAX:
        return value - plus_minus
    return max(0.0, abs(value) - plus_minus)


def clears_fail(desc: Descriptor, value: float, plus_minus: float, policy: Limits,
                mode: Mode = Mode.SAME_FRAME) -> bool:
    """Even at the edge of its ± nearest to "ok", the value breaks the fail limit: the rule for a
    value whose predicted ± alone is wider than the fail limit (``judge``). Past the fail limit,
    not the warn limit: on the labelled same-person pairs, held out, clearing the warn limit by the
    ± warned on 2 more pairs than silence did, clearing the fail limit on none (docs/fidelity.md)."""
    found = breach(desc, clears(desc, value, plus_minus, mode), policy, mode)
    return found is not None and found[0] is Severity.FAIL


def judge(path: str, value: float, policy: Limits, region: str, message: str,
          box: Box | None = None, mode: Mode = Mode.SAME_FRAME, uncertainty: Uncertainty | None = None,
          predicted: bool = False) -> Flag | None:
    """A flag when the measurement at ``path`` breaks the policy's limits for ``mode`` — and,
    when it carries an uncertainty, only if the photographs back it:

    - an uncertainty marked ``cannot_judge`` before judging has no ± the analysis can state (a face
      smaller than any the uncertainty model was fitted on): never a flag;
    - the value must be past the limit and stand out of its ±;
    - and where a ``predicted`` ± (the uncertainty model's, fitted on other people's photographs:
      ``core/compare/uncertainty.py``) is alone wider than the fail limit, the value must lie past
      the fail limit by more than its ± (``clears_fail``: even at the edge of its ± the change is
      past it). Held out, a value merely outside such a ± warned on 14 more of 184 same-person
      pairs (81 instead of 67: the model's tails are other people's); past the fail limit by more
      than it, on none. A ± measured on the talent's own portraits (her edit directions) keeps the
      rule above: there the stricter reading caught a 10 % jaw slimming in 78 % of cases instead of
      90 % for 3 fewer unedited fails in 2,380 (docs/fidelity.md).

    A finding capped at a warning (``Uncertainty.at_most_warning``) is one."""
    desc = descriptor(path)
    found = breach(desc, value, policy, mode)
    if found is None:
        return None
    assert desc.category is not None, f"{path} has limits but no category"
    severity, threshold = found
    if uncertainty is not None:
        pm = uncertainty.plus_minus
        digits = min(desc.digits, 2)
        if uncertainty.cannot_judge:
            return None
        if predicted and too_uncertain(desc, pm, policy, mode):
            if not clears_fail(desc, value, pm, policy, mode):
                return None
            backed = f"past the fail limit {threshold:g} by more than its ±{pm:.{digits}f} uncertainty"
        elif not stands_out(desc, value, pm, mode):
            return None
        else:
            backed = f"beyond its ±{pm:.{digits}f} uncertainty"
        if severity is Severity.FAIL and uncertainty.at_most_warning:
            lim = desc.limits_for(mode)
            warn = policy.limit(lim.section, lim.warn) if lim is not None else None
            severity, threshold = Severity.WARN, warn if warn is not None else threshold
            message = f"{message} ({uncertainty.at_most_warning})"
        message = f"{message}, {backed}"
    return Flag(desc.category, region, severity, path, judged(desc, value, mode), threshold, message, box)


_SIGN = {Direction.MIN: "<", Direction.MAX: ">", Direction.ABS: "±"}


def breach_text(flag: Flag) -> str:
    """What a flag broke, written like the limits: "fail ±10"."""
    desc = descriptor(flag.metric) if flag.metric in BY_PATH else None
    lim = (desc.limits or desc.shot_limits) if desc is not None else None
    return f"{flag.severity} {_SIGN[lim.direction] if lim is not None else ''}{flag.threshold:g}"


def limits_text(desc: Descriptor, policy: Limits, mode: Mode = Mode.SAME_FRAME) -> str:
    """The limits in the one wording every reader uses; "" for an informational value."""
    lim = desc.limits_for(mode)
    if lim is None:
        return ""
    parts = []
    for severity, key in (("warn", lim.warn), ("fail", lim.fail)):
        threshold = policy.limit(lim.section, key) if key else None
        if threshold is not None:
            parts.append(f"{severity} {_SIGN[lim.direction]}{threshold:g}")
    return " · ".join(parts)

"""A result as rows a person reads: every described measurement with its value, limits and
status, joined to the flag that judges it by the flag's ``metric`` (never by closeness of
numbers or by region). The app's evidence panel, the sheet, the CLI summary and the CSV's
status columns are all made from these rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from twinproof.core.result.descriptors import BY_PATH, DESCRIPTORS, Descriptor
from twinproof.core.result.judge import breach, limits_text, stands_out
from twinproof.core.result.measurements import Change
from twinproof.core.result.model import AnalysisResult
from twinproof.core.result.types import SEVERITY_RANK, Flag, Severity, Unmeasured
from twinproof.core.result.yardstick import Yardstick, yardstick

#: How every "cannot be judged" reason of a new shot begins (``core/compare/shot_findings.py``).
CANNOT_PREFIX = "cannot be judged from these photographs: "


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    INFO = "info"  # reported, not judged
    UNMEASURED = "not measured"
    NOT_APPLICABLE = "not applicable"
    #: Measured, but its uncertainty under these photographs' conditions is wider than the fail
    #: limit: shown with its ± and the reason, never with a verdict.
    CANNOT_JUDGE = "cannot judge"


@dataclass(frozen=True)
class Row:
    path: str
    label: str
    group: str
    value: float | None
    text: str
    limits: str
    status: Status
    explanation: str
    reason: str = ""
    #: The flags judging this value (metric == path), worst first.
    flags: tuple[Flag, ...] = ()
    #: The change in words ("eyes 12% larger") for named changes.
    note: str = ""
    #: A new shot's uncertainty at the policy's confidence, in the value's unit, and its words
    #: ("± 6.1 %"; ``text`` then reads "+8.0 % ± 6.1 %") and what widens it.
    plus_minus: float | None = None
    uncertainty: str = ""
    why: str = ""
    #: What a judged value was measured against: her portraits, the real photo... (issue 23).
    against: Yardstick | None = None


def value_text(desc: Descriptor, value: float) -> str:
    """The number as shown everywhere: its digits, a sign for signed values, a true minus."""
    value = value if round(value, desc.digits) != 0 else 0.0  # no "−0.0"
    text = f"{value:+.{desc.digits}f}" if desc.sign else f"{value:.{desc.digits}f}"
    text = text.replace("-", "−")
    if desc.unit in ("", "×"):
        return text
    return f"{text}{desc.unit}" if desc.unit.startswith("°") else f"{text} {desc.unit}"


def plus_minus_text(desc: Descriptor, plus_minus: float) -> str:
    """"± 6.1 %": the uncertainty in the value's digits and unit."""
    text = f"± {plus_minus:.{desc.digits}f}"
    if desc.unit in ("", "×"):
        return text
    return f"{text}{desc.unit}" if desc.unit.startswith("°") else f"{text} {desc.unit}"


def _unmeasured_row(desc: Descriptor, label: str, um: Unmeasured) -> Row:
    status = Status.NOT_APPLICABLE if um.not_applicable else Status.UNMEASURED
    return Row(desc.path, label, desc.group, None, str(status), "", status, desc.explanation, um.reason)


def rows(result: AnalysisResult, *, brief: bool = False) -> list[Row]:
    """Rows in descriptor order. A measurement that could not be made at all is one row with
    its reason. ``brief``: the sheet's compact table — the headline values, whatever a flag
    judges, and what could not be measured."""
    out: list[Row] = []
    seen_missing: set[str] = set()
    for desc in DESCRIPTORS:
        top = getattr(result.metrics, desc.measurement)
        if top is None:
            continue
        if isinstance(top, Unmeasured):
            if desc.measurement not in seen_missing:
                seen_missing.add(desc.measurement)
                label = desc.label if desc.path.count(".") == 1 else desc.measurement.replace("_", " ").capitalize()
                out.append(_unmeasured_row(desc, label, top))
            continue
        value = result.value(desc.path)
        if value is None:
            continue
        if isinstance(value, Unmeasured):
            if not brief:
                out.append(_unmeasured_row(desc, desc.label, value))
            continue
        flags = tuple(sorted(result.flags_on(desc.path), key=lambda f: f.severity != "fail"))
        limits = limits_text(desc, result.policy, result.mode)
        # The row is judged by the one rule, not only by the flags a step chose to raise (the
        # garment step keeps one flag of ΔE and hue, so a failing hue showed "ok" beside its
        # own printed limit): a value past its printed limit always reads warn or fail.
        broken = breach(desc, float(value), result.policy, result.mode)
        unc = result.uncertainty_of(desc.path)
        inside = False  # past a printed limit, but not beyond what two photos of one person show
        if broken and unc is not None:
            if unc.cannot_judge or not stands_out(desc, float(value), unc.plus_minus, result.mode):
                broken, inside = None, True
            elif broken[0] is Severity.FAIL and unc.at_most_warning:
                broken = (Severity.WARN, broken[1])
        severities = [f.severity for f in flags] + ([broken[0]] if broken else [])
        severity = max(severities, key=SEVERITY_RANK.__getitem__, default=None)
        status = Status(severity.value) if severity else Status.OK if limits else Status.INFO
        if brief and not (desc.brief or flags):
            continue
        parent = result.value(desc.path.rsplit(".", 1)[0]) if desc.path.endswith(".percent") else None
        note = parent.text if isinstance(parent, Change) else ""
        text, reason, pm, unc_text, why = value_text(desc, float(value)), "", None, "", ""
        if unc is not None:
            pm, unc_text, why = unc.plus_minus, plus_minus_text(desc, unc.plus_minus), "; ".join(unc.why)
            bare = value_text(replace(desc, unit=""), float(value))  # "+8.0 ± 6.1 %": the unit once
            text = f"{bare} {unc_text}"
            if unc.cannot_judge and not flags:
                # the status says "cannot judge"; the reason says why, once
                status, reason = Status.CANNOT_JUDGE, unc.cannot_judge.removeprefix(CANNOT_PREFIX)
            elif inside and not flags:
                # Past its printed limit yet inside its ±: "ok" would contradict the limit beside
                # it, a verdict would accuse on a difference one person's photographs show.
                status, reason = Status.CANNOT_JUDGE, (f"past its limit but inside its {unc_text} uncertainty: "
                                                       "the same person's two photographs differ this much")
        out.append(Row(desc.path, desc.label, desc.group, float(value), text, limits, status, desc.explanation,
                       reason, flags=flags, note=note, plus_minus=pm, uncertainty=unc_text, why=why,
                       against=yardstick(result, desc.path) if limits else None))
    return out


def unjoined(result: AnalysisResult) -> list[Flag]:
    """Flags that judge no described measurement (a bug in a step; tests keep this empty)."""
    return [f for f in result.flags if f.metric not in BY_PATH]

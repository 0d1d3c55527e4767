"""The audit in words a brand can act on, each with its numbers beside it."""

from __future__ import annotations

import math

from twinproof.core.drift.audit import Contrast, Drift, DriftAudit
from twinproof.core.drift.measures import BY_METRIC, Audited, measure_of


def number(value: float, audited: Audited, *, signed: bool = True) -> str:
    """A value in the measurement's unit, with a true minus: "−3.8 %", "+5.1 L*", "+0.042"."""
    if not math.isfinite(value):
        return "unbounded"
    digits = audited.digits
    value = value if round(value, digits) != 0 else 0.0
    text = (f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}").replace("-", "−")
    return f"{text} {audited.unit}".rstrip() if audited.unit != "°" else f"{text}°"


def p_text(p: float) -> str:
    """A p-value as people read it: "< 0.001" rather than "0.000"."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def interval(ci: tuple[float, float], audited: Audited) -> str:
    lo, hi = ci
    return f"95 % CI {number(lo, audited)} to {number(hi, audited)}"


def counts(d: Drift) -> str:
    """ "27 of 30 narrower" (the side the median is on)."""
    t = d.test
    side, word = (t.below, d.audited.less) if t.median < 0 else (t.above, d.audited.more)
    return f"{side} of {t.n} {word}"


def measured_by(d: Drift) -> str:
    """ " Read by the identity model … in 24 of 29 pairs, which follows about 87 % of a jaw edit;
    by the face mesh … in 5 …" — only when a better reading replaced the metric's own for some pairs
    (a number in edit-equivalent % is not a mesh's %: the reader must know which it is)."""
    if d.audited.preferred is None or d.audited.preferred not in d.sources:
        return ""
    n = sum(d.sources.values())
    parts = []
    for path, count in sorted(d.sources.items(), key=lambda kv: -kv[1]):
        known = measure_of(path)
        name = known.name if known else path
        follows = f", which follows {known.follows}" if known else ""
        parts.append(f"{name} in {count} of {n} pairs{follows}")
    return " Read by " + "; by ".join(parts) + "."


def measure_note(d: Drift) -> str:
    """ "read by: identity model along her edit directions 24 · face mesh 2" (a plot's caption),
    only when a better reading replaced the metric's own for some pairs."""
    if d.audited.preferred is None or d.audited.preferred not in d.sources:
        return ""
    parts = []
    for path, count in sorted(d.sources.items(), key=lambda kv: -kv[1]):
        known = measure_of(path)
        parts.append(f"{known.short if known and known.short else path} {count}")
    return "read by: " + " · ".join(parts)


def drift_sentence(d: Drift, error_rate: float = 0.05, *, measures: bool = True) -> str:
    """The measurement in words; ``measures``: and which measures read its pairs, when mixed."""
    return _sentence(d, error_rate) + (measured_by(d) if measures else "")


def _sentence(d: Drift, error_rate: float) -> str:
    a, t = d.audited, d.test
    name = a.label.lower() if a.metric != "identity.distance" else "identity distance beyond the talent's own range"
    if not d.tested:
        return f"{a.label}: not audited — {d.reason}."
    where = f"{number(t.median, a)} ({interval(t.ci95, a)}), {counts(d)}"
    if d.systematic:
        return f"Twins in this shoot are systematically {a.less if t.median < 0 else a.more}: {name} {where}."
    power = f"the smallest drift this shoot could have shown is ±{number(d.smallest_detectable, a, signed=False)}"
    if d.p_adjusted <= error_rate:
        return (f"{a.label}: a drift of {number(t.median, a)} is statistically clear but under the smallest "
                f"effect worth reporting ({counts(d)}); {power}.")
    return (f"{a.label}: no systematic change found in {t.n} pairs (median {number(t.median, a)}, "
            f"{interval(t.ci95, a)}, {counts(d)}); {power}.")


def contrast_sentence(c: Contrast, by: str) -> str:
    a = BY_METRIC[c.metric]
    more = a.more if c.difference >= 0 else a.less
    size = number(abs(c.difference), a, signed=False)
    ci = f"[{number(c.ci95[0], a)}, {number(c.ci95[1], a)}]"
    who = {"skin-tone": f"for the {c.group} of the cast than for the {c.against}",
           "generator": f"for twins made by {c.group} than for {c.against}",
           "talent": f"for {c.group}'s twins than for {c.against}"}[by]
    verdict = "" if c.systematic else " (not a clear difference at the audit's error rate)"
    return f"{a.label}: {size} {more} {who}, difference {ci}{verdict}."


def headline(audit: DriftAudit) -> str:
    found = audit.systematic
    tested = [d for d in audit.drifts if d.tested]
    if not tested:
        # the pairs with a person measurement (a twin without a face has none), not the analysed
        # pairs: "7 analysed pair(s) of 7" then "too few analysed pairs (5)" read as a contradiction
        return (f"Too few pairs to audit: {audit.pairs} with a person measured; the audit needs "
                f"{audit.settings.min_pairs} per measurement.")
    if found:
        words = ", ".join(f"{d.audited.label.lower()} {number(d.test.median, d.audited)}" for d in found)
        return f"Systematic drift in {len(found)} of {len(tested)} measurements across {audit.pairs} pairs: {words}."
    return (f"No systematic change found in {audit.pairs} pairs across {len(tested)} measurements "
            f"(error rate {audit.settings.error_rate:.0%} for the whole audit).")


def summary(audit: DriftAudit) -> list[str]:
    """The headline, then one sentence per measurement (systematic first), then the groups."""
    lines = [headline(audit)]
    ordered = sorted(audit.drifts, key=lambda d: (not d.systematic, not d.tested, d.test.p_value))
    lines += [drift_sentence(d, audit.settings.error_rate) for d in ordered]
    if audit.groups is not None:
        shown = sorted(audit.groups.contrasts, key=lambda c: (not c.systematic, c.p_value))
        lines += [contrast_sentence(c, audit.groups.by) for c in shown if c.systematic]
        kind = audit.groups.by.replace("-", " ")
        if not shown:
            lines.append(f"No {kind} groups to compare: each side needs {audit.settings.min_group_pairs} pairs"
                         + (f" ({audit.groups.note})." if audit.groups.note else "."))
        elif not any(c.systematic for c in shown):
            lines.append(f"No clear difference in drift between {kind} groups ({len(shown)} comparisons).")
        origin = origin_line(audit)
        if origin:
            lines.append(origin)
    return lines


def origin_line(audit: DriftAudit) -> str:
    """Where the groups' keys came from: who named each generator, what each skin tone was read from."""
    if audit.groups is None:
        return ""
    if audit.groups.by == "generator" and "generator" in audit.origins:
        g = audit.origins["generator"]
        unread = g.get("xmp not read", 0)
        stale = (f" ({unread} of them analysed before TwinProof read the twin file's XMP: analyse again to read "
                 "it)") if unread else ""
        return (f"Generators: {g.get('reviewer', 0)} pair(s) named by a reviewer, {g.get('content credentials', 0)} "
                f"by the twin's valid Content Credentials, {g.get('xmp', 0)} by the twin file's XMP (unsigned), "
                f"{g.get('unknown', 0)} unknown{stale}.")
    if audit.groups.by == "skin-tone" and "skin_tone" in audit.origins:
        tones: dict[str, str] = audit.origins["skin_tone"]
        refs = sum("reference portraits" in v for v in tones.values())
        if not refs:
            return ("Skin tones read from the talents' real photos in this shoot (no reference portrait with a "
                    "skin reading).")
        return (f"Skin tones read from the talents' reference portraits for {refs} of {len(tones)} talent(s)"
                + (", from their real photos in this shoot for the others." if refs < len(tones) else "."))
    return ""

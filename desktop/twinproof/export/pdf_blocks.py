"""The evidence column of a pair page, as measured blocks ``(height, draw(x, y))``.

Each block knows its height at the column width before it is drawn, so the page flow can
move it whole to a continuation page instead of cutting a table or a note in half.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twinproof.core.result import Flag, Mode
from twinproof.core.result.codec import decode
from twinproof.core.result.judge import breach_text
from twinproof.core.result.words import flag_line
from twinproof.export import evidence
from twinproof.export.images import padded
from twinproof.export.pdf_base import INK, MUTED, STATE_COLOURS, SheetPDF, table, table_height
from twinproof.export.pdf_draw import draw_annotations, draw_real, draw_twin, fit_view, frame, twin_box
from twinproof.export.provenance import credential_lines, xmp_lines
from twinproof.export.records import DECISION_WORDS
from twinproof.review.flag_links import link_words

if TYPE_CHECKING:
    from twinproof.export.pdf_pair import PairPage

Block = tuple[float, Callable[[float, float], None]]
NOTE_LIMIT = 500
FS = 7.5  # body font size
LH = FS * 0.42


def _title(pdf: SheetPDF, x: float, y: float, w: float, text: str) -> float:
    pdf.text_at(x, y, w, text.upper(), 6.5, True, MUTED)
    return y + 4


def _text_block(pdf: SheetPDF, w: float, title: str, lines: list[tuple[str, tuple[int, int, int], bool]],
                limit: int = NOTE_LIMIT) -> Block:
    """A titled block of wrapped paragraphs: (text, colour, bold) each."""
    height = (4 if title else 0) + sum(pdf.lines_needed(w, t, FS, limit, b) * LH + 0.8
                                       for t, _c, b in lines)

    def draw(x: float, y: float) -> None:
        if title:
            y = _title(pdf, x, y, w, title)
        for text, colour, bold in lines:
            y = pdf.para(x, y, w, text, FS, bold, colour, limit) + 0.8

    return height, draw


def _when(dt: Any) -> str:
    return dt.strftime("%d %b %Y %H:%M UTC") if dt else ""


def decision_block(pdf: SheetPDF, page: PairPage, w: float) -> Block:
    item, d = page.item, page.item.decision
    state = DECISION_WORDS.get(item.state, item.state)
    lines: list[tuple[str, tuple[int, int, int], bool]] = [
        (state, STATE_COLOURS.get(item.state, INK), True)]
    if item.decided:  # what the twin may be used for, in the words every export uses
        lines.append((item.clearance[0].upper() + item.clearance[1:],
                      STATE_COLOURS["pass" if item.cleared else "fail"], True))
    if d is None:
        lines.append(("No decision recorded yet.", MUTED, False))
    else:
        lines.append((f"by {d.reviewer}" + (f" (login {d.db_role})" if d.db_role and d.db_role != d.reviewer
                                             else "") + f" · {_when(d.created_at)}", MUTED, False))
        if d.state == "suspended" and len(item.decisions) > 1:
            was = item.decisions[-2]
            lines.append((f"Was {DECISION_WORDS.get(was.state, was.state).lower()} by {was.reviewer} · "
                          f"{_when(was.created_at)}", MUTED, False))
        if d.reason_text and not d.reasons and d.state != "suspended":  # suspended: said above
            lines.append((d.reason_text, INK, False))
        if d.reasons:
            reasons = ", ".join(r.replace("_", " ") for r in d.reasons)
            lines.append((f"Reasons: {reasons}" + (f" — {d.reason_text}" if d.reason_text else ""),
                          INK, False))
        if d.comment:
            lines.append((f"Comment: {d.comment}", INK, False))
        if d.override_justification:
            lines.append((f"Failed verdict overridden: {d.override_justification}",
                          STATE_COLOURS["fail"], False))
        if d.verdict_at_decision:
            lines.append((f"Verdict when decided: {d.verdict_at_decision}", MUTED, False))
    if item.analysis is not None and not item.pair.analysis_current:
        lines.append(("The files changed after this analysis: re-analyse before relying on it.",
                      STATE_COLOURS["fail"], True))
    elif item.analysis is not None and item.pair.stale:  # the control mark or her portraits (issue 23)
        lines.append((f"This analysis is stale ({item.pair.stale}): re-analyse before relying on it.",
                      STATE_COLOURS["fail"], True))
    return _text_block(pdf, w, "Decision", lines)


def consent_block(pdf: SheetPDF, page: PairPage, w: float) -> Block:
    item = page.item
    who = item.talent_name or "no talent linked"
    agency = f" ({item.talent.agency})" if item.talent and item.talent.agency else ""
    mark = "✓ " if item.consent.ok else "✗ "
    colour = STATE_COLOURS["pass" if item.consent.ok else "fail"]
    return _text_block(pdf, w, "Talent and consent", [
        (f"{who}{agency}", INK, True), (mark + item.consent.text, colour, False)])


def provenance_block(pdf: SheetPDF, page: PairPage, w: float) -> Block:
    # The wording lives in export.provenance (offline reading, honest validation words).
    tones = {"pass": STATE_COLOURS["pass"], "review": STATE_COLOURS["review"], "ink": INK,
             "muted": MUTED}
    lines = [(text, tones[tone], n == 0 and tone != "muted")
             for n, (text, tone) in enumerate(credential_lines(page.provenance))]
    said_by_xmp = bool(xmp_lines((page.provenance or {}).get("xmp")))
    if (page.provenance or {}).get("status") == "absent" and not said_by_xmp:  # the common case: untitled
        return _text_block(pdf, w, "", lines)
    title = "Where the twin came from: Content Credentials (C2PA), XMP" if said_by_xmp else \
        "Content Credentials (C2PA) of the twin"
    return _text_block(pdf, w, title, lines)


#: The measurement table's type size: a limit ("warn ±5 · fail ±10") must fit its cell.
TABLE_SIZE = 6.8


def metrics_block(pdf: SheetPDF, page: PairPage, w: float) -> Block:
    if page.item.analysis is None:  # never analysed: say so, and nothing else
        return _text_block(pdf, w, "Fidelity measurements", [
            ("Not analysed: nothing was measured, the twin is only stretched over the real "
             "frame. Analyse the pair before deciding on it.", STATE_COLOURS["review"], False)])
    result = page.item.analysis_result
    rows = evidence.metric_rows(result)
    align = ""
    if result is not None and result.mode is Mode.NEW_SHOT:
        align = f"New shot: compared person to person; pixel comparison not applicable. {result.analysis.mode_reason}"
        if getattr(result.metrics.face, "yardstick", None):
            align += f" Face judged against {result.metrics.face.yardstick}."  # type: ignore[union-attr]
        if result.cannot_reveal:
            align += " — these photographs cannot reveal " + "; ".join(
                line.split(": ", 1)[0] for line in result.cannot_reveal) + "."
    elif result is not None and result.registration is not None:
        g = result.registration
        align = (f"Aligned by {g.method}: scale {g.scale:.3f}, rotation {g.rotation_deg:+.2f}°, "
                 f"shift ({g.shift_px[0]:+.0f}, {g.shift_px[1]:+.0f}) px")
    pol = ""
    if result is not None:
        pol = f"Policy {result.policy.name} {result.policy.version}" + (
            f" — {page.policy_note}" if page.policy_note else "")
    # which yardstick each value was judged against (issue 23): a column when they differ (her
    # portraits, other people's spread...), else one sentence (a same frame: the real photo)
    against = list(dict.fromkeys(r.against for r in rows if r.against))
    if len(against) > 1:
        widths = [w * 0.25, w * 0.17, w * 0.21, w * 0.14, w * 0.23]
        table_rows = [["Measurement", "Value", "Limits", "Status", "Judged against"]] + [
            [r.label, r.value, r.limits, r.status, r.against] for r in rows]
    else:
        widths = [w * 0.35, w * 0.17, w * 0.35, w * 0.13]
        table_rows = [["Measurement", "Value", "Limits", "Status"]] + [[r.label, r.value, r.limits, r.status]
                                                                       for r in rows]
    if result is None:
        table_rows.append(["Stored analysis unreadable", page.item.unreadable or "", "", ""])
    # why each one could not be measured (what does not apply to a new shot is said once, below)
    why = [f"{r.label}: {r.status} — {r.reason}" for r in rows if r.reason and r.status != "n/a"]
    once = f"Every judged value against {against[0]}." if len(against) == 1 else ""
    texts = [t for t in (once, *why, align, pol) if t]
    lines = sum(pdf.lines_needed(w, t, 6.5) for t in texts)
    height = 4 + table_height(pdf, widths, table_rows, TABLE_SIZE) + lines * 6.5 * 0.42 + 2

    def draw(x: float, y: float) -> None:
        y = _title(pdf, x, y, w, "Fidelity measurements")
        y = table(pdf, x, y, widths, table_rows, size=TABLE_SIZE, colours={3: "status"})
        for text in texts:
            y = pdf.para(x, y, w, text, 6.5, colour=MUTED)

    return height, draw


def flags_block(pdf: SheetPDF, page: PairPage, w: float) -> list[Block]:
    """The flags (none for a pair never analysed: the measurements block says so once)."""
    flags = page.item.flags
    if page.item.analysis is None:
        return []
    return [_flags(pdf, page, w, flags)]


def _flags(pdf: SheetPDF, page: PairPage, w: float, flags: list[dict[str, Any]]) -> Block:
    if not flags:
        missing = page.item.result.get("missing_required") or []
        text = ("No flags: every measured value is within the policy." if not missing else
                "Required measurements missing: " + ", ".join(map(str, missing)))
        return _text_block(pdf, w, "Flags", [(text, MUTED, False)])
    lines = []
    for j, f in enumerate(flags, 1):
        sev = str(f.get("severity", ""))
        lines.append((f"F{j} {flag_line(f, metric=False)} ({f.get('value'):g}; {breach_text(decode(Flag, f))})",
                      STATE_COLOURS.get(sev, INK), False))
    return _text_block(pdf, w, "Flags", lines)


def crop_blocks(pdf: SheetPDF, page: PairPage, w: float) -> list[Block]:
    """Real | twin crops of each annotated and flagged region, a row of pairs per block."""
    regions = page.crops
    if not regions:
        return []
    side = min(21.0, (w - 5) / 4 - 1)
    per_row = max(1, int((w + 4) // (2 * side + 5)))
    size = (page.real.width, page.real.height)
    result = page.item.analysis_result
    shot = result is not None and result.mode is Mode.NEW_SHOT  # no twin box matches a real one
    blocks: list[Block] = []
    for start in range(0, len(regions), per_row):
        row = regions[start:start + per_row]
        first = start == 0

        def draw(x: float, y: float, row: list[evidence.Region] = row, first: bool = first) -> None:
            if first:
                y = _title(pdf, x, y, w, "Regions of the real photograph (a new shot: the faces are "
                           "compared above)" if shot else "Regions: real | twin")
            for i, reg in enumerate(row):
                cx = x + i * (2 * side + 5)
                crop = padded(reg.box, size)
                for j in range(1 if shot else 2):
                    view = fit_view((cx + j * (side + 1), y, side, side), size, crop)
                    if j == 0:
                        draw_real(pdf, view, page.real)
                    else:
                        draw_twin(pdf, view, page.twin, page.matrix)
                    draw_annotations(pdf, view, page.item.annotations, numbers=False, lw=0.35)
                    frame(pdf, view)
                pdf.text_at(cx, y + side + 0.8, 2 * side + 1, f"{reg.label} {reg.caption}", 6,
                            True, INK)
                if not shot:
                    tb = twin_box(page.matrix, reg.box)
                    pdf.text_at(cx, y + side + 3.4, 2 * side + 1,
                                f"twin px {tb[0]},{tb[1]}–{tb[2]},{tb[3]}", 5.5, False, MUTED)

        blocks.append(((4 if first else 0) + side + 6, draw))
    return blocks


def note_blocks(pdf: SheetPDF, page: PairPage, w: float) -> list[Block]:
    """Numbered annotations with their threads, then the pair's own comments."""
    item = page.item
    blocks: list[Block] = []
    threads: dict[int | None, list[Any]] = {}
    for c in item.comments:
        threads.setdefault(c.annotation_id, []).append(c)
    for i, a in enumerate(item.annotations, 1):
        link = link_words(a.flag_metric) if a.flag_metric else a.old_flag_link
        flag = f" · flag: {link}" if link else ""
        lines: list[tuple[str, tuple[int, int, int], bool]] = [
            (f"{i} · {a.kind}{flag} · {a.author}, {_when(a.created_at)}", MUTED, True)]
        if a.text:
            lines.append((a.text, INK, False))
        lines += [(f"↳ {c.author}: {c.text}", INK, False) for c in threads.get(a.id, [])]
        blocks.append(_text_block(pdf, w, "Marks and notes" if i == 1 else "", lines))
    general = threads.get(None, [])
    for k, c in enumerate(general):
        blocks.append(_text_block(pdf, w, "Comments" if k == 0 else "",
                                  [(f"{c.author}, {_when(c.created_at)}", MUTED, True),
                                   (c.text, INK, False)]))
    return blocks


def info_blocks(pdf: SheetPDF, page: PairPage, w: float) -> list[Block]:
    from twinproof.export.pdf_faces import faces_block

    faces = faces_block(pdf, page, w)
    return [decision_block(pdf, page, w), consent_block(pdf, page, w), *([faces] if faces else []),
            metrics_block(pdf, page, w), *flags_block(pdf, page, w),
            *crop_blocks(pdf, page, w), provenance_block(pdf, page, w),
            *note_blocks(pdf, page, w)]

"""The cover: what this document is, the counts, the policy and models used, every pair.

A brand's reader should learn from page one how many twins were approved, on what rules
(the fidelity policy and its version, the model files and their hashes) and see each pair
at a glance with its status, before turning to the evidence pages.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from twinproof.core.plain_words import policy_sentences
from twinproof.core.policy import Policy
from twinproof.export.pdf_base import INK, MUTED, STATE_COLOURS, SheetPDF, table
from twinproof.export.pdf_draw import draw_real, draw_twin, fit_view, frame
from twinproof.export.pdf_pair import PairPage
from twinproof.export.provenance import twin_source_type
from twinproof.export.records import DECISION_ORDER, DECISION_WORDS, VERDICT_ORDER
from twinproof.paths import DataNotFoundError, model_path


def model_rows() -> list[list[str]]:
    """Model files from models/manifest.json: name, source package and version, sha256."""
    try:
        manifest = json.loads(model_path("manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, DataNotFoundError):
        return []
    rows = []
    for name, spec in (manifest.get("models") or {}).items():
        src = spec.get("source") or {}
        rows.append([name, f"{src.get('package', '?')} {src.get('version', '')}".strip(),
                     str(spec.get("sha256", ""))[:16]])
    return rows


def cover_disclosure(pages: Sequence[PairPage]) -> str:
    names = sorted({p.item.talent_name for p in pages if p.item.talent_name})
    if len(names) == 1 and all(p.item.talent_name for p in pages):
        return f"Right: AI-generated digital twin of {names[0]}"
    return "Right (in every pair): AI-generated digital twin of the model named with it"


def source_line(pages: Sequence[PairPage]) -> str:
    """The IPTC digital source types the twins carry: the default, or what their valid
    Content Credentials declare (counted, so the banner never hides a different one)."""
    counts = Counter(twin_source_type(p.provenance)[0].rsplit("/", 1)[-1] for p in pages)
    if len(counts) == 1:
        return f"IPTC digital source type {next(iter(counts))}"
    parts = [f"{kind} ×{n}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    return "IPTC digital source types " + ", ".join(parts) + ", see each pair"


def likeness_line(pages: Sequence[PairPage]) -> str:
    """Whose likeness the twins use, by name, with how many pairs each: the people a brand,
    an agency or an agent must be able to find on the first page."""
    counts = Counter(p.item.talent_name for p in pages)
    named = [f"{name} ({n} pair{'s' if n > 1 else ''})" for name, n in sorted(
        (k, v) for k, v in counts.items() if k)]
    line = "Twins of: " + ("; ".join(named) if named else "no talent named yet")
    if counts.get(None):
        n = counts[None]
        line += f"; not yet linked to a talent: {n} pair{'s' if n > 1 else ''}"
    return line + "."


def _summary(pdf: SheetPDF, pages: Sequence[PairPage], x: float, y: float, w: float) -> float:
    counts = Counter((p.item.state, p.item.verdict) for p in pages)
    head = ["Decision", *[v.replace("not analysed", "n/a") for v in VERDICT_ORDER], "Total"]
    rows: list[list[Any]] = [head]
    for state in DECISION_ORDER:
        n = [counts[(state, v)] for v in VERDICT_ORDER]
        if sum(n):
            rows.append([DECISION_WORDS[state], *[c or "·" for c in n], sum(n)])
    total = [sum(counts[(s, v)] for s in DECISION_ORDER) for v in VERDICT_ORDER]
    rows.append(["All pairs", *total, sum(total)])
    pdf.text_at(x, y, w, "DECISIONS BY ANALYSIS VERDICT", 6.5, True, MUTED)
    y = table(pdf, x, y + 4, [w * 0.34] + [w * 0.132] * 5, rows, size=7.5)
    ok = sum(1 for p in pages if p.item.consent.ok)
    colour = STATE_COLOURS["pass" if ok == len(pages) else "fail"]
    y = pdf.para(x, y + 1, w, f"Talent consent valid today for {ok} of {len(pages)} pair(s).",
                 7.5, True, colour)
    cleared = sum(1 for p in pages if p.item.cleared)
    return pdf.para(x, y + 0.5, w, f"Cleared for use (approved, consent valid): {cleared} of {len(pages)} "
                    "twin(s); every other one is not cleared for use.", 7.5, True,
                    STATE_COLOURS["pass" if cleared == len(pages) else "fail"])


def _policy(pdf: SheetPDF, policy: Policy, note: str, x: float, y: float, w: float) -> float:
    """The limits in force as sentences (``core.plain_words``): the raw keys read as nothing
    to an art director (issue 26)."""
    pdf.text_at(x, y, w, "FIDELITY POLICY", 6.5, True, MUTED)
    y = pdf.para(x, y + 4, w, f"{policy.name}, version {policy.version} ({policy.source})", 7.5, True)
    if note:
        y = pdf.para(x, y, w, note, 6.5, colour=STATE_COLOURS["review"])
    y = pdf.para(x, y, w, "Beyond a review limit a pair needs a human look; beyond a fail limit it fails. "
                 "New shots are compared person to person, with limits of their own.", 6.3, colour=INK)
    for sentence in policy_sentences(policy):
        y = pdf.para(x, y, w, sentence, 6.3, colour=MUTED, limit=None) + 0.3
    return y


def _models(pdf: SheetPDF, x: float, y: float, w: float) -> float:
    rows = model_rows()
    pdf.text_at(x, y, w, "MODELS", 6.5, True, MUTED)
    if not rows:
        return pdf.para(x, y + 4, w, "No model manifest found.", 7, colour=MUTED)
    return table(pdf, x, y + 4, [w * 0.42, w * 0.3, w * 0.28],
                 [["Model", "Source", "sha256"], *rows], size=6.2)


def _provenance(pdf: SheetPDF, pages: Sequence[PairPage], x: float, y: float, w: float) -> float:
    """Which TwinProof, policy and model versions made the stored analyses (they can differ
    from the ones installed today: a shoot reviewed over weeks)."""
    tools: set[str] = set()
    policies: set[str] = set()
    models: set[str] = set()
    for p in pages:
        a = p.item.analysis
        if a is None:
            continue
        tools.add(str(a.result.get("twinproof_version", "?")))
        policies.add(f"{a.policy_name or '?'} {a.policy_version or ''}".strip())
        models.update(f"{k} {v}" for k, v in sorted(a.model_versions.items()))
    if not tools:
        return pdf.para(x, y, w, "No pair has been analysed.", 6.5, colour=MUTED)
    text = (f"Analyses made with TwinProof {', '.join(sorted(tools))}; policy "
            f"{', '.join(sorted(policies))}" + (f"; models {', '.join(sorted(models))}" if models else ""))
    return pdf.para(x, y, w, text, 6.5, colour=MUTED, limit=None)


def _cell(pdf: SheetPDF, page: PairPage, x: float, y: float, w: float, h: float) -> None:
    item = page.item
    size = (page.real.width, page.real.height)
    half = (w - 1) / 2
    for j in range(2):
        view = fit_view((x + j * (half + 1), y, half, h - 10), size)
        view = fit_view((view.clip[0], y + h - 10.5 - view.clip[3], view.clip[2], view.clip[3]),
                        size)  # sit on the caption, whatever the aspect ratio
        if j == 0:
            draw_real(pdf, view, page.real)
        else:
            draw_twin(pdf, view, page.twin, page.matrix)
        frame(pdf, view)
    pdf.text_at(x, y + h - 9.2, w, item.pair.name, 7, True)
    pdf.text_at(x, y + h - 6, w, f"twin of {item.talent_name or 'the model'}", 6, False, MUTED)
    state = item.state
    pdf.text_at(x, y + h - 3.2, w * 0.6, item.state.replace("_", " "), 6.2, True,
                STATE_COLOURS.get(state, INK))
    pdf.text_at(x + w * 0.5, y + h - 3.2, w * 0.5, f"verdict {item.verdict}", 6.2, False,
                STATE_COLOURS.get(item.verdict, MUTED), "R")


def _grid(pdf: SheetPDF, pages: Sequence[PairPage], box: tuple[float, float, float, float],
          start: int, cell_w: float) -> int:
    """Contact-sheet cells into ``box``; returns how many were placed."""
    x, y, w, h = box
    cols = max(1, int((w + 4) // (cell_w + 4)))
    cell_h = cell_w * 0.75 + 10
    rows = max(1, int((h + 4) // (cell_h + 4)))
    placed = 0
    for i, page in enumerate(pages[start:start + cols * rows]):
        r, c = divmod(i, cols)
        _cell(pdf, page, x + c * (cell_w + 4), y + r * (cell_h + 4), cell_w, cell_h)
        placed += 1
    return placed


def render_cover(pdf: SheetPDF, pages: Sequence[PairPage], policy: Policy, policy_note: str,
                 exported_by: str, shoots: str) -> None:
    pdf.add_page()
    pdf.disclosure = cover_disclosure(pages)
    x, y, w = pdf.l_margin, pdf.t_margin, pdf.epw
    pdf.text_at(x, y, w, "TWINPROOF", 7, True, MUTED)
    pdf.text_at(x, y + 4, w, "Digital twin comparison sheets", 20, True)
    pdf.text_at(x, y + 13, w, shoots, 9.5, False, INK)
    when = datetime.now().astimezone().strftime("%d %B %Y, %H:%M %Z")
    pdf.text_at(x, y + 18, w, f"{len(pages)} pair(s) · prepared {when} by {exported_by}", 7.5,
                False, MUTED)
    y += 24
    banner = ("Each pair shows a real photograph (left) beside an AI-generated digital twin of a "
              "real person (right), aligned to the real frame. Twins are labelled as such in every "
              f"export ({source_line(pages)}).")
    # The box grows with the text (never a cut disclosure): 2 lines usually, 3 with mixed types.
    box = pdf.lines_needed(w - 6, banner, 7.5, None, True) * 7.5 * 0.42 + 2.7
    pdf.set_fill_color(255, 244, 224)
    pdf.rect(x, y, w, box, style="F")
    pdf.set_fill_color(*STATE_COLOURS["review"])
    pdf.rect(x, y, 1.5, box, style="F")
    pdf.para(x + 4, y + 1.4, w - 6, banner, 7.5, True, limit=None)
    y += box + 4
    y = pdf.para(x, y - 2, w, likeness_line(pages), 7.5, False, INK, max_lines=2) + 2
    bottom = pdf.h - 14
    if pdf.w > pdf.h:
        col = w * 0.36
        yy = _summary(pdf, pages, x, y, col)
        yy = _policy(pdf, policy, policy_note, x, yy + 4, col)
        yy = _models(pdf, x, yy + 3, col)
        _provenance(pdf, pages, x, yy + 1, col)
        grid = (x + col + 8, y, w - col - 8, bottom - y)
    else:
        half = (w - 8) / 2
        y1 = _summary(pdf, pages, x, y, half)
        y1 = _models(pdf, x, y1 + 4, half)
        y1 = _provenance(pdf, pages, x, y1 + 1, half)
        y2 = _policy(pdf, policy, policy_note, x + half + 8, y, half)
        top = max(y1, y2) + 4
        grid = (x, top, w, bottom - top)
    pdf.text_at(grid[0], grid[1], grid[2], "CONTACT SHEET", 6.5, True, MUTED)
    grid = (grid[0], grid[1] + 4, grid[2], grid[3] - 4)
    cell_w = 44.0
    done = _grid(pdf, pages, grid, 0, cell_w) if grid[3] > cell_w * 0.75 + 10 else 0
    while done < len(pages):
        pdf.add_page()
        pdf.text_at(x, pdf.t_margin, w, "CONTACT SHEET (continued)", 6.5, True, MUTED)
        done += _grid(pdf, pages, (x, pdf.t_margin + 5, w, bottom - pdf.t_margin - 5), done, cell_w)

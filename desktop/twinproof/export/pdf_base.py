"""The sheet's PDF document: fonts, house colours, the disclosure footer, text that fits.

Every page carries the AI disclosure in its footer, set per page by the code that adds it,
so no page of a sheet can leave the building unlabelled. User text (annotations, comments,
reasons) is only ever drawn with ``cell``/``multi_cell`` without markup, so ``<b>`` or ``**``
appear as typed; it is cleaned of control characters and of glyphs the font lacks (fpdf2
would silently drop them), and capped in length with a note pointing to the JSON export,
so a pasted novel cannot push a pair's evidence off its page.

Emoji in a pair name or a comment (``look 01 📸``) printed as replacement glyphs: DejaVu has
none. The system's colour emoji font (Noto Color Emoji on Linux, Segoe UI Emoji on Windows)
is the fallback font when one is installed, loaded only when a text needs it; a character no
font covers is drawn as a visible ``[U+1F4F8]`` placeholder, and the bookmarks keep every
name exactly as typed (they need no font).
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from fpdf import FPDF
from fpdf.drawing import DeviceRGB

from twinproof import __version__

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/Library/Fonts"), Path("C:/Windows/Fonts"))
INK = (28, 28, 30)
MUTED = (110, 110, 118)
HAIR = (214, 214, 220)
PANEL = (245, 245, 247)
STATE_COLOURS = {
    "approved": (36, 138, 61), "approved_with_changes": (0, 113, 227),
    "changes_requested": (201, 110, 0), "rejected": (215, 0, 21), "unreviewed": (110, 110, 118),
    "suspended": (137, 56, 168),
    "pass": (36, 138, 61), "review": (201, 110, 0), "fail": (215, 0, 21),
    "not analysed": (110, 110, 118), "warn": (201, 110, 0),
}
SANS = "tp"
EMOJI = "tpemoji"
#: Colour emoji fonts fpdf2 draws (CBDT bitmaps, COLR layers), where systems install them.
EMOJI_FONTS = (Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),
               Path("/usr/share/fonts/noto/NotoColorEmoji.ttf"),
               Path("/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf"),
               Path("C:/Windows/Fonts/seguiemj.ttf"))
#: Invisible emoji presentation selectors: dropped when no font has them (nothing to draw).
_SELECTORS = frozenset((0xFE0E, 0xFE0F))


def find_emoji_font() -> Path | None:
    """A colour emoji font: ``$TWINPROOF_EMOJI_FONT`` (empty: none), else the system's."""
    chosen = os.environ.get("TWINPROOF_EMOJI_FONT")
    if chosen is not None:
        return Path(chosen) if chosen and Path(chosen).is_file() else None
    return next((p for p in EMOJI_FONTS if p.is_file()), None)


#: What SheetPDF tells fpdf2 the current fill and stroke colours are when it cannot know them.
#: fpdf2 leaves out a text's colour when it equals the fill colour it believes current, and
#: skips ``set_fill_color``/``set_draw_color`` when the colour "is already set"; but a clip's
#: ``q ... Q`` restores the page's colour behind its back, so "consent on record" came out in
#: the red of the decision badge or the panel grey drawn before it. No text or fill ever
#: equals this value (text colours are whole 0-255 steps), so every text writes its colour and
#: every fill sets its own.
UNKNOWN_COLOUR = DeviceRGB(0.1234, 0.5678, 0.9012)


def find_font(name: str) -> Path | None:
    """A TTF from ``resources/fonts`` (for the frozen app), the system, or matplotlib."""
    try:
        from twinproof.paths import resource_path

        bundled = resource_path("fonts", name)
        if bundled.is_file():
            return bundled
    except RuntimeError:  # DataNotFoundError: a broken install still writes a sheet
        pass
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    try:  # matplotlib ships DejaVu Sans when it is installed
        import matplotlib

        candidate = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
        return candidate if candidate.is_file() else None
    except ImportError:
        return None


class SheetPDF(FPDF):
    """FPDF with TwinProof's fonts, footer and a few layout helpers (units: mm)."""

    def __init__(self, paper: str = "A4", landscape: bool = False, stamp: str = "") -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format=paper.upper())
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(False)
        self.disclosure = ""
        self.stamp = stamp or datetime.now().strftime("%Y-%m-%d %H:%M")
        regular, bold = find_font("DejaVuSans.ttf"), find_font("DejaVuSans-Bold.ttf")
        if regular and bold:
            self.add_font(SANS, "", str(regular))
            self.add_font(SANS, "B", str(bold))
            self.family = SANS
            self.font_note = ""
        else:
            self.family = "helvetica"
            self.font_note = ("DejaVu Sans not found (apt-get install fonts-dejavu-core): "
                              "text outside Latin-1 is shown as '?'")
        self.alias_nb_pages()
        self._emoji_cmap: Any = None  # loaded on the first character DejaVu lacks
        #: Outline (bookmark) entry for the next page added: the cover, then each pair.
        self.next_section: str | None = None

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        super().add_page(*args, **kwargs)
        if self.next_section:
            # Bookmarks are Unicode text, no font: the name exactly as typed (emoji included).
            self.start_section(self.without_controls(self.next_section)[:120].replace("\n", " "))
            self.next_section = None

    def release(self) -> None:
        """Close the font files fpdf2 keeps open (it only does so itself in ``output()``,
        so a cancelled or failed sheet would leak them)."""
        for font in getattr(self, "fonts", {}).values():
            close = getattr(font, "close", None)
            if close is not None:
                with contextlib.suppress(OSError, AttributeError, ValueError):
                    close()

    # -- text -----------------------------------------------------------------------------
    @staticmethod
    def without_controls(text: str) -> str:
        """``text`` less control, format, surrogate and private-use characters (tabs: spaces)."""
        return "".join(ch for ch in str(text).replace("\r\n", "\n").replace("\t", " ")
                       if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))

    def emoji_cmap(self) -> Any:
        """The emoji font's character map, adding it as the fallback font on first use
        (``{}`` when none is installed or it cannot be read)."""
        if self._emoji_cmap is None:
            self._emoji_cmap = {}
            path = find_emoji_font()
            if path is not None:
                try:
                    self.add_font(EMOJI, "", str(path))
                    self.set_fallback_fonts([EMOJI], exact_match=False)
                    self._emoji_cmap = getattr(self.fonts[EMOJI], "cmap", {})
                except Exception:  # noqa: BLE001 - a damaged system font: placeholders instead
                    self._emoji_cmap = {}
        return self._emoji_cmap

    def _drawable(self, ch: str, cmap: Any) -> str:
        code = ord(ch)
        if ch == "\n" or code in cmap:
            return ch
        if self.emoji_cmap() and code in self._emoji_cmap:
            return ch
        return "" if code in _SELECTORS else f"[U+{code:04X}]"

    def clean(self, text: str, limit: int | None = None) -> str:
        """Text the fonts can draw, literally; over ``limit`` characters it is cut with a note.
        A character no font has becomes ``[U+XXXX]``: visible, and the real one recoverable."""
        result = self.without_controls(text)
        if limit is not None and len(result) > limit:
            rest = len(result) - limit
            result = result[:limit].rstrip() + f"… [{rest} more characters in the JSON export]"
        if self.family == SANS:
            font = self.fonts.get(SANS) if hasattr(self, "fonts") else None
            cmap = getattr(font, "cmap", None)
            if cmap:
                result = "".join(self._drawable(c, cmap) for c in result)
        else:
            result = result.encode("latin-1", "replace").decode("latin-1")
        return result

    def font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        """Font and text colour; the colour is written with every text (see UNKNOWN_COLOUR)."""
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.fill_color = UNKNOWN_COLOUR

    @contextlib.contextmanager
    def rect_clip(self, x: float, y: float, w: float, h: float) -> Iterator[None]:
        """fpdf2's clip, after which the colours set inside it are forgotten (its ``Q`` put the
        page's back): the next fill or line sets its own."""
        with super().rect_clip(x, y, w, h):
            yield
        self.fill_color = UNKNOWN_COLOUR
        self.draw_color = UNKNOWN_COLOUR

    def text_at(self, x: float, y: float, w: float, text: str, size: float = 8,
                bold: bool = False, colour: tuple[int, int, int] = INK, align: str = "L",
                shrink: float | None = None) -> None:
        """One line in ``w``: set smaller (down to ``shrink`` of ``size``) rather than cut, so
        labels such as "Approved with changes" stay whole; only text longer than that is cut
        with an ellipsis (never an overflow)."""
        shrink = SHRINK if shrink is None else shrink
        line = self.clean(text, 400).replace("\n", " ")
        self.font(size, bold, colour)
        width = self.get_string_width(line)
        if width > w and width * shrink <= w:
            self.font(size * w / width * 0.999, bold, colour)
        elif width > w:
            self.font(size * shrink, bold, colour)
            lo, hi = 0, len(line)
            while lo < hi:  # the longest prefix that fits with its ellipsis
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if self.get_string_width(line[:mid] + "…") <= w else (lo, mid - 1)
            line = line[:lo].rstrip() + "…"
        self.set_xy(x, y)
        self.cell(w, size * 0.45, line, align=align)

    def para(self, x: float, y: float, w: float, text: str, size: float = 8, bold: bool = False,
             colour: tuple[int, int, int] = INK, limit: int | None = 600,
             max_lines: int | None = None) -> float:
        """Wrapped text; returns the y below it. ``max_lines`` cuts with an ellipsis."""
        self.font(size, bold, colour)
        body = self.clean(text, limit)
        lh = size * 0.42
        if max_lines is not None:
            lines = cast(list[str], self.multi_cell(w, lh, body, dry_run=True, output="LINES"))
            if len(lines) > max_lines:
                body = "\n".join(lines[:max_lines]).rstrip() + "…"
        self.set_xy(x, y)
        self.multi_cell(w, lh, body, align="L", new_x="LEFT", new_y="NEXT")
        return float(self.get_y())

    def lines_needed(self, w: float, text: str, size: float, limit: int | None = 600,
                     bold: bool = False) -> int:
        self.font(size, bold)
        lines = self.multi_cell(w, size * 0.42, self.clean(text, limit), dry_run=True,
                                output="LINES")
        return len(cast(list[str], lines))

    def badge(self, x: float, y: float, text: str, key: str, size: float = 8) -> float:
        """A filled rounded label (decision, verdict); returns its width."""
        self.font(size, True, (255, 255, 255))
        w = self.get_string_width(text) + 4
        self.set_fill_color(*STATE_COLOURS.get(key, MUTED))
        self.rect(x, y, w, size * 0.55, style="F", round_corners=True, corner_radius=1.2)
        self.set_xy(x, y)
        self.cell(w, size * 0.55, text, align="C")
        return w

    def rule(self, x: float, y: float, w: float) -> None:
        self.set_draw_color(*HAIR)
        self.set_line_width(0.2)
        self.line(x, y, x + w, y)

    # -- page furniture -------------------------------------------------------------------
    def footer(self) -> None:
        y = self.h - 10
        self.rule(self.l_margin, y - 1.5, self.epw)
        if self.disclosure:
            self.set_fill_color(*STATE_COLOURS["review"])
            self.rect(self.l_margin, y - 0.2, 1.2, 3.2, style="F")
            self.text_at(self.l_margin + 2.5, y, self.epw * 0.62, self.disclosure, 7.5, True)
        right = f"TwinProof {__version__} · {self.stamp} · page {self.page_no()} of {{nb}}"
        self.text_at(self.l_margin + self.epw * 0.62, y, self.epw * 0.38, right, 7, False,
                     MUTED, "R")


#: The smallest a one-line label is set before it wraps (``text_at``'s ``shrink``).
SHRINK = 0.72


def _cell_lines(pdf: SheetPDF, w: float, text: str, size: float, bold: bool) -> list[str]:
    """A cell's lines: one when it fits (set smaller if need be), else wrapped, never cut."""
    pdf.font(size, bold)
    line = pdf.clean(text, 400).replace("\n", " ")
    if not line or pdf.get_string_width(line) * SHRINK <= w:
        return [line]
    pdf.font(size * SHRINK, bold)  # wrapped at the smallest size, so words break only if they must
    # multi_cell keeps its cell margin on both sides; the lines are drawn by text_at without it
    return cast(list[str], pdf.multi_cell(w + 2 * pdf.c_margin, size * 0.45, line, dry_run=True,
                                          output="LINES"))


def table_height(pdf: SheetPDF, widths: list[float], rows: list[list[Any]], size: float = 7.5,
                 header: bool = True) -> float:
    """The height :func:`table` will take (rows grow when a cell wraps)."""
    lh = size * 0.5
    total = 0.0
    for r, row in enumerate(rows):
        n = max((len(_cell_lines(pdf, w - 1.6, "" if c is None else str(c), size, header and r == 0))
                 for w, c in zip(widths, row, strict=False)), default=1)
        total += n * lh + 0.9
    return total + 1


def table(pdf: SheetPDF, x: float, y: float, widths: list[float], rows: list[list[Any]],
          size: float = 7.5, header: bool = True, colours: dict[int, str] | None = None) -> float:
    """A compact ruled table. A cell too long for its column is set smaller, then wrapped onto
    more lines (the row grows), never cut: "not measured" or "Approved with changes" must be
    read whole. ``colours`` tints column text by a STATE_COLOURS key found in the cell.
    Returns the y below it."""
    lh = size * 0.5
    for r, row in enumerate(rows):
        bold_row = header and r == 0
        cells = [_cell_lines(pdf, w - 1.6, "" if cell is None else str(cell), size, bold_row)
                 for w, cell in zip(widths, row, strict=False)]
        cx = x
        for c, (w, lines) in enumerate(zip(widths, cells, strict=False)):
            text = " ".join(lines)
            colour = INK
            if colours and c in colours and text.lower() in STATE_COLOURS:
                colour = STATE_COLOURS[text.lower()]
            for k, line in enumerate(lines):
                pdf.text_at(cx + 0.8, y + 0.6 + k * lh, w - 1.6, line, size, bold_row or colour != INK,
                            MUTED if bold_row else colour)
            cx += w
        y += max((len(lines) for lines in cells), default=1) * lh + 0.9
        pdf.rule(x, y, sum(widths))
    return y + 1

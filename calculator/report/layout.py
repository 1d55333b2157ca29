"""Layout over fpdf2: headings, wrapped paragraphs, tables, code, images and Markdown on A4,
so the sections read as content, not coordinates.

Text is wrapped by :meth:`Layout.wrap` (linear time; fpdf2's own line breaker is quadratic
per line).  The fonts are the vendored DejaVu faces, so ×, ≈, € and non-Latin names render.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from calculator.report.markup import markdown_blocks
from calculator.report.png import MM_PER_CSS_PX, PNG_SCALE, png_size
from calculator.report.text import FONT_DIR, clean_text

PRODUCT = "ScaleRisk"
SANS, MONO = "DejaVu", "DejaVuMono"
Color = tuple[int, int, int]

PAGE_COUNT_ALIAS = "\x1fnb\x1f"
"""Page-count placeholder made of control characters, which :func:`clean_text` always strips,
so no user text can smuggle fpdf2's default ``{nb}`` substitution into the document."""


def _fpdf_class() -> type:
    from fpdf import FPDF

    class ReportPdf(FPDF):
        footer_text = ""

        def set_font(self, family: str | None = None, style: str = "", size: float = 0) -> None:
            """Glyphs the bold and mono faces lack come from DejaVu Sans, which draws every
            character :func:`clean_text` lets through.  fpdf2 then checks text character by
            character, ≈ 20% of a report's layout time, so the fallback is on only for
            those two faces."""
            super().set_font(family, style, size)
            other_face = self.font_family != SANS.lower() or "B" in self.font_style
            self.set_fallback_fonts([SANS] if other_face else [], exact_match=False)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(SANS, size=7.5)
            self.set_text_color(110)
            self.cell(0, 5, self.footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"page {self.page_no()} of {PAGE_COUNT_ALIAS}", align="R")
            self.set_text_color(0)

    return ReportPdf


TABLE_PADDING = 1.2
"""mm between a table cell's border and its text."""
TABLE_HEADING_FILL = (225, 232, 242)
TABLE_RULE = (150, 150, 150)
NEW_PAGE_BELOW = 0.4
"""A section starts a new page only when less than this share of the page is left."""
MIN_CHART_SCALE = 0.75
"""A chart that does not fit the rest of the page is shrunk to fit down to this share of its
natural size (chart text ≥ 7 pt), rather than leaving the space empty."""


class Layout:
    """Thin helpers over fpdf2 so sections read as content, not coordinates."""

    def __init__(self, footer_text: str, title: str = f"{PRODUCT} summary"):
        self._widths: dict[tuple[str, str, float, str], float] = {}
        pdf = _fpdf_class()(orientation="P", unit="mm", format="A4")
        pdf.footer_text = footer_text
        pdf.alias_nb_pages(PAGE_COUNT_ALIAS)
        pdf.set_margins(18, 16, 18)
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_font(SANS, "", FONT_DIR / "DejaVuSans.ttf")
        pdf.add_font(SANS, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        pdf.add_font(MONO, "", FONT_DIR / "DejaVuSansMono.ttf")
        pdf.set_title(title)
        pdf.set_creator(PRODUCT)
        pdf.set_font(SANS, size=10)
        self.pdf = pdf

    @property
    def width(self) -> float:
        return self.pdf.epw

    def space_left(self) -> float:
        return self.pdf.page_break_trigger - self.pdf.get_y()

    def ensure(self, height: float) -> None:
        if self.space_left() < height:
            self.pdf.add_page()

    @property
    def body_height(self) -> float:
        """Height of a page's text area (mm)."""
        return self.pdf.page_break_trigger - self.pdf.t_margin

    def h1(self, text: str, *, new_page: bool | None = None) -> None:
        """A section heading (a bookmark).  ``new_page`` None: a new page only when less than
        :data:`NEW_PAGE_BELOW` of the page is left, else on this one below a rule — so no
        section leaves the page before it nearly empty, and none starts at its foot."""
        pdf = self.pdf
        top = pdf.get_y() <= pdf.t_margin + 0.5
        if (
            pdf.page == 0
            or new_page
            or (new_page is None and self.space_left() < NEW_PAGE_BELOW * self.body_height)
        ):
            pdf.add_page()
        elif not top:
            pdf.ln(5)
            pdf.set_draw_color(*TABLE_RULE)
            pdf.set_line_width(0.3)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self.width, pdf.get_y())
            pdf.ln(4)
        pdf.start_section(text, level=0)
        pdf.set_font(SANS, "B", 17)
        pdf.set_text_color(20, 60, 110)
        self.lines(text, x=pdf.l_margin, width=self.width, line_h=9)
        pdf.set_text_color(0)
        pdf.ln(2)
        pdf.set_font(SANS, size=10)

    def h2(self, text: str, level: int = 1) -> None:
        self.ensure(40 if level <= 1 else 24)  # never a heading alone at the foot of a page
        self.pdf.ln(2)
        if level <= 1:
            self.pdf.start_section(text, level=1)
        self.pdf.set_font(SANS, "B", 13 if level <= 1 else 11)
        self.pdf.multi_cell(
            0, 7 if level <= 1 else 6, text, align="L", new_x="LMARGIN", new_y="NEXT"
        )
        self.pdf.ln(1)
        self.pdf.set_font(SANS, size=10)

    def para(
        self, text: str, *, size: float = 10, bold: bool = False, color: int | tuple = 0
    ) -> None:
        self.pdf.set_font(SANS, "B" if bold else "", size)
        self.pdf.set_text_color(*(color if isinstance(color, tuple) else (color,)))
        self.lines(text, x=self.pdf.l_margin, width=self.width, line_h=size * 0.5)
        self.pdf.set_text_color(0)
        self.pdf.ln(1.5)
        self.pdf.set_font(SANS, size=10)

    def note(self, text: str) -> None:
        self.para(text, size=9, color=(110, 110, 110))

    def warnings(self, texts: Sequence[str]) -> None:
        """Plausibility warnings, each a sentence in dark red beside the figures they qualify."""
        for text in dict.fromkeys(texts):
            self.para(f"Check: {clean_text(text)}", size=9, color=(150, 30, 30))

    def bullet(self, text: str, level: int = 0) -> None:
        indent = 4 + 5 * level
        self.pdf.set_font(SANS, size=10)
        self.ensure(5)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.cell(4, 5, "•")
        x = self.pdf.l_margin + indent + 4
        self.lines(text, x=x, width=self.width - indent - 4, line_h=5)
        self.pdf.ln(0.8)

    def lines(self, text: str, *, x: float, width: float, line_h: float, align: str = "L") -> None:
        """``text`` wrapped to ``width`` at the current font, one ``cell`` per line from ``x``
        (page breaks happen between lines)."""
        for line in self.wrap(text, width):
            self.pdf.set_x(x)
            self.pdf.cell(width, line_h, line, align=align, new_x="LMARGIN", new_y="NEXT")

    def text_width(self, text: str) -> float:
        """Width of ``text`` in mm at the current font, cached by word: fpdf2 sums glyph
        advances without kerning, so a line's width is the sum of its words' widths."""
        pdf = self.pdf
        key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, text)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = pdf.get_string_width(text)
        return width

    def wrap(self, text: str, width: float) -> list[str]:
        """Greedy word wrap of ``text`` (explicit newlines kept) to ``width`` mm.

        Linear in the text's length, where fpdf2's ``multi_cell`` re-measures the whole line
        for every character it adds (quadratic per line): this is what makes a 30-page
        report lay out in a fraction of a second.  A word wider than the line is cut
        between characters.
        """
        space = self.text_width(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            line_width = 0.0
            for word in paragraph.split(" "):
                if not word:
                    continue
                word_width = self.text_width(word)
                if line and line_width + space + word_width <= width:
                    line.append(word)
                    line_width += space + word_width
                    continue
                if line:
                    lines.append(" ".join(line))
                while word_width > width:
                    head = self._longest_prefix(word, width)
                    lines.append(head)
                    word = word[len(head) :]
                    word_width = self.text_width(word)
                line, line_width = [word], word_width
            lines.append(" ".join(line))
        return lines

    def _longest_prefix(self, word: str, width: float) -> str:
        """The longest prefix of ``word`` that fits ``width`` (at least one character)."""
        used = 0.0
        for i, ch in enumerate(word):
            used += self.text_width(ch)
            if used > width:
                return word[: max(i, 1)]
        return word

    def mono(self, text: str, size: float = 8) -> None:
        """Code / JSON on a grey band, one ``cell`` per line (several times faster than
        ``multi_cell``); only lines too wide for the page go through ``multi_cell``."""
        pdf = self.pdf
        pdf.set_font(MONO, size=size)
        pdf.set_fill_color(244, 245, 247)
        line_h, pad = size * 0.45, 1.5
        inner = self.width - 2 * pad
        pdf.cell(self.width, pad, "", fill=True, new_x="LMARGIN", new_y="NEXT")
        for line in text.split("\n"):
            if pdf.get_string_width(line) <= inner:
                pdf.set_x(pdf.l_margin)
                pdf.cell(pad, line_h, "", fill=True)
                pdf.cell(self.width - pad, line_h, line, fill=True, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(
                    self.width,
                    line_h,
                    line,
                    align="L",
                    fill=True,
                    new_x="LMARGIN",
                    new_y="NEXT",
                    wrapmode="CHAR",
                    padding=(0, pad),
                )
        pdf.cell(self.width, pad, "", fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(SANS, size=10)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        headings: Sequence[str] | None = None,
        col_widths: Sequence[float] | None = None,
        align: Sequence[str] | None = None,
        size: float = 9,
        fills: Sequence[Sequence[Color | None] | None] | None = None,
    ) -> None:
        """A table with a shaded heading and a rule under every row; ``col_widths`` are
        proportions of the text width.  A row that does not fit on the page moves to the
        next, with the heading repeated; a row taller than a page is split between lines.
        ``fills`` (one entry per row, None or a colour per cell) highlights cells: shaded and
        bold."""
        if not rows:
            return
        ncols = len(headings or rows[0])
        weights = list(col_widths or [1] * ncols)
        widths = [self.width * w / sum(weights) for w in weights]
        aligns = [a[0] for a in (align or ("LEFT",) * ncols)]  # "LEFT" → "L", "RIGHT" → "R"
        self.ensure(20)
        if headings is not None:
            self._table_row([str(h) for h in headings], widths, aligns, size, heading=True)
        for i, row in enumerate(rows):
            self._table_row(
                [str(c) for c in row],
                widths,
                aligns,
                size,
                headings=headings,
                fills=fills[i] if fills is not None and i < len(fills) else None,
            )
        self.pdf.ln(3)
        self.pdf.set_font(SANS, size=10)

    def pairs(
        self,
        rows: Sequence[tuple[str, str]],
        headings: tuple[str, str] = ("Input", "Value"),
        size: float = 8.5,
        long_chars: int = 60,
    ) -> None:
        """(label, value) rows two to a line, read across then down (a form, half the height
        of one column); values longer than ``long_chars`` follow, one to a full-width line."""
        short = [r for r in rows if len(r[1]) <= long_chars]
        long = [r for r in rows if len(r[1]) > long_chars]
        grid = [
            (*short[i], *(short[i + 1] if i + 1 < len(short) else ("", "")))
            for i in range(0, len(short), 2)
        ]
        self.table(
            grid,
            headings=(*headings, *headings),
            col_widths=(27, 18, 27, 18),
            size=size,
        )
        if long:  # under the grid, as its last rows
            if grid:
                self.pdf.ln(-3)
            self.table(long, headings=None if grid else headings, col_widths=(27, 63), size=size)

    def fit_columns(self, rows: Sequence[Sequence[str]], size: float) -> list[float]:
        """Column widths (mm) for ``rows``: each column as wide as its longest word (in bold,
        as in the heading), and the rest of the text width shared in proportion to the
        columns' mean text width, so key columns stay narrow and prose gets the room."""
        self.pdf.set_font(SANS, "B", size)
        columns = list(zip(*rows, strict=False))
        least = [
            max(self.text_width(word) for cell in col for word in cell.split() or [""])
            + 2 * TABLE_PADDING
            for col in columns
        ]
        want = [sum(self.text_width(cell) for cell in col) / len(col) for col in columns]
        spare = max(0.0, self.width - sum(least))
        self.pdf.set_font(SANS, size=10)
        return [lo + spare * w / (sum(want) or 1) for lo, w in zip(least, want, strict=True)]

    def _table_row(
        self,
        cells: list[str],
        widths: list[float],
        aligns: list[str],
        size: float,
        *,
        heading: bool = False,
        headings: Sequence[str] | None = None,
        fills: Sequence[Color | None] | None = None,
    ) -> None:
        pdf, pad, line_h = self.pdf, TABLE_PADDING, size * 0.5
        fills = list(fills or ()) + [None] * (len(cells) - len(fills or ()))
        pdf.set_font(SANS, "B" if heading else "", size)
        wrapped = [self.wrap(c, w - 2 * pad) for c, w in zip(cells, widths, strict=True)]
        if not heading and any(f is not None for f in fills):  # highlighted: bold, wider
            pdf.set_font(SANS, "B", size)
            wrapped = [
                lines if f is None else self.wrap(c, w - 2 * pad)
                for c, w, f, lines in zip(cells, widths, fills, wrapped, strict=True)
            ]
            pdf.set_font(SANS, size=size)
        done = 0
        total = max(len(w) for w in wrapped)
        while done < total:
            fits = int((self.space_left() - 2 * pad) // line_h)
            if fits < total - done and (fits < 1 or (done == 0 and not heading)):
                pdf.add_page()  # the row moves to a new page (or its rest, when split)
                if headings is not None:
                    self._table_row([str(h) for h in headings], widths, aligns, size, heading=True)
                    pdf.set_font(SANS, size=size)
                fits = int((self.space_left() - 2 * pad) // line_h)
            take = min(total - done, max(fits, 1))
            y, x = pdf.get_y(), pdf.l_margin
            height = take * line_h + 2 * pad
            if heading:
                pdf.set_fill_color(*TABLE_HEADING_FILL)
                pdf.rect(x, y, self.width, height, style="F")
            for lines, width, a, fill in zip(wrapped, widths, aligns, fills, strict=True):
                if fill is not None:
                    pdf.set_fill_color(*fill)
                    pdf.rect(x, y, width, height, style="F")
                    pdf.set_font(SANS, "B", size)
                for i, line in enumerate(lines[done : done + take]):
                    pdf.set_xy(x + pad, y + pad + i * line_h)
                    pdf.cell(width - 2 * pad, line_h, line, align=a)
                if fill is not None and not heading:
                    pdf.set_font(SANS, size=size)
                x += width
            pdf.set_draw_color(*TABLE_RULE)
            pdf.set_line_width(0.2)
            pdf.line(pdf.l_margin, y + height, pdf.l_margin + self.width, y + height)
            pdf.set_xy(pdf.l_margin, y + height)
            done += take

    def images(self, pngs: Sequence[tuple[bytes, str]], max_height: float = 95) -> None:
        """Charts side by side (one: centred), each at its natural size (1 CSS px = 0.3 mm,
        so chart text is the same size in every chart) within its share of the width."""
        gap = 4.0
        slot = (self.width - gap * (len(pngs) - 1)) / len(pngs)
        sizes = []
        for png, _ in pngs:
            w_px, h_px = png_size(png)
            width = min(slot, w_px / PNG_SCALE * MM_PER_CSS_PX)
            height = width * h_px / w_px
            if height > max_height:
                height, width = max_height, max_height * w_px / h_px
            sizes.append((width, height))
        tallest = max(h for _, h in sizes)
        room = self.space_left() - 2
        if room < tallest:
            if room >= MIN_CHART_SCALE * tallest:
                sizes = [(w * room / tallest, h * room / tallest) for w, h in sizes]
            else:
                self.pdf.add_page()
        y = self.pdf.get_y()
        total = sum(w for w, _ in sizes) + gap * (len(pngs) - 1)
        x = self.pdf.l_margin + (self.width - total) / 2
        for (png, title), (width, height) in zip(pngs, sizes, strict=True):
            self.pdf.image(io.BytesIO(png), x=x, y=y, w=width, h=height, alt_text=title)
            x += width + gap
        self.pdf.set_y(y + max(h for _, h in sizes) + 3)

    def markdown(self, md: str) -> None:
        for block in markdown_blocks(md):
            if block.kind == "heading":
                self.h2(block.text, level=max(2, block.level))
            elif block.kind == "paragraph":
                self.para(block.text)
            elif block.kind == "bullet":
                self.bullet(block.text, block.level)
            elif block.kind == "math":
                self.pdf.set_font(SANS, size=10)
                self.lines(block.text, x=self.pdf.l_margin, width=self.width, line_h=5.5, align="C")
                self.pdf.ln(1.5)
            elif block.kind == "code":
                self.mono(block.text)
            elif block.kind == "table" and block.rows:
                self.table(
                    block.rows[1:],
                    headings=block.rows[0],
                    col_widths=self.fit_columns(block.rows, size=8),
                    size=8,
                )

    def output(self) -> bytes:
        return bytes(self.pdf.output())

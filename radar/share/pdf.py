"""PDF documents laid out for reading: pages of one size, a title in the document
properties, the sharing label on every page, and parts (headings, paragraphs, charts and
real tables) flowed onto the pages one after the other, so no page is left near-empty.

Drawn with matplotlib's object API (`Figure`, never pyplot, which is not thread-safe);
text is wrapped by an estimate of its width in the sans-serif font, so it stays inside
its column. Pure: parts in, bytes out.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

A4_LANDSCAPE = (11.69, 8.27)
A4_PORTRAIT = (8.27, 11.69)
MARGIN = 0.55                  # inches on every side
FONT = 8.0                     # points, table cells
CHAR_WIDTH = 0.52              # an average character's width, in ems (DejaVu Sans)
LEADING = 1.3


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    widths: tuple[float, ...]          # relative column widths
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Part:
    """One part of a document: a heading, a paragraph, a chart and a table (each optional)."""

    title: str = ""
    text: str = ""
    chart: Figure | None = None
    table: Table | None = None


def write_pdf(parts: Sequence[Part], *, title: str, footer: str,
              size: tuple[float, float] = A4_PORTRAIT,
              first_page: Callable[[Figure], None] | None = None) -> bytes:
    """The document: `first_page` draws page one (the radar) if given, then the parts."""
    out = io.BytesIO()
    with PdfPages(out, metadata={"Title": title, "Creator": "Trend Radar"}) as pdf:
        flow = _Flow(pdf, size, footer)
        if first_page is not None:
            first_page(flow.page)
            flow.new_page()
        for part in parts:
            flow.part(part)
        flow.finish()
    return out.getvalue()


def wrap(text: str, inches: float, points: float) -> list[str]:
    """`text` in lines that fit `inches` at `points` (at least one line)."""
    columns = max(4, int(inches * 72 / (points * CHAR_WIDTH)))
    return [line for paragraph in str(text).splitlines() or [""]
            for line in textwrap.wrap(paragraph, columns) or [""]]


class _Flow:
    """A cursor down the current page; a new page when the next thing does not fit."""

    def __init__(self, pdf: PdfPages, size: tuple[float, float], footer: str) -> None:
        self.pdf, self.size, self.footer = pdf, size, footer
        self.number = 0
        self.page = self._blank()
        self.used = False

    @property
    def width(self) -> float:
        return self.size[0] - 2 * MARGIN

    def _blank(self) -> Figure:
        self.number += 1
        self.y = MARGIN
        return Figure(figsize=self.size)

    def new_page(self) -> None:
        self.page.text(0.5, 0.35 / self.size[1], f"{self.footer} · page {self.number}",
                       ha="center", va="center", fontsize=7, color="#b45309")
        self.pdf.savefig(self.page)
        self.page, self.used = self._blank(), False

    def finish(self) -> None:
        if self.used or self.number == 1:
            self.new_page()

    def room(self) -> float:
        return self.size[1] - MARGIN - self.y

    def ensure(self, inches: float) -> None:
        if self.used and inches > self.room():
            self.new_page()

    def text(self, x: float, lines: list[str], points: float, **style) -> None:
        """Lines at (x, cursor), in inches from the top left."""
        self.page.text(x / self.size[0], 1 - self.y / self.size[1], "\n".join(lines),
                       va="top", ha="left", fontsize=points, linespacing=LEADING, **style)
        self.used = True

    def part(self, part: Part) -> None:
        line = FONT * LEADING / 72
        if part.title:
            # A heading keeps its sentence and three lines of what follows with it.
            self.ensure(0.5 + line * (len(wrap(part.text, self.width, 9)) + 3))
            self.y += 0.1 if self.y > MARGIN else 0
            self.text(MARGIN, [part.title], 12, fontweight="bold")
            self.y += 12 * LEADING / 72 + 0.05
        if part.text:
            lines = wrap(part.text, self.width, 9)
            self.text(MARGIN, lines, 9)
            self.y += len(lines) * 9 * LEADING / 72 + 0.08
        if part.chart is not None:
            self._chart(part.chart)
        if part.table is not None and part.table.rows:
            self._table(part.table)

    def _chart(self, chart: Figure) -> None:
        import matplotlib.image

        out = io.BytesIO()
        chart.savefig(out, format="png", dpi=150)
        image = matplotlib.image.imread(io.BytesIO(out.getvalue()), format="png")
        width = min(self.width, chart.get_figwidth())
        height = width * image.shape[0] / image.shape[1]
        self.ensure(height)
        if height > self.room():   # taller than a whole page: scale it down
            height = self.room()
            width = height * image.shape[1] / image.shape[0]
        axes = self.page.add_axes((MARGIN / self.size[0],
                                   1 - (self.y + height) / self.size[1],
                                   width / self.size[0], height / self.size[1]))
        axes.imshow(image)
        axes.axis("off")
        self.used = True
        self.y += height + 0.12

    def _table(self, table: Table) -> None:
        total = sum(table.widths)
        widths = [self.width * w / total for w in table.widths]
        starts = [MARGIN + sum(widths[:i]) for i in range(len(widths))]
        line = FONT * LEADING / 72
        pad = 0.06

        def cells(row: Sequence[object], points: float = FONT) -> list[list[str]]:
            return [wrap("" if value is None else str(value), width - pad, points)
                    for value, width in zip(row, widths, strict=True)]

        def rule(colour: str, weight: float) -> None:
            y = 1 - (self.y - 0.03) / self.size[1]
            self.page.add_artist(_line(MARGIN / self.size[0],
                                       (MARGIN + self.width) / self.size[0], y, colour,
                                       weight))

        def header() -> None:
            heads = cells(table.headers, FONT * 1.25)   # bold is wider
            for x, lines in zip(starts, heads, strict=True):
                self.text(x, lines, FONT, fontweight="bold")
            self.y += max(map(len, heads)) * line + 0.04
            rule("#888", 0.8)

        self.ensure(line * 4)
        header()
        for row in table.rows:
            wrapped = cells(row)
            height = max(map(len, wrapped)) * line + 0.05
            if height > self.room():
                self.new_page()
                header()
            for x, lines in zip(starts, wrapped, strict=True):
                self.text(x, lines, FONT, color="#222")
            self.y += height
            rule("#ddd", 0.4)
        self.y += 0.15


def _line(x0: float, x1: float, y: float, colour: str, weight: float) -> Line2D:
    return Line2D([x0, x1], [y, y], color=colour, lw=weight)

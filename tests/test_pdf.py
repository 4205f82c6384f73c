"""PDF documents for reading: one page size, a title in the properties, parts flowed onto
pages as tables (a proportional font, a header on every page), no near-empty page."""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from pypdf import PdfReader

from radar.share.pdf import A4_LANDSCAPE, A4_PORTRAIT, Part, Table, wrap, write_pdf


def fonts(reader: PdfReader) -> set[str]:
    return {str(font["/BaseFont"]) for page in reader.pages
            for font in page["/Resources"]["/Font"].values()}


def test_a_long_table_flows_over_pages_of_one_size_with_its_header_on_each() -> None:
    rows = tuple((n, f"Trend number {n}", "x " * (n % 40)) for n in range(1, 121))
    chart = Figure(figsize=(6, 3))
    chart.add_subplot().plot([0, 1], [0, 1])
    pdf = write_pdf([Part("Intro", "A first sentence."),
                     Part("The list", "Every trend.", chart, Table(("no.", "trend", "why"),
                                                                   (1, 3, 6), rows))],
                    title="A title", footer="TLP:CLEAR")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "A title"
    assert len(reader.pages) >= 3
    assert {tuple(page.mediabox) for page in reader.pages} == {
        (0, 0, round(A4_PORTRAIT[0] * 72, 2), round(A4_PORTRAIT[1] * 72, 2))}
    texts = [page.extract_text() for page in reader.pages]
    for text in texts:   # a header and the sharing label on every page
        assert "trend" in text and "TLP:CLEAR" in text
    joined = "\n".join(texts)
    assert all(f"Trend number {n}" in joined for n in (1, 60, 120))
    assert not any("Mono" in font for font in fonts(reader))
    # Every page but the last is filled: rows go on until the page is full.
    assert all(text.count("Trend number") >= 25 for text in texts[1:-1])


def test_a_first_page_is_drawn_by_the_caller_on_the_same_page_size() -> None:
    def cover(page: Figure) -> None:
        page.text(0.1, 0.9, "The radar page")

    reader = PdfReader(io.BytesIO(write_pdf([Part("After", "text")], title="T",
                                            footer="F", size=A4_LANDSCAPE,
                                            first_page=cover)))
    assert [page.extract_text().split("\n")[0] for page in reader.pages] == [
        "The radar page", "After"]
    assert len({tuple(page.mediabox) for page in reader.pages}) == 1


def test_wrap_keeps_lines_inside_the_column() -> None:
    lines = wrap("word " * 60, 2.0, 8)
    assert len(lines) > 1 and all(len(line) <= 2.0 * 72 / (8 * 0.52) for line in lines)
    assert wrap("", 2.0, 8) == [""]

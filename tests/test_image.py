"""PNG and PDF drawn with matplotlib's object API: valid files, the brief's text."""

from __future__ import annotations

import io

from radar.share.image import brief_lines, render_pdf, render_png

from .test_interchange import CHANGES, NEWER


def test_png_and_pdf_are_valid_files_of_sensible_size() -> None:
    png = render_png(NEWER, CHANGES)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and 20_000 < len(png) < 2_000_000
    pdf = render_pdf(NEWER, CHANGES)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert 5_000 < len(pdf) < 2_000_000
    text = "\n".join(brief_lines(NEWER, CHANGES, include_internal=False))
    assert "WHAT CHANGED" in text and "moved in: Trend keys" in text
    for entry in NEWER.entries:  # every trend on the radar, numbered as on the slide
        assert f"{entry.number}. {entry.label}" in text
    assert "secret" not in text.lower()


def test_the_pdf_brief_reads_back_with_a_pdf_parser() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(NEWER, CHANGES)))
    slide = reader.pages[0].extract_text()
    for entry in NEWER.entries:  # the slide's legend names every numbered blip
        assert f"{entry.number}. {entry.label}" in slide
    assert "TLP:CLEAR" in slide
    brief = "\n".join(page.extract_text() for page in reader.pages[1:])
    assert "WHAT CHANGED" in brief and "secret" not in brief.lower()

"""PNG and PDF drawn with matplotlib's object API: valid files; the brief laid out for
reading (one page size, a title in its properties, the radar page then tables)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from radar.share.image import brief_parts, render_pdf, render_png

from .test_interchange import CHANGES, NEWER, PUBLIC


def test_png_and_pdf_are_valid_files_of_sensible_size() -> None:
    png = render_png(NEWER, CHANGES)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and 20_000 < len(png) < 2_000_000
    pdf = render_pdf(NEWER, CHANGES)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert 5_000 < len(pdf) < 2_000_000


def test_the_brief_is_tables_what_changed_decisions_and_every_trend() -> None:
    parts = {part.title: part for part in brief_parts(NEWER, CHANGES,
                                                      include_internal=False)}
    assert list(parts) == ["What changed", "Decisions", "Q0", "Q3"]
    assert parts["What changed"].text == "Compared with edition A."
    assert parts["What changed"].table.rows == (("New", "Trend new", "hold", ""),
                                                ("Moved in", "Trend keys", "adopt", "assess"),
                                                ("Dropped", "Trend gone", "assess", ""))
    assert parts["Decisions"].table.rows == (
        ("Trend keys", "undecided → adopt", "ana", "2031-03-05", PUBLIC["note"]),)
    # Every trend on the radar, numbered as on the radar, under its quadrant.
    assert parts["Q0"].table.rows == ((1, "Trend keys", "adopt (suggested)", "steady",
                                       PUBLIC["note"]),)
    assert parts["Q3"].table.rows[0][:2] == (2, "Trend new")
    assert parts["Q0"].text == "Adopt: act now. Assess: check. Hold: watch."


def test_the_pdf_brief_reads_back_with_one_page_size_and_a_title() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(NEWER, CHANGES)))
    assert reader.metadata.title == "B (TLP:CLEAR)"
    assert len({tuple(page.mediabox) for page in reader.pages}) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)   # A4 landscape
    slide = reader.pages[0].extract_text()
    for entry in NEWER.entries:  # the radar page's legend names every numbered blip
        assert f"{entry.number}. {entry.label}" in slide
    assert "TLP:CLEAR" in slide
    brief = "\n".join(page.extract_text() for page in reader.pages[1:])
    assert "What changed" in brief and "Moved in" in brief and "Trend keys" in brief
    assert "secret" not in brief.lower()
    assert not any("Mono" in str(font["/BaseFont"]) for page in reader.pages
                   for font in page["/Resources"]["/Font"].values())

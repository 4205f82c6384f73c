"""Every export format in one table: id, file extension, MIME type, human label, writer,
and for files made for another tool, that tool's rules as a check and what to tell the
user (BYOR's settings).

The CLI's `--format` choices, the app's download buttons and the README's list come from
this table, so adding a format is one row. Every rendering is checked against its rules
before anyone gets it. Functions are named, not imported, so loading the table does not
load matplotlib.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from radar.share.snapshot import Snapshot, SnapshotDiff


@dataclass(frozen=True)
class Format:
    id: str
    extension: str
    mime: str
    label: str
    writer: str            # "module:function", imported when the format is rendered
    description: str
    check: str = ""        # "module:function(text, snapshot)" raising ExportError
    advice: str = ""       # "module:function(snapshot)": what to do with the file
    max_rings: int = 0     # the most rings the tool can draw (0: any number)

    def render(self, snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False) -> bytes:
        """The file's bytes, checked against the rules of the tool it is for."""
        content = _function(self.writer)(snapshot, changes, include_internal=include_internal)
        if self.check:
            _function(self.check)(content, snapshot)
        return content if isinstance(content, bytes) else content.encode("utf-8")

    def refusal(self, snapshot: Snapshot) -> str:
        """Why this radar cannot be written in this format ('' when it can)."""
        if self.max_rings and len(snapshot.rings) > self.max_rings:
            return (f"{self.label} draws at most {self.max_rings} rings; this radar has "
                    f"{len(snapshot.rings)}")
        return ""

    def advice_for(self, snapshot: Snapshot) -> str:
        """What the user must do for the file to show everything ('' when nothing)."""
        return _function(self.advice)(snapshot) if self.advice else ""

    def file_name(self, edition_id: str) -> str:
        """Distinct for every format: `radar-ID.html`, `radar-ID-byor-csv.csv` …"""
        stem = f"radar-{edition_id}" if self.id == self.extension else \
            f"radar-{edition_id}-{self.id}"
        return f"{stem}.{self.extension}"


FORMATS: tuple[Format, ...] = (
    Format("html", "html", "text/html", "Web page (HTML)", "radar.share.page:render_html",
           "one self-contained page that opens offline: the radar with its legend, what "
           "changed, every trend by quadrant and ring with rationale and evidence"),
    Format("pdf", "pdf", "application/pdf", "Brief (PDF)", "radar.share.image:render_pdf",
           "a short brief for the CIO: the radar with its legend, what changed, the "
           "decisions, and every trend on the radar"),
    Format("png", "png", "image/png", "Slide picture (PNG)", "radar.share.image:render_png",
           "the radar picture with its legend, slide-sized"),
    Format("svg", "svg", "image/svg+xml", "Picture (SVG)", "radar.share.page:render_svg",
           "the radar picture with its legend, scalable"),
    Format("md", "md", "text/markdown", "Brief (Markdown)",
           "radar.share.markdown:render_markdown", "a brief for email or a wiki"),
    Format("byor-csv", "csv", "text/csv", "Thoughtworks BYOR (CSV)",
           "radar.share.interchange:render_byor_csv",
           "Thoughtworks Build Your Own Radar sheet",
           check="radar.share.interchange:check_byor_csv",
           advice="radar.share.interchange:byor_advice", max_rings=4),
    Format("byor-json", "json", "application/json", "Thoughtworks BYOR (JSON)",
           "radar.share.interchange:render_byor_json",
           "Thoughtworks Build Your Own Radar JSON",
           check="radar.share.interchange:check_byor_json",
           advice="radar.share.interchange:byor_advice", max_rings=4),
    Format("zalando", "json", "application/json", "Zalando tech radar (JSON)",
           "radar.share.interchange:render_zalando",
           "the whole `radar_visualization({...})` argument: page settings, quadrants, "
           "rings and entries",
           check="radar.share.interchange:check_zalando", max_rings=4),
    Format("backstage", "json", "application/json", "Backstage tech radar (JSON)",
           "radar.share.interchange:render_backstage",
           "Backstage tech-radar data with a timeline per entry",
           check="radar.share.interchange:check_backstage"),
)
BY_ID = {f.id: f for f in FORMATS}


def _function(name: str):
    module, attribute = name.split(":")
    return getattr(importlib.import_module(module), attribute)


def get_format(format_id: str) -> Format:
    return BY_ID[format_id]

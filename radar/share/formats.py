"""Every export format in one table: id, file extension, MIME type, human label, writer.

The CLI's `--format` choices, the app's download buttons and the README's list come from
this table, so adding a format is one row. Writers are named, not imported, so loading the
table does not load matplotlib.
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

    def render(self, snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False) -> bytes:
        module, name = self.writer.split(":")
        write = getattr(importlib.import_module(module), name)
        content = write(snapshot, changes, include_internal=include_internal)
        return content if isinstance(content, bytes) else content.encode("utf-8")

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
           "Thoughtworks Build Your Own Radar sheet"),
    Format("byor-json", "json", "application/json", "Thoughtworks BYOR (JSON)",
           "radar.share.interchange:render_byor_json",
           "Thoughtworks Build Your Own Radar JSON"),
    Format("zalando", "json", "application/json", "Zalando tech radar (JSON)",
           "radar.share.interchange:render_zalando", "Zalando tech-radar entries"),
    Format("backstage", "json", "application/json", "Backstage tech radar (JSON)",
           "radar.share.interchange:render_backstage",
           "Backstage tech-radar data with a timeline per entry"),
)
BY_ID = {f.id: f for f in FORMATS}


def get_format(format_id: str) -> Format:
    return BY_ID[format_id]

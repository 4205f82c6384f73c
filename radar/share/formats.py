"""Every export format in one table: id, file extension, MIME type, human label, writer,
and for files made for another tool, that tool's rules as a check (run before every
export: fields, and that the tool draws our quadrants where our radar does) and what to
tell the user (BYOR's settings). A folder format (AOE) is written as a folder by the CLI
and as one zip file by the app.

The CLI's `--format` choices, the app's download buttons and the README's list come from
this table, so adding a format is one row. Every rendering is checked against its rules
before anyone gets it. Functions are named, not imported, so loading the table does not
load matplotlib.
"""

from __future__ import annotations

import importlib
import io
import zipfile
from dataclasses import dataclass

from radar.errors import ExportError
from radar.share.snapshot import Snapshot, SnapshotDiff


@dataclass(frozen=True)
class Format:
    id: str
    extension: str
    mime: str
    label: str
    writer: str            # "module:function", imported when the format is rendered
    description: str
    check: str = ""        # "module:function(content, snapshot, **options)" raising ExportError
    advice: str = ""       # "module:function(snapshot, **options)": what to do with the file
    max_rings: int = 0     # the most rings the tool can draw (0: any number)
    options: tuple[str, ...] = ()   # keyword options its writer takes (byor_defaults)
    folder: bool = False   # the writer gives {relative path: text}: a folder (zipped here)

    def render(self, snapshot: Snapshot, changes: SnapshotDiff, *,
               include_internal: bool = False, **options: bool) -> bytes:
        """The file's bytes, checked against the rules of the tool it is for (a folder
        format: its files in one zip archive)."""
        if self.folder:
            return _zip(self.render_files(snapshot, changes,
                                          include_internal=include_internal, **options))
        content = self._checked(snapshot, changes, include_internal, options)
        return content if isinstance(content, bytes) else content.encode("utf-8")

    def render_files(self, snapshot: Snapshot, changes: SnapshotDiff, *,
                     include_internal: bool = False, **options: bool) -> dict[str, bytes]:
        """A folder format's files by relative path, checked against its tool's rules."""
        files = self._checked(snapshot, changes, include_internal, options)
        return {path: text.encode("utf-8") for path, text in files.items()}

    def _checked(self, snapshot: Snapshot, changes: SnapshotDiff, include_internal: bool,
                 options: dict[str, bool]):
        options = self._options(options)
        content = _function(self.writer)(snapshot, changes,
                                         include_internal=include_internal, **options)
        if self.check:
            _function(self.check)(content, snapshot, **options)
        return content

    def _options(self, options: dict[str, bool]) -> dict[str, bool]:
        unknown = [name for name, value in options.items() if value and name not in self.options]
        if unknown:
            raise ExportError(f"{self.label} has no option {', '.join(unknown)}")
        return {name: value for name, value in options.items() if name in self.options}

    def refusal(self, snapshot: Snapshot) -> str:
        """Why this radar cannot be written in this format ('' when it can)."""
        if self.max_rings and len(snapshot.rings) > self.max_rings:
            return (f"{self.label} draws at most {self.max_rings} rings; this radar has "
                    f"{len(snapshot.rings)}")
        return ""

    def advice_for(self, snapshot: Snapshot, **options: bool) -> str:
        """What the user must do for the file to show everything ('' when nothing)."""
        return _function(self.advice)(snapshot, **self._options(options)) if self.advice \
            else ""

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
    # Thoughtworks BYOR reads one sheet as CSV or as JSON: the same rules, a writer each.
    *(Format(f"byor-{ext}", ext, mime, f"Thoughtworks BYOR ({ext.upper()})",
             f"radar.share.byor:render_byor_{ext}",
             f"Thoughtworks Build Your Own Radar {what}",
             check=f"radar.share.byor:check_byor_{ext}",
             advice="radar.share.byor:byor_advice", max_rings=4,
             options=("byor_defaults",))
      for ext, mime, what in (("csv", "text/csv", "sheet"), ("json", "application/json", "JSON"))),
    Format("zalando", "json", "application/json", "Zalando tech radar (JSON)",
           "radar.share.zalando:render_zalando",
           "the whole `radar_visualization({...})` argument: page settings, quadrants, "
           "rings and entries",
           check="radar.share.zalando:check_zalando", max_rings=4),
    Format("backstage", "json", "application/json", "Backstage tech radar (JSON)",
           "radar.share.backstage:render_backstage",
           "Backstage tech-radar data with a timeline per entry",
           check="radar.share.backstage:check_backstage"),
    Format("aoe", "zip", "application/zip", "AOE technology radar (folder)",
           "radar.share.aoe:aoe_files",
           "an AOE technology radar project: `config.json` and one release folder per "
           "edition with a Markdown file per trend (a zip file from the app)",
           check="radar.share.aoe:check_aoe", folder=True),
)
BY_ID = {f.id: f for f in FORMATS}


def _function(name: str):
    module, attribute = name.split(":")
    return getattr(importlib.import_module(module), attribute)


def _zip(files: dict[str, bytes]) -> bytes:
    """One archive, the same bytes for the same files (fixed time stamps)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue()

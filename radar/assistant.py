"""The radar for AI assistants: a Model Context Protocol server (the only module that
imports the `mcp` SDK). Each tool opens the database for its call and returns an answer
from `radar.answers`; a library error (an unknown trend id, a bad date or ring) becomes
a tool error with its message, never a crash of the server. Read-only unless built with
an author for decisions, which adds `tag`."""

# No `from __future__ import annotations`: the SDK reads each tool's parameters from its
# annotations, and those name the settings' rings, known only when the server is built.
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from radar import __version__, answers
from radar.config import Settings
from radar.errors import RadarError
from radar.store import opened

MAX_LIMIT = 100
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
DECISION = ToolAnnotations(read_only_hint=False, destructive_hint=False,
                           idempotent_hint=False, open_world_hint=False)
INSTRUCTIONS = (
    "Trend Radar: the security and IT trends our news feeds show, placed on a radar "
    "(quadrants, rings adopt/assess/hold), tied to the CIO's roadmap, our stack and CISA's "
    "exploited flaws. Ground answers in these tools and cite their article links. Trend ids "
    "come from radar, search or emerging; ask trend for the evidence and the decisions.")

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="How many to return.")]
Offset = Annotated[int, Field(ge=0, description="Skip this many (the next_offset of a "
                                                 "previous page).")]


def build_server(db_path: Path, settings: Settings, *, app_url: str | None = None,
                 decisions_by: str | None = None) -> MCPServer:
    """The server's tools and resources over one database; `decisions_by` (an author's
    address) adds the `tag` tool, recording decisions in that name."""
    server = MCPServer("trend-radar", title="Trend Radar", version=__version__,
                       instructions=INSTRUCTIONS, log_level="WARNING")

    def answer(reply: Callable[..., Any], *args: Any, failure: type[Exception] = ToolError,
               **options: Any) -> Any:
        """`reply(store, *args, **options)` on the database, opened for this call; a
        library error becomes `failure` (a tool's or a resource's error) with its message."""
        try:
            with opened(db_path) as store:
                return reply(store, *args, **options)
        except RadarError as e:
            raise failure(str(e)) from e

    quadrants = "; ".join(q.name for q in settings.quadrants)
    rings = ", ".join(settings.rings)

    @server.tool(annotations=READ_ONLY, description=(
        "The radar: the trends its picture shows now (or as an edition froze it), each with "
        "quadrant, ring (decided, or suggested by the engine), what that ring means there, "
        f"status and why now, with article links. Quadrants: {quadrants}. Rings: {rings}."))
    def radar(
        quadrant: Annotated[str | None, Field(description="Only this quadrant.")] = None,
        ring: Annotated[str | None, Field(description=f"Only this ring ({rings}).")] = None,
        status: Annotated[str | None, Field(
            description="Only this status: emerging, rising, steady, fading, dormant.")] = None,
        edition: Annotated[str | None, Field(
            description="An edition id (see editions); default: the radar now.")] = None,
        limit: Limit = 30, offset: Offset = 0,
    ) -> dict[str, Any]:
        return answer(answers.radar_answer, settings, edition=edition, quadrant=quadrant,
                      ring=ring, status=status, limit=limit, offset=offset, app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "One trend by id: why now, its theme or events, evidence articles (paged), decision "
        "history, and the roadmap initiatives, stack items and exploited flaws (CISA KEV) "
        "it touches; act_now is true when it names a flaw exploited in a product we run."))
    def trend(
        trend_id: Annotated[str, Field(description="The trend's id (from radar, search or "
                                                   "emerging).")],
        limit: Annotated[int, Field(ge=1, le=MAX_LIMIT,
                                    description="Evidence articles to return.")] = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return answer(answers.trend_answer, settings, trend_id, limit=limit, offset=offset,
                      app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "Search trends by words in their names, keywords and articles (\"ransomware\", "
        "\"Ivanti\", \"passkeys\"), most relevant first, each with article links."))
    def search(
        query: Annotated[str, Field(description="Words to look for.")],
        limit: Limit = 10, offset: Offset = 0,
    ) -> dict[str, Any]:
        return answer(answers.search_answer, query, limit=limit, offset=offset,
                      app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "What is newly emerging: trends first flagged emerging or rising on or after a date "
        "(default: the week before the last analysis), newest first, with article links; "
        "optionally only those touching one roadmap initiative."))
    def emerging(
        since: Annotated[str | None, Field(description="First day, YYYY-MM-DD.")] = None,
        initiative: Annotated[str | None, Field(
            description="Only trends touching this initiative (id or name, see roadmap)."
        )] = None,
        limit: Limit = 20, offset: Offset = 0,
    ) -> dict[str, Any]:
        return answer(answers.emerging_answer, since=since, initiative=initiative,
                      limit=limit, offset=offset, app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "The CIO's roadmap: each initiative (or one, by id or name) with the current trends "
        "touching it, their rings, decision notes, and whether one is a flaw to act on now."))
    def roadmap(
        initiative: Annotated[str | None, Field(
            description="An initiative's id or name; default: every initiative.")] = None,
        per_initiative: Annotated[int, Field(ge=1, le=MAX_LIMIT,
                                             description="Trends per initiative.")] = 8,
    ) -> dict[str, Any]:
        return answer(answers.roadmap_answer, initiative=initiative,
                      per_initiative=per_initiative, app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "Act now: flaws CISA lists as exploited (KEV) in products of our stack, latest due "
        "date first: since when (date added), due date, past due, ransomware use, the "
        "required action and the trends naming each."))
    def act_now(limit: Limit = 30, offset: Offset = 0) -> dict[str, Any]:
        return answer(answers.act_now_answer, limit=limit, offset=offset, app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "The frozen editions of the radar (shared with the CIO), newest first."))
    def editions(limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        return answer(answers.editions_answer, limit=limit, offset=offset, app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "What changed between two editions: new trends, moves between rings, quadrant "
        "changes, dropped trends, decisions made. Default: the newest and the one before."))
    def edition_diff(
        older: Annotated[str | None, Field(description="The older edition's id.")] = None,
        newer: Annotated[str | None, Field(description="The newer edition's id.")] = None,
    ) -> dict[str, Any]:
        return answer(answers.edition_diff_answer, older=older, newer=newer, app_url=app_url)

    @server.tool(annotations=READ_ONLY, description=(
        "The results of the trend watch over a period: how early trends were flagged "
        "(lead times), decisions and how fast, the triage backlog, roadmap, exposure and "
        "coverage. Default: the 90 days up to the last analysis."))
    def metrics(start: Annotated[str | None, Field(description="First day, YYYY-MM-DD.")] = None,
                end: Annotated[str | None, Field(description="Last day, YYYY-MM-DD.")] = None,
                limit: Limit = 30) -> dict[str, Any]:
        return answer(answers.metrics_answer, start=start, end=end, limit=limit)

    if decisions_by:
        @server.tool(annotations=DECISION, description=(
            f"Decide a trend's ring ({rings}) with a rationale, recorded as {decisions_by} "
            "in the radar's append-only decision history (it survives re-analysis)."))
        def tag(
            trend_id: Annotated[str, Field(description="The trend's id.")],
            ring: Annotated[str, Field(description=f"One of: {rings}.")],
            rationale: Annotated[str, Field(description="Why: the note people will read.")],
        ) -> dict[str, Any]:
            return answer(answers.decide, settings, trend_id, ring, rationale,
                          author=decisions_by, app_url=app_url)

    @server.resource("radar://edition/latest", name="latest-edition", mime_type="text/markdown",
                     description="The newest edition of the radar as its Markdown brief.")
    def latest_edition() -> str:
        return answer(answers.latest_edition_markdown, failure=ResourceError)

    @server.resource("radar://rings", name="ring-meanings", mime_type="text/markdown",
                     description="What each ring means in each quadrant.")
    def ring_meanings() -> str:
        return answers.ring_meanings_markdown(settings)

    return server


def serve(server: MCPServer, *, http_port: int | None = None) -> None:
    """Over standard input and output (for a desktop assistant), or over streamable HTTP
    on 127.0.0.1 only (at http://127.0.0.1:PORT/mcp)."""
    if http_port is None:
        server.run("stdio")
    else:
        server.run("streamable-http", host="127.0.0.1", port=http_port)

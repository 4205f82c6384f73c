"""Benchmark and bar check: `radar mcp` on the real archive, asked by the SDK's own client
over standard input and output (run by hand).

The archive (an imported copy, by default ../corpus.db, else the shared corpus imported
afresh) is copied, given the sample stack and roadmap of docs/examples and CISA's KEV
catalog, and analysed as of 2025-12-05. Then: the tools and their input schemas, search
"ransomware" with article links, act_now with the KEV entries in our stack, an unknown
trend id as a tool error, no `tag` without --allow-decisions. Each tool's time over the
protocol (best of three) is printed beside the same answer built in this process (the
naive baseline: calling the library directly), with their ratio: the cost of the protocol.

    .venv/bin/python -m bench.bench_assistant [IMPORTED.db]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from bench._common import CORPUS
from radar import answers
from radar.archive import ImportReport, read_archive
from radar.config import Settings, load_settings
from radar.dedup import update_duplicate_groups
from radar.engine.analyze import analyze
from radar.links import update_links
from radar.org import read_initiatives_csv, read_kev, read_stack_csv
from radar.store import Store

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "feeds.yaml"
KEV = CORPUS.parent / "kev.json"
AS_OF = datetime(2025, 12, 5, 23, 59, 59, tzinfo=UTC)
EXAMPLES = ROOT / "docs" / "examples"


def prepare(source: Path | None) -> Path:
    path = Path(tempfile.mkdtemp(prefix="radar-bench-")) / "radar.db"
    if source:
        shutil.copy(source, path)
    store = Store(path)
    if not source:
        store.save_articles(read_archive(CORPUS, ImportReport()))
        update_duplicate_groups(store)
    store.save_stack(read_stack_csv((EXAMPLES / "stack.csv").read_text(encoding="utf-8")))
    store.save_initiatives(read_initiatives_csv(
        (EXAMPLES / "roadmap.csv").read_text(encoding="utf-8")))
    store.save_kev(read_kev(KEV.read_text(encoding="utf-8")))
    analyze(store, load_settings(FEEDS), as_of=AS_OF)
    update_links(store, Settings())
    store.close()
    return path


CALLS = {
    "radar": ({"limit": 30}, lambda s, st: answers.radar_answer(s, st, limit=30)),
    "search": ({"query": "ransomware", "limit": 10},
               lambda s, st: answers.search_answer(s, "ransomware", limit=10)),
    "emerging": ({"limit": 20}, lambda s, st: answers.emerging_answer(s, limit=20)),
    "roadmap": ({}, lambda s, st: answers.roadmap_answer(s, per_initiative=8)),
    "act_now": ({"limit": 30}, lambda s, st: answers.act_now_answer(s, limit=30)),
    "editions": ({}, lambda s, st: answers.editions_answer(s, limit=20)),
    "metrics": ({"limit": 30}, lambda s, st: answers.metrics_answer(s, limit=30)),
}


REPEATS = 3   # each figure is the best of three, so neither side pays for warming up


def in_process(path: Path) -> dict[str, float]:
    """The baseline: each answer built by a library call, opening the database each time
    as the server does."""
    settings, seconds = load_settings(FEEDS), {}
    for name, (_, build) in CALLS.items():
        for _ in range(REPEATS):
            started = time.perf_counter()
            store = Store(path)
            build(store, settings)
            store.close()
            took = time.perf_counter() - started
            seconds[name] = min(seconds.get(name, took), took)
    return seconds


async def over_stdio(path: Path) -> tuple[dict[str, float], dict[str, bool]]:
    server = StdioServerParameters(
        command=str(Path(sys.executable).parent / "radar"),
        args=["mcp", "--db", str(path), "--feeds", str(FEEDS), "--app-url",
              "http://localhost:8501"], env={"PYTHONPATH": str(ROOT)}, cwd=str(ROOT))
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    async with Client(server) as client:
        seconds["start and connect"] = time.perf_counter() - started
        tools = (await client.list_tools()).tools
        results = {}
        for name, (args, _) in CALLS.items():
            for _ in range(REPEATS):
                started = time.perf_counter()
                results[name] = await client.call_tool(name, args)
                took = time.perf_counter() - started
                seconds[name] = min(seconds.get(name, took), took)
        unknown = await client.call_tool("trend", {"trend_id": "T-no-such-trend"})
        tag = await client.call_tool("tag", {"trend_id": "x", "ring": "hold", "rationale": "x"})
    found = results["search"].structured_content["trends"]
    flaws = results["act_now"].structured_content
    print(f"{len(tools)} tools: {', '.join(t.name for t in tools)}")
    print(f"search 'ransomware': {results['search'].structured_content['total']} trends; "
          + "; ".join(f"{t['label']} ({len(t['articles'])} links, e.g. {t['articles'][0]['link']})"
                      for t in found[:3]))
    print(f"act_now: {flaws['total']} KEV entries in our stack; newest: "
          + "; ".join(f"{e['cve']} {e['vendor']} {e['product']} (added {e['date_added']}, "
                      f"due {e['due_date']})" for e in flaws["entries"][:3]))
    print(f"trend with an unknown id: {unknown.content[0].text}")
    print(f"tag without --allow-decisions: {tag.content[0].text}\n")
    bar = {
        ">= 8 tools with input schemas": len(tools) >= 8 and all(
            t.input_schema.get("type") == "object" for t in tools),
        "search 'ransomware' returns trends with article links": bool(found) and all(
            t["articles"] and t["articles"][0]["link"].startswith("http") for t in found),
        "act_now returns the KEV entries in our stack": flaws["total"] > 0 and all(
            e["stack_item"]["product"] for e in flaws["entries"]),
        "trend with an unknown id is a tool error": unknown.is_error
        and "no trend with id" in unknown.content[0].text,
        "no tag tool without --allow-decisions": all(t.name != "tag" for t in tools),
    }
    return seconds, bar


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "corpus.db"
    started = time.perf_counter()
    path = prepare(source if source.exists() else None)
    print(f"prepared {path} (analysed as of {AS_OF:%Y-%m-%d}) in "
          f"{time.perf_counter() - started:.1f}s\n")
    baseline = in_process(path)
    protocol, bar = anyio.run(over_stdio, path)
    print(f"{'tool':18}{'over stdio s':>14}{'in process s':>14}{'ratio':>8}")
    print(f"{'start and connect':18}{protocol['start and connect']:14.2f}")
    for name in CALLS:
        print(f"{name:18}{protocol[name]:14.3f}{baseline[name]:14.3f}"
              f"{protocol[name] / baseline[name]:8.2f}")
    print()
    for point, met in bar.items():
        print(f"{'met' if met else 'NOT MET':8}{point}")
    shutil.rmtree(path.parent)


if __name__ == "__main__":
    main()

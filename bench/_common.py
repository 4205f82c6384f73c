"""Helpers shared by the benchmarks: the shared corpus and peak-memory measurement."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "items.jsonl.gz"


def load_corpus() -> list[dict]:
    if not CORPUS.exists():
        sys.exit(f"benchmark needs {CORPUS}")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def run_measured(code: str, *args: str, cwd: str | None = None) -> tuple[float, int, str]:
    """Run Python `code` in a fresh process; returns (wall seconds, peak RSS MiB, stdout).

    The child reports its own ru_maxrss, so each measurement is of that process alone.
    `cwd` matters for what it imports: `python -c` looks in the working folder first.
    """
    wrapper = (
        "import resource, sys\n"
        "try:\n"
        + "".join(f"    {line}\n" for line in code.strip().splitlines())
        + "except SystemExit:\n    pass\n"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True,
                          text=True, check=False, cwd=cwd)
    seconds = time.perf_counter() - started
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    if not peak:
        raise RuntimeError(done.stderr[-2000:])
    return seconds, int(peak[-1].split()[1]) // 1024, done.stdout


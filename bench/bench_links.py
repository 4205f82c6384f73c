"""Benchmark: linking at an organisation's size, beside an analysis without it, in one run.

On the imported shared corpus, each step a fresh `radar` process: an analysis without a
roadmap or stack (the baseline), then a 2,000-component CycloneDX SBOM and a 5,000-row
roadmap imported, then the same analysis with them (it links every trend to both), and,
on a copy, an SBOM of 20,000 versions of one product. The inputs are generated here,
seeded: components and keywords from CISA's KEV catalog (products the news names) mixed
with made-up ones (products it never names), as a real organisation's would be.

    .venv/bin/python -m bench.bench_links
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

from bench._common import CORPUS, run_measured

KEV = CORPUS.parent / "kev.json"
AS_OF = "2025-12-05"
RADAR = """
import sys
from radar.cli import cli
sys.argv = ["radar", *sys.argv[1:]]
cli()
"""
TOPICS = ["zero trust", "passkeys", "SASE", "EDR rollout", "SBOM", "post-quantum", "DMARC",
          "phishing training", "MFA", "backup immutability", "AI governance", "SIEM",
          "ransomware readiness", "cloud posture", "identity governance", "patching cadence"]


def kev_products() -> list[tuple[str, str]]:
    """(vendor, product) pairs of the KEV catalog, in a stable order."""
    entries = json.loads(KEV.read_text(encoding="utf-8"))["vulnerabilities"]
    return sorted({(e["vendorProject"], e["product"]) for e in entries})


def sbom(components: list[dict]) -> str:
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5",
                       "components": components})


def large_sbom(known: list[tuple[str, str]], size: int, chooser: random.Random) -> str:
    """`size` components: half products the news names (from KEV), half libraries."""
    components = []
    for n in range(size):
        if n % 2 == 0:
            vendor, product = known[(n // 2) % len(known)]
            slug = product.lower().replace(" ", "_")
            components.append({"name": product, "version": f"{chooser.randint(1, 9)}.{n}",
                               "cpe": f"cpe:2.3:a:{vendor.lower().replace(' ', '_')}:{slug}:*"})
        else:
            components.append({"name": f"lib-{chooser.choice(TOPICS).replace(' ', '-')}-{n}",
                               "version": f"0.{n}", "group": f"org.example{n % 97}"})
    return sbom(components)


def large_roadmap(known: list[tuple[str, str]], size: int, chooser: random.Random) -> str:
    """`size` initiatives, each with one to four keywords (topics, KEV products, made up)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "owner", "target", "description", "keywords"])
    for n in range(size):
        words = [chooser.choice(TOPICS), " ".join(chooser.choice(known)),
                 f"project {chooser.randint(1, 10**6)}"]
        keywords = chooser.sample(words, chooser.randint(1, 3))
        writer.writerow([f"Initiative {n} {keywords[0]}", f"Owner {n % 40}",
                         f"{2026 + n % 3}-Q{1 + n % 4}", f"Work item {n}.", "; ".join(keywords)])
    return out.getvalue()


def one_product(versions: int) -> str:
    return sbom([{"name": "OpenSSL", "version": f"3.{n // 100}.{n % 100}",
                  "cpe": "cpe:2.3:a:openssl:openssl:*"} for n in range(versions)])


def radar(*args: str) -> float:
    seconds, _, out = run_measured(RADAR, *args)
    print(f"    radar {' '.join(a if '/' not in a else Path(a).name for a in args)}: "
          f"{seconds:.2f} s  {out.strip().splitlines()[-1][:90] if out.strip() else ''}")
    return seconds


def main() -> None:
    if not (CORPUS.exists() and KEV.exists()):
        raise SystemExit(f"benchmark needs {CORPUS} and {KEV}")
    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    chooser, known = random.Random(21), kev_products()
    (work / "sbom.json").write_text(large_sbom(known, 2000, chooser), encoding="utf-8")
    (work / "roadmap.csv").write_text(large_roadmap(known, 5000, chooser), encoding="utf-8")
    (work / "versions.json").write_text(one_product(20_000), encoding="utf-8")
    db = str(work / "radar.db")
    load = os.getloadavg()
    print("setting up (import, a first analysis, the KEV catalog):")
    radar("import", "--db", db, str(CORPUS))
    radar("kev", "update", "--db", db, "--file", str(KEV))
    radar("analyze", "--db", db, "--as-of", AS_OF)
    shutil.copy(db, work / "copy.db")
    print("measured:")
    figures = {
        "analysis without roadmap or stack": radar("analyze", "--db", db, "--as-of", AS_OF),
        "stack import, 2,000-component SBOM": radar("stack", "import", "--db", db,
                                                    str(work / "sbom.json")),
        "roadmap import, 5,000 rows": radar("roadmap", "import", "--db", db,
                                            str(work / "roadmap.csv")),
        "analysis with them": radar("analyze", "--db", db, "--as-of", AS_OF),
        "stack import, 20,000 versions": radar("stack", "import", "--db",
                                               str(work / "copy.db"),
                                               str(work / "versions.json")),
    }
    baseline = figures["analysis without roadmap or stack"]
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start (2 cores)")
    print(f"{'':40}{'seconds':>9}{'x baseline':>12}")
    for name, seconds in figures.items():
        print(f"{name:40}{seconds:9.2f}{seconds / baseline:12.2f}")
    print("bar: each import <= 5 s; analysis with them <= 2x the analysis without")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()

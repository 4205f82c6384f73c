"""Shared fixtures: a real HTTP server on 127.0.0.1, temporary databases and feed files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

from radar.collect import FetchOptions
from radar.collect.fetch import HostGate
from radar.models import Feed
from radar.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


XML = "application/xml"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def serve(server: HTTPServer, path: str, fixture: str, **kwargs) -> Feed:
    """A feed named after `path`, whose bytes the local server answers with a fixture."""
    server.expect_request(path).respond_with_data(
        fixture_bytes(fixture), content_type=kwargs.pop("content_type", XML), **kwargs)
    return Feed(name=path.strip("/"), url=server.url_for(path), category="news")


@pytest.fixture(autouse=True)
def allow_private_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test servers listen on 127.0.0.1, which the collector refuses by default; the
    tests of that refusal take the setting away again (`monkeypatch.delenv`)."""
    monkeypatch.setenv("RADAR_ALLOW_PRIVATE_NETWORKS", "1")


@pytest.fixture
def feed_server() -> Iterator[HTTPServer]:
    """A threaded HTTP server on 127.0.0.1 with an OS-chosen port (never a fixed one)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "radar.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def fast_options() -> FetchOptions:
    """No politeness delay and short timeouts, so tests run in seconds."""
    return FetchOptions(per_host_delay=0, connect_timeout=2, read_timeout=1, total_timeout=3,
                        max_bytes=200_000)


class GateClock:
    """A monotonic clock that moves only when a `HostGate` waits: each wait is recorded and
    passes at once, so politeness is checked exactly, with no real time racing it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def gate_clock(monkeypatch: pytest.MonkeyPatch) -> GateClock:
    """Every `HostGate` the collector and the back-fill make runs on one `GateClock`."""
    clock = GateClock()

    def gate(delay: float) -> HostGate:
        return HostGate(delay, clock=clock, sleep=clock.sleep)

    for module in ("radar.collect.run", "radar.collect.backfill"):
        monkeypatch.setattr(f"{module}.HostGate", gate)
    return clock


def write_feeds(path: Path, feeds: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"feeds": feeds}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def corpus() -> Path:
    """The shared real archive; tests using it skip cleanly where it is absent."""
    path = CORPUS / "items.jsonl.gz"
    if not path.exists():
        pytest.skip("../shared/corpus is not available")
    return path

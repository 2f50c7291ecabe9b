"""The dashboard under load: 50 concurrent clients on the overview and series pages, no error, p99 reported.

Marked slow and bounded: 30 s by default, ``CREWPARITY_LOAD_SECONDS=10`` for a CI-sized run. Traffic goes to a
server on 127.0.0.1 in its own process.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytest.importorskip("crewparity.web.app", reason="the dashboard has not landed")

from tests._reliability import hostile_dump, start_server, stop_server  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

SECONDS = float(os.environ.get("CREWPARITY_LOAD_SECONDS", "30"))
CLIENTS = 50
PAGES = ("/", "/series/tt9900001", "/series?query=script", "/api/series?query=tt9900001")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[str]:
    root = tmp_path_factory.mktemp("load")
    db = root / "load.duckdb"
    assert run_cli("ingest", "imdb", str(hostile_dump(root / "dump")), "--db", str(db)).returncode == 0
    proc, base = start_server(db)
    try:
        yield base
    finally:
        stop_server(proc)


async def _client(base: str, deadline: float, latencies: list[float], errors: list[str], k: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        i = k
        while time.monotonic() < deadline:
            path = PAGES[i % len(PAGES)]
            i += 1
            started = time.perf_counter()
            try:
                r = await client.get(path)
                if r.status_code != 200:
                    errors.append(f"{path}: {r.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{path}: {type(exc).__name__}")
            latencies.append(time.perf_counter() - started)


@pytest.mark.slow
def test_fifty_clients(server: str) -> None:
    for path in PAGES:  # warm the chart cache: measure serving, not the first render
        assert httpx.get(server + path, timeout=60).status_code == 200, path
    latencies: list[float] = []
    errors: list[str] = []

    async def main() -> None:
        deadline = time.monotonic() + SECONDS
        await asyncio.gather(*(_client(server, deadline, latencies, errors, k) for k in range(CLIENTS)))

    asyncio.run(main())
    q = statistics.quantiles(latencies, n=100)
    report = (f"{len(latencies)} requests in {SECONDS:.0f} s from {CLIENTS} clients: "
              f"{len(latencies) / SECONDS:.0f} req/s, p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
              f"p99 {q[98] * 1000:.0f} ms, errors {len(errors)}")
    print(report)
    assert not errors, errors[:10]
    assert len(latencies) > CLIENTS

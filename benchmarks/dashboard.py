"""Dashboard latency on a given store: the overview and series pages, first visit and repeat.

Usage::

    python benchmarks/dashboard.py STORE.duckdb [SERIES_ID ...]

Runs the real ASGI app in-process (no network), with the start-up warm-up ``crewparity serve`` does, and
prints the wall time of each page per visit plus the peak memory. Without series ids it takes the five
most-voted series of the store. Targets (issue 5): overview < 300 ms, series page < 100 ms at full scale.
"""

from __future__ import annotations

import resource
import sys
import threading
import time
import warnings


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    warnings.simplefilter("ignore")
    import crewparity
    from crewparity.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    db = argv[0]
    series = argv[1:]
    if not series:
        with crewparity.open(db) as cp:
            series = [r[0] for r in cp.store.rows(
                "SELECT title_id FROM titles WHERE kind IN ('tv_series', 'tv_mini_series') "
                "ORDER BY votes DESC NULLS LAST, title_id LIMIT 5")]
    t0 = time.perf_counter()
    app = create_app(db, warm=True)
    while any(t.name == "crewparity-warm" for t in threading.enumerate()):
        time.sleep(0.1)
    print(f"start-up and warm-up of the default pages: {time.perf_counter() - t0:.1f} s")
    client = TestClient(app)

    def visit(path: str, times: int = 3) -> None:
        walls = []
        for _ in range(times):
            start = time.perf_counter()
            response = client.get(path)
            walls.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
        print(f"{path:50s} " + "  ".join(f"{w * 1000:7.0f} ms" for w in walls))

    visit("/")
    visit("/?from=2000&to=2020", 2)
    for sid in series:
        visit(f"/series/{sid}")
    visit("/rankings")
    visit("/method")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    app.state.holder.close()


if __name__ == "__main__":
    main(sys.argv[1:])

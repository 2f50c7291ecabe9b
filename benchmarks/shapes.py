"""Every shape of a ``share`` question on a built store, timed: which ones answer in under 1 s and which do not.

    .venv/bin/python benchmarks/shapes.py --db STORE.duckdb [--repeat 1] [--out shapes.json] [--slow-ms 1000]

Why: issue 4's target is "a share query on a full-scale store answers in under 1 s", and
``benchmarks/queries.py`` times the standard questions only. This one crosses the options a user combines
(unit x group x year range x roles and kinds x sample) and reports each shape's time, so that the shapes over the
limit are named, not guessed. By title is asked for one year or a top-N sample only (every title of every year
is millions of rows to print, whatever the engine does). Each shape runs once cold (reading its columns into
DuckDB's buffer) and ``--repeat`` times after; the figure reported is the median of the repeats.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from pathlib import Path
from typing import Any

UNITS = ("people", "credits", "titles")
BYS = ("none", "year", "decade", "kind", "role", "genre", "year,kind", "year,role", "year,genre", "decade,genre",
       "kind,genre", "title")
#: (label, roles, kinds): the six key roles over every kind and over movies, directors over every kind and over
#: series (their episodes roll up), and a set that is not the key roles
SCOPES: tuple[tuple[str, str | None, str | None], ...] = (
    ("key roles, all kinds", None, None),
    ("key roles, movies", None, "movie"),
    ("directors, all kinds", "director", None),
    ("directors, series", "director", "tv_series"),
    ("composers and casting, all kinds", "composer,casting_director", None),
)
SAMPLES = ("all", "top:100")


def year_ranges(last: int) -> tuple[tuple[str, int | None, int | None], ...]:
    return (("all years", None, None), (f"{last - 9}-{last}", last - 9, last), (str(last), last, last))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="a store built by crewparity ingest")
    ap.add_argument("--repeat", type=int, default=1, help="runs after the cold one (default 1)")
    ap.add_argument("--year", type=int, default=None, help="the last year of the ranges (default: latest full one)")
    ap.add_argument("--slow-ms", type=float, default=1000.0, help="the limit a shape is reported against")
    ap.add_argument("--match", default=None, help="only the shapes whose label contains this text")
    ap.add_argument("--out", type=Path, default=None, help="write every shape's times as JSON here")
    ap.add_argument("--without-title-units", action="store_true",
                    help="count titles from the credit rows, never from title_units (to time both paths)")
    args = ap.parse_args()

    if args.without_title_units:
        from crewparity.metrics import title_units

        title_units.answers = lambda *a, **k: False  # type: ignore[assignment]

    import crewparity

    cp = crewparity.open(args.db)
    last = args.year or int(cp.store.rows("SELECT max(year) - 1 FROM titles WHERE year <= 2024")[0][0])
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    for unit, by, (scope, roles, kinds), (years, y0, y1), sample in itertools.product(
            UNITS, BYS, SCOPES, year_ranges(last), SAMPLES):
        if by == "title" and sample == "all" and (y0 is None or y0 != y1):
            continue  # every title of many years: up to millions of rows, an export rather than a question
        label = f"unit {unit}, by {by}, {scope}, {years}, sample {sample}"
        if args.match and args.match not in label:
            continue

        def ask() -> Any:
            return cp.share(roles=roles, kinds=kinds, by=by, unit=unit, year_from=y0, year_to=y1,  # noqa: B023
                            sample=sample)  # noqa: B023

        t = time.perf_counter()
        table = ask()
        cold = time.perf_counter() - t
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            ask()
            runs.append(time.perf_counter() - t)
        median = statistics.median(runs) if runs else cold
        results.append({"shape": label, "cold_ms": cold * 1e3, "median_ms": median * 1e3, "rows": table.num_rows})
        flag = "SLOW" if median * 1e3 >= args.slow_ms else "    "
        print(f"{flag} {median * 1e3:8.1f} ms (cold {cold * 1e3:8.1f})  {table.num_rows:7d} rows  {label}", flush=True)
    cp.close()
    slow = [r for r in results if r["median_ms"] >= args.slow_ms]
    times = sorted(r["median_ms"] for r in results)
    print(f"\n{len(results)} shapes in {time.perf_counter() - started:.0f} s; median {statistics.median(times):.0f} ms, "
          f"slowest {times[-1]:.0f} ms; {len(slow)} at or over {args.slow_ms:.0f} ms:")
    for r in sorted(slow, key=lambda r: -r["median_ms"]):
        print(f"  {r['median_ms']:8.1f} ms  {r['shape']}")
    if args.out:
        args.out.write_text(json.dumps({"db": str(args.db), "slow_ms": args.slow_ms, "results": results}, indent=2)
                            + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""Query latency on a built store: the standard questions, median and p95 of repeated runs.

    .venv/bin/python benchmarks/queries.py --db STORE.duckdb [--repeat 20] [--out queries.json]

Questions (through the Python API, ``crewparity.open``, as the CLI and the dashboard call them):

- share: women's share by year for the six key roles (``crewparity share``, unit people and credits), and the
  other common shapes: by decade, overall, by role, by year and kind, a year range, the top-250 sample of one
  year, by genre (people of the key roles over every kind read ``genre_cells``; other roles, kinds, samples,
  year ranges and credits read the credit or person rows) and with unit titles (the credit rows);
- series: one show's seasons (``crewparity series ID``), for several shows (the most-voted and some others);
- rank: the DGA-style best and worst season lists (``crewparity series --rank best|worst``);
- distribution: titles by number of women in the key roles, for one year (``crewparity distribution``);
- credits: one title's crew person by person (``crewparity credits ID``): the most-voted movie, the series with
  the most episodes, whole and its largest season, and the series from the middle.

The first run of each question is reported apart ("first"): it pays for reading the columns from disk into
DuckDB's buffer; the median and p95 are over the repeats after it. Targets (issues 4 and 5, full scale):
share < 1 s, series < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    runs.sort()
    p95 = runs[min(len(runs) - 1, max(0, round(0.95 * len(runs)) - 1))]
    return {"first_ms": first * 1e3, "median_ms": statistics.median(runs) * 1e3, "p95_ms": p95 * 1e3,
            "runs": len(runs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="a store built by crewparity ingest")
    ap.add_argument("--repeat", type=int, default=20, help="runs after the first (default 20)")
    ap.add_argument("--year", type=int, default=None, help="year for the distribution (default: the latest full one)")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    ap.add_argument("--match", default=None, help="time only the questions whose name contains this text")
    args = ap.parse_args()

    import crewparity

    started = time.perf_counter()
    cp = crewparity.open(args.db)
    open_ms = (time.perf_counter() - started) * 1e3
    counts = cp.store.counts()
    # Shows to look up: the three most-voted series, the one with the most episodes, and one from the middle.
    shows = [r[0] for r in cp.store.rows(
        "SELECT title_id FROM titles WHERE kind IN ('tv_series', 'tv_mini_series') "
        "ORDER BY votes DESC NULLS LAST, title_id LIMIT 3")]
    shows += [r[0] for r in cp.store.rows(
        "SELECT series_id FROM titles WHERE series_id IS NOT NULL GROUP BY series_id "
        "ORDER BY count(*) DESC, series_id LIMIT 1")]
    shows += [r[0] for r in cp.store.rows(
        "SELECT title_id FROM titles WHERE kind = 'tv_series' ORDER BY hash(title_id) LIMIT 1")]
    year = args.year or int(cp.store.rows("SELECT max(year) - 1 FROM titles WHERE year <= 2024")[0][0])

    questions: list[tuple[str, Callable[[], Any]]] = [
        ("share by year, six key roles, unit people", lambda: cp.share(by="year")),
        ("share by year, six key roles, unit credits", lambda: cp.share(by="year", unit="credits")),
        ("share by year, directors of movies, top 100 per year", lambda: cp.share(roles="director", kinds="movie",
                                                                                  sample="top:100")),
        ("share by decade, six key roles, unit people", lambda: cp.share(by="decade")),
        ("share overall, six key roles, unit people", lambda: cp.share(by="none")),
        ("share by role, unit people", lambda: cp.share(by="role")),
        ("share by year and kind, directors", lambda: cp.share(roles="director", by="year,kind")),
        ("share overall 2010-2019, six key roles, people", lambda: cp.share(by="none", year_from=2010, year_to=2019)),
        (f"share {year}, top 250 movies (Celluloid Ceiling sample)",
         lambda: cp.share(kinds="movie", sample="top:250", year_from=year, year_to=year, by="none")),
        ("share by genre, movies since 2010", lambda: cp.share(kinds="movie", by="genre", year_from=2010)),
        ("share by year, movies, unit titles", lambda: cp.share(kinds="movie", by="year", unit="titles")),
        ("share by genre, six key roles, all years", lambda: cp.share(by="genre")),
        (f"share by title, movies of {year}", lambda: cp.share(kinds="movie", by="title", year_from=year,
                                                                 year_to=year)),
        ("share by year and role, unit people", lambda: cp.share(by="year,role")),
        ("share by year, six key roles, top 100 per year (all kinds)", lambda: cp.share(sample="top:100")),
        ("share by genre, six key roles, all kinds since 2010", lambda: cp.share(by="genre", year_from=2010)),
        ("share by genre, directors, all years", lambda: cp.share(roles="director", by="genre")),
        ("share by decade and genre, six key roles", lambda: cp.share(by="decade,genre")),
        ("share by year and genre, six key roles", lambda: cp.share(by="year,genre")),
        ("share by genre, six key roles, credits", lambda: cp.share(by="genre", unit="credits")),
        ("share by year, series, top 50 per year", lambda: cp.share(kinds="tv_series", sample="top:50")),
        ("share by year, movies and series, top 50 per year", lambda: cp.share(kinds="movie,tv_series",
                                                                              sample="top:50")),
        ("share by kind, six key roles, unit titles", lambda: cp.share(by="kind", unit="titles")),
        ("share by genre, six key roles, unit titles", lambda: cp.share(by="genre", unit="titles")),
        ("share by genre, movies, unit titles", lambda: cp.share(kinds="movie", by="genre", unit="titles")),
    ]
    for sid in shows:
        questions.append((f"series {sid} (seasons)", lambda sid=sid: cp.series(sid)))
    questions.append((f"series {shows[0]} (episodes)", lambda: cp.series_episodes(shows[0])))
    # credits, person by person: the most-voted movie, the series with the most episodes, its largest season
    film = cp.store.rows("SELECT title_id FROM titles WHERE kind = 'movie' ORDER BY votes DESC NULLS LAST, title_id "
                         "LIMIT 1")[0][0]
    season = cp.store.rows("SELECT season FROM episodes WHERE series_id = ? AND season IS NOT NULL GROUP BY season "
                           "ORDER BY count(*) DESC, season LIMIT 1", [shows[3]])
    questions.append((f"credits {film} (a movie)", lambda: cp.credits(film)))
    questions.append((f"credits {shows[3]} (most episodes)", lambda: cp.credits(shows[3])))
    if season:
        questions.append((f"credits {shows[3]} --season {season[0][0]}",
                          lambda: cp.credits(shows[3], season=season[0][0])))
    questions.append((f"credits {shows[4]} (a series)", lambda: cp.credits(shows[4])))
    questions += [
        ("rank best seasons (>= 40% women)", lambda: cp.series_rank("best", limit=50)),
        ("rank worst seasons (no woman)", lambda: cp.series_rank("worst", limit=50)),
        (f"distribution {year}, key roles", lambda: cp.distribution(year_from=year, year_to=year)),
    ]
    if args.match:
        questions = [(n, f) for n, f in questions if args.match in n]
    results = []
    for name, fn in questions:
        r = timed(fn, args.repeat)
        r["name"] = name  # type: ignore[assignment]
        results.append(r)
        print(f"{name:58s} first {r['first_ms']:9.1f} ms   median {r['median_ms']:9.1f} ms   p95 {r['p95_ms']:9.1f} ms",
              flush=True)
    rss = psutil.Process(os.getpid()).memory_info().rss / 1e6
    cp.close()
    report = {"db": str(args.db), "store_mb": args.db.stat().st_size / 1e6, "rows": counts, "open_ms": open_ms,
              "rss_mb_at_end": rss, "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(),
              "results": results}
    print(f"store {report['store_mb']:.0f} MB, rows {counts}, open {open_ms:.0f} ms, RSS at end {rss:.0f} MB")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""Ingest benchmark: crewparity beside what a user would otherwise run, on the same synth dumps, in one run.

    .venv/bin/python benchmarks/ingest.py --scale 0.1 [--out results.json] [--work /tmp/crewparity-bench]

Contenders, each a separate process whose whole process tree is measured (wall seconds, CPU seconds, peak
resident memory sampled with psutil every 50 ms):

- floor: DuckDB reading every file once and counting rows, all files at once. Two variants: ``count`` lets
  DuckDB skip the columns it does not need; ``parse`` parses and type-checks every column, which an ingest
  must do (crewparity validates each field). Nothing can ingest faster than it reads. A third,
  ``parse-read``, parses only the files crewparity reads (every one but title.akas, whose alternative titles
  are not stored): the floor for what the ingest does, beside the issue's floor over every file.
- crewparity: ``crewparity ingest imdb`` (includes gender resolution), then ``crewparity share --roles
  director --by year --unit credits`` as the query. Its phases also give ``load_s``, the loading of the
  files as the CLI reports it ("Ingested ... in N s"), and ``after_load_s``, the rest (resolution, derived
  tables, checkpoint and swap).
- imdb-sqlite (PyPI; GPL-2, used here as a program, not imported): loads the same files from a cache folder
  (no download: every file is already there), then the director-share-by-year query in SQLite. It never
  imports title.crew nor primaryProfession, so its query takes directors from title.principals and
  gender from the cast categories (actress/actor) of the same people.
- pandas: a plain script reading the same files with the settings they need (``quoting=csv.QUOTE_NONE``,
  ``keep_default_na=False``, ``na_values=['\\N']``, dtypes) and computing the same query from title.crew and
  the IMDb labels (primaryProfession and cast categories).

``--bracket`` runs crewparity a second time after the others and takes the ratios against the mean of its two
runs: on a VM whose speed drifts (the same ingest took 26 s and 41 s an hour apart on 2026-12-01) one run of each
contender minutes apart can make a ratio of the drift; the runs before and after imdb-sqlite bracket it.

``--steps`` instead runs one ingest with every SQL statement timed (wall and CPU seconds of the process), one
statement at a time (the second connections of the loading and of the query tables are not used, so each figure
is that statement's own), with the phase totals: where the time goes, to decide what to change.

Why CPU seconds as well as wall: on a shared machine other processes take cores; CPU seconds show the
work done, wall seconds what a user waits. Both are reported as measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FILES = ["title.basics", "title.akas", "title.episode", "title.crew", "title.principals", "name.basics",
         "title.ratings"]

FLOOR = textwrap.dedent(
    """
    import sys, duckdb
    from pathlib import Path
    from crewparity.sources.imdb import FILES, checked_sql, read_sql
    folder, mode = Path(sys.argv[1]), sys.argv[2]
    reader = read_sql if mode == "count" else checked_sql
    specs = [s for s in FILES if s.read or mode != "parse-read"]
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    q = " UNION ALL ".join(
        f"SELECT '{s.name}', count(*) FROM {reader(folder / (s.name + '.tsv.gz'), s)}" for s in specs)
    print(dict(con.execute(q).fetchall()))
    """
)

STEPS = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from crewparity import store as store_mod
    from crewparity.gender import resolve as resolve_mod
    from crewparity.metrics import derived
    from crewparity.sources import imdb
    folder, db, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    rows = []
    def cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime
    class Timed:
        # the store's connection, with every execute() timed
        def __init__(self, con):
            self._con = con
        def __getattr__(self, name):
            return getattr(self._con, name)
        def execute(self, sql, *args):
            w, c = time.perf_counter(), cpu()
            out = self._con.execute(sql, *args)
            rows.append((phase[0], time.perf_counter() - w, cpu() - c, " ".join(str(sql).split())[:100]))
            return out
        def cursor(self):
            return Timed(self._con.cursor())
    def one_at_a_time(con, main_jobs, side_jobs, step, translate):
        for _order, _label, sql, _culprit in sorted([*main_jobs, *[job for job, _after in side_jobs]],
                                                    key=lambda job: job[0]):
            sql() if callable(sql) else con.execute(sql)
    def rebuild(store):
        derived._rebuild_credits(store.con)
        derived._rebuild_episodes(store.con.cursor())
    imdb._run_two_ways = one_at_a_time
    derived.rebuild = rebuild
    phase, phases = ["load"], {}
    db.unlink(missing_ok=True)
    t0, c0 = time.perf_counter(), cpu()
    with store_mod.writing(db, fresh=True) as st:
        st.con = Timed(st.con)
        for name, fn in (("load", lambda: imdb.ingest(st, folder)),
                         ("resolve_genders", lambda: resolve_mod.resolve_genders(st)),
                         ("derived tables", lambda: derived.rebuild(st))):
            phase[0] = name
            w, c = time.perf_counter(), cpu()
            fn()
            phases[name] = [round(time.perf_counter() - w, 2), round(cpu() - c, 2)]
        st.con = st.con._con
        w, c = time.perf_counter(), cpu()
    phases["checkpoint + swap"] = [round(time.perf_counter() - w, 2), round(cpu() - c, 2)]
    phases["total"] = [round(time.perf_counter() - t0, 2), round(cpu() - c0, 2)]
    out.write_text(json.dumps({"statements": [[p, round(w, 2), round(c, 2), s] for p, w, c, s in rows if w >= 0.05],
                               "phases": phases}))
    """
)

SQLITE_QUERY = textwrap.dedent(
    """
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1])
    rows = con.execute('''
        WITH g AS (
            SELECT person_id,
                   CASE WHEN max(category = 'actress') = 1 AND max(category = 'actor') = 0 THEN 'woman'
                        WHEN max(category = 'actor') = 1 AND max(category = 'actress') = 0 THEN 'man' END AS gender
            FROM crew WHERE category IN ('actor', 'actress') GROUP BY person_id
        )
        SELECT t.premiered AS year,
               sum(g.gender = 'woman') AS women, sum(g.gender = 'man') AS men,
               sum(g.gender IS NULL) AS unknown
        FROM crew c JOIN titles t ON t.title_id = c.title_id LEFT JOIN g ON g.person_id = c.person_id
        WHERE c.category = 'director' AND t.premiered IS NOT NULL
        GROUP BY t.premiered ORDER BY t.premiered
    ''').fetchall()
    print(len(rows), "years;", sum(r[1] or 0 for r in rows), "women", sum(r[2] or 0 for r in rows), "men director credits")
    """
)

PANDAS = textwrap.dedent(
    """
    import csv, sys
    from pathlib import Path
    import pandas as pd
    folder = Path(sys.argv[1])
    def read(name, dtype):
        return pd.read_csv(folder / f"{name}.tsv.gz", sep="\\t", quoting=csv.QUOTE_NONE, keep_default_na=False,
                           na_values=["\\\\N"], dtype=dtype, compression="gzip")
    basics = read("title.basics", {"tconst": "string", "titleType": "string", "primaryTitle": "string",
                                   "originalTitle": "string", "isAdult": "Int8", "startYear": "Int16",
                                   "endYear": "Int16", "runtimeMinutes": "Int32", "genres": "string"})
    episode = read("title.episode", {"tconst": "string", "parentTconst": "string", "seasonNumber": "Int32",
                                     "episodeNumber": "Int32"})
    ratings = read("title.ratings", {"tconst": "string", "averageRating": "float64", "numVotes": "Int64"})
    crew = read("title.crew", {"tconst": "string", "directors": "string", "writers": "string"})
    principals = read("title.principals", {"tconst": "string", "ordering": "Int16", "nconst": "string",
                                           "category": "string", "job": "string", "characters": "string"})
    names = read("name.basics", {"nconst": "string", "primaryName": "string", "birthYear": "Int16",
                                 "deathYear": "Int16", "primaryProfession": "string", "knownForTitles": "string"})
    akas = read("title.akas", {"titleId": "string", "ordering": "Int32", "title": "string", "region": "string",
                               "language": "string", "types": "string", "attributes": "string",
                               "isOriginalTitle": "Int8"})
    print({"title.basics": len(basics), "title.episode": len(episode), "title.ratings": len(ratings),
           "title.crew": len(crew), "title.principals": len(principals), "name.basics": len(names),
           "title.akas": len(akas)})
    # IMDb's own labels: actress/actor in primaryProfession or as a cast category; both -> unknown.
    prof = names[["nconst", "primaryProfession"]].dropna()
    prof = prof.assign(label=prof["primaryProfession"].str.split(",")).explode("label")
    labels = pd.concat([prof[["nconst", "label"]],
                        principals.loc[principals["category"].isin(["actor", "actress"]), ["nconst", "category"]]
                        .rename(columns={"category": "label"})])
    labels = labels[labels["label"].isin(["actor", "actress"])].drop_duplicates()
    flags = labels.assign(w=labels["label"] == "actress", m=labels["label"] == "actor").groupby("nconst")[["w", "m"]].any()
    gender = pd.Series("unknown", index=flags.index)
    gender[flags["w"] & ~flags["m"]] = "woman"
    gender[flags["m"] & ~flags["w"]] = "man"
    d = crew[["tconst", "directors"]].dropna()
    d = d.assign(nconst=d["directors"].str.split(",")).explode("nconst")[["tconst", "nconst"]]
    d = d.merge(basics[["tconst", "startYear"]], on="tconst").dropna(subset=["startYear"])
    d["gender"] = d["nconst"].map(gender).fillna("unknown")
    table = d.groupby(["startYear", "gender"]).size().unstack(fill_value=0)
    table["share_known"] = table.get("woman", 0) / (table.get("woman", 0) + table.get("man", 0))
    print(len(table), "years;", int(table.get("woman", pd.Series([0])).sum()), "women director credits")
    """
)


@dataclass
class Result:
    name: str
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_mb: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    ok: bool = True
    note: str = ""


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None,
            timeout: float = 24 * 3600) -> tuple[float, float, float, str]:
    """Run ``cmd``; return (wall s, CPU s of the process tree, peak RSS MB of the tree, output tail)."""
    before = os.times()
    started = time.perf_counter()
    out = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        code = proc.wait(timeout=timeout)
    finally:
        stop.set()
        sampler.join()
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    out.seek(0)
    tail = out.read().decode("utf-8", "replace")[-2000:]
    out.close()
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{tail}")
    return wall, cpu, peak / 1e6, tail


def loading_seconds(output: str) -> float | None:
    """The loading phase's wall seconds from ``crewparity ingest imdb`` output ("Ingested DIR in 29.2 s (reading
    the files 12.6 s)"; before 2026-12-02's thirteenth session the title gave the loading phase alone)."""
    text = " ".join(output.split())
    m = re.search(r"\(reading the files\s+([0-9]+(?:\.[0-9]+)?)\s+s\)", text) or re.search(
        r"Ingested\s.*?\sin\s+([0-9]+(?:\.[0-9]+)?)\s+s\b", text)
    return float(m.group(1)) if m else None


def dumps_for(scale: float, work: Path, seed: int) -> Path:
    """The synth dumps at ``scale`` (generated once; truth.people is written last, so it marks a complete set)."""
    folder = work / f"synth-{scale:g}-seed{seed}"
    if not (folder / "truth.people.tsv.gz").is_file() or not all((folder / f"{f}.tsv.gz").is_file() for f in FILES):
        print(f"generating synth dumps at scale {scale} into {folder} ...", flush=True)
        subprocess.run([str(BIN / "crewparity"), "synth", str(folder), "--scale", str(scale), "--seed", str(seed)],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def run_crewparity(folder: Path, scratch: Path, env: dict[str, str], name: str) -> Result:
    """``crewparity ingest imdb`` into a new store in ``scratch`` (an earlier run's is removed first), then the
    query; the last run's store stays for benchmarks/queries.py."""
    db = scratch / "crewparity.duckdb"
    for old in (db, db.with_name(db.name + ".wal")):
        old.unlink(missing_ok=True)
    r = Result(name)
    r.wall_s, r.cpu_s, r.peak_mb, ingest_out = measure(
        [str(BIN / "crewparity"), "ingest", "imdb", str(folder), "--db", str(db)], env=env)
    q_wall, q_cpu, q_peak, q_out = measure(
        [str(BIN / "crewparity"), "share", "--roles", "director", "--by", "year", "--unit", "credits",
         "--format", "csv", "--db", str(db)], env=env)
    r.phases = {"ingest_s": r.wall_s, "query_s": q_wall, "query_cpu_s": q_cpu, "query_peak_mb": q_peak,
                "store_mb": db.stat().st_size / 1e6}
    load_s = loading_seconds(ingest_out)
    if load_s is not None:
        # The loading of the files (what the CLI prints as "Ingested ... in N s"); the rest of the wall time is
        # gender resolution, the derived tables and the checkpoint and swap of the new store.
        r.phases["load_s"] = load_s
        r.phases["after_load_s"] = round(r.wall_s - load_s, 2)
    r.note = f"query: crewparity share --roles director --by year --unit credits ({len(q_out.splitlines())} lines)"
    print(f"{r.name}: {r.wall_s:.1f} s ({r.cpu_s:.1f} CPU s; loading the files {load_s} s), query {q_wall:.2f} s",
          flush=True)
    return r


def run_all(scale: float, work: Path, seed: int, skip: set[str], dumps: Path | None,
            bracket: bool = False) -> dict[str, object]:
    folder = dumps or dumps_for(scale, work, seed)
    size_mb = sum((folder / f"{f}.tsv.gz").stat().st_size for f in FILES) / 1e6
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    results: list[Result] = []
    scratch = work / f"run-{scale:g}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    py = sys.executable

    for mode in () if "floor" in skip else ("count", "parse", "parse-read"):
        r = Result(f"floor: DuckDB reads every file ({mode})" if mode != "parse-read"
                   else "floor: DuckDB reads the files crewparity reads (parse; title.akas is not read)")
        r.wall_s, r.cpu_s, r.peak_mb, tail = measure([py, "-c", FLOOR, str(folder), mode], env=env)
        r.note = tail.strip().splitlines()[-1][:300]
        results.append(r)
        print(f"{r.name}: {r.wall_s:.1f} s", flush=True)

    ours = [run_crewparity(folder, scratch, env, "crewparity ingest imdb (+ resolve)" + (", run 1" if bracket else ""))]
    results.append(ours[0])

    if "imdb-sqlite" not in skip and (BIN / "imdb-sqlite").exists():
        sdb = scratch / "imdb.sqlite"
        r = Result("imdb-sqlite load + query")
        w1, c1, p1, _ = measure([str(BIN / "imdb-sqlite"), "--db", str(sdb), "--cache-dir", str(folder)], env=env,
                                cwd=str(scratch))
        w2, c2, p2, q_out = measure([py, "-c", SQLITE_QUERY, str(sdb)], env=env)
        r.wall_s, r.cpu_s, r.peak_mb = w1 + w2, c1 + c2, max(p1, p2)
        r.phases = {"load_s": w1, "query_s": w2, "db_mb": sdb.stat().st_size / 1e6}
        r.note = "directors from title.principals, gender from cast categories; " + q_out.strip().splitlines()[-1]
        results.append(r)
        print(f"{r.name}: {r.wall_s:.1f} s", flush=True)

    if "pandas" not in skip:
        r = Result("pandas load + query")
        r.wall_s, r.cpu_s, r.peak_mb, tail = measure([py, "-c", PANDAS, str(folder)], env=env)
        r.note = tail.strip().splitlines()[-1][:300]
        results.append(r)
        print(f"{r.name}: {r.wall_s:.1f} s", flush=True)

    if bracket:
        ours.append(run_crewparity(folder, scratch, env, "crewparity ingest imdb (+ resolve), run 2"))
        results.append(ours[1])
    # the ratios are taken against crewparity's mean wall time (one run unless bracketed)
    base = Result(ours[0].name if len(ours) == 1 else f"crewparity ingest imdb (+ resolve), mean of {len(ours)} runs",
                  wall_s=sum(x.wall_s for x in ours) / len(ours), cpu_s=sum(x.cpu_s for x in ours) / len(ours),
                  peak_mb=max(x.peak_mb for x in ours))
    if len(ours) > 1:
        results.append(base)
    rows = []
    for x in results:
        d = asdict(x)
        d["ratio_to_crewparity"] = round(x.wall_s / base.wall_s, 2) if base.wall_s else None
        rows.append(d)
    floors = {x.name: x.wall_s for x in results if x.name.startswith("floor")}
    return {
        "scale": scale,
        "seed": seed,
        "dumps": str(folder),
        "dumps_mb": round(size_mb, 1),
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                    "platform": platform.platform(), "python": platform.python_version(),
                    "load_average_at_end": os.getloadavg()},
        "results": rows,
        "crewparity_vs_floor": {k: round(base.wall_s / v, 2) for k, v in floors.items()},
        "crewparity_runs_wall_s": [x.wall_s for x in ours],
    }


def run_steps(folder: Path, work: Path, scale: float) -> dict[str, object]:
    """One ingest with every SQL statement timed in order (see ``STEPS``); prints and returns the figures."""
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    work.mkdir(parents=True, exist_ok=True)
    db, result = work / f"steps-{scale:g}.duckdb", work / f"steps-{scale:g}.json"
    wall, cpu, peak, _tail = measure([sys.executable, "-c", STEPS, str(folder), str(db), str(result)], env=env)
    db.unlink(missing_ok=True)
    out = json.loads(result.read_text(encoding="utf-8"))
    for phase, w, c, sql in out["statements"]:
        print(f"{phase:16} {w:7.2f} s {c:7.2f} CPU s  {sql}")
    for phase, (w, c) in out["phases"].items():
        print(f"{phase:18} {w:7.2f} s wall {c:7.2f} CPU s")
    print(f"process: {wall:.1f} s wall, {cpu:.1f} CPU s, peak {peak:.0f} MB; load average {os.getloadavg()}")
    return {"scale": scale, "dumps": str(folder), "wall_s": wall, "cpu_s": cpu, "peak_mb": peak,
            "load_average_at_end": os.getloadavg(), **out}


def print_table(report: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"Ingest at scale {report['scale']} ({report['dumps_mb']} MB of .tsv.gz)")
    for col in ("contender", "wall s", "CPU s", "peak MB", "wall / crewparity", "note"):
        t.add_column(col, justify="left" if col in ("contender", "note") else "right")
    for r in report["results"]:  # type: ignore[attr-defined]
        t.add_row(r["name"], f"{r['wall_s']:.1f}", f"{r['cpu_s']:.1f}", f"{r['peak_mb']:.0f}",
                  f"{r['ratio_to_crewparity']:.2f}", r["note"][:90])
    Console(width=200).print(t)
    print("crewparity wall / floor wall:", report["crewparity_vs_floor"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, required=True, help="synth scale (1.0 = full IMDb)")
    ap.add_argument("--seed", type=int, default=0, help="synth seed")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "crewparity-bench",
                    help="folder for the dumps and the stores built")
    ap.add_argument("--dumps", type=Path, default=None, help="use these dumps instead of generating them")
    ap.add_argument("--skip", default="", help="comma-separated contenders to skip: floor, imdb-sqlite, pandas")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    ap.add_argument("--bracket", action="store_true",
                    help="run crewparity again after the others; ratios against the mean of its two runs")
    ap.add_argument("--steps", action="store_true",
                    help="only time each SQL statement of one ingest, one at a time (where the time goes)")
    args = ap.parse_args()
    if args.steps:
        report = run_steps(args.dumps or dumps_for(args.scale, args.work, args.seed), args.work, args.scale)
        if args.out:
            args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {args.out}")
        return
    report = run_all(args.scale, args.work, args.seed, {s.strip() for s in args.skip.split(",") if s.strip()},
                     args.dumps, bracket=args.bracket)
    print_table(report)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

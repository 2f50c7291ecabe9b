"""Resolve benchmark: ``crewparity resolve``'s work alone, on a copy of an existing store.

    .venv/bin/python benchmarks/resolve.py STORE [--work DIR] [--save OUT.parquet] [--compare OLD.parquet]

What is measured: the store file is copied to ``--work`` (default: a temp folder next to nothing else; the copy
is not timed), opened for writing, and :func:`crewparity.gender.resolve.resolve` is run on the copy once. Printed:
wall seconds, CPU seconds (user + sys of this process, DuckDB's threads included) and the process's peak resident
memory (``ru_maxrss``, which includes the Python interpreter and the imports, ~100 MB). The store's own settings
apply (``memory_limit`` from crewparity.store, 2 DuckDB threads on this machine).

By default ``resolve`` runs as ``crewparity resolve`` does: the query tables are updated for the people whose
resolved gender changed (``--rebuild``: rebuilt from scratch, as every ingest does). If ``resolve`` ends with the
derived-table rebuild or update (``crewparity.metrics.derived``), that call is timed on its own
and reported beside the gender part (``total - derived``; the gender part's peak RSS is the high-water mark when
the rebuild starts). ``--gender-only`` runs :func:`crewparity.gender.resolve.resolve_genders` alone instead.

``--save`` writes the ``resolved_gender`` rows that resolve produced (for a comparison run of other code);
``--compare`` checks them against an earlier ``--save`` with EXCEPT ALL both ways (exit code 1 on a difference),
and compares the stored calibration too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_derived(timings: dict[str, float]) -> None:
    """Wrap the derived-table rebuild that resolve may call at its end, to report the gender part apart."""
    from crewparity.gender import resolve as resolve_mod

    for attr in dir(resolve_mod):
        obj = getattr(resolve_mod, attr)
        mod = getattr(obj, "__module__", "") or ""
        name = getattr(obj, "__name__", "") or ""
        if mod == "crewparity.metrics.derived" and callable(obj) or name == "crewparity.metrics.derived":
            _wrap(resolve_mod, attr, obj, timings)


def _wrap(owner: Any, attr: str, obj: Any, timings: dict[str, float]) -> None:
    import types

    if isinstance(obj, types.ModuleType):  # `from crewparity.metrics import derived`: wrap its public functions
        for fn_name in dir(obj):
            fn = getattr(obj, fn_name)
            if callable(fn) and getattr(fn, "__module__", "") == obj.__name__ and not fn_name.startswith("_"):
                _wrap(obj, fn_name, fn, timings)
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        timings.setdefault("gender_peak_rss", _rss_mb())  # the high-water mark so far: the gender part's
        w0, c0 = time.perf_counter(), _cpu()
        try:
            return obj(*args, **kwargs)
        finally:
            timings["derived_wall"] = timings.get("derived_wall", 0.0) + time.perf_counter() - w0
            timings["derived_cpu"] = timings.get("derived_cpu", 0.0) + _cpu() - c0

    setattr(owner, attr, timed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path, help="an existing crewparity store (not modified)")
    ap.add_argument("--work", type=Path, help="folder for the copy (default: a new temp folder, removed after)")
    ap.add_argument("--save", type=Path, help="write the resulting resolved_gender rows to this parquet file")
    ap.add_argument("--compare", type=Path, help="check the rows against this parquet file (EXCEPT ALL both ways)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line too")
    ap.add_argument("--gender-only", action="store_true", help="run resolve_genders (no derived-table rebuild)")
    ap.add_argument("--rebuild", action="store_true",
                    help="rebuild the query tables from scratch (`crewparity resolve --rebuild`); by default they are "
                         "updated for the people whose gender changed, as `crewparity resolve` does")
    args = ap.parse_args()

    from crewparity.errors import StoreError
    from crewparity.gender import resolve as resolve_mod
    from crewparity.gender.resolve import CALIBRATION_KEY
    from crewparity.store import open_store

    work = args.work or Path(tempfile.mkdtemp(prefix="crewparity-resolve-"))
    work.mkdir(parents=True, exist_ok=True)
    copy = work / f"resolve-bench-{os.getpid()}.duckdb"
    shutil.copyfile(args.store, copy)
    timings: dict[str, float] = {}
    _time_derived(timings)
    try:
        try:
            store = open_store(copy, read_only=False)
        except StoreError as exc:  # a store from another schema version: resolve needs only the source tables
            print(f"note: {exc}; opened without the schema check")
            store = _raw_store(copy)
        try:
            people = store.rows("SELECT count(*) FROM people")[0][0]
            rss0 = _rss_mb()
            w0, c0 = time.perf_counter(), _cpu()
            if args.gender_only:
                counts = resolve_mod.resolve_genders(store)
            else:
                if not args.rebuild:  # as crewparity resolve does
                    from crewparity.api import limit_memory_for_resolve

                    limit_memory_for_resolve(store)
                counts = resolve_mod.resolve(store, evidence_only=not args.rebuild)
            wall, cpu = time.perf_counter() - w0, _cpu() - c0
            peak = _rss_mb()
            calib = store.rows("SELECT value FROM meta WHERE key = ?", [CALIBRATION_KEY])
            if args.save:
                store.con.execute(f"COPY (SELECT * FROM resolved_gender) TO '{_q(args.save)}' (FORMAT parquet)")
            diff = _compare(store, args.compare) if args.compare else None
        finally:
            store.close()
    finally:
        copy.unlink(missing_ok=True)
        Path(str(copy) + ".wal").unlink(missing_ok=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    out: dict[str, Any] = {"store": str(args.store), "people": people, "wall_s": round(wall, 2),
                           "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak), "rss_before_mb": round(rss0),
                           "resolved": counts}
    what = "resolve_genders" if args.gender_only else "resolve"
    print(f"{what} on a copy of {args.store} ({people:,} people rows)")
    print(f"  total:  wall {wall:.2f} s, CPU {cpu:.2f} s (user+sys), peak RSS {peak:,.0f} MB "
          f"(before resolve {rss0:,.0f} MB)")
    if "derived_wall" in timings:
        gw, gc = wall - timings["derived_wall"], cpu - timings["derived_cpu"]
        out.update(gender_wall_s=round(gw, 2), gender_cpu_s=round(gc, 2),
                   gender_peak_rss_mb=round(timings["gender_peak_rss"]),
                   derived_wall_s=round(timings["derived_wall"], 2), derived_cpu_s=round(timings["derived_cpu"], 2))
        print(f"  gender: wall {gw:.2f} s, CPU {gc:.2f} s, peak RSS {timings['gender_peak_rss']:,.0f} MB;  derived "
              f"tables: wall {timings['derived_wall']:.2f} s, CPU {timings['derived_cpu']:.2f} s")
    print("  resolved: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    print(f"  calibration: {calib[0][0] if calib else None}")
    if diff is not None:
        out["compare"] = diff
        same = diff["only_new"] == 0 and diff["only_old"] == 0
        print(f"  vs {args.compare}: {diff['only_new']} rows only in the new result, {diff['only_old']} only in the "
              f"old (EXCEPT ALL both ways): {'IDENTICAL' if same else 'DIFFERENT'}")
    if args.json:
        print(json.dumps(out))
    return 0 if diff is None or (diff["only_new"] == 0 and diff["only_old"] == 0) else 1


def _raw_store(path: Path) -> Any:
    import duckdb

    from crewparity import store as store_mod

    con = duckdb.connect(str(path))
    store_mod._configure(con)
    return store_mod.Store(path=path, con=con, read_only=False)


def _q(p: Path) -> str:
    return str(p).replace("'", "''")


def _compare(store: Any, old: Path) -> dict[str, int]:
    src = f"read_parquet('{_q(old)}')"
    cols = "person_id, gender, p_woman, source"
    only_new = store.rows(f"SELECT count(*) FROM (SELECT {cols} FROM resolved_gender EXCEPT ALL SELECT {cols} FROM {src})")
    only_old = store.rows(f"SELECT count(*) FROM (SELECT {cols} FROM {src} EXCEPT ALL SELECT {cols} FROM resolved_gender)")
    return {"only_new": int(only_new[0][0]), "only_old": int(only_old[0][0])}


if __name__ == "__main__":
    sys.exit(main())

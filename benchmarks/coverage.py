"""Does the 95% interval of ``share_expected`` cover the true share? Measured on synthetic data whose true
genders the generator knows (issue 4's target: at least 90% of year groups with 200+ people).

Steps (each a real CLI run, as a user would do it):

1. ``crewparity synth DIR --scale S`` writes IMDb-format dumps plus ``truth.people.tsv.gz`` (nconst, gender);
2. ``crewparity ingest imdb DIR --db F`` loads them and resolves gender (IMDb actor/actress labels are recorded
   evidence; everyone else goes through the first-name model or stays without information);
3. ``crewparity.open(F).share(roles=R, by=["year"], unit="people")`` per key role;
4. the true share per (role, year) group: the same people (same scope SQL as ``share``) joined to the truth file.

Caveat printed with the results: synth draws first names from the same lists the name model's prior is built
on, so the name model is better calibrated here than on real crews: the figures are optimistic.

    .venv/bin/python benchmarks/coverage.py --scale 0.01            # ~1 min
    .venv/bin/python benchmarks/coverage.py --scale 0.1 --groups summary
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROLES = ("director", "writer", "producer", "executive_producer", "editor", "cinematographer", "casting_director")


def run(*args: str) -> float:
    """Run ``python -m crewparity ARGS``; returns the wall time."""
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "crewparity", *args], capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"crewparity {' '.join(args)} failed:\n{res.stderr}")
    return time.perf_counter() - t0


def truth_by_year(cp, role: str, truth_file: Path) -> dict[int, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(women, people) per year for one role: the people ``share`` counts, with their true gender."""
    from crewparity.metrics.derived import person_key_sql
    from crewparity.metrics.samples import parse_sample, scope_cte
    from crewparity.metrics.share import grouped_scope_sql, scope_needs

    scope, params = scope_cte(role, None, None, None, parse_sample("all"), needs=scope_needs(["year"]))
    g, _ = grouped_scope_sql(["year"], "people")
    path = str(truth_file).replace("'", "''")
    sql = f"""WITH {scope}, {g},
        truth AS (SELECT {person_key_sql('nconst')} AS person_key, gender
                  FROM read_csv('{path}', delim='\t', quote='', escape='', header=true, nullstr='\\N',
                                columns={{'nconst': 'VARCHAR', 'gender': 'VARCHAR', 'first_name': 'VARCHAR'}})),
        u AS (SELECT DISTINCT year, person_key FROM g)
        SELECT u.year, count(*) FILTER (WHERE t.gender = 'woman') AS women, count(*) AS people,
               count(t.person_key) AS matched
        FROM u LEFT JOIN truth t ON t.person_key = u.person_key GROUP BY u.year"""
    rows = cp.con.sql(sql, params=params).fetchall()
    out: dict[int, tuple[int, int]] = {}
    for year, women, people, matched in rows:
        if matched != people:
            sys.exit(f"{role} {year}: {people - matched} people missing from the truth file")
        if year is not None:
            out[int(year)] = (int(women), int(people))
    return out


def raw_counts(cp, role: str) -> pa.Table:  # type: ignore[no-untyped-def]
    """The per-year sufficient statistics ``share`` works from (recorded counts, no-info, p_woman histograms)."""
    from crewparity.metrics.share import share_counts

    return share_counts(cp.store, roles=role, by=["year"], unit="people")[0]


def estimates(raw: pa.Table, base_rate: float | None, target: str,
              calibration: object = None) -> dict[str, np.ndarray]:
    """The estimator on those statistics at a given name-model base rate and interval target."""
    from crewparity.gender.estimate import estimate_shares_from_histograms

    def f(c: str) -> np.ndarray:
        return np.asarray(raw[c].fill_null(0).to_numpy(zero_copy_only=False), dtype=float)

    return estimate_shares_from_histograms(
        recorded_women=f("rec_women"), recorded_men=f("rec_men"), recorded_nonbinary=f("rec_nonbinary"),
        n_no_info=f("no_info"), bins=raw["p_bins"].to_pylist(), counts=raw["p_counts"].to_pylist(),
        base_rate=base_rate, target=target, calibration=calibration)  # type: ignore[arg-type]


#: the variants measured: (label, base rate: "prior" = the name model's training base rate as ``share`` uses it
#: today, "store" = the base rate calibrated on the store's recorded people, "platt" = intercept and slope
#: recalibrated on them (store_calibration); interval target)
VARIANTS = (("shipped", "prior", "rate"), ("store-rate", "store", "rate"), ("store-group", "store", "group"),
            ("platt-rate", "platt", "rate"), ("platt-group", "platt", "group"))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.01, help="synth scale (1.0 = full IMDb size)")
    ap.add_argument("--seed", type=int, default=0, help="synth seed")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/crewparity-coverage"),
                    help="where the dump and the store go (reused when present)")
    ap.add_argument("--min-people", type=int, default=200, help="groups this big count toward the target")
    ap.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles, each measured on its own")
    ap.add_argument("--groups", choices=("big", "all", "summary"), default="big",
                    help="print every group, only the 200+ ones, or only the summary")
    args = ap.parse_args()

    import crewparity
    from crewparity.gender.estimate import store_base_rate, store_calibration, training_base_rate

    dump = args.workdir / f"synth-{args.scale:g}-{args.seed}"
    db = args.workdir / f"synth-{args.scale:g}-{args.seed}.duckdb"
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not (dump / "truth.people.tsv.gz").exists():
        secs = run("synth", str(dump), "--scale", str(args.scale), "--seed", str(args.seed))
        print(f"synth --scale {args.scale:g}: {secs:.1f} s")
    if not db.exists():
        print(f"ingest imdb: {run('ingest', 'imdb', str(dump), '--db', str(db)):.1f} s")
    cp = crewparity.open(str(db))
    print("NOTE: synth draws first names from the same lists the name model's prior is built on, so the name model "
          "is better calibrated here than on real crews: these figures are an optimistic bound.")
    t0 = time.perf_counter()
    rates = {"prior": training_base_rate(), "store": store_base_rate(cp.store)}
    calibration = store_calibration(cp.store)
    print(f"name-model base rate: prior {rates['prior']:.4f}; calibrated on this store's recorded people "
          f"{rates['store']:.4f}; recalibration on them: {calibration} ({time.perf_counter() - t0:.1f} s)\n")

    def pc(v: float | None) -> str:
        return "   -  " if v is None or v != v else f"{v:6.1%}"

    # per variant: groups, covered, abs errors, widths
    stats: dict[str, dict[str, list[float]]] = {v[0]: {"cov": [], "err": [], "width": []} for v in VARIANTS}
    extra: dict[str, list[float]] = {"known": [], "naive": []}
    per_role: list[tuple[str, int, int, dict[str, float]]] = []
    t_share = 0.0
    for role in [r.strip() for r in args.roles.split(",") if r.strip()]:
        t0 = time.perf_counter()
        table = cp.share(roles=role, by=["year"], unit="people")
        t_share += time.perf_counter() - t0
        raw = raw_counts(cp, role)
        assert raw["year"].to_pylist() == table["year"].to_pylist()
        truth = truth_by_year(cp, role, dump / "truth.people.tsv.gz")
        res = {"shipped": {"share_expected": np.asarray(table["share_expected"].to_pylist(), dtype=float),
                           "ci_low": np.asarray(table["ci_low"].to_pylist(), dtype=float),
                           "ci_high": np.asarray(table["ci_high"].to_pylist(), dtype=float)}}
        for label, rate, target in VARIANTS[1:]:
            res[label] = (estimates(raw, None, target, calibration) if rate == "platt"
                          else estimates(raw, rates[rate], target))
        informed = (np.asarray(raw["rec_women"]) + np.asarray(raw["rec_men"]) + np.asarray(raw["rec_nonbinary"])
                    + np.asarray(raw["inferred"]))
        # the plain mean of p over the inferred people, from the p_woman histogram (bins of 0.01)
        p_sum = np.array([sum(b * n for b, n in zip(bins or [], counts or [], strict=True))
                          for bins, counts in zip(raw["p_bins"].to_pylist(), raw["p_counts"].to_pylist(), strict=True)])
        naive = (np.asarray(raw["rec_women"]) + p_sum) / np.maximum(informed, 1)
        role_stats: dict[str, list[float]] = {v[0]: [] for v in VARIANTS}
        big = 0
        if args.groups != "summary":
            print(f"== {role}: year, n, truth, share_known, share_expected as shipped [95% interval] covered | "
                  f"with the store's base rate [rate interval] covered [group interval] covered")
        for i, r in enumerate(table.to_pylist()):
            year = r["year"]
            if year is None or year not in truth:
                continue
            women, people = truth[year]
            assert people == r["total"], (role, year, people, r["total"])
            t = women / people
            ok = {label: bool(res[label]["ci_low"][i] <= t <= res[label]["ci_high"][i]) for label, _, _ in VARIANTS}
            if people >= args.min_people:
                big += 1
                for label, _, _ in VARIANTS:
                    stats[label]["cov"].append(ok[label])
                    stats[label]["err"].append(abs(res[label]["share_expected"][i] - t))
                    stats[label]["width"].append(res[label]["ci_high"][i] - res[label]["ci_low"][i])
                    role_stats[label].append(ok[label])
                extra["known"].append(abs(r["share_known"] - t))
                extra["naive"].append(abs(naive[i] - t))
            if args.groups == "all" or (args.groups == "big" and people >= args.min_people):
                a, b, c = (res[v[0]] for v in VARIANTS[:3])
                yes = {True: "yes", False: "NO "}
                print(f"{year} {people:6d} {pc(t)} {pc(r['share_known'])} {pc(a['share_expected'][i])} "
                      f"[{pc(a['ci_low'][i])},{pc(a['ci_high'][i])}] {yes[ok['shipped']]} | "
                      f"{pc(b['share_expected'][i])} [{pc(b['ci_low'][i])},{pc(b['ci_high'][i])}] "
                      f"{yes[ok['store-rate']]} [{pc(c['ci_low'][i])},{pc(c['ci_high'][i])}] {yes[ok['store-group']]}")
        per_role.append((role, table.num_rows, big, {k: float(np.mean(v)) if v else float("nan")
                                                     for k, v in role_stats.items()}))

    print(f"\nCoverage of the true share by the 95% interval, year groups with {args.min_people}+ people "
          f"(scale {args.scale:g}, seed {args.seed})")
    print(f"{'role':20s} {'years':>5s} {'200+':>5s} " + " ".join(f"{v[0]:>12s}" for v in VARIANTS))
    for role, n, big, cov in per_role:
        print(f"{role:20s} {n:5d} {big:5d} " + " ".join(f"{cov[v[0]]:12.1%}" for v in VARIANTS))
    total = len(stats["shipped"]["cov"])
    if total:
        print(f"{'all roles':20s} {'':5s} {total:5d} " + " ".join(f"{np.mean(stats[v[0]]['cov']):12.1%}"
                                                               for v in VARIANTS))
        print("\nMean absolute error of the point estimate (points) and mean interval width (points):")
        for label, _, _ in VARIANTS:
            print(f"  {label:12s} |err| {100 * np.mean(stats[label]['err']):5.2f}   width "
                  f"{100 * np.mean(stats[label]['width']):5.2f}")
        print(f"  {'share_known':12s} |err| {100 * np.mean(extra['known']):5.2f}   (women / called, no estimate)")
        print(f"  {'plain mean':12s} |err| {100 * np.mean(extra['naive']):5.2f}   (recorded + mean p_woman, no shift)")
        for label, _, _ in VARIANTS:
            c = float(np.mean(stats[label]["cov"]))
            print(f"Target (issue 4) coverage >= 90%, {label}: {'MET' if c >= 0.9 else 'NOT MET'} "
                  f"({int(np.sum(stats[label]['cov']))}/{total})")
    print(f"share queries: {t_share:.2f} s in total; peak memory of the child processes "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB, of this one "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("NOTE: optimistic — synth names come from the same lists as the name model's prior.")


if __name__ == "__main__":
    main()

"""The first-name model on the two public benchmarks, with the published figures beside ours, and its curve.

Usage::

    python benchmarks/names.py [--synth DIR] [--throughput N]

* Santamaria & Mihaljevic (2018): 7,076 names (5,779 labelled f/m). nomquamgender's data already contains
  these names, so our figures on it FLATTER the model: read them as an upper bound, not as a real-world figure.
* Sebo (2021), Swiss physicians: 6,131 names. The file carries the outputs of the services Sebo tested
  (Gender API ``ga_``, NamSor ``na_``, genderize.io ``ge_``, Wiki-Gendersort ``wg_``); their metrics are computed
  here from those columns, on the same rows.
* ``--synth DIR`` (a ``crewparity synth`` folder): the curve on the generator's truth people (optimistic: their
  names come from the prior's lists), and the narrowest band with errorCodedWithoutNA <= 1% there, beside the
  default (nomquamgender's own band; docs/gender.md says why). The band is never chosen on a benchmark.
* ``--throughput N``: ``gender guess --input FILE`` (read, guess, csv/json written to /dev/null) on N names, repeated
  and all distinct, names per second after loading the model (see :func:`throughput`).

Everything is the prior-only model (no store to adapt from), at the default band unless the curve says otherwise.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "data" / "benchmarks"
SM = ("santamaria_mihaljevic_2018.csv", "full_name", "gender")
SEBO = ("sebo_2021_swiss_physicians.csv", "fname", "real_gender")
#: Santamaria & Mihaljevic (2018), Table 4 (errorCoded on their full set; Gender API also without NA and naCoded)
PUBLISHED_SM = [
    ("Gender API (published)", 0.0789, 0.0503, 0.0301),
    ("NamSor (published)", 0.1282, None, None),
    ("genderize.io (published)", 0.1428, None, None),
    ("gender-guesser (published)", 0.2224, None, None),
]
SEBO_TOOLS = [("Gender API", "ga_gender"), ("NamSor", "na_gender"), ("genderize.io", "ge_gender"),
              ("Wiki-Gendersort", "wg_gender")]


def _f(v: float | None) -> str:
    return "   -   " if v is None else f"{v:.4f}"


def _print_metrics(label: str, m: dict) -> None:  # type: ignore[type-arg]
    print(f"  {label:<34} errorCoded {_f(m['errorCoded'])}  withoutNA {_f(m['errorCodedWithoutNA'])}  "
          f"naCoded {_f(m['naCoded'])}  genderBias {_f(m.get('errorGenderBias'))}")


def _print_curve(curve) -> None:  # type: ignore[no-untyped-def]
    print("    band          errorCoded  withoutNA  naCoded  genderBias")
    for r in curve.to_pylist():
        print(f"    {r['lo']:.3f}-{r['hi']:.3f}   {_f(r['errorCoded'])}     {_f(r['errorCodedWithoutNA'])}    "
              f"{_f(r['naCoded'])}   {_f(r['errorGenderBias'])}")


def benchmark(file: str, name_col: str, gender_col: str) -> None:
    import duckdb

    from crewparity.gender import evaluate, names

    path = BENCH / file
    if not path.exists():
        print(f"{path}: not found, skipped")
        return
    t0 = time.perf_counter()
    ev = evaluate.evaluate_file(path, name_col, gender_col)
    dt = time.perf_counter() - t0
    print(f"\n{file}: {ev.rows} rows, {ev.evaluated} labelled woman/man ({ev.skipped_truth} skipped), "
          f"{dt:.2f} s, band {names.ABSTAIN_BAND}")
    _print_metrics("crewparity (nomquamgender prior)", ev.metrics)
    if ev.share:
        s = ev.share
        print(f"  share of women: true {s['share_true']:.4f}, estimated {s['share_expected']:.4f} "
              f"[{s['ci_low']:.4f}, {s['ci_high']:.4f}], error {s['share_error']:+.4f}")
    if file == SM[0]:
        print("  (nomquamgender's data contains these names: this flatters us)")
        for label, ec, wo, na in PUBLISHED_SM:
            print(f"  {label:<34} errorCoded {_f(ec)}  withoutNA {_f(wo)}  naCoded {_f(na)}")
    if file == SEBO[0]:
        con = duckdb.connect()
        src = str(path).replace("'", "''")
        con.execute(f"CREATE TEMP TABLE rel AS SELECT * FROM read_csv('{src}', all_varchar = true, header = true)")
        truth = [r[0] for r in con.sql(f'SELECT "{gender_col}" FROM rel').fetchall()]
        for label, col in SEBO_TOOLS:
            calls = [r[0] for r in con.sql(
                f"SELECT CASE lower({col}) WHEN 'female' THEN 'woman' WHEN 'male' THEN 'man' ELSE 'unknown' END "
                "FROM rel").fetchall()]
            _print_metrics(f"{label} (from the file's column)", evaluate.metrics(truth, calls))
    print("  abstain curve (same probabilities):")
    _print_curve(ev.curve)


def synth(folder: Path) -> None:
    import duckdb

    from crewparity.gender import evaluate, names

    con = duckdb.connect()
    d = str(folder).replace("'", "''")
    t = con.sql(f"""
        SELECT n.primaryName AS name, try_cast(n.birthYear AS INTEGER) AS birth_year, t.gender
        FROM read_csv('{d}/name.basics.tsv.gz', delim = '\t', quote = '', all_varchar = true, header = true,
                      nullstr = '\\N') n
        JOIN read_csv('{d}/truth.people.tsv.gz', delim = '\t', quote = '', all_varchar = true, header = true) t
        USING (nconst)""").to_arrow_table()
    g = names.guess_arrow(t.column("name").combine_chunks(), t.column("birth_year").combine_chunks())
    curve = evaluate.curve(t.column("gender").to_pylist(), g.column("p_woman").to_pylist())
    print(f"\nsynth truth people in {folder}: {t.num_rows} (names drawn from the prior's own lists: optimistic)")
    _print_curve(curve)
    print(f"  narrowest band with errorCodedWithoutNA <= 1%: {evaluate.choose_band(curve, 0.01)}; "
          f"default {names.ABSTAIN_BAND}")


def _throughput_inputs(n: int, folder: Path) -> dict[str, Path]:
    """Two files of n names, one a line: the benchmark names repeated, and n distinct names (the benchmark
    names' first names crossed with their surnames, in a fixed pseudo-random order)."""
    import csv
    import random

    base: list[str] = []
    for file, col, _g in (SM, SEBO):
        with (BENCH / file).open(encoding="utf-8") as fh:
            base += [row[col].strip() for row in csv.DictReader(fh) if row[col].strip()]
    firsts = sorted({b.split()[0] for b in base if len(b.split()) > 1})
    lasts = sorted({b.split()[-1] for b in base if len(b.split()) > 1})
    rng = random.Random(0)
    distinct: set[str] = set()
    while len(distinct) < n:
        distinct.add(f"{rng.choice(firsts)} {rng.choice(lasts)}")
    out = {"repeated": folder / "repeated.txt", "distinct": folder / "distinct.txt"}
    out["repeated"].write_text("\n".join(base[i % len(base)] for i in range(n)) + "\n", encoding="utf-8")
    order = sorted(distinct)
    rng.shuffle(order)
    out["distinct"].write_text("\n".join(order) + "\n", encoding="utf-8")
    return out


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def throughput(n: int) -> None:
    """`gender guess --input FILE --format csv|json` on n names, in this process, after loading the model.

    Timed, for one run per file and format, exactly what the command does after loading: read the file
    (read_name_array), guess (api_gender.guess), format and write the output (the CLI's writer, to /dev/null).
    Loading (the name table, decade shifts and the in-memory model database, once per process) is timed apart.
    """
    import tempfile

    from crewparity.api_gender import guess
    from crewparity.cli.gender import _fast_bytes
    from crewparity.gender import names
    from crewparity.gender.name_file import read_name_array

    loaded = names._model_db.cache_info().currsize > 0
    t0, c0 = time.perf_counter(), _cpu()
    names._model_db()
    load = "already loaded by the accuracy runs above" if loaded else \
        f"{time.perf_counter() - t0:.2f} s wall, {_cpu() - c0:.2f} s CPU"
    print(f"\nguess throughput: loading the model {load} (once per process, not counted below); the first run of "
          "each case pays the first-call costs a one-shot command pays")
    with tempfile.TemporaryDirectory(prefix="crewparity-names-") as tmp:
        files = _throughput_inputs(n, Path(tmp))
        for label, path in files.items():
            for fmt in ("csv", "json"):
                runs = [_one_run(path, fmt, read_name_array, guess, _fast_bytes) for _ in range(3)]
                walls = sorted(r[0] for r in runs)
                wall, cpu, parts = sorted(runs)[1]  # the median run
                print(f"  {n:,} {label} names, --format {fmt}: median of 3 runs {wall:.2f} s wall = "
                      f"{n / wall:,.0f} names/s (read {parts[0]:.2f}, guess {parts[1]:.2f}, output {parts[2]:.2f}); "
                      f"{cpu:.2f} s CPU; runs {', '.join(f'{w:.2f}' for w in walls)} s; peak RSS "
                      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _one_run(path: Path, fmt: str, read_names: Any, guess: Any, fast_bytes: Any) -> tuple[float, float, tuple[float, ...]]:
    """One `gender guess --input path --format fmt` after loading: wall, CPU, (read, guess, output) seconds."""
    import os

    t0, c0 = time.perf_counter(), _cpu()
    items = read_names(path)
    t1 = time.perf_counter()
    table = guess(items)  # every column the command writes: name, gender, p_woman, source, n
    t2 = time.perf_counter()
    chunks = fast_bytes(table, fmt)
    assert chunks is not None
    with open(os.devnull, "wb") as sink:
        for chunk in chunks:
            sink.write(chunk)
    t3 = time.perf_counter()
    return t3 - t0, _cpu() - c0, (t1 - t0, t2 - t1, t3 - t2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synth", type=Path, help="a `crewparity synth` folder: the curve where the band was chosen")
    ap.add_argument("--throughput", type=int, default=0, help="time guess_names on this many names")
    args = ap.parse_args()
    if args.synth:
        synth(args.synth)
    for spec in (SM, SEBO):
        benchmark(*spec)
    if args.throughput:
        throughput(args.throughput)


if __name__ == "__main__":
    main()

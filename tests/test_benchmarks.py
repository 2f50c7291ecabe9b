"""Every benchmark under benchmarks/ runs to the end on a tiny synth store and prints its figures.

Why: the benchmarks are where the speed, memory and coverage targets are checked, and they run by hand, so
nothing else notices when one breaks. coverage.py still joined on ``person_id`` two schemas after the query
tables moved to integer person keys, and failed before measuring anything. These are smoke tests: they check
that each script finishes and reports, not the figures (timing here would measure the test machine).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, synth_store

BENCH = REPO / "benchmarks"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A scale-0.002 synth dump (with its truth file) and the store ingested from it, under the names
    coverage.py looks for in its --workdir (it reuses them instead of generating its own)."""
    db = synth_store(tmp_path_factory, "bench", seed=0)
    work = db.parent / "work"
    work.mkdir()
    (work / "synth-0.002-0").symlink_to(db.parent / "dump")
    (work / "synth-0.002-0.duckdb").symlink_to(db)
    return work / "synth-0.002-0", work / "synth-0.002-0.duckdb"


def _run(script: str, *args: str, cwd: Path | None = None) -> str:
    res = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                         timeout=900, cwd=cwd)
    assert res.returncode == 0, f"{script} failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return res.stdout


def test_coverage(tiny: tuple[Path, Path]) -> None:
    dump, _ = tiny
    out = _run("coverage.py", "--scale", "0.002", "--workdir", str(dump.parent), "--groups", "summary",
               "--min-people", "5", "--roles", "director,writer")
    assert "Coverage of the true share by the 95% interval" in out
    assert "all roles" in out and "%" in out.split("all roles", 1)[1].splitlines()[0]


def test_queries(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    _, db = tiny
    out = _run("queries.py", "--db", str(db), "--repeat", "1", "--out", str(tmp_path / "q.json"))
    assert "share by year" in out and "median" in out
    assert (tmp_path / "q.json").stat().st_size > 0


def test_shapes(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    """A subset of the grid (--match), each shape answered and reported, the JSON with one entry per shape."""
    _, db = tiny
    out = _run("shapes.py", "--db", str(db), "--match", "directors, series, 2023, sample top:100",
               "--out", str(tmp_path / "s.json"))
    assert "shapes in" in out and "at or over 1000 ms" in out
    results = json.loads((tmp_path / "s.json").read_text())["results"]
    # 3 units x 12 groups (by title included: one year) for the one scope, years and sample matched
    assert len(results) == 3 * 12
    assert all(r["shape"].endswith("directors, series, 2023, sample top:100") and r["median_ms"] > 0
               for r in results)


def test_shapes_without_title_units(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    """--without-title-units times the credit-row path of the same shapes: the same answers (row counts)."""
    _, db = tiny
    rows = []
    for extra in ([], ["--without-title-units"]):
        _run("shapes.py", "--db", str(db), "--match", "unit titles, by year,role, directors", "--out",
             str(tmp_path / "s.json"), *extra)
        rows.append([(r["shape"], r["rows"]) for r in json.loads((tmp_path / "s.json").read_text())["results"]])
    assert rows[0] == rows[1] and len(rows[0]) == 12 and all(n > 0 for _, n in rows[0][:3])


def test_resolve(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    _, db = tiny
    before = db.stat().st_mtime_ns
    out = _run("resolve.py", str(db), "--work", str(tmp_path), "--json")
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["people"] == 30_000 and figures["wall_s"] > 0 and figures["peak_rss_mb"] > 0
    assert sum(figures["resolved"].values()) == 30_000
    assert db.stat().st_mtime_ns == before  # the benchmark works on a copy


def test_names_on_synth_truth(tiny: tuple[Path, Path]) -> None:
    dump, _ = tiny
    out = _run("names.py", "--synth", str(dump))
    assert "narrowest band with errorCodedWithoutNA <= 1%" in out


def test_ingest_against_the_floor_and_pandas(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    dump, _ = tiny
    out = _run("ingest.py", "--scale", "0.002", "--dumps", str(dump), "--work", str(tmp_path), "--skip",
               "imdb-sqlite", "--bracket", "--out", str(tmp_path / "i.json"))
    assert "crewparity" in out and "pandas" in out
    report = json.loads((tmp_path / "i.json").read_text(encoding="utf-8"))
    runs = report["crewparity_runs_wall_s"]
    assert len(runs) == 2 and all(w > 0 for w in runs)
    mean = next(r for r in report["results"] if r["name"].endswith("mean of 2 runs"))
    assert mean["wall_s"] == pytest.approx(sum(runs) / 2) and mean["ratio_to_crewparity"] == 1.0
    pandas = next(r for r in report["results"] if r["name"].startswith("pandas"))
    assert pandas["ratio_to_crewparity"] == round(pandas["wall_s"] / mean["wall_s"], 2)


def test_dashboard(tiny: tuple[Path, Path]) -> None:
    _, db = tiny
    out = _run("dashboard.py", str(db))
    assert "/rankings" in out and "/method" in out and "/series/tt" in out and "peak RSS" in out


def test_band_shift(tiny: tuple[Path, Path]) -> None:
    """The field-shifted bands beside the default on both benchmarks (as they are and reweighted) and synth crew."""
    dump, _ = tiny
    out = _run("band_shift.py", "--synth", str(dump))
    assert out.count("default (symmetric)      band 0.100-0.900") == 5
    assert "reweighted to 23% women" in out and "synth crew truth people" in out
    assert "shifted to 25% women     band 0.244-0.963" in out


def test_band_shift_formula() -> None:
    """At the model's own base rate the shifted band is the rule's symmetric band; a lower field rate moves both
    edges up (a woman needs a higher probability, a man less)."""
    sys.path.insert(0, str(BENCH))
    try:
        import band_shift
    finally:
        sys.path.remove(str(BENCH))
    lo, hi = band_shift.shifted_band(0.492, 0.492)
    assert lo == pytest.approx(0.10) and hi == pytest.approx(0.90)
    lo, hi = band_shift.shifted_band(0.25, 0.492)
    assert 0.10 < lo < 0.5 < 0.90 < hi

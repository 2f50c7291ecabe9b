"""Exports: CSV cells a spreadsheet would run as formulas are neutralised (numbers stay numbers); Parquet
and JSON give back exactly the table that was written. Property tests are bounded (hypothesis).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crewparity import output
from tests._reliability import HEADERS, copy_sample, write_file
from tests.conftest import run_cli

EXAMPLES = int(os.environ.get("CREWPARITY_FUZZ_EXAMPLES", "60"))
PROPS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("cell", [
    "=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "=cmd|'/C notepad'!A1",
    "\t=1+1", "\r=1+1", "-", "+", "=", "@",
])
def test_formula_cells_are_neutralised(cell: str) -> None:
    table = pa.table({"name": [cell]})
    (header, row) = _csv_cells(output.to_csv(table))
    assert header == ["name"]
    assert row == ["'" + cell]


@pytest.mark.parametrize("cell", ["-5", "-0.25", "+3", "-1e-05", "12", "Jessica Jones", "Ann-Marie", "a=b", "x@y.org"])
def test_plain_values_stay_as_they_are(cell: str) -> None:
    assert _csv_cells(output.to_csv(pa.table({"v": [cell]})))[1] == [cell]


def test_numbers_and_lists() -> None:
    table = pa.table({"n": pa.array([-5, 3], pa.int64()), "x": [-0.5, None], "names": [["=evil", "ok"], None]})
    rows = _csv_cells(output.to_csv(table))
    assert rows == [["n", "x", "names"], ["-5", "-0.5", "'=evil,ok"], ["3", "", ""]]


@PROPS
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_csv_floats_are_every_digit(values: list[float]) -> None:
    """A figure in csv is the same number as in json and parquet (a review found csv rounded to 6 decimals:
    0.176471 beside json's 0.17647058823529413)."""
    rows = _csv_cells(output.to_csv(pa.table({"x": pa.array(values, pa.float64())})))
    assert [float(r[0]) for r in rows[1:]] == values


@PROPS
@given(st.lists(TEXT, min_size=1, max_size=20))
def test_no_csv_cell_starts_a_formula(cells: list[str]) -> None:
    """Whatever text a name holds, no CSV cell a spreadsheet reads starts a formula, and nothing is lost."""
    rows = _csv_cells(output.to_csv(pa.table({"name": cells})))
    assert len(rows) == len(cells) + 1
    for original, (got,) in zip(cells, rows[1:], strict=True):
        if got.startswith(output.FORMULA_PREFIXES):
            float(got)  # only a plain number may start with - or +
            assert got == original
        else:
            assert got in (original, "'" + original)


# --- exact round trips --------------------------------------------------------------------------------------

FINITE = st.floats(allow_nan=False, allow_infinity=False)
INTS = st.integers(-(2**63), 2**63 - 1)


@st.composite
def tables(draw: st.DrawFn, floats: st.SearchStrategy[float] = FINITE) -> pa.Table:
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(["str", "int", "float", "bool"]), min_size=1, max_size=5))
    cols: dict[str, pa.Array] = {}
    for i, kind in enumerate(kinds):
        strategy, typ = {"str": (TEXT, pa.string()), "int": (INTS, pa.int64()), "float": (floats, pa.float64()),
                         "bool": (st.booleans(), pa.bool_())}[kind]
        values = draw(st.lists(st.one_of(st.none(), strategy), min_size=n, max_size=n))
        cols[f"{kind}_{i}"] = pa.array(values, typ)
    return pa.table(cols)


@PROPS
@given(tables(st.floats()))
def test_parquet_round_trip_is_exact(tmp_path: Path, table: pa.Table) -> None:
    path = tmp_path / "out.parquet"
    output.write_file(path, table)  # what --output FILE.parquet writes
    back = pq.read_table(path)
    assert back.schema == table.schema
    assert back.equals(table) or _equal_with_nan(back, table)


def _equal_with_nan(a: pa.Table, b: pa.Table) -> bool:
    def norm(v: object) -> object:
        return "NaN" if isinstance(v, float) and math.isnan(v) else v
    return [{k: norm(v) for k, v in r.items()} for r in a.to_pylist()] == \
        [{k: norm(v) for k, v in r.items()} for r in b.to_pylist()]


@PROPS
@given(tables())
def test_json_round_trip_is_exact(table: pa.Table) -> None:
    """Strings, 64-bit ints, finite floats (to the last bit), booleans and nulls come back as written."""
    back = json.loads(output.to_json(table))
    assert back == table.to_pylist()
    for got, want in zip(back, table.to_pylist(), strict=True):
        for k, v in want.items():
            assert type(got[k]) is type(v)


def test_json_has_no_nan_or_infinity() -> None:
    """NaN and infinities are not JSON: they are written as null (strict parsers reject the bare tokens)."""
    text = output.to_json(pa.table({"x": [float("nan"), float("inf"), -float("inf"), 1.5]}))
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c} in JSON")) == \
        [{"x": None}, {"x": None}, {"x": None}, {"x": 1.5}]


# --- end to end: a hostile title in a real store, exported by the CLI ----------------------------------------

def test_cli_csv_export_neutralises_a_hostile_series_title(tmp_path: Path) -> None:
    """A series named like a formula, with a director named like one, through ingest -> series --format csv."""
    d = copy_sample(tmp_path / "dump")
    evil_title, evil_name = "=HYPERLINK(\"http://evil\",\"Jessica\")", "@SUM(1+1)*cmd"
    write_file(d / "title.basics.tsv", [
        HEADERS["title.basics"],
        f"tt9900001\ttvSeries\t{evil_title}\t{evil_title}\t0\t2015\t2019\t50\tDrama",
        "tt9900002\ttvEpisode\tPilot\tPilot\t0\t2015\t\\N\t50\tDrama",
        "tt9900003\ttvEpisode\tTwo\tTwo\t0\t2015\t\\N\t50\tDrama",
    ])
    write_file(d / "title.episode.tsv", [HEADERS["title.episode"], "tt9900002\ttt9900001\t1\t1",
                                         "tt9900003\ttt9900001\t1\t2"])
    write_file(d / "title.crew.tsv", [HEADERS["title.crew"], "tt9900002\tnm9900001\t\\N", "tt9900003\tnm9900001\t\\N"])
    write_file(d / "name.basics.tsv", [HEADERS["name.basics"], f"nm9900001\t{evil_name}\t\\N\t\\N\tactress,director\t\\N"])
    db = tmp_path / "s.duckdb"
    assert run_cli("ingest", "imdb", str(d), "--db", str(db)).returncode == 0
    result = run_cli("series", "tt9900001", "--db", str(db), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and rows[0]["series"] == "'" + evil_title
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), row
    episodes = run_cli("series", "tt9900001", "--db", str(db), "--format", "csv", "--episodes")
    assert episodes.returncode == 0, episodes.stderr
    cells = [c for r in csv.reader(io.StringIO(episodes.stdout)) for c in r]
    assert any(evil_name in c for c in cells)
    assert all(not c.startswith(("=", "+", "@")) for c in cells)
    js = run_cli("series", "tt9900001", "--db", str(db), "--format", "json")
    assert json.loads(js.stdout)[0]["series"] == evil_title  # JSON is for programs: the value as it is

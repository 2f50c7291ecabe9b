"""A labelled file's bad row: ``gender eval`` names the row's line and what is wrong with it.

A review found a file whose line 4 has one field reported as ``ev5.csv:1: no column 'name'; the header has:
name,gender`` (DuckDB's sniffer, thrown by the short row, read the file as one column) and a row with an extra
field as ``the header has: Bob Smith, m, extra`` (the sniffer took that row for the header). The file is now read
with Python's csv module, as the other readers of user files are: every row has the header's number of fields,
else one line naming the row's line says too few or too many. ``gender guess`` and ``gender estimate`` say the
same of a CSV of names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.errors import InputError
from crewparity.gender import evaluate
from tests.conftest import SHARED_DATA, run_cli


def _error(path: Path, *cols: str) -> str:
    with pytest.raises(InputError) as info:
        evaluate.read_labelled(path, *(cols or ("name", "gender")))
    return str(info.value)


def test_a_row_with_too_few_fields_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ev5.csv"
    path.write_text("name,gender\nAnna Berg,f\nBob Gale,m\nOnlyOne\nCarl Bo,m\n", encoding="utf-8")
    assert _error(path) == f"{path}:4: too few fields: 1 where the header has 2 (name, gender)"
    r = run_cli("gender", "eval", str(path), "--name-col", "name", "--gender-col", "gender")
    assert r.returncode == 1
    assert r.stderr == f"crewparity: error: {path}:4: too few fields: 1 where the header has 2 (name, gender)\n"


def test_a_row_with_too_many_fields_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ev6.csv"
    path.write_text("name,gender\nAnna Berg,f\nBob Smith, m, extra\n", encoding="utf-8")
    assert _error(path) == (f"{path}:3: too many fields: 3 where the header has 2 (name, gender); a value holding a "
                            'comma is written in quotes ("Lynch, Jennifer")')


def test_the_line_counts_blank_lines_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text('name,gender\r\n"Ann\r\nLee",f\r\n\r\nBob Gale,m\r\nCy,m,x\r\n', encoding="utf-8")
    assert _error(path).startswith(f"{path}:6: too many fields: 3")


def test_a_missing_column_is_still_named_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text("name,sex\nAnna Berg,f\nOnlyOne\n", encoding="utf-8")
    assert _error(path) == f"{path}:1: no column 'gender'; the header has: name, sex"


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_semicolon_or_tab_separated_file_is_read(tmp_path: Path, sep: str) -> None:
    """DuckDB's sniffer read any separator; the csv reading takes those the ingest readers take."""
    path = tmp_path / "ev.csv"
    path.write_text(f"id{sep}name{sep}gender\n1{sep}Lynch, Jennifer{sep}f\n2{sep}Bob Gale{sep}m\n", encoding="utf-8")
    table = evaluate.read_labelled(path, "name", "gender")
    assert table.to_pylist() == [{"name": "Lynch, Jennifer", "truth_raw": "f"}, {"name": "Bob Gale", "truth_raw": "m"}]
    path.write_text(f"id{sep}name{sep}gender\n1{sep}Ann Lee\n", encoding="utf-8")
    sep_name = "semicolon" if sep == ";" else "tab"
    assert _error(path) == f"{path}:2: too few fields: 2 where the header has 3 (id, name, gender; {sep_name}-separated)"


def test_a_field_longer_than_any_name(tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text("name,gender\nAnna Berg,f\n" + "A" * 140_000 + ",f\n", encoding="utf-8")
    assert _error(path).startswith(f"{path}:3: a field of more than 131,072 characters")


@pytest.mark.parametrize(("file", "cols"), [("santamaria_mihaljevic_2018.csv", ("full_name", "gender")),
                                            ("sebo_2021_swiss_physicians.csv", ("fname", "real_gender"))])
def test_the_benchmarks_read_as_duckdb_read_them(file: str, cols: tuple[str, str]) -> None:
    """The csv reading gives the benchmarks' names and labels exactly as the DuckDB reading did (an empty cell is
    missing, as DuckDB made it)."""
    import duckdb

    path = SHARED_DATA / "benchmarks" / file
    if not path.exists():
        pytest.skip("shared benchmarks not found")
    expected = duckdb.sql(f"SELECT \"{cols[0]}\" AS name, \"{cols[1]}\" AS truth_raw FROM read_csv('{path}', "
                          "all_varchar = true, header = true)").to_arrow_table()
    assert evaluate.read_labelled(path, *cols).to_pylist() == expected.to_pylist()


def test_guess_and_estimate_say_the_same_of_a_csv_of_names(tmp_path: Path) -> None:
    """A row with a field too many took its name from the wrong cell ("Lynch" of an unquoted "Lynch, Jennifer")."""
    path = tmp_path / "people.csv"
    path.write_text("name,id\nAnna Berg,1\nLynch, Jennifer,2\n", encoding="utf-8")
    for command in ("guess", "estimate"):
        r = run_cli("gender", command, "-i", str(path), "-f", "csv")
        assert r.returncode == 1, (command, r.stdout)
        assert r.stderr.startswith(f"crewparity: error: {path}:3: too many fields: 3 where the header has 2 (name, id)")
    path.write_text("id,name\n1,Anna Berg\n2\n", encoding="utf-8")
    for command in ("guess", "estimate"):
        r = run_cli("gender", command, "-i", str(path), "-f", "csv")
        assert r.returncode == 1, (command, r.stdout)
        assert r.stderr == f"crewparity: error: {path}:3: too few fields: 1 where the header has 2 (id, name)\n"
